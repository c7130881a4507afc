// The phases of a materialize run: plan nodes run by the scheduler (bounded, in dependency order), and the dbt phase
// (one `dbt build` of the models whose upstream succeeded). Both record what they block and what fails.
import { condition } from '@temporalio/workflow';
import { type AssetOutcome, type PlannedAsset, Scheduler, splitNodeKey } from '../assets';
import { bookkeeping, load } from './activity-profiles';
import { type RunState, failureOf, progressOf } from './run-state';

/** Runs `nodes` of the plan `steps`; nodes that already ended (in an earlier phase) keep their outcome. */
export async function runNodes(run: RunState, nodes: readonly string[], steps: readonly PlannedAsset[]): Promise<void> {
  const { input, runId, outcomes, rootCauses } = run;
  const scheduler = new Scheduler(steps, input.maxParallel ?? 4);
  const markBlocked = async (blocked: string[], cause: string) => {
    for (const b of blocked) {
      const bp = progressOf(run, b);
      bp.state = 'blocked';
      bp.blockedBy = scheduler.blockedBy(b) ?? cause;
      const { assetKey, partitionKey } = splitNodeKey(b);
      await bookkeeping.recordBlocked({ runId, assetKey, partitionKey, blockedBy: bp.blockedBy });
    }
  };
  for (const node of nodes) progressOf(run, node);
  await replayEarlierPhases(run, scheduler, new Set(steps.map((s) => s.key)), markBlocked);

  let completions = 0;
  const runOne = async (node: string): Promise<void> => {
    const p = progressOf(run, node);
    const { assetKey, partitionKey } = splitNodeKey(node);
    p.state = 'running';
    let outcome: Exclude<AssetOutcome, 'blocked'>;
    try {
      const r = await load.materializeAsset({
        runId,
        assetKey,
        partitionKey,
        sourceDir: input.sourceDir,
        force: input.force,
        allowShrink: input.allowShrink,
      });
      Object.assign(p, {
        state: r.outcome,
        rowsRead: r.rowsRead,
        rowsWritten: r.rowsWritten,
        rowsQuarantined: r.rowsQuarantined,
        rowsDeduplicated: r.rowsDeduplicated,
        repaired: r.repaired,
        durationMs: r.durationMs,
        error: r.error,
        warnings: r.warnings,
      });
      outcome = r.outcome === 'blocked' ? 'failed' : r.outcome;
    } catch (err) {
      p.state = 'failed';
      p.error = failureOf(err, 'ASSET.ERROR');
      await bookkeeping.recordFailed({ runId, assetKey, partitionKey, ...p.error });
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

/** Tells the scheduler how the plan's nodes of earlier phases ended, and records what that blocks. */
async function replayEarlierPhases(
  run: RunState,
  scheduler: Scheduler,
  inPlan: Set<string>,
  markBlocked: (blocked: string[], cause: string) => Promise<void>,
): Promise<void> {
  for (const [node, outcome] of run.outcomes) if (inPlan.has(node)) await markBlocked(scheduler.complete(node, outcome), node);
  for (const [node, p] of run.progress)
    if (inPlan.has(node) && p.state === 'blocked') await markBlocked(scheduler.block(node, p.blockedBy ?? node), node);
}

/** dbt models run together in one `dbt build` after the assets they read; a model whose upstream failed is blocked. */
export async function runDbtPhase(run: RunState, steps: readonly PlannedAsset[], dbtKeys: readonly string[]): Promise<void> {
  const { input, runId, rootCauses } = run;
  const scheduler = new Scheduler(steps, 1);
  for (const [node, outcome] of run.outcomes) scheduler.complete(node, outcome);
  for (const [node, p] of run.progress) if (p.state === 'blocked') scheduler.block(node, p.blockedBy ?? node);
  const ready: string[] = [];
  for (const key of dbtKeys) {
    const p = progressOf(run, key);
    const cause = scheduler.blockedBy(key);
    if (cause) {
      p.state = 'blocked';
      p.blockedBy = cause;
      await bookkeeping.recordBlocked({ runId, assetKey: key, partitionKey: input.partitionKey ?? '', blockedBy: cause });
    } else {
      p.state = 'running';
      ready.push(key);
    }
  }
  if (ready.length === 0) return;
  try {
    const results = await load.buildDbtModels({
      runId,
      assetKeys: ready,
      partitionKey: input.partitionKey,
      force: input.force,
      allowShrink: input.allowShrink,
      retryFailed: input.retryFailed,
    });
    for (const r of results) {
      Object.assign(progressOf(run, r.assetKey), {
        state: r.outcome,
        rowsWritten: r.rowsWritten,
        durationMs: r.durationMs,
        error: r.error,
        blockedBy: r.blockedBy,
      });
      if (r.outcome === 'failed') rootCauses.push(r.assetKey);
    }
  } catch (err) {
    const error = failureOf(err, 'DBT.ERROR');
    for (const key of ready) Object.assign(progressOf(run, key), { state: 'failed', error });
    rootCauses.push(...ready);
  }
}
