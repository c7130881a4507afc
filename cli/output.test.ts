// The pure parts of partitions and backfills: the backfill phases of a selection, the partition grid, the tables; usage errors as JSON.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CommanderError } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { BackfillPlanError, SelectionError, backfillPhases, platformGraph } from '../assets';
import { ROOT } from '../infra/config';
import { exitCodeOf } from './command';
import { UsageError, backfillLine, backfillTable, partitionGrid, tally } from './output';
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

describe('usage errors with --json', () => {
  const dw = (args: string[]) => spawnSync(path.join(ROOT, 'bin', 'dw'), args, { encoding: 'utf8', timeout: 60_000 });

  it('when an option is unknown or a month is malformed, then stdout holds one JSON error with its code and the exit code is 2', () => {
    const unknown = dw(['materialize', '--bogus', '--json']);
    expect(unknown.status).toBe(2);
    expect(JSON.parse(unknown.stdout)).toEqual({ error: { code: 'USAGE.UNKNOWN_OPTION', message: "unknown option '--bogus'" } });
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    const badMonth = dw(['materialize', '--partition', '2017-13', '--json']);
    expect(badMonth.status).toBe(2);
    expect(JSON.parse(badMonth.stdout)).toEqual({ error: { code: 'USAGE', message: "--partition '2017-13' is not a month YYYY-MM" } });
  }, 120_000);

  it('when --json is absent, after --, or the error is --help, then nothing is printed on stdout', () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(exitCodeOf(new UsageError('bad'), ['node', 'dw', 'partitions'])).toBe(2);
      expect(exitCodeOf(new UsageError('bad'), ['node', 'dw', 'logs', '--', '--json'])).toBe(2);
      expect(exitCodeOf(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), ['node', 'dw', '--help', '--json'])).toBe(0);
      expect(out).toEqual([]);
      expect(exitCodeOf(new SelectionError('unknown selector'), ['node', 'dw', 'assets', '--json'])).toBe(2);
      expect(out.map((l) => JSON.parse(l))).toEqual([{ error: { code: 'SELECTION.INVALID', message: 'unknown selector' } }]);
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
  });
});
