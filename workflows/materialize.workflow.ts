// Materializes a selection of assets for one partition: plan, run in dependency order, record, block on failure.
import {
  ActivityFailure, ApplicationFailure, condition, setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import { Scheduler, plan, platformGraph, select } from '../assets';
import { ledger, load } from './activity-profiles';
import {
  type AssetProgress, FAILURE_TYPE, type MaterializeInput, type RunSummary, SA_ROOT_CAUSE, progressQuery,
} from './definitions';

export async function materializeWorkflow(input: MaterializeInput): Promise<RunSummary> {
  const graph = platformGraph();
  let keys: string[];
  try {
    keys = select(graph, input.selection);
  } catch (err) {
    throw ApplicationFailure.nonRetryable((err as Error).message, 'SELECTION.INVALID');
  }
  const { runId, workflowId } = workflowInfo();
  const partitionOf = (key: string) => (graph.get(key).partitioned ? input.partitionKey ?? '' : '');
  const progress = new Map<string, AssetProgress>(keys.map((key) => [key, { key, state: 'pending' }]));
  const rootCauses: string[] = [];
  const summary = (status: RunSummary['status']): RunSummary => ({
    selection: input.selection, partitionKey: input.partitionKey ?? null, status, assets: [...progress.values()], rootCauses,
  });
  setHandler(progressQuery, () => summary('running'));

  await ledger.recordRunStart({ runId, workflowId, selection: input.selection, partitionKey: input.partitionKey ?? null });
  const scheduler = new Scheduler(plan(graph, keys), input.maxParallel ?? 4);
  let completions = 0;

  const runOne = async (key: string): Promise<void> => {
    const p = progress.get(key) as AssetProgress;
    p.state = 'running';
    let blocked: string[];
    try {
      const r = await load.materializeAsset({ runId, assetKey: key, partitionKey: partitionOf(key), sourceDir: input.sourceDir, force: input.force });
      Object.assign(p, { state: r.outcome, rowsRead: r.rowsRead, rowsWritten: r.rowsWritten, rowsQuarantined: r.rowsQuarantined, rowsDeduplicated: r.rowsDeduplicated, durationMs: r.durationMs, error: r.error });
      blocked = scheduler.complete(key, r.outcome);
    } catch (err) {
      const cause = err instanceof ActivityFailure && err.cause ? err.cause : (err as Error);
      const code = cause instanceof ApplicationFailure && cause.type ? cause.type : 'ASSET.ERROR';
      p.state = 'failed';
      p.error = { code, message: cause.message };
      await ledger.recordFailed({ runId, assetKey: key, partitionKey: partitionOf(key), code, message: cause.message });
      blocked = scheduler.complete(key, 'failed');
    }
    if (p.state === 'failed') rootCauses.push(key);
    for (const b of blocked) {
      const bp = progress.get(b) as AssetProgress;
      bp.state = 'blocked';
      bp.blockedBy = scheduler.blockedBy(b);
      await ledger.recordBlocked({ runId, assetKey: b, partitionKey: partitionOf(b), blockedBy: bp.blockedBy ?? key });
    }
    completions++;
  };

  let seen = 0;
  while (!scheduler.done()) {
    for (const key of scheduler.take()) void runOne(key);
    await condition(() => completions > seen);
    seen = completions;
  }

  const failed = rootCauses.length > 0;
  const result = summary(failed ? 'failed' : 'success');
  await ledger.recordRunEnd(runId, result.status, result);
  if (failed) {
    const first = progress.get(rootCauses[0] as string) as AssetProgress;
    upsertSearchAttributes([{ key: SA_ROOT_CAUSE, value: `${first.key}: ${first.error?.code ?? 'ERROR'}` }]);
    const blockedCount = result.assets.filter((a) => a.state === 'blocked').length;
    throw ApplicationFailure.create({
      type: FAILURE_TYPE,
      nonRetryable: true,
      message: `${rootCauses.length} asset(s) failed${blockedCount ? `, ${blockedCount} blocked` : ''}; root cause ${first.key}: ${first.error?.message ?? 'unknown'}`,
      details: [result],
    });
  }
  return result;
}
