// The options of `npm run bench` (bench/run.ts), declared once for the parser and the help text.
import type { Command } from './options';

export interface BenchOptions {
  scales: number[];
  seed: string;
  budgetMin: number;
  loadRounds: number;
  noopRuns: number;
  quietThreshold: number;
  maxWaitMin: number;
  reportOnly: boolean;
}

export const BENCH_COMMAND: Command<BenchOptions> = {
  usage: 'npm run bench [-- options]',
  defaults: {
    scales: [0.1, 1, 3],
    seed: '42',
    budgetMin: 25,
    loadRounds: 2,
    noopRuns: 3,
    quietThreshold: 0.25,
    maxWaitMin: 10,
    reportOnly: false,
  },
  specs: {
    scales: { flag: '--scales', kind: 'numbers', help: 'pipeline scales (scale 3 is reduced or skipped when it would not fit the budget)' },
    seed: { flag: '--seed', kind: 'string', help: 'generator seed' },
    budgetMin: { flag: '--budget-min', kind: 'number', help: 'wall-time budget for the whole benchmark' },
    loadRounds: { flag: '--load-rounds', kind: 'number', help: 'rounds of the load comparison (psql variants, then ours)' },
    noopRuns: { flag: '--noop-runs', kind: 'number', help: 'no-op re-runs after each full run, and runs of each overhead point' },
    quietThreshold: {
      flag: '--quiet-threshold',
      kind: 'number',
      help: 'wait before each measurement until other processes use less than this share of the CPUs',
    },
    maxWaitMin: { flag: '--max-wait-min', kind: 'number', help: 'give up waiting for a quiet machine after this many minutes in all' },
    reportOnly: { flag: '--report-only', kind: 'flag', help: 'rewrite latest.md from latest.json (and bench/notes.md)' },
  },
  check: (o) => (o.scales.length > 0 && o.scales.every((s) => s > 0) ? null : '--scales takes positive numbers'),
};
