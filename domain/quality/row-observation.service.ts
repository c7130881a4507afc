// observeRows: the reference semantics of every kind on in-memory rows, producing the observation the judge reads.
import { MAX_EXAMPLES, type FailingExample, type ObservationFor } from './observation.types';
import type { Expectation, ExpectationKind, PairOperator, Scalar } from './expectation.types';

export type Row = Readonly<Record<string, unknown>>;

export interface ObserveContext {
  /** Rows of the other asset, for referential (its referenced column) and sum_equals (its `against` column). */
  readonly other?: readonly Row[];
  /** The run's as-of date, for freshness. */
  readonly asOf?: string;
  /** The statistic in the previous successful version, for drift (null or absent: none). */
  readonly previous?: number | null;
}

const PROVENANCE = { _source_file: 'sourceFile', _source_sha256: 'sourceSha256', _source_row: 'sourceRow' } as const;

const present = (v: unknown): boolean => v !== null && v !== undefined;

function printable(v: unknown): string | number | boolean | null {
  return v === undefined || v === null ? null : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
}

/** A failing row as an example: the checked columns, plus provenance when the row carries _source_* columns. */
function example(row: Row, columns: readonly string[]): FailingExample {
  const values = Object.fromEntries(columns.map((c) => [c, printable(row[c])]));
  const provenance = Object.fromEntries(
    Object.entries(PROVENANCE)
      .filter(([col]) => present(row[col]))
      .map(([col, key]) => [key, row[col]]),
  );
  return { values, ...provenance };
}

/** Counts the rows `applies` selects and those of them `fails` rejects; keeps the first MAX_EXAMPLES failures. */
function countRows(
  rows: readonly Row[],
  columns: readonly string[],
  applies: (r: Row) => boolean,
  fails: (r: Row) => boolean,
): ObservationFor<'not_null'> {
  let evaluated = 0;
  let failed = 0;
  const examples: FailingExample[] = [];
  for (const row of rows) {
    if (!applies(row)) continue;
    evaluated++;
    if (!fails(row)) continue;
    failed++;
    if (examples.length < MAX_EXAMPLES) examples.push(example(row, columns));
  }
  return { evaluated, failed, examples };
}

/** Orders two values as numbers when both are numbers, else as text (ISO dates and timestamps order as text). */
function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function holds(op: PairOperator, a: unknown, b: unknown): boolean {
  const c = compare(a, b);
  return op === '<=' ? c <= 0 : op === '<' ? c < 0 : c === 0;
}

/** A bound compares with a value of its own type: a number bound reads the value as a number (NaN fails). */
function withinBound(value: unknown, min: number | string | undefined, max: number | string | undefined): boolean {
  const as = (bound: number | string): unknown => (typeof bound === 'number' ? Number(value) : String(value));
  const ok = (bound: number | string | undefined, sign: 1 | -1): boolean => {
    if (bound === undefined) return true;
    const v = as(bound);
    return !(typeof v === 'number' && Number.isNaN(v)) && sign * compare(v, bound) >= 0;
  };
  return ok(min, 1) && ok(max, -1);
}

const keyOf = (row: Row, columns: readonly string[]): string => JSON.stringify(columns.map((c) => row[c]));

function needs<T>(value: T | undefined, e: Expectation, what: string): T {
  if (value === undefined) throw new RangeError(`expectation '${e.id}' (${e.kind}) needs ${what} to be observed in memory`);
  return value;
}

const numbers = (rows: readonly Row[], column: string): number[] =>
  rows
    .map((r) => r[column])
    .filter(present)
    .map(Number);

/**
 * Missing values (null/undefined) are left to not_null: other row-level kinds evaluate only rows where their columns are
 * present. unique counts every row of a repeated key as failed. drift's share is over all rows; its mean over present values.
 */
export function observeRows<E extends Expectation>(e: E, rows: readonly Row[], context: ObserveContext = {}): ObservationFor<E['kind']> {
  const result = ((): ObservationFor<ExpectationKind> => {
    switch (e.kind) {
      case 'not_null':
        return countRows(
          rows,
          [e.column],
          () => true,
          (r) => !present(r[e.column]),
        );
      case 'unique': {
        const complete = (r: Row): boolean => e.columns.every((c) => present(r[c]));
        const seen = new Map<string, number>();
        for (const r of rows) if (complete(r)) seen.set(keyOf(r, e.columns), (seen.get(keyOf(r, e.columns)) ?? 0) + 1);
        return countRows(rows, e.columns, complete, (r) => (seen.get(keyOf(r, e.columns)) ?? 0) > 1);
      }
      case 'in_set': {
        const allowed = new Set<unknown>(e.values);
        return countRows(
          rows,
          [e.column],
          (r) => present(r[e.column]),
          (r) => !allowed.has(r[e.column]),
        );
      }
      case 'between':
        return countRows(
          rows,
          [e.column],
          (r) => present(r[e.column]),
          (r) => !withinBound(r[e.column], e.min, e.max),
        );
      case 'matches': {
        const pattern = new RegExp(e.pattern);
        return countRows(
          rows,
          [e.column],
          (r) => present(r[e.column]),
          (r) => !pattern.test(String(r[e.column])),
        );
      }
      case 'column_pair':
        return countRows(
          rows,
          [e.left, e.right],
          (r) => present(r[e.left]) && present(r[e.right]),
          (r) => !holds(e.operator, r[e.left], r[e.right]),
        );
      case 'referential': {
        const known = new Set(needs(context.other, e, 'the referenced rows (context.other)').map((r) => r[e.references.column]));
        return countRows(
          rows,
          [e.column],
          (r) => present(r[e.column]),
          (r) => !known.has(r[e.column]),
        );
      }
      case 'row_count_between':
        return { rowCount: rows.length };
      case 'sum_equals': {
        const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
        const where = e.against.where;
        const other = needs(context.other, e, 'the rows to reconcile with (context.other)').filter(
          (r) => where === undefined || r[where.column] === where.equals,
        );
        return { observed: sum(numbers(rows, e.column)), expected: sum(numbers(other, e.against.column)) };
      }
      case 'freshness': {
        const values = rows
          .map((r) => r[e.column])
          .filter(present)
          .map(String);
        return {
          newest: values.reduce<string | null>((best, v) => (best === null || v > best ? v : best), null),
          asOf: needs(context.asOf, e, 'the as-of date (context.asOf)'),
        };
      }
      case 'drift': {
        const previous = context.previous ?? null;
        if (e.statistic.type === 'share') {
          const category: Scalar = e.statistic.category;
          const hits = rows.filter((r) => r[e.column] === category).length;
          return { observed: rows.length === 0 ? null : hits / rows.length, previous, evaluated: rows.length };
        }
        const xs = numbers(rows, e.column);
        return { observed: xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length, previous, evaluated: xs.length };
      }
    }
  })();
  return result as ObservationFor<E['kind']>;
}
