// Envelope encryption's key ring: master keys in a 0600 file outside the database (DW_MASTER_KEY_FILE, default
// .dw/master-keys), data keys in pii.data_keys wrapped by them (AES-256-GCM). A session that seals or opens PII gets
// the unwrapped data keys in its own setting `dw.pii_keys` (migration 0010_pii's functions read it).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { KEY_SCOPES, type KeyScope } from '../schema/pii';
import { logger } from './logger';
import { createSecretFile } from './secrets';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** The master keys: `active` wraps new and re-wrapped data keys; the others are kept until nothing uses them. */
export interface MasterKeyring {
  active: string;
  keys: Record<string, string>; // id → base64 of 32 bytes
}

/**
 * Where master keys come from. The file provider is the embedded default; a KMS is one more implementation of the
 * same two calls (wrap under the active key, unwrap under a named one), so data keys never leave it unwrapped.
 */
export interface MasterKeyProvider {
  readonly activeId: string;
  wrap(dataKey: Buffer, scope: string): string;
  unwrap(masterKeyId: string, wrapped: string, scope: string): Buffer;
}

const NONCE = 12;
const TAG = 16;

function newMasterKeyId(now = new Date()): string {
  return `m${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;
}

export function readKeyring(file: string): MasterKeyring | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the master key file ${file}: ${(err as Error).message} (run dw as the user who ran dw up)`);
  }
  const ring = JSON.parse(text) as MasterKeyring;
  if (typeof ring.active !== 'string' || typeof ring.keys?.[ring.active] !== 'string')
    throw new Error(`${file} is not a dw master key file (its active key is missing): restore it from your backup`);
  return ring;
}

