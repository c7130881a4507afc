// The audit log's hash chain as pure code: the canonical serialization (the same as SQL audit.canonical), the keyed
// hash, verification of the chain, and its comparison with the heads anchored outside the database.
import { createHash, createHmac } from 'node:crypto';
import type { Anchor } from '../infra/audit-log';

/** One audit.events row, each field as the text PostgreSQL gives (time in UTC to the microsecond, detail as jsonb text). */
export interface ChainRow {
  id: string;
  at: string;
  osUser: string;
  host: string;
  dbUser: string;
  action: string;
  phase: string;
  outcome: string | null;
  runId: string | null;
  detail: string;
  prevHash: string;
  hash: string;
  /** 'hmac-sha256' (keyed, migration 0013), or 'sha256' for the rows an install wrote before it. */
  alg: string;
}

export const GENESIS = '0'.repeat(64);
export const KEYED = 'hmac-sha256';
export const LEGACY = 'sha256';

type Hashed = Omit<ChainRow, 'hash' | 'alg'>;

/** Each field as `<length in characters>:<text>` (NULL as `-`), in column order: no field's text can pass for another's. */
export function canonical(r: Hashed): string {
  const fields = [r.id, r.at, r.osUser, r.host, r.dbUser, r.action, r.phase, r.outcome, r.runId, r.detail, r.prevHash];
  return fields.map((f) => (f === null ? '-' : `${Array.from(f).length}:${f}`)).join('');
}

/** The row's hash: HMAC-SHA-256 with the audit key, or (no key) the legacy plain sha256. */
export function rowHash(r: Hashed, key?: Buffer): string {
  const h = key ? createHmac('sha256', key) : createHash('sha256');
  return h.update(canonical(r), 'utf8').digest('hex');
}

export type Verdict =
  | { ok: true; events: number; lastHash: string; legacyEvents: number; anchor?: { source: string; id: number; hash: string } }
  | { ok: false; events: number; brokenAt: string; reason: string };

const short = (h: string) => `${h.slice(0, 12)}…`;

/**
 * Recomputes the chain in id order: a row whose content changed no longer matches its hash (reported at that row);
 * a row removed or inserted breaks the next row's link to its predecessor (reported there). Keyed rows are checked with
 * `key`; a legacy (sha256) row is accepted only before the first keyed row.
 */
export function verifyChain(rows: Iterable<ChainRow>, key?: Buffer): Verdict {
  let prev = GENESIS;
  let n = 0;
  let legacy = 0;
  let keyedSeen = false;
  for (const r of rows) {
    n++;
    const broken = (reason: string): Verdict => ({ ok: false, events: n, brokenAt: r.id, reason });
    if (r.prevHash !== prev) {
      return broken(
        `its prev_hash ${short(r.prevHash)} is not the hash of the row before it (${short(prev)}): a row before it was removed, inserted or rewritten`,
      );
    }
    let computed: string;
    if (r.alg === KEYED) {
      if (!key) return broken('it is keyed (hmac-sha256) and no audit key was given');
      keyedSeen = true;
      computed = rowHash(r, key);
    } else if (r.alg === LEGACY) {
      if (keyedSeen) {
        return broken(
          'it says plain sha256, but keyed rows come before it: only rows written before the upgrade to keyed hashes are plain',
        );
      }
      legacy++;
      computed = rowHash(r);
    } else {
      return broken(`its algorithm '${r.alg}' is unknown`);
    }
    if (computed !== r.hash) {
      return broken(
        `its content does not match its hash (stored ${short(r.hash)}, recomputed ${short(computed)}): the row was changed after it was written, or its hash recomputed without the audit key`,
      );
    }
    prev = r.hash;
  }
  return { ok: true, events: n, lastHash: prev, legacyEvents: legacy };
}

/**
 * The table compared with the heads anchored outside it (`anchors`: this database's, read from `source`): every
 * anchored event must be in the table with its hash and the number of events up to it, and the table must not end
 * before the latest anchored head. Returns the first problem (by event id), or undefined.
 */
export function checkAnchors(
  rows: readonly Pick<ChainRow, 'id' | 'hash'>[],
  anchors: readonly Anchor[],
  source: string,
): { brokenAt: string; reason: string } | undefined {
  if (!anchors.length) return undefined;
  const position = new Map(rows.map((r, i) => [Number(r.id), i]));
  const lastId = rows.length ? Number(rows[rows.length - 1]!.id) : 0;
  const latest = anchors.reduce((a, b) => (b.id > a.id ? b : a));
  const sorted = [...anchors].sort((a, b) => a.id - b.id);
  for (const a of sorted) {
    const i = position.get(a.id);
    if (i === undefined) {
      if (a.id > lastId) {
        return {
          brokenAt: String(a.id),
          reason: `events after ${lastId} were removed: the anchor at ${source} says the head was event ${latest.id} with hash ${short(latest.hash)} (${latest.count} events)`,
        };
      }
      return { brokenAt: String(a.id), reason: `it was removed: the anchor at ${source} says it had hash ${short(a.hash)}` };
    }
    if (rows[i]!.hash !== a.hash) {
      return {
        brokenAt: String(a.id),
        reason: `its hash ${short(rows[i]!.hash)} is not the one anchored at ${source} (${short(a.hash)}): the chain was rewritten up to it`,
      };
    }
    if (i + 1 !== a.count) {
      return {
        brokenAt: String(a.id),
        reason: `${i + 1} events end at it, but the anchor at ${source} says ${a.count}: events before it were removed or inserted`,
      };
    }
  }
  return undefined;
}

/**
 * The anchor lines of database `db` in a file's text (other databases' lines and unreadable lines are skipped). A
 * line may carry a prefix before the JSON, as syslog and journal exports do (`Dec  8 01:00:00 host dw-audit: {…}`).
 */
export function parseAnchors(text: string, db: string): Anchor[] {
  const found: Anchor[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let a: Partial<Anchor>;
    try {
      a = JSON.parse(line.slice(line.indexOf('{'))) as Partial<Anchor>;
    } catch {
      continue;
    }
    if (a.db === db && Number.isSafeInteger(a.id) && Number.isSafeInteger(a.count) && typeof a.hash === 'string') found.push(a as Anchor);
  }
  return found;
}
