// Admission of every run the worker executes, however it was started (dw, the Temporal CLI or UI, a schedule, a
// backfill's child, a reset): the signature of its input is checked against the server's record of the run, and the
// run is audited at its start (admitted or refused) and at its end.
import { Context } from '@temporalio/activity';
import { type Client, ScheduleNotFoundError } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { appendAudit } from '../../infra/audit-log';
import { loadConfig } from '../../infra/config';
import type { Pool } from '../../infra/db';
import { type Verdict, readRunSigningKey, scheduleBinding, verifyRun, workflowBinding } from '../../infra/run-signature';
import type { Admission } from '../../workflows/definitions';

/** Workflow types that change data: each needs a signed input (or a signed parent). */
const SIGNED_TYPES = new Set(['materializeWorkflow', 'backfillWorkflow']);
/** temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW: the mark a reset leaves. */
const RESET_WORKFLOW_CAUSE = 20;
/** The memo is written by whoever started the run: kept in the audit event up to this many characters. */
const MAX_MEMO_CHARS = 4000;
/** A field of the input (a folder, a selection) in the audit event, up to this many characters. */
const MAX_FIELD_CHARS = 500;

type Payload = Parameters<typeof defaultPayloadConverter.fromPayload>[0];
type Input = Record<string, unknown>;

/** What the Temporal server recorded about the run's start (nothing here comes from the workflow's code). */
export interface StartFacts {
  input: unknown;
  identity: string;
  memo: Record<string, unknown>;
  scheduledBy?: string;
  parent?: { workflowId: string; runId: string };
  continuedFrom?: string;
  /** A reset: the run it was reset from and the reason given (the server records no requester in the new run). */
  reset?: { baseRunId: string; reason?: string };
}

/** The run's start as the server recorded it: the first event of its history, and the mark of a reset if it was one. */
async function startFacts(client: Client, namespace: string, workflowId: string, runId: string): Promise<StartFacts> {
  let facts: StartFacts | undefined;
  let nextPageToken: Uint8Array | undefined;
  // Admission is the run's first activity: its history is a handful of events (a reset adds one), two pages at most.
  for (let page = 0; page < 2; page++) {
    const res = await client.workflowService.getWorkflowExecutionHistory({
      namespace,
      execution: { workflowId, runId },
      maximumPageSize: 100,
      nextPageToken,
    });
    for (const ev of res.history?.events ?? []) {
      const s = ev.workflowExecutionStartedEventAttributes;
      if (s) {
        const decode = (p: Payload | null | undefined) => (p ? decodeOrMark(p) : undefined);
        const memo = Object.fromEntries(Object.entries(s.memo?.fields ?? {}).map(([k, p]) => [k, decode(p)]));
        const scheduledBy = decode(s.searchAttributes?.indexedFields?.TemporalScheduledById);
        facts = {
          input: decode(s.input?.payloads?.[0]),
          identity: (s.identity ?? '').slice(0, 200),
          memo,
          scheduledBy: typeof scheduledBy === 'string' && scheduledBy ? scheduledBy : undefined,
          parent: s.parentWorkflowExecution?.workflowId
            ? { workflowId: s.parentWorkflowExecution.workflowId, runId: s.parentWorkflowExecution.runId ?? '' }
            : undefined,
          continuedFrom: s.continuedExecutionRunId || undefined,
        };
      }
      const f = ev.workflowTaskFailedEventAttributes;
      if (facts && f && Number(f.cause) === RESET_WORKFLOW_CAUSE && f.newRunId === runId) {
        facts.reset = { baseRunId: f.baseRunId ?? '', reason: (f.failure?.message ?? '').slice(0, 500) };
      }
    }
    if (!res.nextPageToken?.length) break;
    nextPageToken = res.nextPageToken;
  }
  if (!facts) throw new Error(`the history of ${workflowId} (${runId}) has no start event`); // retried
  return facts;
}

/** A payload's value; one no converter of ours reads (any client may send any encoding) is marked, not thrown. */
function decodeOrMark(p: Payload): unknown {
  try {
    return defaultPayloadConverter.fromPayload(p);
  } catch {
    return '[undecodable payload]';
  }
}

