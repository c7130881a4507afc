// The audit chain's verification as pure code: an intact chain passes; a changed, removed or inserted row is named;
// without the key a rewrite cannot be made to pass; the anchored heads name a removed tail or a rewritten chain.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Anchor } from '../infra/audit-log';
import { type ChainRow, GENESIS, KEYED, LEGACY, canonical, checkAnchors, parseAnchors, rowHash, verifyChain } from './audit-chain';

const KEY = randomBytes(32);

/** `n` rows from id `from` chained after `prev`: keyed with `key`, or legacy sha256 (null). */
function chain(n: number, key: Buffer | null = KEY, from = 1, prev = GENESIS): ChainRow[] {
  const rows: ChainRow[] = [];
  for (let i = from; i < from + n; i++) {
    const r = {
      id: String(i),
      at: `2026-11-29T10:00:0${i % 10}.000001Z`,
      osUser: 'ana',
      host: 'box',
      dbUser: 'dw_owner',
      action: 'materialize',
      phase: i % 2 ? 'start' : 'end',
      outcome: i % 2 ? null : 'ok',
      runId: null,
      detail: `{"args": ["materialize", "ç${i}"]}`,
      prevHash: prev,
    };
    prev = rowHash(r, key ?? undefined);
    rows.push({ ...r, hash: prev, alg: key ? KEYED : LEGACY });
  }
  return rows;
}

/** What an owner without the key can do: change row `at` and recompute it and every later link with `hash`. */
function rewrite(rows: ChainRow[], at: number, change: Partial<ChainRow>, hash: (r: Omit<ChainRow, 'hash' | 'alg'>) => string) {
  const out = rows.map((r) => ({ ...r }));
  out[at] = { ...out[at]!, ...change };
  for (let i = at; i < out.length; i++) {
    if (i > at) out[i]!.prevHash = out[i - 1]!.hash;
    out[i]!.hash = hash(out[i]!);
  }
  return out;
}

const heads = (rows: ChainRow[], db = 'dw'): Anchor[] => rows.map((r, i) => ({ db, id: Number(r.id), count: i + 1, hash: r.hash }));

