// The pure parts of partitions and backfills: the backfill phases of a selection, the partition grid, the tables.
import { describe, expect, it } from 'vitest';
import { BackfillPlanError, backfillPhases, platformGraph } from '../assets';
import { backfillLine, backfillTable, partitionGrid, tally } from './output';
import type { BackfillProgress } from '../workflows/definitions';

describe('backfill phases', () => {
  const graph = platformGraph();

  it('when the selection is everything, then staging runs before the partitions and profiles and the catalog after', () => {
    const p = backfillPhases(graph, graph.keys());
    expect(p.partitioned).toEqual(['domain/sales/orders', 'domain/customer/customers', 'domain/fulfillment/shipments']);
    expect(p.upstream).toContain('staging/orders');
    expect(p.upstream).toContain('raw/order_payments');
    expect(p.upstream).not.toContain('staging/geolocation');
    expect(p.downstream).toEqual(expect.arrayContaining(['domain/customer/profiles', 'domain/marketplace/catalog', 'staging/geolocation']));
  });

  it('when the selection has no partitioned asset, then it is refused with the reason', () => {
    expect(() => backfillPhases(graph, ['raw/orders'])).toThrow(BackfillPlanError);
  });
});

describe('partition grid', () => {
  it('when partitions span years with gaps, then each year is one line of twelve cells and a missing month is blank', () => {
    const cells = new Map([
      ['2016-10', 'materialized'],
      ['2017-01', 'failed'],
      ['2017-02', 'stale'],
      ['2017-12', 'blocked'],
      ['2018-03', 'missing'],
    ] as const);
    const lines = partitionGrid([{ key: 'domain/sales/orders', cells: new Map(cells) }]).split('\n');
    expect(lines).toHaveLength(4);
    const row = (cells: string[]) => cells.join(' ').trimEnd();
    const blank = (n: number) => Array<string>(n).fill(' ');
    expect(lines[1]).toBe(`domain/sales/orders  2016  ${row([...blank(9), '✔'])}`);
    expect(lines[2]).toBe(`                     2017  ${row(['✘', '~', ...blank(9), '⊘'])}`);
    expect(lines[3]).toBe(`                     2018  ${row([...blank(2), '·'])}`);
  });

  it('when states are tallied, then each state is counted once in order of appearance', () => {
    expect(tally(['materialized', 'failed', 'materialized'])).toBe('2 materialized, 1 failed');
  });
});

describe('backfill output', () => {
  const progress = (n: number): BackfillProgress => ({
    backfillId: 'bf-1',
    selection: '*',
    from: null,
    to: null,
    status: 'running',
    phase: 'partitions',
    runs: 1,
    upstream: { keys: ['raw/orders'], state: 'current' },
    downstream: { keys: [], state: 'pending' },
    partitions: Array.from({ length: n }, (_, i) => ({
      partitionKey: `p${i}`,
      state: i === 0 ? 'failed' : i === 1 ? 'running' : 'current',
      rootCause: i === 0 ? 'x CODE: boom' : undefined,
    })),
  });

  it('when a backfill has many partitions, then the table lists those that ran and counts the current ones', () => {
    const text = backfillTable(progress(100));
    expect(text).toContain('✘ p0');
    expect(text).toContain('x CODE: boom');
    expect(text).not.toContain('p5 ');
    expect(text).toContain('(99 current partitions not listed)'); // 98 partitions and the upstream phase
  });

  it('when a backfill runs, then its progress line counts done, running and failed partitions', () => {
    expect(backfillLine(progress(10), 3)).toBe(
      'bf-1 partitions: 9/10 partitions done (2 to run) · 1 running · 1 failed · 0 blocked · 3.0 s · ETA 3 s',
    );
  });
});
