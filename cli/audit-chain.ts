// The audit log's hash chain as pure code: the canonical serialization (the same as SQL audit.canonical) and verification.
import { createHash } from 'node:crypto';

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
}

export const GENESIS = '0'.repeat(64);

/** Each field as `<length in characters>:<text>` (NULL as `-`), in column order: no field's text can pass for another's. */
export function canonical(r: Omit<ChainRow, 'hash'>): string {
  const fields = [r.id, r.at, r.osUser, r.host, r.dbUser, r.action, r.phase, r.outcome, r.runId, r.detail, r.prevHash];
  return fields.map((f) => (f === null ? '-' : `${Array.from(f).length}:${f}`)).join('');
}

export function rowHash(r: Omit<ChainRow, 'hash'>): string {
  return createHash('sha256').update(canonical(r), 'utf8').digest('hex');
}

export type Verdict = { ok: true; events: number; lastHash: string } | { ok: false; events: number; brokenAt: string; reason: string };

/**
 * Recomputes the chain in id order: a row whose content changed no longer matches its hash (reported at that row);
 * a row removed or inserted breaks the next row's link to its predecessor (reported there).
 */
export function verifyChain(rows: Iterable<ChainRow>): Verdict {
  let prev = GENESIS;
  let n = 0;
  for (const r of rows) {
    n++;
    if (r.prevHash !== prev) {
      return {
        ok: false,
        events: n,
        brokenAt: r.id,
        reason: `its prev_hash ${r.prevHash.slice(0, 12)}… is not the hash of the row before it (${prev.slice(0, 12)}…): a row before it was removed, inserted or rewritten`,
      };
    }
    const computed = rowHash(r);
    if (computed !== r.hash) {
      return {
        ok: false,
        events: n,
        brokenAt: r.id,
        reason: `its content does not match its hash (stored ${r.hash.slice(0, 12)}…, recomputed ${computed.slice(0, 12)}…): the row was changed after it was written`,
      };
    }
    prev = r.hash;
  }
  return { ok: true, events: n, lastHash: prev };
}
