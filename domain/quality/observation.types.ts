// What an activity measures (in SQL) for each kind of expectation, before the pure judge decides: the observation shapes.
import type { ExpectationKind, RowLevelKind } from './expectation.types';

/** At most this many failing examples are carried in a result. */
export const MAX_EXAMPLES = 20;

/** One failing row: the checked values, and where the row came from when the asset keeps provenance. */
export interface FailingExample {
  readonly values: Readonly<Record<string, string | number | boolean | null>>;
  readonly sourceFile?: string;
  readonly sourceSha256?: string;
  readonly sourceRow?: number;
}

/**
 * Row-level kinds: `evaluated` rows were looked at (for not_null all rows; for the others the rows where the checked
 * value is present: a missing value is not_null's business), `failed` of them broke the expectation. For unique,
 * every row of a duplicated key counts as failed.
 */
export interface RowObservation {
  readonly evaluated: number;
  readonly failed: number;
  readonly examples?: readonly FailingExample[];
}

/** row_count_between: the number of rows in the asset (partition). */
export interface RowCountObservation {
  readonly rowCount: number;
}

/** sum_equals: the sum in this asset and the sum in the asset it reconciles with. */
export interface ReconciliationObservation {
  readonly observed: number;
  readonly expected: number;
}

/** freshness: the newest timestamp or date of the column (null when empty) and the run's as-of date, both from the data. */
export interface FreshnessObservation {
  readonly newest: string | null;
  readonly asOf: string;
}

/**
 * drift: the statistic (share in [0,1] or mean) in this version, and in the previous successful version (null: none yet).
 * `evaluated` (optional) is the number of rows the statistic was computed over; `observed` is null when there were none.
 */
export interface DriftObservation {
  readonly observed: number | null;
  readonly previous: number | null;
  readonly evaluated?: number;
}

export interface ObservationByKind extends Record<RowLevelKind, RowObservation> {
  readonly row_count_between: RowCountObservation;
  readonly sum_equals: ReconciliationObservation;
  readonly freshness: FreshnessObservation;
  readonly drift: DriftObservation;
}

export type Observation = ObservationByKind[ExpectationKind];
export type ObservationFor<K extends ExpectationKind> = ObservationByKind[K];
