// The ledger gauges' cache: one read per scrape, at most one per 10 s while activities run, a fresh read after a run.
import { describe, expect, it } from 'vitest';
import { LedgerCache } from './ledger-cache';

function cache() {
  let now = 0;
  let n = 0;
  const c = new LedgerCache(async () => ++n, { minAgeMs: 10_000, scrapeMs: 1_000, now: () => now });
  return { c, advance: (ms: number) => (now += ms) };
}

describe('LedgerCache', () => {
  it('when the gauges of one scrape ask together, then the ledger is read once', async () => {
    const { c } = cache();
    expect(await Promise.all([c.get(), c.get(), c.get()])).toEqual([1, 1, 1]);
    expect(c.reads).toBe(1);
  });

  it('when activities run, then scrapes within 10 s share one read and the next scrape after 10 s reads again', async () => {
    const { c, advance } = cache();
    c.activityStarted();
    expect(await c.get()).toBe(1);
    c.activityStarted();
    c.activityFinished();
    advance(5_000);
    expect(await c.get()).toBe(1);
    advance(4_999);
    expect(await c.get()).toBe(1);
    advance(1);
    expect(await c.get()).toBe(2);
  });

  it("when the last running activity finished, then the next scrape reads the ledger at once (the run's figures show)", async () => {
    const { c, advance } = cache();
    c.activityStarted();
    expect(await c.get()).toBe(1);
    advance(2_000);
    c.activityFinished();
    expect(await c.get()).toBe(2);
    advance(2_000);
    expect(await c.get()).toBe(2);
    expect(c.reads).toBe(2);
  });

  it('when nothing ran, then the ledger is read again after 10 s (writes by the CLI or other workers show)', async () => {
    const { c, advance } = cache();
    expect(await c.get()).toBe(1);
    advance(9_000);
    expect(await c.get()).toBe(1);
    advance(1_000);
    expect(await c.get()).toBe(2);
  });

  it('when an activity finished within the same second as the last read, then that read is still served (one scrape, one snapshot)', async () => {
    const { c, advance } = cache();
    expect(await c.get()).toBe(1);
    c.activityStarted();
    c.activityFinished();
    advance(500);
    expect(await c.get()).toBe(1);
    advance(500);
    expect(await c.get()).toBe(2);
  });

  it('when no ages are given, then a running activity keeps a snapshot for 30 s', async () => {
    let now = 0;
    let n = 0;
    const c = new LedgerCache(async () => ++n, { now: () => now });
    c.activityStarted();
    expect(await c.get()).toBe(1);
    now = 29_999;
    expect(await c.get()).toBe(1);
    now = 30_000;
    expect(await c.get()).toBe(2);
  });
});