/** Writes the key ring atomically (a 0600 temporary file renamed over the old one). */
export function writeKeyring(file: string, ring: MasterKeyring): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(ring, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** `ring` (or none) with a new random master key added and made active. */
export function withNewMasterKey(ring?: MasterKeyring): MasterKeyring {
  const id = newMasterKeyId();
  return { active: id, keys: { ...ring?.keys, [id]: randomBytes(32).toString('base64') } };
}

/** The key ring, made (one new master key, file created exclusively) when the file does not exist. */
export function ensureKeyring(file: string): MasterKeyring {
  const found = readKeyring(file);
  if (found) return found;
  const ring = withNewMasterKey();
  return createSecretFile(file, ring, 0o700) ? ring : (readKeyring(file) as MasterKeyring); // else made concurrently
}

/** AES-256-GCM with the scope as associated data: a data key wrapped for one scope does not unwrap as another's. */
export function fileProvider(ring: MasterKeyring, file: string): MasterKeyProvider {
  const master = (id: string): Buffer => {
    const k = ring.keys[id];
    if (!k) throw new Error(`master key ${id} is not in ${file}: a data key is wrapped by it; restore the file from your backup`);
    return Buffer.from(k, 'base64');
  };
  return {
    activeId: ring.active,
    wrap(dataKey, scope) {
      const nonce = randomBytes(NONCE);
      const c = createCipheriv('aes-256-gcm', master(ring.active), nonce);
      c.setAAD(Buffer.from(`dw-data-key:${scope}`));
      const ct = Buffer.concat([c.update(dataKey), c.final()]);
      return Buffer.concat([nonce, c.getAuthTag(), ct]).toString('base64');
    },
    unwrap(masterKeyId, wrapped, scope) {
      const b = Buffer.from(wrapped, 'base64');
      const d = createDecipheriv('aes-256-gcm', master(masterKeyId), b.subarray(0, NONCE));
      d.setAAD(Buffer.from(`dw-data-key:${scope}`));
      d.setAuthTag(b.subarray(NONCE, NONCE + TAG));
      try {
        return Buffer.concat([d.update(b.subarray(NONCE + TAG)), d.final()]);
      } catch {
        throw new Error(
          `data key of scope ${scope} does not unwrap under master key ${masterKeyId} (${file}): the file or the key was altered`,
        );
      }
    },
  };
}

export function keyProvider(file: string): MasterKeyProvider {
  return fileProvider(ensureKeyring(file), file);
}

/** A new data key (64 bytes: AES-256 then HMAC-SHA-256) for each scope that has no active one. */
export async function ensureDataKeys(db: Queryable, provider: MasterKeyProvider): Promise<void> {
  const have = new Set((await db.query(`SELECT scope FROM pii.data_keys WHERE active`)).rows.map((r) => r.scope as string));
  for (const scope of KEY_SCOPES.filter((s) => !have.has(s))) await insertDataKey(db, provider, scope);
}

export async function insertDataKey(db: Queryable, provider: MasterKeyProvider, scope: KeyScope): Promise<number> {
  const r = await db.query(`INSERT INTO pii.data_keys (scope, wrapped, master_key_id, active) VALUES ($1, $2, $3, true) RETURNING id`, [
    scope,
    provider.wrap(randomBytes(64), scope),
    provider.activeId,
  ]);
  return Number(r.rows[0].id);
}

/** The value of `dw.pii_keys` for a session: every data key unwrapped, and each scope's active one; or only `scopes`. */
export async function sessionKeys(db: Queryable, provider: MasterKeyProvider, scopes: readonly KeyScope[] = KEY_SCOPES): Promise<string> {
  const rows = (
    await db.query(`SELECT id, scope, wrapped, master_key_id, active FROM pii.data_keys WHERE scope = ANY($1) ORDER BY id`, [scopes])
  ).rows as Array<{ id: number; scope: string; wrapped: string; master_key_id: string; active: boolean }>;
  const active: Record<string, string> = {};
  const keys: Record<string, string> = {};
  for (const r of rows) {
    keys[String(r.id)] = provider.unwrap(r.master_key_id, r.wrapped, r.scope).toString('hex');
    if (r.active) active[r.scope] = String(r.id);
  }
  return JSON.stringify({ active, keys });
}

const REFRESH_MS = 60_000;

/**
 * Every client the pool hands out has the key ring loaded in its session (set again when the ring changed since); the
 * ring is read again every minute, so data keys made by `dw keys rotate` reach long-running workers. Resolves once
 * loaded; a database without the pii schema (before migrations) or a role without access to it is left alone.
 * Returns a function that stops the refresh.
 */
export async function attachPiiKeys(pool: pg.Pool, file: string): Promise<() => void> {
  let value: string | undefined;
  const loaded = new WeakMap<pg.PoolClient, string>();
  // Every checkout (pool.connect, and pool.query through it) sets the ring first where the client lacks this version.
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const ready = async (): Promise<pg.PoolClient> => {
    const client = await connect();
    if (value !== undefined && loaded.get(client) !== value) {
      try {
        await client.query(`SELECT set_config('dw.pii_keys', $1, false)`, [value]);
      } catch (err) {
        client.release(err as Error);
        throw err;
      }
      loaded.set(client, value);
    }
    return client;
  };
  type Callback = (err: Error | undefined, client?: pg.PoolClient, done?: (release?: unknown) => void) => void;
  pool.connect = ((cb?: Callback) => {
    if (!cb) return ready();
    ready().then(
      (c) => cb(undefined, c, (release?: unknown) => c.release(release as Error)),
      (err: Error) => cb(err),
    );
  }) as typeof pool.connect;
  const load = async (): Promise<void> => {
    const client = await connect();
    try {
      const found = await client.query(
        `SELECT has_table_privilege('pii.data_keys', 'SELECT') AS ok FROM pg_namespace WHERE nspname = 'pii'`,
      );
      if (found.rows[0]?.ok) value = await sessionKeys(client, keyProvider(file));
    } finally {
      client.release();
    }
  };
  await load();
  const timer = setInterval(() => {
    load().catch((err: Error) => logger('keys').warn('could not reload the PII key ring', { error: err.message }));
  }, REFRESH_MS);
  timer.unref();
  return () => clearInterval(timer);
}
