// The local signing key pair of web tokens (Ed25519, EdDSA): one 0600 JSON file under .dw/keys, made on first use.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createSecretFile } from '../../infra/secrets';

/** The only algorithm of locally issued tokens; verification accepts nothing else. */
export const LOCAL_ALG = 'EdDSA';

export interface LocalKeyPair {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export const localKeyFile = (dir: string): string => path.join(dir, 'web-auth-ed25519.json');

interface KeyFile {
  kid: string;
  alg: typeof LOCAL_ALG;
  privateJwk: JsonWebKey;
}

/** The key pair in `dir`, or undefined when there is none yet. A damaged file is named, never echoed. */
export function readLocalKeyPair(dir: string): LocalKeyPair | undefined {
  const file = localKeyFile(dir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the web token key ${file}: ${(err as NodeJS.ErrnoException).code} (run dw as the user who made it)`);
  }
  try {
    const parsed = JSON.parse(text) as KeyFile;
    if (parsed.alg !== LOCAL_ALG || typeof parsed.kid !== 'string') throw new Error('unexpected content');
    const privateKey = createPrivateKey({ key: parsed.privateJwk, format: 'jwk' });
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
    return { kid: parsed.kid, privateKey, publicKey: createPublicKey(privateKey) };
  } catch {
    throw new Error(
      `${file} does not hold an Ed25519 web token key: move it away and let dw make a new one (tokens issued before stop working)`,
    );
  }
}

/** The key pair, made on first use (a new 0600 file in a 0700 folder; a concurrent maker's file wins). */
export function ensureLocalKeyPair(dir: string): LocalKeyPair {
  const found = readLocalKeyPair(dir);
  if (found) return found;
  const { privateKey } = generateKeyPairSync('ed25519');
  const privateJwk = privateKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(String(privateJwk.x)).digest('base64url').slice(0, 16);
  createSecretFile(localKeyFile(dir), { kid, alg: LOCAL_ALG, privateJwk } satisfies KeyFile, 0o700);
  return readLocalKeyPair(dir) as LocalKeyPair;
}
