// Signed run inputs: an HMAC-SHA-256 made by the CLI over a workflow's input bound to where it may run (its workflow
// id, or the schedule that fires it), checked by the worker before a run changes anything (docs/security.md).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { createSecretFile } from './secrets';

/** The field of a workflow input that carries its signature; everything else in the input is signed. */
export const SIGNATURE_FIELD = 'runSignature';

/** `boundTo`: the binding the CLI signed for (`workflow:<id>` or `schedule:<id>`), in clear so a re-bound input is named as such. */
export interface RunSignature {
  boundTo: string;
  hmac: string;
}

/** Where a run may execute: a workflow id, or a Temporal schedule (each fire gets a new workflow id). */
export const workflowBinding = (workflowId: string): string => `workflow:${workflowId}`;
export const scheduleBinding = (scheduleId: string): string => `schedule:${scheduleId}`;

export type Verdict = { ok: true } | { ok: false; code: 'RUN.UNSIGNED' | 'RUN.BAD_SIGNATURE' | 'RUN.REBOUND'; message: string };

/**
 * JSON with object keys sorted at every level and undefined members left out (as JSON.stringify, and so Temporal's
 * payloads, leave them out): the same input gives the same text on the CLI and, after the round trip, on the worker.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('a run input holds a number that JSON cannot carry');
    return JSON.stringify(v) ?? 'null';
  }
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined && typeof x !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}

/** The input without its signature field: what is signed. */
export function unsigned<T extends object>(input: T): Omit<T, typeof SIGNATURE_FIELD> {
  const { [SIGNATURE_FIELD]: _signature, ...rest } = input as T & { [SIGNATURE_FIELD]?: unknown };
  return rest;
}

function mac(key: Buffer, workflowType: string, boundTo: string, input: object): Buffer {
  const text = canonicalJson({ v: 1, workflowType, binding: boundTo, input: unsigned(input) });
  return createHmac('sha256', key).update(text).digest();
}

/** The input with its signature for `workflowType` at `binding` (any earlier signature replaced). */
export function signRun<T extends object>(
  key: Buffer,
  workflowType: string,
  binding: string,
  input: T,
): T & { [SIGNATURE_FIELD]: RunSignature } {
  const hmac = mac(key, workflowType, binding, input).toString('base64url');
  return { ...(unsigned(input) as T), [SIGNATURE_FIELD]: { boundTo: binding, hmac } };
}

/**
 * Checks an input received for `workflowType` at `binding`: unsigned, a signature that does not match the input
 * (changed after signing, or signed with another key), or a valid signature made for another binding (replayed under
 * another workflow id or schedule). The comparison is constant-time.
 */
export function verifyRun(key: Buffer | undefined, workflowType: string, binding: string, input: unknown): Verdict {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return { ok: false, code: 'RUN.UNSIGNED', message: 'the run has no input object to carry a signature' };
  const sig = (input as Record<string, unknown>)[SIGNATURE_FIELD];
  if (sig === undefined || sig === null)
    return {
      ok: false,
      code: 'RUN.UNSIGNED',
      message: `the ${workflowType} input is not signed: start runs with dw, not directly on Temporal`,
    };
  const { boundTo, hmac } = (typeof sig === 'object' ? sig : {}) as Partial<RunSignature>;
  if (typeof boundTo !== 'string' || typeof hmac !== 'string')
    return { ok: false, code: 'RUN.BAD_SIGNATURE', message: `the ${workflowType} input's signature is malformed` };
  if (key === undefined)
    return { ok: false, code: 'RUN.BAD_SIGNATURE', message: 'the worker has no run signing key to check the signature with' };
  const expected = mac(key, workflowType, boundTo, input);
  const given = Buffer.from(hmac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return {
      ok: false,
      code: 'RUN.BAD_SIGNATURE',
      message: `the ${workflowType} input does not match its signature (changed after signing, or signed with another key)`,
    };
  if (boundTo !== binding)
    return { ok: false, code: 'RUN.REBOUND', message: `the ${workflowType} input was signed for ${boundTo}, not for ${binding}` };
  return { ok: true };
}

/** The run signing key (32 bytes) from its file, or undefined when the file does not exist. */
export function readRunSigningKey(file: string): Buffer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the run signing key ${file}: ${(err as Error).message} (run dw as the user who ran dw up)`);
  }
  const key = Buffer.from(String((JSON.parse(text) as { key?: unknown }).key ?? ''), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte run signing key: delete it and let dw make a new one`);
  return key;
}

/** The run signing key, made on first use (32 random bytes in a new 0600 file). */
export function ensureRunSigningKey(file: string): Buffer {
  const found = readRunSigningKey(file);
  if (found) return found;
  createSecretFile(file, { key: randomBytes(32).toString('base64') }, 0o700); // false: written concurrently, read it
  return readRunSigningKey(file) as Buffer;
}
