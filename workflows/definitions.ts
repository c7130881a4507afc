// Workflow inputs, outputs, queries and search attributes, shared by the workflow, the CLI and tests.
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery } from '@temporalio/workflow';

export interface MaterializeInput {
  selection: string;
  /** Partition key for partitioned assets; unpartitioned assets ignore it. */
  partitionKey?: string;
  sourceDir: string;
  maxParallel?: number;
  force?: boolean;
}

export type AssetState = 'pending' | 'running' | 'materialized' | 'skipped' | 'failed' | 'blocked';

export interface AssetProgress {
  key: string;
  state: AssetState;
  rowsRead?: number;
  rowsWritten?: number;
  rowsQuarantined?: number;
  rowsDeduplicated?: number;
  durationMs?: number;
  error?: { code: string; message: string };
  blockedBy?: string;
}

export interface RunSummary {
  selection: string;
  partitionKey: string | null;
  status: 'running' | 'success' | 'failed';
  assets: AssetProgress[];
  /** The assets that failed first; blocked assets name one of these. */
  rootCauses: string[];
}

export const progressQuery = defineQuery<RunSummary>('progress');

export const SA_ASSET_KEYS = defineSearchAttributeKey('DwAssetKeys', 'KEYWORD_LIST');
export const SA_PARTITION_KEY = defineSearchAttributeKey('DwPartitionKey', 'KEYWORD');
export const SA_BACKFILL_ID = defineSearchAttributeKey('DwBackfillId', 'KEYWORD');
export const SA_ROOT_CAUSE = defineSearchAttributeKey('DwRootCause', 'KEYWORD');
export const SA_SELECTION = defineSearchAttributeKey('DwSelection', 'KEYWORD');

export const FAILURE_TYPE = 'MaterializationFailed';
