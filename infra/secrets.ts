// The embedded cluster's generated passwords (.dw/secrets, mode 0600): one per login role, never a default.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The login roles of the embedded cluster: `dw` is the bootstrap superuser (cluster admin only), the others the application's. */
export const ROLES = ['dw', 'dw_owner', 'dw_worker', 'dw_reader', 'dw_auditor'] as const;
export type RoleName = (typeof ROLES)[number];
export type Secrets = Record<RoleName, string>;

/** The secrets file of a cluster whose directory is `clusterDir` (the embedded one keeps it at .dw/secrets). */
export function secretsPath(stateDir: string): string {
  return path.join(stateDir, 'secrets');
}

/** The passwords, or undefined when the file does not exist yet (a cluster made before passwords, until `dw up`). */
export function readSecrets(file: string): Secrets | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the database passwords in ${file}: ${(err as Error).message} (run dw as the user who ran dw up)`);
  }
  const parsed = JSON.parse(text) as Partial<Secrets>;
  const missing = ROLES.filter((r) => typeof parsed[r] !== 'string' || parsed[r] === '');
  if (missing.length)
    throw new Error(`${file} lacks the password of ${missing.join(', ')}: delete the file and run dw up to generate them all`);
  return parsed as Secrets;
}

/** Reads the passwords, generating the missing file (0600, created exclusively) on first use. */
export function ensureSecrets(file: string): Secrets {
  const found = readSecrets(file);
  if (found) return found;
  const secrets = Object.fromEntries(ROLES.map((r) => [r, randomBytes(24).toString('base64url')])) as Secrets;
  return createSecretFile(file, secrets) ? secrets : (readSecrets(file) as Secrets); // else written concurrently
}

/** Writes `value` as JSON into a new 0600 file (created exclusively); false when the file exists already. */
export function createSecretFile(file: string, value: unknown, dirMode?: number): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: dirMode });
  try {
    fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** `url` with its user and password replaced by `role`'s (the password from `secrets`, when known). */
export function withRole(url: string, role: RoleName, secrets: Secrets | undefined): string {
  const u = new URL(url);
  u.username = role;
  u.password = secrets ? encodeURIComponent(secrets[role]) : '';
  return u.toString();
}
