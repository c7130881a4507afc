// Materializes a selection of assets: plan (asset × partition), run in dependency order, record, block on failure.
import {
  ActivityFailure, ApplicationFailure, condition, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import { type AssetOutcome, Scheduler, expandPlan, platformGraph, select, selectKeys, splitNodeKey, upstreamOfPartitioned } from '../assets';
import { ledger, load } from './activity-profiles';
import {
  type AssetProgress, FAILURE_TYPE, type MaterializeInput, type RunSummary, SA_ROOT_CAUSE, progressQuery,
} from './definitions';

export async function materializeWorkflow(input: MaterializeInput): Promise<RunSummary> {
  const graph = platformGraph(await ledger.extraAssets());
  let keys: string[];
  try {
    keys = input.assetKeys ? selectKeys(graph, input.assetKeys) : select(graph, input.selection);
  } catch (err) {
    throw ApplicationFailure.nonRetryable((err as Error).message, 'SELECTION.INVALID');
  }
  const { runId, workflowId } = workflowInfo();
  const progress = new Map<string, AssetProgress>();
  const outcomes = new Map<string, Exclude<AssetOutcome, 'blocked'>>();
  const rootCauses: string[] = [];
  let prunedPartitions: string[] = [];
  const summary = (status: RunSummary['status']): RunSummary => ({
    selection: input.selection, partitionKey: input.partitionKey ?? null, status, assets: [...progress.values()], rootCauses,
    ...(prunedPartitions.length ? { prunedPartitions } : {}),
  });
  setHandler(progressQuery, () => summary('running'));
  await ledger.recordRunStart({ runId, workflowId, selection: input.selection, partitionKey: input.partitionKey ?? null });

  const run = (nodes: string[], steps: ReturnType<typeof expandPlan>) =>
    runNodes(input, runId, steps, nodes, progress, outcomes, rootCauses);

  // Partitions come from the data: the unpartitioned assets they depend on run first, then every partition. The
  // whole load (every raw and staging asset selected) runs first too, so that a failed load or fired guard stops the prune.
  const partitioned = keys.filter((k) => graph.get(k).partitioned);
  const upstreamOfPartitions = input.partitionKey ? [] : upstreamOfPartitioned(graph, keys, { withLoad: true });
  if (upstreamOfPartitions.length) await run(upstreamOfPartitions, expandPlan(graph, upstreamOfPartitions, []));
  const partitions = partitioned.length === 0 ? [] : input.partitionKey ? [input.partitionKey] : await ledger.listPartitions();
  // A full run knows every month of the data: months an older load had and this one lacks are removed.
  // Only after a clean load (no failure or fired guard so far; the activity checks the ledger again), with a record.
  if (partitioned.length && !input.partitionKey && rootCauses.length === 0) prunedPartitions = await ledger.prunePartitions({ runId, partitions });
  // dbt models run together in one `dbt build` after the assets they read (dbt orders its own models).
  const isDbt = (node: string) => graph.get(splitNodeKey(node).assetKey).kind === 'dbt';
  const steps = expandPlan(graph, keys, partitions);
  await run(steps.map((s) => s.key).filter((k) => !isDbt(k)), steps.filter((s) => !isDbt(s.key)));
  const dbtKeys = keys.filter(isDbt);
  if (dbtKeys.length) await runDbtPhase(input, runId, steps, dbtKeys, progress, outcomes, rootCauses);

  const failed = rootCauses.length > 0;
  const result = summary(failed ? 'failed' : 'success');
  await ledger.recordRunEnd(runId, result.status, result);
  if (failed) {
    const root = progress.get(rootCauses[0] as string) as AssetProgress;
    upsertSearchAttributes([{ key: SA_ROOT_CAUSE, value: `${root.key}: ${root.error?.code ?? 'ERROR'}` }]);
    const blockedCount = result.assets.filter((a) => a.state === 'blocked').length;
    // The Temporal UI shows it as the run's current details: what failed, without opening the history.
    setCurrentDetails(`**failed**: ${root.key}: ${root.error?.code ?? 'ERROR'}: ${(root.error?.message ?? 'unknown').slice(0, 500)}` +
      `  \n${rootCauses.length} asset(s) failed, ${blockedCount} blocked`);
    throw ApplicationFailure.create({
      type: FAILURE_TYPE,
      nonRetryable: true,
      message: `${rootCauses.length} asset(s) failed${blockedCount ? `, ${blockedCount} blocked` : ''}; root cause ${root.key}: ${root.error?.message ?? 'unknown'}`,
      details: [result],
    });
  }
  return result;
}

async function runDbtPhase(
  input: MaterializeInput, runId: string, steps: ReturnType<typeof expandPlan>, dbtKeys: string[],
  progress: Map<string, AssetProgress>, outcomes: Map<string, Exclude<AssetOutcome, 'blocked'>>, rootCauses: string[],
): Promise<void> {
  const scheduler = new Scheduler(steps, 1);
  for (const [node, outcome] of outcomes) scheduler.complete(node, outcome);
  for (const [node, p] of progress) if (p.state === 'blocked') scheduler.block(node, p.blockedBy ?? node);
  const ready: string[] = [];
  for (const key of dbtKeys) {
    const p: AssetProgress = progress.get(key) ?? { key, state: 'pending' };
    progress.set(key, p);
    const cause = scheduler.blockedBy(key);
    if (cause) {
      p.state = 'blocked';
      p.blockedBy = cause;
      await ledger.recordBlocked({ runId, assetKey: key, partitionKey: input.partitionKey ?? '', blockedBy: cause });
    } else {
      p.state = 'running';
      ready.push(key);
    }
  }
  if (ready.length === 0) return;
  try {
    const results = await load.buildDbtModels({
      runId, assetKeys: ready, partitionKey: input.partitionKey, force: input.force, allowShrink: input.allowShrink, retryFailed: input.retryFailed,
    });
    for (const r of results) {
      const p = progress.get(r.assetKey) as AssetProgress;
      Object.assign(p, { state: r.outcome, rowsWritten: r.rowsWritten, durationMs: r.durationMs, error: r.error, blockedBy: r.blockedBy });
      if (r.outcome === 'failed') rootCauses.push(r.assetKey);
    }
  } catch (err) {
    const cause = err instanceof ActivityFailure && err.cause ? err.cause : (err as Error);
    const code = cause instanceof ApplicationFailure && cause.type ? cause.type : 'DBT.ERROR';
    for (const key of ready) Object.assign(progress.get(key) as AssetProgress, { state: 'failed', error: { code, message: cause.message } });
    rootCauses.push(...ready);
  }
}

/** Runs the plan's nodes that have not run yet; nodes that already ended (an earlier phase) keep their outcome. */
async function runNodes(
  input: MaterializeInput, runId: string, steps: ReturnType<typeof expandPlan>, nodes: string[],
  progress: Map<string, AssetProgress>, outcomes: Map<string, Exclude<AssetOutcome, 'blocked'>>, rootCauses: string[],
): Promise<void> {
  const scheduler = new Scheduler(steps, input.maxParallel ?? 4);
  let completions = 0;
  const markBlocked = async (blocked: string[], cause: string) => {
    for (const b of blocked) {
      const bp = progress.get(b) ?? { key: b, state: 'pending' };
      progress.set(b, bp);
      bp.state = 'blocked';
      bp.blockedBy = scheduler.blockedBy(b) ?? cause;
      const { assetKey, partitionKey } = splitNodeKey(b);
      await ledger.recordBlocked({ runId, assetKey, partitionKey, blockedBy: bp.blockedBy });
    }
  };
  for (const node of nodes) if (!progress.has(node)) progress.set(node, { key: node, state: 'pending' });
  const inPlan = new Set(steps.map((s) => s.key));
  for (const [node, outcome] of outcomes) if (inPlan.has(node)) await markBlocked(scheduler.complete(node, outcome), node);
  for (const [node, p] of progress) if (inPlan.has(node) && p.state === 'blocked') await markBlocked(scheduler.block(node, p.blockedBy ?? node), node);

  const runOne = async (node: string): Promise<void> => {
    const p = progress.get(node) as AssetProgress;
    const { assetKey, partitionKey } = splitNodeKey(node);
    p.state = 'running';
    let outcome: Exclude<AssetOutcome, 'blocked'>;
    try {
      const r = await load.materializeAsset({ runId, assetKey, partitionKey, sourceDir: input.sourceDir, force: input.force, allowShrink: input.allowShrink });
      Object.assign(p, { state: r.outcome, rowsRead: r.rowsRead, rowsWritten: r.rowsWritten, rowsQuarantined: r.rowsQuarantined, rowsDeduplicated: r.rowsDeduplicated, repaired: r.repaired, durationMs: r.durationMs, error: r.error, warnings: r.warnings });
      outcome = r.outcome === 'blocked' ? 'failed' : r.outcome;
    } catch (err) {
      const cause = err instanceof ActivityFailure && err.cause ? err.cause : (err as Error);
      const code = cause instanceof ApplicationFailure && cause.type ? cause.type : 'ASSET.ERROR';
      p.state = 'failed';
      p.error = { code, message: cause.message };
      await ledger.recordFailed({ runId, assetKey, partitionKey, code, message: cause.message });
      outcome = 'failed';
    }
    outcomes.set(node, outcome);
    if (outcome === 'failed') rootCauses.push(node);
    await markBlocked(scheduler.complete(node, outcome), node);
    completions++;
  };

  let seen = 0;
  while (!scheduler.done()) {
    for (const node of scheduler.take()) void runOne(node);
    await condition(() => completions > seen);
    seen = completions;
  }
}
