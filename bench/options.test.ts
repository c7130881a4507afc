// The benchmarks' option parser: defaults, each kind of value, help, and the errors that name the flag.
import { describe, expect, it } from 'vitest';
import { BENCH_COMMAND } from './run-options';
import { checkPaired, helpText, PAIRED_SPECS, pairOrder, parseOptions, type PairedOptions } from './options';

const PAIRED = { usage: 'bench:x', defaults: { scale: 1, seed: '42', pairs: 2 } as PairedOptions, specs: PAIRED_SPECS, check: checkPaired };

describe('parseOptions', () => {
  it('when no flag is given, then the defaults come back (a copy)', () => {
    const o = parseOptions([], BENCH_COMMAND);
    expect(o).toEqual(BENCH_COMMAND.defaults);
    expect(o).not.toBe(BENCH_COMMAND.defaults);
  });

  it('when flags are given, then numbers, strings, comma lists and switches are read', () => {
    expect(parseOptions(['--scales', '3,0.1', '--seed', 'abc', '--budget-min', '5', '--report-only'], BENCH_COMMAND)).toEqual({
      ...BENCH_COMMAND.defaults,
      scales: [3, 0.1],
      seed: 'abc',
      budgetMin: 5,
      reportOnly: true,
    });
    expect(parseOptions(['--pairs', '3', '--scale', '0.05'], PAIRED)).toEqual({ scale: 0.05, seed: '42', pairs: 3 });
  });

  it('when --help or -h is given, then it says so instead of parsing the rest', () => {
    expect(parseOptions(['--seed', '1', '-h', '--bogus'], PAIRED)).toBe('help');
    expect(parseOptions(['--help'], BENCH_COMMAND)).toBe('help');
  });

  it('when a flag is unknown, lacks its value or is not a number, then the error names it', () => {
    expect(() => parseOptions(['--bogus'], PAIRED)).toThrow('unknown option --bogus (see --help)');
    expect(() => parseOptions(['--seed'], PAIRED)).toThrow('--seed needs a value');
    expect(() => parseOptions(['--scale', 'big'], PAIRED)).toThrow("--scale takes a number, got 'big'");
    expect(() => parseOptions(['--scales', '1,,3'], BENCH_COMMAND)).toThrow("--scales takes a number, got ''");
  });

  it('when the options do not fit together, then the check names the problem', () => {
    expect(() => parseOptions(['--pairs', '0'], PAIRED)).toThrow('--pairs a whole number ≥ 1');
    expect(() => parseOptions(['--pairs', '1.5'], PAIRED)).toThrow('--pairs a whole number ≥ 1');
    expect(() => parseOptions(['--scale', '-1'], PAIRED)).toThrow('--scale takes a positive number');
    expect(() => parseOptions(['--scales', '0,1'], BENCH_COMMAND)).toThrow('--scales takes positive numbers');
  });
});

describe('helpText', () => {
  it('lists every flag once, with its default', () => {
    const text = helpText(BENCH_COMMAND);
    expect(text.split('\n')[0]).toBe('npm run bench [-- options]');
    for (const spec of Object.values(BENCH_COMMAND.specs)) expect(text.split(spec.flag)).toHaveLength(2);
    expect(text).toMatch(/--scales 0\.1,1,3 +pipeline scales/);
    expect(text).toMatch(/--report-only +rewrite latest\.md/);
  });
});

describe('pairOrder', () => {
  it('interleaves off, on, on, off, …', () => {
    expect(pairOrder(1)).toEqual(['off', 'on']);
    expect(pairOrder(3)).toEqual(['off', 'on', 'on', 'off', 'off', 'on']);
  });
});
