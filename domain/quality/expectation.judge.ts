// judge(expectation, observation): the pure rule of each kind, turning what an activity measured into an ExpectationResult.
import { daysBetweenDates } from '../shared/naive-time.util';
import { expectationScore, unexpectedShare, type ExpectationResult } from './expectation-result.type';
import type {
  Between,
  ColumnPair,
  Drift,
  Expectation,
  ExpectationKind,
  Freshness,
  InSet,
  Matches,
  Referential,
  RowCountBetween,
  RowLevelKind,
  SumEquals,
  Unique,
} from './expectation.types';
import {
  MAX_EXAMPLES,
  type DriftObservation,
  type FreshnessObservation,
  type ObservationFor,
  type ReconciliationObservation,
  type RowCountObservation,
  type RowObservation,
} from './observation.types';
import { allowedDifference, describeTolerance, withinTolerance } from './tolerance.value-object';

interface Verdict {
  readonly passed: boolean;
  readonly evaluated: number | null;
  readonly failed: number | null;
  readonly observed: number | string | null;
  readonly message: string;
  readonly examples?: RowObservation['examples'];
}

/** A count that is not a non-negative integer is a bug in the activity that measured it. */
function checkCount(e: Expectation, label: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`expectation '${e.id}' (${e.kind}): observation ${label} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

function checkNumber(e: Expectation, label: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new RangeError(`expectation '${e.id}' (${e.kind}): observation ${label} must be a finite number, got ${String(value)}`);
  return value;
}

const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(2)}%`;
const bounds = (min: unknown, max: unknown): string => `[${min ?? '−∞'}, ${max ?? '∞'}]`;

/** What a failing row of each row-level kind did wrong, for messages. */
function violation(e: Expectation & { kind: RowLevelKind }): string {
  switch (e.kind) {
    case 'not_null':
      return `have no ${e.column}`;
    case 'unique':
      return `share their (${(e as Unique).columns.join(', ')}) with another row`;
    case 'in_set':
      return `have a ${e.column} not in {${(e as InSet).values.map(String).join(', ')}}`;
    case 'between':
      return `have a ${e.column} outside ${bounds((e as Between).min, (e as Between).max)}`;
    case 'matches':
      return `have a ${e.column} not matching /${(e as Matches).pattern}/`;
    case 'column_pair':
      return `break ${(e as ColumnPair).left} ${(e as ColumnPair).operator} ${(e as ColumnPair).right}`;
    case 'referential':
      return `have a ${e.column} missing from ${(e as Referential).references.asset}.${(e as Referential).references.column}`;
  }
}

function judgeRows(e: Expectation & { kind: RowLevelKind }, o: RowObservation): Verdict {
  const evaluated = checkCount(e, 'evaluated', o.evaluated);
  const failed = checkCount(e, 'failed', o.failed);
  if (failed > evaluated) throw new RangeError(`expectation '${e.id}' (${e.kind}): ${failed} failed rows of only ${evaluated} evaluated`);
  const message =
    evaluated === 0
      ? 'no rows to evaluate'
      : failed === 0
        ? `all ${evaluated} rows pass`
        : `${failed} of ${evaluated} rows (${percent(failed, evaluated)}) ${violation(e)}`;
  return { passed: failed === 0, evaluated, failed, observed: failed, message, examples: o.examples };
}

function judgeRowCount(e: RowCountBetween, o: RowCountObservation): Verdict {
  const rows = checkCount(e, 'rowCount', o.rowCount);
  const passed = (e.min === undefined || rows >= e.min) && (e.max === undefined || rows <= e.max);
  return {
    passed,
    evaluated: rows,
    failed: null,
    observed: rows,
    message: `row count ${rows} is ${passed ? 'within' : 'outside'} ${bounds(e.min, e.max)}`,
  };
}

function judgeSum(e: SumEquals, o: ReconciliationObservation): Verdict {
  const observed = checkNumber(e, 'observed', o.observed);
  const expected = checkNumber(e, 'expected', o.expected);
  const passed = withinTolerance(observed, expected, e.tolerance);
  const difference = observed - expected;
  const message = `sum(${e.column}) ${observed} vs sum(${e.against.asset}.${e.against.column}) ${expected}: difference ${difference} ${passed ? 'within' : 'exceeds'} ${describeTolerance(e.tolerance)} (allowed ${allowedDifference(expected, e.tolerance)})`;
  return { passed, evaluated: null, failed: null, observed, message };
}

function judgeFreshness(e: Freshness, o: FreshnessObservation): Verdict {
  if (o.newest === null)
    return {
      passed: false,
      evaluated: null,
      failed: null,
      observed: null,
      message: `no ${e.column} values: nothing to show the data is fresh`,
    };
  const age = daysBetweenDates(o.newest, o.asOf);
  const passed = age <= e.maxAgeDays;
  const when = age >= 0 ? `${age} days before` : `${-age} days after`;
  const message = `newest ${e.column} ${o.newest} is ${when} as-of ${o.asOf} (at most ${e.maxAgeDays} days old allowed)`;
  return { passed, evaluated: null, failed: null, observed: o.newest, message };
}

function judgeDrift(e: Drift, o: DriftObservation): Verdict {
  const evaluated = o.evaluated === undefined ? null : checkCount(e, 'evaluated', o.evaluated);
  const statistic = e.statistic.type === 'share' ? `share of ${e.column} = ${String(e.statistic.category)}` : `mean of ${e.column}`;
  if (o.observed === null)
    return { passed: false, evaluated, failed: null, observed: null, message: `${statistic} cannot be computed: no rows in this version` };
  const observed = checkNumber(e, 'observed', o.observed);
  if (e.statistic.type === 'share' && (observed < 0 || observed > 1))
    throw new RangeError(`expectation '${e.id}' (drift): a share must be in [0,1], got ${observed}`);
  if (o.previous === null)
    return {
      passed: true,
      evaluated,
      failed: null,
      observed,
      message: `${statistic} is ${observed}; no previous successful version to compare with, so it passes`,
    };
  const previous = checkNumber(e, 'previous', o.previous);
  const passed = withinTolerance(observed, previous, e.tolerance);
  const change = observed - previous;
  const message = `${statistic} is ${observed} vs ${previous} in the previous version: change ${change >= 0 ? '+' : ''}${change} ${passed ? 'within' : 'exceeds'} ${describeTolerance(e.tolerance)}`;
  return { passed, evaluated, failed: null, observed, message };
}

function verdictFor(e: Expectation, o: ObservationFor<ExpectationKind>): Verdict {
  switch (e.kind) {
    case 'row_count_between':
      return judgeRowCount(e, o as RowCountObservation);
    case 'sum_equals':
      return judgeSum(e, o as ReconciliationObservation);
    case 'freshness':
      return judgeFreshness(e, o as FreshnessObservation);
    case 'drift':
      return judgeDrift(e, o as DriftObservation);
    default:
      return judgeRows(e, o as RowObservation);
  }
}

/**
 * Row-level kinds pass when no row failed (no rows evaluated passes: emptiness is row_count_between's business);
 * row_count_between when min ≤ rows ≤ max; sum_equals and drift when the difference is within the tolerance (drift with
 * no previous version passes); freshness when the newest value is at most maxAgeDays calendar days before the as-of date.
 * An observation that is not a well-formed measurement (negative counts, failed > evaluated, NaN) is a bug and throws.
 */
export function judge<E extends Expectation>(expectation: E, observation: ObservationFor<E['kind']>): ExpectationResult {
  if (typeof observation !== 'object' || observation === null) throw new RangeError(`expectation '${expectation.id}': no observation`);
  const v = verdictFor(expectation, observation);
  return {
    expectationId: expectation.id,
    asset: expectation.asset,
    kind: expectation.kind,
    dimension: expectation.dimension,
    severity: expectation.severity,
    weight: expectation.weight,
    passed: v.passed,
    evaluated: v.evaluated,
    failed: v.failed,
    observed: v.observed,
    unexpectedShare: unexpectedShare(v.evaluated, v.failed),
    score: expectationScore(v.passed, v.evaluated, v.failed),
    message: v.message,
    examples: (v.examples ?? []).slice(0, MAX_EXAMPLES),
  };
}
