// Small builders for expectations (`expect.notNull('dim_customer', 'customer_unique_id')`), with default ids, dimension, severity 'warn' and weight 1.
import {
  DEFAULT_DIMENSION,
  type Between,
  type ColumnPair,
  type ColumnRef,
  type FilteredColumnRef,
  type Drift,
  type Expectation,
  type ExpectationBase,
  type ExpectationKind,
  type Freshness,
  type InSet,
  type Matches,
  type NotNull,
  type PairOperator,
  type Referential,
  type RowCountBetween,
  type Scalar,
  type SumEquals,
  type Unique,
} from './expectation.types';
import type { Tolerance } from './tolerance.value-object';

/** Anything a builder does not take positionally; `id` defaults to the kind and columns ('not_null:customer_id'). */
export type ExpectationOptions = Partial<Omit<ExpectationBase, 'asset'>>;

type Body<E extends Expectation> = Omit<E, keyof ExpectationBase>;

function build<E extends Expectation>(
  asset: string,
  defaultId: string,
  body: Body<E> & { kind: ExpectationKind },
  options: ExpectationOptions,
): E {
  const { id = defaultId, dimension = DEFAULT_DIMENSION[body.kind], severity = 'warn', weight = 1, description } = options;
  return { id, asset, dimension, severity, weight, ...(description === undefined ? {} : { description }), ...body } as E;
}

const range = (min: unknown, max: unknown): string => `${min ?? ''}..${max ?? ''}`;

export const expect = {
  notNull: (asset: string, column: string, options: ExpectationOptions = {}): NotNull =>
    build<NotNull>(asset, `not_null:${column}`, { kind: 'not_null', column }, options),

  unique: (asset: string, columns: string | readonly string[], options: ExpectationOptions = {}): Unique => {
    const list = typeof columns === 'string' ? [columns] : [...columns];
    return build<Unique>(asset, `unique:${list.join('+')}`, { kind: 'unique', columns: list }, options);
  },

  inSet: (asset: string, column: string, values: readonly Scalar[], options: ExpectationOptions = {}): InSet =>
    build<InSet>(asset, `in_set:${column}`, { kind: 'in_set', column, values: [...values] }, options),

  between: (
    asset: string,
    column: string,
    bounds: { min?: number | string; max?: number | string },
    options: ExpectationOptions = {},
  ): Between =>
    build<Between>(asset, `between:${column}:${range(bounds.min, bounds.max)}`, { kind: 'between', column, ...bounds }, options),

  matches: (asset: string, column: string, pattern: string, options: ExpectationOptions = {}): Matches =>
    build<Matches>(asset, `matches:${column}`, { kind: 'matches', column, pattern }, options),

  rowCountBetween: (asset: string, bounds: { min?: number; max?: number }, options: ExpectationOptions = {}): RowCountBetween =>
    build<RowCountBetween>(asset, `row_count_between:${range(bounds.min, bounds.max)}`, { kind: 'row_count_between', ...bounds }, options),

  columnPair: (asset: string, left: string, operator: PairOperator, right: string, options: ExpectationOptions = {}): ColumnPair =>
    build<ColumnPair>(asset, `column_pair:${left}${operator}${right}`, { kind: 'column_pair', left, operator, right }, options),

  referential: (asset: string, column: string, references: ColumnRef, options: ExpectationOptions = {}): Referential =>
    build<Referential>(
      asset,
      `referential:${column}->${references.asset}.${references.column}`,
      { kind: 'referential', column, references },
      options,
    ),

  sumEquals: (
    asset: string,
    column: string,
    against: FilteredColumnRef,
    tolerance: Tolerance = {},
    options: ExpectationOptions = {},
  ): SumEquals =>
    build<SumEquals>(
      asset,
      `sum_equals:${column}=${against.asset}.${against.column}`,
      { kind: 'sum_equals', column, against, tolerance },
      options,
    ),

  freshness: (asset: string, column: string, maxAgeDays: number, options: ExpectationOptions = {}): Freshness =>
    build<Freshness>(asset, `freshness:${column}`, { kind: 'freshness', column, maxAgeDays }, options),

  /** Share of rows where `column` = `category`, vs the previous successful version. */
  shareDrift: (asset: string, column: string, category: Scalar, tolerance: Tolerance, options: ExpectationOptions = {}): Drift =>
    build<Drift>(
      asset,
      `drift:share(${column}=${String(category)})`,
      { kind: 'drift', column, statistic: { type: 'share', category }, tolerance },
      options,
    ),

  /** Mean of `column`, vs the previous successful version. */
  meanDrift: (asset: string, column: string, tolerance: Tolerance, options: ExpectationOptions = {}): Drift =>
    build<Drift>(asset, `drift:mean(${column})`, { kind: 'drift', column, statistic: { type: 'mean' }, tolerance }, options),
} as const;
