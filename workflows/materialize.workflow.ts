// Materializes a selection of assets: plan → upstream phase → partitions → the other assets → dbt phase → summary.
import { ApplicationFailure, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { type AssetGraph, expandPlan, platformGraph, select, selectKeys, splitNodeKey, upstreamOfPartitioned } from '../assets';
import { bookkeeping, maintenance } from './activity-profiles';
import { admitted } from './admission';
import { type AssetProgress, FAILURE_TYPE, type MaterializeInput, type RunSummary, SA_ROOT_CAUSE, progressQuery } from './definitions';
import { runDbtPhase, runNodes } from './run-phases';
import { type RunState, newRun, summaryOf } from './run-state';

export async function materializeWorkflow(input: MaterializeInput): Promise<RunSummary> {
  // Admission first (a signed input, or a signed parent backfill), the end audited whatever happens (workflows/admission.ts).
  return admitted(() => materialize(input));
}

async function materialize(input: MaterializeInput): Promise<RunSummary> {
  // Plan: the worker's graph (with the dbt models), the selection, and whether any asset is partitioned.
  const graph = platformGraph(await bookkeeping.extraAssets());
  const keys = resolve(graph, input);
  const run = newRun(input, workflowInfo().runId);
  setHandler(progressQuery, () => summaryOf(run, 'running'));
  await bookkeeping.recordRunStart({
    runId: run.runId,
    workflowId: workflowInfo().workflowId,
    selection: input.selection,
    partitionKey: input.partitionKey ?? null,
  });
  const partitioned = keys.some((k) => graph.get(k).partitioned);

  // Upstream phase: partitions come from the data, so the unpartitioned assets they read run first. The whole load
  // (every raw and staging asset selected) runs first too, so that a failed load or fired guard stops the prune.
  const upstream = input.partitionKey ? [] : upstreamOfPartitioned(graph, keys, { withLoad: true });
  if (upstream.length) await runNodes(run, upstream, expandPlan(graph, upstream, []));

  // Partitions: the one asked for, else every month of the data. A full run knows every month: months an older load
  // had and this one lacks are removed, only after a clean load (no failure or fired guard so far), with a record.
  // Before the partitions, so that whole-table dependants (profiles) never read a lost month; a cut export cannot get
  // here (its grow-only raw guard fires): a lost month is a shrink the run must allow.
  const partitions = !partitioned ? [] : input.partitionKey ? [input.partitionKey] : await bookkeeping.listPartitions();
  if (partitioned && !input.partitionKey && run.rootCauses.length === 0) {
    run.prunedPartitions = await maintenance.prunePartitions({ runId: run.runId, partitions });
  }

  // Every other asset × partition, then the dbt phase: the models run together in one `dbt build` after what they read.
  const isDbt = (node: string) => graph.get(splitNodeKey(node).assetKey).kind === 'dbt';
  const steps = expandPlan(graph, keys, partitions);
  await runNodes(
    run,
    steps.map((s) => s.key).filter((k) => !isDbt(k)),
    steps.filter((s) => !isDbt(s.key)),
  );
  const dbtKeys = keys.filter(isDbt);
  if (dbtKeys.length) await runDbtPhase(run, steps, dbtKeys);

  // Summary.
  return finish(run);
}

/** The selection's keys: resolved ones (a backfill's child) are checked, an expression is parsed. */
function resolve(graph: AssetGraph, input: MaterializeInput): string[] {
  try {
    return input.assetKeys ? selectKeys(graph, input.assetKeys) : select(graph, input.selection);
  } catch (err) {
    throw ApplicationFailure.nonRetryable((err as Error).message, 'SELECTION.INVALID');
  }
}

/** Records the run's end; a failed run names its root cause (search attribute, current details) and fails with the summary. */
async function finish(run: RunState): Promise<RunSummary> {
  const { rootCauses } = run;
  const result = summaryOf(run, rootCauses.length > 0 ? 'failed' : 'success');
  await maintenance.recordRunEnd(run.runId, result.status, result);
  if (result.status === 'success') return result;
  const root = run.progress.get(rootCauses[0] as string) as AssetProgress;
  upsertSearchAttributes([{ key: SA_ROOT_CAUSE, value: `${root.key}: ${root.error?.code ?? 'ERROR'}` }]);
  const blockedCount = result.assets.filter((a) => a.state === 'blocked').length;
  // The Temporal UI shows it as the run's current details: what failed, without opening the history.
  setCurrentDetails(
    `**failed**: ${root.key}: ${root.error?.code ?? 'ERROR'}: ${(root.error?.message ?? 'unknown').slice(0, 500)}` +
      `  \n${rootCauses.length} asset(s) failed, ${blockedCount} blocked`,
  );
  throw ApplicationFailure.create({
    type: FAILURE_TYPE,
    nonRetryable: true,
    message: `${rootCauses.length} asset(s) failed${blockedCount ? `, ${blockedCount} blocked` : ''}; root cause ${root.key}: ${root.error?.message ?? 'unknown'}`,
    details: [result],
  });
}