const omit = (o: Input, ...keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
const refuse = (code: Extract<Verdict, { ok: false }>['code'], message: string): Verdict => ({ ok: false, code, message });
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The verdict on a run: its own signature bound to its workflow id (or the schedule that fired it), or, for a backfill's
 * child, the signature of the parent the server names, with the child's input within the parent's.
 */
export async function verdictOn(
  key: Buffer | undefined,
  run: { workflowType: string; workflowId: string; taskQueue: string },
  facts: StartFacts,
  server: {
    describeParent: (workflowId: string, runId: string) => Promise<{ type: string; taskQueue: string }>;
    /** Whether the schedule lists this workflow among the runs it started (the search attribute alone can be forged). */
    scheduleStarted: (scheduleId: string, workflowId: string) => Promise<boolean>;
  },
): Promise<{ verdict: Verdict; binding: string; via: Admission['via'] }> {
  const input = (facts.input ?? {}) as Input;
  const { workflowType, workflowId } = run;
  if (workflowType === 'materializeWorkflow' && input.signedParent !== undefined && input.runSignature === undefined) {
    const parent = facts.parent;
    const binding = parent ? workflowBinding(parent.workflowId) : '(no parent)';
    const result = (verdict: Verdict) => ({ verdict, binding, via: 'parent' as const });
    if (!parent) return result(refuse('RUN.UNSIGNED', 'the run names a signed parent but no parent run started it'));
    const signed = input.signedParent as { workflowType?: unknown; input?: unknown };
    if (signed.workflowType !== 'backfillWorkflow' || typeof signed.input !== 'object' || signed.input === null)
      return result(refuse('RUN.BAD_SIGNATURE', "the run's signed parent is not a backfill's input"));
    const v = verifyRun(key, 'backfillWorkflow', binding, signed.input);
    if (!v.ok) return result(v);
    const p = signed.input as Input;
    const keys = new Set(Array.isArray(p.assetKeys) ? (p.assetKeys as string[]) : []);
    const within =
      workflowId.startsWith(`${parent.workflowId}/`) &&
      ['selection', 'sourceDir', 'force', 'allowShrink', 'retryFailed'].every((k) => same(input[k], p[k])) &&
      Array.isArray(input.assetKeys) &&
      (input.assetKeys as unknown[]).every((k) => keys.has(k as string));
    if (!within) return result(refuse('RUN.BAD_SIGNATURE', "the run's input is not within its parent backfill's signed input"));
    const d = await server.describeParent(parent.workflowId, parent.runId);
    if (d.type !== 'backfillWorkflow' || d.taskQueue !== run.taskQueue)
      return result(
        refuse('RUN.BAD_SIGNATURE', `the run's parent is a ${d.type} on task queue ${d.taskQueue}, not this worker's backfill`),
      );
    return result({ ok: true });
  }
  const binding = facts.scheduledBy ? scheduleBinding(facts.scheduledBy) : workflowBinding(workflowId);
  const result = (verdict: Verdict) => ({ verdict, binding, via: 'signature' as const });
  // A backfill's state is carried across continue-as-new, unsigned: only a run that continued from another may hold one.
  if (workflowType === 'backfillWorkflow' && input.state !== undefined && !facts.continuedFrom && input.runSignature !== undefined)
    return result(refuse('RUN.BAD_SIGNATURE', 'the backfill carries a state but did not continue from an earlier run'));
  const v = verifyRun(key, workflowType, binding, workflowType === 'backfillWorkflow' ? omit(input, 'state') : input);
  if (v.ok && facts.scheduledBy && !(await server.scheduleStarted(facts.scheduledBy, workflowId)))
    return result(refuse('RUN.REBOUND', `the run names schedule ${facts.scheduledBy}, which did not start it`));
  return result(v);
}

/** What of the input the audit event names: the selection, partition, source and flags (never asset lists or state). */
function inputSummary(input: unknown): Record<string, unknown> {
  const i = (input ?? {}) as Input;
  const keys = ['selection', 'partitionKey', 'sourceDir', 'from', 'to', 'backfillId', 'force', 'allowShrink', 'retryFailed'];
  const capped = (v: unknown) => (typeof v === 'string' && v.length > MAX_FIELD_CHARS ? `${v.slice(0, MAX_FIELD_CHARS)}…` : v);
  return Object.fromEntries(keys.filter((k) => i[k] !== undefined).map((k) => [k, capped(i[k])]));
}

function memoOf(memo: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(memo);
  return text.length <= MAX_MEMO_CHARS ? memo : { truncated: text.slice(0, MAX_MEMO_CHARS) };
}

/**
 * The run's first activity: writes the `start` audit event (the Temporal identity and memo as recorded by the server,
 * the schedule, parent or reset behind it), then admits it, or writes a `refused` end event and fails the run with a
 * non-retryable RUN.UNSIGNED / RUN.BAD_SIGNATURE / RUN.REBOUND. Transient failures (history, database) are retried.
 */
export async function admitRun(pool: Pool): Promise<Admission> {
  const ctx = Context.current();
  const { namespace: workflowNamespace, taskQueue } = ctx.info;
  const { workflowId, runId, workflowType } = workflowRun();
  const facts = await startFacts(ctx.client, workflowNamespace, workflowId, runId);
  const { verdict, binding, via } = SIGNED_TYPES.has(workflowType)
    ? await verdictOn(readRunSigningKey(loadConfig().runSigningKeyFile), { workflowType, workflowId, taskQueue }, facts, {
        describeParent: async (id, rid) => {
          const d = await ctx.client.workflow.getHandle(id, rid || undefined).describe();
          return { type: d.type, taskQueue: d.taskQueue };
        },
        scheduleStarted: async (id, wid) => {
          const d = await ctx.client.schedule
            .getHandle(id)
            .describe()
            .catch((err: unknown) => {
              if (err instanceof ScheduleNotFoundError) return undefined;
              throw err;
            });
          if (!d) return false;
          const started = [...d.info.runningActions, ...d.info.recentActions.map((a) => a.action)].some(
            (a) => a.workflow.workflowId === wid,
          );
          // The schedule records its action just after starting it: a run this young may not be listed yet (retried).
          if (!started && ctx.info.attempt < 5) throw new Error(`schedule ${id} does not list ${wid} (yet)`);
          return started;
        },
      })
    : { verdict: { ok: true } as Verdict, binding: workflowBinding(workflowId), via: 'signature' as const };
  const action = `run ${workflowType}`;
  const detail = {
    workflowId,
    workflowType,
    taskQueue,
    namespace: workflowNamespace,
    temporalIdentity: facts.identity,
    memo: memoOf(facts.memo),
    input: inputSummary(facts.input),
    binding,
    ...(facts.scheduledBy ? { scheduledBy: facts.scheduledBy } : {}),
    ...(facts.parent ? { parent: facts.parent } : {}),
    ...(facts.continuedFrom ? { continuedFrom: facts.continuedFrom } : {}),
    ...(facts.reset ? { reset: facts.reset } : {}),
    admission: verdict.ok ? { admitted: true, via } : { admitted: false, code: verdict.code },
  };
  // A backfill's admitted child is anchored by its parent's end (infra/audit-log.ts); a refusal is anchored at once.
  const startId = await appendAudit(pool, { action, phase: 'start', runId, detail }, { anchor: !(verdict.ok && via === 'parent') });
  if (verdict.ok) return { runId, binding, via };
  await appendAudit(pool, {
    action,
    phase: 'end',
    outcome: 'refused',
    runId,
    detail: { startId, workflowId, code: verdict.code, error: verdict.message },
  });
  throw ApplicationFailure.create({ type: verdict.code, message: verdict.message, nonRetryable: true });
}

/** The workflow run this activity belongs to (these activities are scheduled by workflows only). */
function workflowRun(): { workflowId: string; runId: string; workflowType: string } {
  const { workflowExecution, workflowType } = Context.current().info;
  if (!workflowExecution || !workflowType)
    throw ApplicationFailure.nonRetryable('admission runs inside a workflow only', 'RUN.NO_WORKFLOW');
  return { ...workflowExecution, workflowType };
}

export interface RunEnd {
  /** The run admission admitted: another run id when a reset went past the admission (the history was copied). */
  admittedRunId: string;
  outcome: 'ok' | 'failed';
  error?: { type?: string; message: string };
  continuedAsNew?: boolean;
  /** A backfill's child: its end is anchored by the parent's (infra/audit-log.ts). */
  viaParent?: boolean;
}

/** The run's last activity, also after a failure or cancellation: the `end` audit event with its outcome. */
export async function auditRunEnd(pool: Pool, end: RunEnd): Promise<void> {
  const { workflowId, runId, workflowType } = workflowRun();
  await appendAudit(
    pool,
    {
      action: `run ${workflowType}`,
      phase: 'end',
      outcome: end.outcome,
      runId,
      detail: {
        workflowId,
        ...(end.admittedRunId !== runId ? { resetFrom: end.admittedRunId } : {}),
        ...(end.continuedAsNew ? { continuedAsNew: true } : {}),
        ...(end.error ? { error: { type: end.error.type, message: end.error.message.slice(0, 1000) } } : {}),
      },
    },
    { anchor: !end.viaParent },
  );
}
