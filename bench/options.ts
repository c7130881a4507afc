// The benchmarks' command-line options: one parser for every bench script (flags declared once, with their help line),
// and the options the off/on comparisons share (--scale, --seed, --pairs) with their interleaved run order.

/** How a flag's value is read, chosen by the type of its default: a number, a string, a comma list, or a bare switch. */
type KindOf<V> = V extends number
  ? 'number'
  : V extends string
    ? 'string'
    : V extends number[]
      ? 'numbers'
      : V extends boolean
        ? 'flag'
        : never;

export interface OptionSpec<V> {
  flag: `--${string}`;
  kind: KindOf<V>;
  help: string;
}

export type OptionSpecs<T> = { [K in keyof T]: OptionSpec<T[K]> };

export interface Command<T> {
  /** The usage line, e.g. 'npm run bench:quality [-- options]'. */
  usage: string;
  defaults: T;
  specs: OptionSpecs<T>;
  /** Checks across options; returns an error message, or null. */
  check?: (o: T) => string | null;
}

function shown(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'boolean' ? '' : String(value);
}

/** The help text: the usage line, then one line per flag with its default. */
export function helpText<T>(command: Command<T>): string {
  const rows = (Object.keys(command.specs) as Array<keyof T>).map((key) => {
    const spec = command.specs[key] as OptionSpec<unknown>;
    return [`${spec.flag} ${shown(command.defaults[key])}`.trimEnd(), spec.help] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [command.usage, ...rows.map(([left, help]) => `  ${left.padEnd(width)}${help}`)].join('\n') + '\n';
}

function number(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`${flag} takes a number, got '${text}' (see --help)`);
  return n;
}

/** Parses argv (without node and the script); `--help`/`-h` returns 'help'. Throws on an unknown flag or a missing value. */
export function parseOptions<T>(argv: readonly string[], command: Command<T>): T | 'help' {
  const o = { ...command.defaults };
  const byFlag = new Map((Object.keys(command.specs) as Array<keyof T>).map((key) => [command.specs[key].flag as string, key]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return 'help';
    const key = byFlag.get(a);
    if (key === undefined) throw new Error(`unknown option ${a} (see --help)`);
    const spec = command.specs[key] as OptionSpec<unknown>;
    if (spec.kind === 'flag') {
      (o as Record<keyof T, unknown>)[key] = true;
      continue;
    }
    const v = argv[++i];
    if (v === undefined) throw new Error(`${a} needs a value (see --help)`);
    (o as Record<keyof T, unknown>)[key] =
      spec.kind === 'number' ? number(a, v) : spec.kind === 'numbers' ? v.split(',').map((x) => number(a, x)) : v;
  }
  const problem = command.check?.(o) ?? null;
  if (problem !== null) throw new Error(`${problem} (see --help)`);
  return o;
}

/** parseOptions on this process's arguments: prints the help and exits 0 on --help, names the problem and exits 2 on bad usage. */
export function cliOptions<T>(command: Command<T>): T {
  let o: T | 'help';
  try {
    o = parseOptions(process.argv.slice(2), command);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  if (o === 'help') {
    process.stdout.write(helpText(command));
    process.exit(0);
  }
  return o;
}

/** The options of an off/on comparison: the same generated files for every run, `pairs` interleaved pairs. */
export interface PairedOptions {
  scale: number;
  seed: string;
  pairs: number;
}

export const PAIRED_SPECS: OptionSpecs<PairedOptions> = {
  scale: { flag: '--scale', kind: 'number', help: 'generator scale of the data (the same files for every run)' },
  seed: { flag: '--seed', kind: 'string', help: 'generator seed' },
  pairs: { flag: '--pairs', kind: 'number', help: 'off/on pairs, interleaved: off, on, on, off, …' },
};

export const checkPaired = (o: PairedOptions): string | null =>
  o.scale > 0 && o.pairs >= 1 && Number.isInteger(o.pairs) ? null : '--scale takes a positive number and --pairs a whole number ≥ 1';

/** off, on, on, off, …: a load that drifts during the session does not favour one mode (off, on, off, on would). */
export function pairOrder(pairs: number): Array<'off' | 'on'> {
  const order: Array<'off' | 'on'> = [];
  for (let i = 0; i < pairs; i++) order.push(...(i % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)));
  return order;
}