describe('audit chain', () => {
  it('when a field is null or holds what looks like another field, then the canonical form still tells them apart', () => {
    const base = chain(1)[0]!;
    expect(canonical({ ...base, outcome: null })).not.toBe(canonical({ ...base, outcome: '' }));
    expect(canonical({ ...base, osUser: 'a', host: '1:b' })).not.toBe(canonical({ ...base, osUser: 'a1:', host: 'b' }));
    expect(canonical(base)).toContain('31:{"args": ["materialize", "ç1"]}'); // length in characters, not bytes
  });

  it('when nothing changed, then the chain verifies with its last hash', () => {
    const rows = chain(5);
    expect(verifyChain(rows, KEY)).toEqual({ ok: true, events: 5, lastHash: rows[4]!.hash, legacyEvents: 0 });
  });

  it("when a row's content changes, then it is named", () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, outcome: 'ok' };
    expect(verifyChain(rows, KEY)).toMatchObject({ ok: false, brokenAt: '3' });
  });

  it('when a row is removed, then the row after the gap is named', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verifyChain(rows, KEY)).toMatchObject({ ok: false, brokenAt: '3' });
  });

  it('when a changed row is rehashed but the next is not, then the next row is named', () => {
    const rows = chain(4);
    const changed = { ...rows[1]!, detail: '{}' };
    rows[1] = { ...changed, hash: rowHash(changed, KEY) };
    expect(verifyChain(rows, KEY)).toMatchObject({ ok: false, brokenAt: '3' });
  });

  it('when the owner rewrites a row and recomputes every later hash with sha256 or a key of its own, then that row is named', () => {
    const rows = chain(6);
    const change = { osUser: 'mallory', outcome: 'ok' };
    expect(
      verifyChain(
        rewrite(rows, 2, change, (r) => rowHash(r)),
        KEY,
      ),
    ).toMatchObject({ ok: false, brokenAt: '3' });
    const other = randomBytes(32);
    expect(
      verifyChain(
        rewrite(rows, 2, change, (r) => rowHash(r, other)),
        KEY,
      ),
    ).toMatchObject({
      ok: false,
      brokenAt: '3',
      reason: expect.stringMatching(/does not match its hash/),
    });
    const downgraded = rewrite(rows, 2, { ...change, alg: LEGACY }, (r) => rowHash(r)).map((r, i) => (i >= 2 ? { ...r, alg: LEGACY } : r));
    expect(verifyChain(downgraded, KEY)).toMatchObject({ ok: false, brokenAt: '3', reason: expect.stringMatching(/plain sha256/) });
  });

  it('when a keyed row is checked without a key or with another key, then it is named', () => {
    expect(verifyChain(chain(2))).toMatchObject({ ok: false, brokenAt: '1', reason: expect.stringMatching(/no audit key/) });
    expect(verifyChain(chain(2), randomBytes(32))).toMatchObject({ ok: false, brokenAt: '1' });
  });

  it('when an install upgraded with legacy sha256 rows, then they verify before the first keyed row, which seals them', () => {
    const legacy = chain(3, null);
    const rows = [...legacy, ...chain(3, KEY, 4, legacy[2]!.hash)];
    expect(verifyChain(rows, KEY)).toMatchObject({ ok: true, events: 6, legacyEvents: 3 });
    // A legacy row rewritten and the legacy rows after it recomputed: the first keyed row's link (under its HMAC) breaks.
    const relinked = [...rewrite(legacy, 1, { outcome: 'failed' }, (r) => rowHash(r)), ...rows.slice(3)];
    expect(verifyChain(relinked, KEY)).toMatchObject({ ok: false, brokenAt: '4' });
  });

  it('when the last events are removed, then the anchored head names the truncation', () => {
    const rows = chain(6);
    expect(checkAnchors(rows, heads(rows), '/a.log')).toBeUndefined();
    const cut = rows.slice(0, 4);
    expect(verifyChain(cut, KEY).ok).toBe(true);
    expect(checkAnchors(cut, heads(rows), '/a.log')).toEqual({
      brokenAt: '5',
      reason: expect.stringMatching(
        /^events after 4 were removed: the anchor at \/a\.log says the head was event 6 with hash [0-9a-f]{12}… \(6 events\)$/,
      ),
    });
  });

  it('when the chain was recomputed with the key, then the first anchored event whose hash differs is named', () => {
    const rows = chain(6);
    const rewritten = rewrite(rows, 2, { outcome: 'ok' }, (r) => rowHash(r, KEY));
    expect(verifyChain(rewritten, KEY).ok).toBe(true); // the key holder can do that: only the anchors outside show it
    expect(checkAnchors(rewritten, heads(rows), 'syslog copy')).toMatchObject({
      brokenAt: '3',
      reason: expect.stringMatching(/rewritten/),
    });
  });

  it('when events before an anchored head were removed and the rest relinked with the key, then the count names it', () => {
    const rows = chain(6);
    const anchored = heads(rows).filter((a) => a.id === 6);
    const relinked = rewrite([...rows.slice(0, 2), ...rows.slice(3)], 2, {}, (r) => rowHash(r, KEY));
    relinked[3]!.hash = rows[5]!.hash; // even when the head's hash were made to match
    expect(checkAnchors(relinked, anchored, 'f')).toMatchObject({
      brokenAt: '6',
      reason: expect.stringMatching(/5 events end at it.*says 6/),
    });
    expect(
      checkAnchors(
        rows.filter((r) => r.id !== '3'),
        heads(rows),
        'f',
      ),
    ).toMatchObject({ brokenAt: '3', reason: /removed/ });
  });

  it("when an anchor file holds other databases' heads, broken lines and syslog prefixes, then this database's heads are read", () => {
    const text = [
      JSON.stringify({ db: 'dw', id: 1, count: 1, hash: 'a' }),
      '{"db": "dw", "id": 2, "cou',
      JSON.stringify({ db: 'other', id: 2, count: 2, hash: 'b' }),
      JSON.stringify({ db: 'dw', id: 3, count: 2, hash: 'c', key: 'k' }),
      `Dec  8 01:00:00 box dw-audit: ${JSON.stringify({ db: 'dw', id: 4, count: 3, hash: 'd' })}`,
      'no json here',
      '',
    ].join('\n');
    expect(parseAnchors(text, 'dw')).toEqual([
      { db: 'dw', id: 1, count: 1, hash: 'a' },
      { db: 'dw', id: 3, count: 2, hash: 'c', key: 'k' },
      { db: 'dw', id: 4, count: 3, hash: 'd' },
    ]);
  });
});
