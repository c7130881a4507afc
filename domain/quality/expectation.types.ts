// Expectations as values: a discriminated union of the eleven kinds, each with a dimension, severity and weight.
import type { QualityDimension, Severity } from './quality-dimension.type';
import type { Tolerance } from './tolerance.value-object';

export interface ExpectationBase {
  /** Unique within its suite; stable across runs (history and trends are keyed by it). */
  readonly id: string;
  /** The asset checked, e.g. 'dim_customer' or 'domain/sales/orders'. */
  readonly asset: string;
  readonly dimension: QualityDimension;
  readonly severity: Severity;
  /** Share of this expectation in weighted scores; > 0. */
  readonly weight: number;
  readonly description?: string;
}

/** A column of another asset, for referential and reconciliation expectations. */
export interface ColumnRef {
  readonly asset: string;
  readonly column: string;
}

export type Scalar = string | number | boolean;

export interface NotNull extends ExpectationBase {
  readonly kind: 'not_null';
  readonly column: string;
}
/** The combination of `columns` identifies a row. */
export interface Unique extends ExpectationBase {
  readonly kind: 'unique';
  readonly columns: readonly string[];
}
export interface InSet extends ExpectationBase {
  readonly kind: 'in_set';
  readonly column: string;
  readonly values: readonly Scalar[];
}
/**
 * min ≤ value ≤ max, both inclusive, either optional. A number bound reads values as numbers; a text bound compares as
 * text, so ISO dates and timestamps order correctly (but a date max '2018-08-31' excludes '2018-08-31 10:00:00').
 */
export interface Between extends ExpectationBase {
  readonly kind: 'between';
  readonly column: string;
  readonly min?: number | string;
  readonly max?: number | string;
}
/** `pattern` is a regular expression source; keep to the subset JavaScript and PostgreSQL (`~`) read alike. */
export interface Matches extends ExpectationBase {
  readonly kind: 'matches';
  readonly column: string;
  readonly pattern: string;
}
export interface RowCountBetween extends ExpectationBase {
  readonly kind: 'row_count_between';
  readonly min?: number;
  readonly max?: number;
}
export const PAIR_OPERATORS = ['<=', '<', '='] as const;
export type PairOperator = (typeof PAIR_OPERATORS)[number];
/** left <op> right on every row where both are present. */
export interface ColumnPair extends ExpectationBase {
  readonly kind: 'column_pair';
  readonly left: string;
  readonly operator: PairOperator;
  readonly right: string;
}
/** Every present value of `column` exists in `references`. */
export interface Referential extends ExpectationBase {
  readonly kind: 'referential';
  readonly column: string;
  readonly references: ColumnRef;
}
/** A column of another asset summed over the rows where `where.column` = `where.equals` (all rows without `where`). */
export interface FilteredColumnRef extends ColumnRef {
  readonly where?: { readonly column: string; readonly equals: Scalar };
}

/** sum(column) of this asset equals sum(against) within the tolerance. */
export interface SumEquals extends ExpectationBase {
  readonly kind: 'sum_equals';
  readonly column: string;
  readonly against: FilteredColumnRef;
  readonly tolerance: Tolerance;
}
/** The newest value of `column` is at most `maxAgeDays` calendar days before the run's as-of date. */
export interface Freshness extends ExpectationBase {
  readonly kind: 'freshness';
  readonly column: string;
  readonly maxAgeDays: number;
}
/** share: fraction of rows whose `column` equals `category`; mean: average of `column`. */
export type DriftStatistic = { readonly type: 'share'; readonly category: Scalar } | { readonly type: 'mean' };
/** The statistic stays within the tolerance of its value in the previous successful version. */
export interface Drift extends ExpectationBase {
  readonly kind: 'drift';
  readonly column: string;
  readonly statistic: DriftStatistic;
  readonly tolerance: Tolerance;
}

export type Expectation =
  NotNull | Unique | InSet | Between | Matches | RowCountBetween | ColumnPair | Referential | SumEquals | Freshness | Drift;
export type ExpectationKind = Expectation['kind'];

export const EXPECTATION_KINDS = [
  'not_null',
  'unique',
  'in_set',
  'between',
  'matches',
  'row_count_between',
  'column_pair',
  'referential',
  'sum_equals',
  'freshness',
  'drift',
] as const satisfies readonly ExpectationKind[];

/** Row-level kinds count failing rows and score 1 − failed/evaluated; the others are aggregate and score 0 or 1. */
export const ROW_LEVEL_KINDS = [
  'not_null',
  'unique',
  'in_set',
  'between',
  'matches',
  'column_pair',
  'referential',
] as const satisfies readonly ExpectationKind[];
export type RowLevelKind = (typeof ROW_LEVEL_KINDS)[number];
export const isRowLevel = (kind: ExpectationKind): kind is RowLevelKind => (ROW_LEVEL_KINDS as readonly string[]).includes(kind);

/** The dimension each kind measures unless its declaration says otherwise. */
export const DEFAULT_DIMENSION: Readonly<Record<ExpectationKind, QualityDimension>> = {
  not_null: 'completeness',
  unique: 'uniqueness',
  in_set: 'validity',
  between: 'validity',
  matches: 'validity',
  row_count_between: 'completeness',
  column_pair: 'consistency',
  referential: 'consistency',
  sum_equals: 'accuracy',
  freshness: 'timeliness',
  drift: 'consistency',
};

/** The columns an expectation reads, per asset (its own and referenced ones), so a start-up check can match them to the schema. */
export function referencedColumns(e: Expectation): ColumnRef[] {
  const own = (...columns: string[]): ColumnRef[] => columns.map((column) => ({ asset: e.asset, column }));
  switch (e.kind) {
    case 'unique':
      return own(...e.columns);
    case 'row_count_between':
      return [];
    case 'column_pair':
      return own(e.left, e.right);
    case 'referential':
      return [...own(e.column), e.references];
    case 'sum_equals':
      return [
        ...own(e.column),
        { asset: e.against.asset, column: e.against.column },
        ...(e.against.where ? [{ asset: e.against.asset, column: e.against.where.column }] : []),
      ];
    default:
      return own(e.column);
  }
}
