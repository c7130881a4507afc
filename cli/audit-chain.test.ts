// The audit chain's verification as pure code: an intact chain passes; a changed, removed or inserted row is named.
import { describe, expect, it } from 'vitest';
import { type ChainRow, GENESIS, canonical, rowHash, verifyChain } from './audit-chain';

function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS;
  for (let i = 1; i <= n; i++) {
    const r = {
      id: String(i),
      at: `2026-11-29T10:00:0${i}.000001Z`,
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
    prev = rowHash(r);
    rows.push({ ...r, hash: prev });
  }
  return rows;
}

describe('audit chain', () => {
  it('when a field is null or holds what looks like another field, then the canonical form still tells them apart', () => {
    const base = chain(1)[0]!;
    expect(canonical({ ...base, outcome: null })).not.toBe(canonical({ ...base, outcome: '' }));
    expect(canonical({ ...base, osUser: 'a', host: '1:b' })).not.toBe(canonical({ ...base, osUser: 'a1:', host: 'b' }));
    expect(canonical(base)).toContain('31:{"args": ["materialize", "ç1"]}'); // length in characters, not bytes
  });

  it('when nothing changed, then the chain verifies with its last hash', () => {
    const rows = chain(5);
    expect(verifyChain(rows)).toEqual({ ok: true, events: 5, lastHash: rows[4]!.hash });
  });

  it("when a row's content changes, then it is named", () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, outcome: 'ok' };
    expect(verifyChain(rows)).toMatchObject({ ok: false, brokenAt: '3' });
  });

  it('when a row is removed, then the row after the gap is named', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verifyChain(rows)).toMatchObject({ ok: false, brokenAt: '3' });
  });

  it('when a changed row is rehashed but the next is not, then the next row is named', () => {
    const rows = chain(4);
    const changed = { ...rows[1]!, detail: '{}' };
    rows[1] = { ...changed, hash: rowHash(changed) };
    expect(verifyChain(rows)).toMatchObject({ ok: false, brokenAt: '3' });
  });
});
