// A backfill: the unpartitioned upstream once, then one child materialize per partition that is not current (a
// bounded number in flight), then the unpartitioned downstream once; continues as new to keep its history small.
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  condition,
  continueAsNew,
  executeChild,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { plan } from './activity-profiles';
import { admitted } from './admission';
import {
  BACKFILL_FAILURE_TYPE,
  type BackfillInput,
  type BackfillProgress,
  FAILURE_TYPE,
  type PartitionRun,
  type PhaseRun,
  type RunSummary,
  SA_ASSET_KEYS,
  SA_BACKFILL_ID,
  SA_PARTITION_KEY,
  SA_ROOT_CAUSE,
  SA_SELECTION,
  assetKeysAttribute,
  backfillProgressQuery,
} from './definitions';
import { materializeWorkflow } from './materialize.workflow';

const DEFAULT_CHILDREN_PER_RUN = 100;

export async function backfillWorkflow(input: BackfillInput): Promise<BackfillProgress> {
  const s: BackfillProgress = input.state
    ? { ...input.state, runs: input.state.runs + 1 }
    : {
        backfillId: input.backfillId,
        selection: input.selection,
        from: input.from ?? null,
        to: input.to ?? null,
        status: 'running',
        phase: 'planning',
        upstream: { keys: [], state: 'pending' },
        partitions: [],
        downstream: { keys: [], state: 'pending' },
        runs: 1,
      };
  setHandler(backfillProgressQuery, () => s); // answers from the start, admission included
  // Admission first (the CLI's signature, carried unchanged across continue-as-new), the end audited whatever happens.
  return admitted(() => backfill(input, s));
}

async function backfill(input: BackfillInput, s: BackfillProgress): Promise<BackfillProgress> {
  if (!input.state) await planPartitions(input, s);

  // Partitions, a bounded number at once; after `childrenPerRun` children the run continues as new.
  s.phase = s.phase === 'done' ? 'done' : 'partitions';
  const queue = s.partitions.filter((p) => p.state === 'pending' || p.state === 'running');
  const maxParallel = Math.max(1, input.maxParallel ?? 4);
  const perRun = Math.max(1, input.childrenPerRun ?? DEFAULT_CHILDREN_PER_RUN);
  let started = 0;
  let inFlight = 0;
  while (queue.length && started < perRun && !workflowInfo().continueAsNewSuggested) {
    await condition(() => inFlight < maxParallel);
    const p = queue.shift() as PartitionRun;
    started++;
    inFlight++;
    void runChild(input, p, p.partitionKey, partitionedKeys(input, s), p.partitionKey).finally(() => inFlight--);
  }
  await condition(() => inFlight === 0);
  if (queue.length) await continueAsNew<typeof backfillWorkflow>({ ...input, state: s });

  if (s.phase !== 'done') await runDownstream(input, s);
  s.phase = 'done';
  const failed = s.partitions.filter((p) => p.state === 'failed');
  const problems = [s.upstream, ...failed, s.downstream].filter((p) => p.state === 'failed');
  s.status = problems.length ? 'failed' : 'success';
  if (problems.length) {
    const first = problems[0] as PhaseRun | PartitionRun;
    const where = 'partitionKey' in first ? first.partitionKey : first === s.upstream ? 'upstream' : 'downstream';
    // The asset and error code only (as materialize runs set it): messages stay in the failure, out of the index.
    upsertSearchAttributes([{ key: SA_ROOT_CAUSE, value: `${where}: ${(first.rootCause ?? 'unknown').split(':')[0]}` }]);
    setCurrentDetails(`**failed**: ${failed.length} partition(s); first: ${where}: ${(first.rootCause ?? 'unknown').slice(0, 500)}`);
    throw ApplicationFailure.create({
      type: BACKFILL_FAILURE_TYPE,
      nonRetryable: true,
      message: `backfill ${s.backfillId}: ${failed.length} partition(s) failed${s.upstream.state === 'failed' ? ', upstream failed' : ''}${s.downstream.state === 'failed' ? ', downstream failed' : ''}; first: ${where}: ${first.rootCause}`,
      details: [s],
    });
  }
  return s;
}

