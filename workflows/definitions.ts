// Workflow inputs, outputs, queries and search attributes, shared by the workflow, the CLI and tests.
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery } from '@temporalio/workflow';
import type { RowCounts } from '../activities/types';

export interface MaterializeInput {
  selection: string;
  /** The selection already resolved (a backfill resolves it once for all its partitions). */
  assetKeys?: string[];
  /** Partition key for partitioned assets; unpartitioned assets ignore it. */
  partitionKey?: string;
  sourceDir: string;
  maxParallel?: number;
  force?: boolean;
  /** Let an asset's new version shrink beyond its guard (or become empty); the guard fires otherwise. */
  allowShrink?: boolean;
  /** Rebuild dbt models whose last attempt failed even though their inputs did not change. */
  retryFailed?: boolean;
  /** A fingerprint of what the run reads (source files' hashes, force, partition): part of the workflow id. */
  inputFingerprint?: string;
  /** The CLI's signature of this input bound to the workflow id or schedule (infra/run-signature.ts); the worker refuses a run without it. */
  runSignature?: RunSignature;
  /** A backfill's child: the parent's signed input, which the worker checks against the server's record of the parent. */
  signedParent?: SignedParent;
}

/** The signature of a run's input (infra/run-signature.ts): the binding it was signed for and the HMAC. */
export interface RunSignature {
  boundTo: string;
  hmac: string;
}

/** A child run's admission: its parent's workflow type and signed input (without the state carried across continue-as-new). */
export interface SignedParent {
  workflowType: 'backfillWorkflow';
  input: Omit<BackfillInput, 'state'>;
}

/** What the worker's admission of a run found: the run it admitted and how. */
export interface Admission {
  runId: string;
  binding: string;
  via: 'signature' | 'parent';
}

export type AssetState = 'pending' | 'running' | 'materialized' | 'skipped' | 'failed' | 'blocked';

export interface AssetProgress extends Partial<RowCounts> {
  key: string;
  state: AssetState;
  /** Values repaired in staging before the contract. */
  repaired?: number;
  durationMs?: number;
  error?: { code: string; message: string };
  /** Failed non-blocking checks of the asset's new version. */
  warnings?: string[];
  blockedBy?: string;
}

export interface RunSummary {
  selection: string;
  partitionKey: string | null;
  status: 'running' | 'success' | 'failed';
  assets: AssetProgress[];
  /** The assets that failed first; blocked assets name one of these. */
  rootCauses: string[];
  /** Months this run's load no longer has, removed from the domain tables (only after a clean load). */
  prunedPartitions?: string[];
}

export const progressQuery = defineQuery<RunSummary>('progress');

export const SA_ASSET_KEYS = defineSearchAttributeKey('DwAssetKeys', 'KEYWORD_LIST');

/** Temporal refuses a search attribute value over 2 KB; the asset keys stay well below it at any graph size. */
const SA_MAX_BYTES = 1800;

/**
 * The DwAssetKeys value of a run: its asset keys when they fit, else their groups (`dbt/*`, `domain/sales/*`), else
 * `*`. The full list is in the run's memo (`assetKeys`); a query on a key still finds runs of small selections.
 */
export function assetKeysAttribute(keys: readonly string[]): string[] {
  if (JSON.stringify(keys).length <= SA_MAX_BYTES) return [...keys];
  const groups = [...new Set(keys.map((k) => `${k.slice(0, k.lastIndexOf('/') + 1)}*`))].sort();
  return JSON.stringify(groups).length <= SA_MAX_BYTES ? groups : ['*'];
}
export const SA_PARTITION_KEY = defineSearchAttributeKey('DwPartitionKey', 'KEYWORD');
export const SA_BACKFILL_ID = defineSearchAttributeKey('DwBackfillId', 'KEYWORD');
export const SA_ROOT_CAUSE = defineSearchAttributeKey('DwRootCause', 'KEYWORD');
export const SA_SELECTION = defineSearchAttributeKey('DwSelection', 'KEYWORD');

export const FAILURE_TYPE = 'MaterializationFailed';
export const BACKFILL_FAILURE_TYPE = 'BackfillFailed';

export interface BackfillInput {
  backfillId: string;
  selection: string;
  assetKeys: string[];
  /** First and last month (YYYY-MM) of the range; open ends take the data's first or last month. */
  from?: string;
  to?: string;
  sourceDir: string;
  /** Partitions materialized at once (child workflows in flight). */
  maxParallel?: number;
  force?: boolean;
  allowShrink?: boolean;
  retryFailed?: boolean;
  /** Child workflows per workflow run before it continues as new, which keeps each run's history small. */
  childrenPerRun?: number;
  /** Carried across continue-as-new (not signed: the worker accepts it only in a run that continued from an earlier one). */
  state?: BackfillProgress;
  /** The CLI's signature, carried unchanged across continue-as-new. */
  runSignature?: RunSignature;
}

export type PartitionRunState = 'pending' | 'running' | 'current' | 'materialized' | 'failed' | 'blocked';

export interface PartitionRun {
  partitionKey: string;
  state: PartitionRunState;
  /** For a failed or blocked partition: the asset and error that caused it. */
  rootCause?: string;
  /** Asset partitions materialized and found current by the child run. */
  materialized?: number;
  skipped?: number;
}

/** The unpartitioned assets a backfill runs once: before the partitions (upstream) or after them (downstream). */
export interface PhaseRun {
  keys: string[];
  state: PartitionRunState;
  rootCause?: string;
}

export interface BackfillProgress {
  backfillId: string;
  selection: string;
  from: string | null;
  to: string | null;
  /** 'cancelled' also stands for terminated: the run stopped before its end. */
  status: 'running' | 'success' | 'failed' | 'cancelled';
  phase: 'planning' | 'upstream' | 'partitions' | 'downstream' | 'done';
  upstream: PhaseRun;
  partitions: PartitionRun[];
  downstream: PhaseRun;
  /** Workflow runs so far: 1 + the number of times it continued as new. */
  runs: number;
}

export const backfillProgressQuery = defineQuery<BackfillProgress>('backfillProgress');
