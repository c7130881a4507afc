// Every run is admitted by the worker before it does anything (its signed input checked, its start audited) and its
// end is audited whatever the outcome: `admitted(() => body)` wraps a workflow's body.
import { ActivityFailure, ApplicationFailure, CancellationScope, ContinueAsNew } from '@temporalio/workflow';
import { admission } from './activity-profiles';

/**
 * Runs `body` once the run is admitted; a refusal fails the run with its code (RUN.UNSIGNED, RUN.BAD_SIGNATURE,
 * RUN.REBOUND) and nothing else runs. The end is audited after success, failure, cancellation and continue-as-new.
 */
export async function admitted<T>(body: () => Promise<T>): Promise<T> {
  let admittedRunId: string;
  let viaParent: boolean;
  try {
    const admitted = await admission.admitRun();
    admittedRunId = admitted.runId;
    viaParent = admitted.via === 'parent';
  } catch (err) {
    // The refusal's own failure (its type is the code), not the activity wrapper around it.
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) throw err.cause;
    throw err;
  }
  let outcome: 'ok' | 'failed' = 'failed';
  let error: { type?: string; message: string } | undefined;
  let continuedAsNew = false;
  try {
    const result = await body();
    outcome = 'ok';
    return result;
  } catch (err) {
    if (err instanceof ContinueAsNew) {
      outcome = 'ok';
      continuedAsNew = true;
    } else {
      error = { type: err instanceof ApplicationFailure ? (err.type ?? undefined) : (err as Error).name, message: (err as Error).message };
    }
    throw err;
  } finally {
    await CancellationScope.nonCancellable(() => admission.auditRunEnd({ admittedRunId, outcome, error, continuedAsNew, viaParent }));
  }
}
