// The state of one materialize run, kept by the workflow: each node's progress, the outcomes the scheduler needs,
// the root causes; and the one way a failed activity becomes a node's error.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { AssetOutcome } from '../assets';
import type { AssetProgress, MaterializeInput, RunSummary } from './definitions';

export interface RunState {
  readonly input: MaterializeInput;
  readonly runId: string;
  /** Every node (asset, or asset@partition) seen so far, in the order the run met them. */
  readonly progress: Map<string, AssetProgress>;
  /** The nodes that ended, for the scheduler of a later phase (blocked ones are in `progress`). */
  readonly outcomes: Map<string, Exclude<AssetOutcome, 'blocked'>>;
  /** The nodes that failed first; blocked nodes name one of these. */
  readonly rootCauses: string[];
  prunedPartitions: string[];
}

export function newRun(input: MaterializeInput, runId: string): RunState {
  return { input, runId, progress: new Map(), outcomes: new Map(), rootCauses: [], prunedPartitions: [] };
}

/** The node's progress entry, created pending when the run meets it first. */
export function progressOf(run: RunState, node: string): AssetProgress {
  let p = run.progress.get(node);
  if (!p) run.progress.set(node, (p = { key: node, state: 'pending' }));
  return p;
}

export function summaryOf(run: RunState, status: RunSummary['status']): RunSummary {
  return {
    selection: run.input.selection,
    partitionKey: run.input.partitionKey ?? null,
    status,
    assets: [...run.progress.values()],
    rootCauses: run.rootCauses,
    ...(run.prunedPartitions.length ? { prunedPartitions: run.prunedPartitions } : {}),
  };
}

/** A failed activity's cause (unwrapped from ActivityFailure) as a node's error; `fallback` when it has no type. */
export function failureOf(err: unknown, fallback: string): { code: string; message: string } {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : (err as Error);
  return { code: cause instanceof ApplicationFailure && cause.type ? cause.type : fallback, message: cause.message };
}
