// The shape of bench/results/latest.json.
import type { AssetKind } from '../assets';
import type { BaselineRun, BaselineVariant } from './baseline';
import type { WorkerMemory } from './env';
import type { Machine } from './machine';
import type { RunResult, StageFigures } from './materialize';

export interface AssetTime {
  assetKey: string;
  kind: string;
  partitions: number;
  durationMs: number;
  maxPartitionMs: number;
  rowsRead: number;
}

/** A run as the results file keeps it: the figures, without the ledger rows and identifiers. */
export type RunFigures = Omit<RunResult, 'selection' | 'force' | 'workflowId' | 'runId' | 'ledger'>;

export interface LoadResult {
  scale: number;
  rows: number;
  files: Record<string, number>;
  baseline: BaselineRun[];
  baselineBest: { variant: BaselineVariant; rowsPerSec: number; wallMs: number };
  ours: Array<RunFigures & { rowsPerSec: number; extractRowsPerSec: number | null; stagingRowsPerSec: number | null }>;
  oursBest: { wallMs: number; rowsPerSec: number };
  ratio: number;
  ratioVsFreezeSerial: number | null;
  assets: AssetTime[];
  workerMemory: WorkerMemory;
}

export interface ScaleResult {
  scale: number;
  sourceRows: number;
  generateMs: number;
  workerStartupMs: number;
  full: RunFigures;
  noop: RunFigures[];
  noopMedianMs: number;
  noopBestMs: number;
  /** Temporal activities in a no-op run: one per non-dbt asset partition, one for all dbt models, and the bookkeeping ones. */
  noopActivities: number;
  memory: WorkerMemory;
  domainRowsPerSec: number | null;
  domainByAsset: Array<{ assetKey: string; rowsRead: number; durationMs: number; rowsPerSec: number }>;
  assets: AssetTime[];
  quarantined: number;
}

export interface OverheadSeries {
  shape: 'chain' | 'flat';
  mode: 'checkpoint-hit' | 'forced-noop';
  points: Array<{ assets: number; wallMs: number; runs: number[]; activityMedianMs: number; medianStepMs: number; activitySpanMs: number }>;
  /** Slope of the best wall time between the two sizes. */
  perAssetMs: number;
  /** Intercept: what a run costs besides its assets. */
  perRunMs: number;
  /** From the Temporal histories of the largest size: median time between consecutive asset completions (chain: one round trip). */
  historyStepMs: number;
  /** From the Temporal histories of the largest size: (last completion − first scheduled) ÷ assets. */
  historyPerAssetMs: number;
}

export interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean | null;
  note?: string;
}

export interface BenchResults {
  version: 1;
  machine: Machine;
  options: { scales: number[]; seed: string; quietThreshold: number };
  startedAt: string;
  elapsedMs: number;
  load: LoadResult | null;
  scales: ScaleResult[];
  skipped: Array<{ what: string; why: string }>;
  overhead: { series: OverheadSeries[]; workerMemory: WorkerMemory } | null;
  growth: Array<{
    from: number;
    to: number;
    factor: number;
    wallRatio: number;
    exponent: number;
    stages: Partial<Record<AssetKind, { ratio: number; exponent: number }>>;
  }>;
  targets: Target[];
  errors: string[];
  /** Before each measurement: the share of the CPUs other processes used (2 s sample) and how long the bench waited for quiet. */
  quiet: Array<{ label: string; busy: number; waitedMs: number; quiet: boolean }>;
}

export type { RunResult };
