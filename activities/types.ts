// Activity inputs and outputs: small references (keys, paths, versions), never data; and the results every activity shares.

/** One check's result on a new version, as the ledger records it. */
export interface CheckResult {
  name: string;
  passed: boolean;
  blocking: boolean;
  message: string;
  metadata?: Record<string, unknown>;
}

/** What a materialization did with rows: read = written + quarantined + deduplicated, for assets that conserve rows. */
export interface RowCounts {
  rowsRead: number;
  rowsWritten: number;
  rowsQuarantined: number;
  rowsDeduplicated: number;
}

export interface MaterializeAssetInput {
  runId: string;
  assetKey: string;
  /** '' for unpartitioned assets. */
  partitionKey: string;
  sourceDir: string;
  /** Re-materialize even when the checkpoint is current. */
  force?: boolean;
  /** Accept a new version that shrinks beyond the asset's guard. */
  allowShrink?: boolean;
}

/** The row counts as the ledger reads them back: null where an attempt recorded none. */
export type RowCountsOrNull = { [K in keyof RowCounts]: RowCounts[K] | null };

export interface AssetResult extends Partial<RowCounts> {
  assetKey: string;
  partitionKey: string;
  outcome: 'materialized' | 'skipped' | 'failed' | 'blocked';
  /** For a blocked asset: the asset whose failure blocked it. */
  blockedBy?: string;
  /** Values repaired in staging before the contract (the `repairs` check), when any. */
  repaired?: number;
  durationMs: number;
  /** Failed blocking checks, or the error, for a failed asset. */
  error?: { code: string; message: string };
  /** Failed non-blocking checks of a published version (e.g. a rejection rate above the warning level). */
  warnings?: string[];
}

export interface RunRecord {
  runId: string;
  workflowId: string;
  selection: string;
  partitionKey: string | null;
}

export interface BlockedRecord {
  runId: string;
  assetKey: string;
  partitionKey: string;
  blockedBy: string;
}

export interface FailedRecord {
  runId: string;
  assetKey: string;
  partitionKey: string;
  code: string;
  message: string;
}