/** First run only: the upstream phase when it is not current, then which partitions in range need to run. */
async function planPartitions(input: BackfillInput, s: BackfillProgress): Promise<void> {
  const planInput = { selection: input.selection, assetKeys: input.assetKeys, from: input.from, to: input.to, sourceDir: input.sourceDir };
  let p = await plan.planBackfill(planInput);
  s.upstream.keys = p.upstream.keys;
  s.downstream.keys = p.downstream.keys;
  if (p.upstream.keys.length && (input.force || p.upstream.toRun.length)) {
    s.phase = 'upstream';
    await runChild(input, s.upstream, 'upstream', p.upstream.keys, undefined);
    if (s.upstream.state === 'failed') {
      // Nothing downstream of a failed upstream can run: the partitions are the ones in range before it failed.
      s.partitions = p.partitions.map((x) => ({
        partitionKey: x.partitionKey,
        state: 'blocked',
        rootCause: `upstream: ${s.upstream.rootCause}`,
      }));
      s.downstream.state = 'blocked';
      s.downstream.rootCause = s.upstream.rootCause;
      s.phase = 'done';
      return;
    }
    // The upstream (staging) decides the partitions and their contents: plan again.
    p = await plan.planBackfill(planInput);
  } else {
    s.upstream.state = p.upstream.keys.length ? 'current' : 'materialized';
  }
  s.partitions = p.partitions.map((x) => ({ partitionKey: x.partitionKey, state: input.force || x.toRun.length ? 'pending' : 'current' }));
  // Whether the downstream must run even when no partition does (it was stale, failed or never built).
  if (!input.force && p.downstream.toRun.length === 0) s.downstream.state = 'current';
}

function partitionedKeys(input: BackfillInput, s: BackfillProgress): string[] {
  return input.assetKeys.filter((k) => !s.upstream.keys.includes(k) && !s.downstream.keys.includes(k));
}

/** The downstream runs once after the partitions, unless a partition failed (it would read a month that is not there). */
async function runDownstream(input: BackfillInput, s: BackfillProgress): Promise<void> {
  const d = s.downstream;
  if (d.keys.length === 0) {
    d.state = 'materialized';
    return;
  }
  const failed = s.partitions.find((p) => p.state === 'failed' || p.state === 'blocked');
  if (failed) {
    Object.assign(d, { state: 'blocked', rootCause: `partition ${failed.partitionKey}: ${failed.rootCause}` });
    return;
  }
  const anyRan = s.partitions.some((p) => p.state === 'materialized' && (p.materialized ?? 0) > 0);
  if (d.state === 'current' && !anyRan) return;
  s.phase = 'downstream';
  await runChild(input, d, 'downstream', d.keys, undefined);
}

/** One child materialize run; its outcome lands on `target` (a partition or a phase). */
async function runChild(
  input: BackfillInput,
  target: PartitionRun | PhaseRun,
  suffix: string,
  keys: string[],
  partitionKey: string | undefined,
): Promise<void> {
  target.state = 'running';
  const { workflowId } = workflowInfo();
  try {
    const summary = await executeChild(materializeWorkflow, {
      workflowId: `${workflowId}/${suffix}`,
      args: [
        {
          selection: input.selection,
          assetKeys: keys,
          partitionKey,
          sourceDir: input.sourceDir,
          force: input.force,
          maxParallel: 2,
          allowShrink: input.allowShrink,
          retryFailed: input.retryFailed,
          // The child is admitted by its parent's signature, bound to the parent's workflow id (which the server records).
          signedParent: { workflowType: 'backfillWorkflow', input: signedPart(input) },
        },
      ],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      staticSummary: `backfill ${input.backfillId}: ${partitionKey ?? `${suffix} phase`} of ${input.selection}`,
      typedSearchAttributes: [
        { key: SA_BACKFILL_ID, value: input.backfillId },
        { key: SA_ASSET_KEYS, value: assetKeysAttribute(keys) },
        { key: SA_SELECTION, value: input.selection },
        ...(partitionKey ? [{ key: SA_PARTITION_KEY, value: partitionKey }] : []),
      ],
    });
    Object.assign(target, { state: 'materialized', ...counts(summary) });
  } catch (err) {
    Object.assign(target, { state: 'failed', rootCause: rootCause(err) });
  }
}

/** The backfill's input as the CLI signed it: without the state that continue-as-new carries. */
function signedPart(input: BackfillInput): Omit<BackfillInput, 'state'> {
  const { state: _state, ...signed } = input;
  return signed;
}

function counts(summary: RunSummary) {
  return {
    materialized: summary.assets.filter((a) => a.state === 'materialized').length,
    skipped: summary.assets.filter((a) => a.state === 'skipped').length,
  };
}

/** 'domain/sales/orders@2017-11 CHECK.BLOCKING_FAILED: …' from a failed child's run summary, else the failure's message. */
function rootCause(err: unknown): string {
  const cause = err instanceof ChildWorkflowFailure ? err.cause : undefined;
  if (cause instanceof ApplicationFailure && cause.type === FAILURE_TYPE) {
    const summary = cause.details?.[0] as RunSummary | undefined;
    const root = summary?.assets.find((a) => a.key === summary.rootCauses[0]);
    if (root) return `${root.key} ${root.error?.code ?? 'ERROR'}: ${root.error?.message ?? ''}`;
  }
  return (cause ?? (err as Error)).message;
}
