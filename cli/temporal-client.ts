// Starting and following materialize runs through the Temporal client.
import os from 'node:os';
import { Client, Connection, WorkflowFailedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import { canonicalSelection } from '../assets';
import {
  BACKFILL_FAILURE_TYPE,
  type BackfillInput,
  type BackfillProgress,
  FAILURE_TYPE,
  type MaterializeInput,
  type RunSummary,
  SA_ASSET_KEYS,
  SA_BACKFILL_ID,
  SA_PARTITION_KEY,
  SA_SELECTION,
  assetKeysAttribute,
  backfillProgressQuery,
  progressQuery,
} from '../workflows/definitions';
import { EMBEDDED, loadConfig } from '../infra/config';
import { sha256Text } from '../infra/hash';
import { ensureRunSigningKey, signRun, workflowBinding } from '../infra/run-signature';
import { temporalTls } from '../infra/temporal-tls';
import { noteRun } from './audit-runs';

export async function connectClient(address = loadConfig().temporalAddress, namespace = loadConfig().temporalNamespace): Promise<Client> {
  const connection = await Connection.connect({ address, tls: temporalTls() }); // TLS/mTLS in production (DW_TEMPORAL_TLS_*)
  return new Client({ connection, namespace });
}

/**
 * The input signed for `binding` with the run signing key (made on first use, 0600 beside the master keys): the worker
 * runs a data-changing workflow only with a signature bound to its workflow id or schedule (docs/security.md).
 */
export function signedInput<T extends object>(workflowType: string, binding: string, input: T): T {
  return signRun(ensureRunSigningKey(loadConfig().runSigningKeyFile), workflowType, binding, input);
}

/**
 * Workflow id from the business key: the same selection, partition and input fingerprint always map to the same id.
 * A task queue other than the default one is a separate deployment (a test, a second warehouse) and prefixes the id.
 */
export function materializeWorkflowId(
  selection: string,
  partitionKey: string | undefined,
  taskQueue = loadConfig().taskQueue,
  inputFingerprint?: string,
): string {
  const base = `materialize:${canonicalSelection(selection)}:${partitionKey ?? 'all'}`;
  return onQueue(inputFingerprint ? `${base}:${inputFingerprint}` : base, taskQueue);
}

/** What changes what a run does besides its selection: the source's content and the flags; 12 hex digits. */
export function inputFingerprint(input: MaterializeInput, sourceFingerprint: string): string {
  const flags = [input.force && 'force', input.allowShrink && 'allow-shrink', input.retryFailed && 'retry-failed'].filter(Boolean);
  return sha256Text(sourceFingerprint, input.partitionKey ?? '', ...(flags as string[])).slice(0, 12);
}

/** An id on a task queue: the default queue's ids are bare, another queue's (a test, a second warehouse) carry it as a prefix. */
export function onQueue(id: string, taskQueue = loadConfig().taskQueue): string {
  return taskQueue === 'dw' ? id : `${taskQueue}/${id}`;
}

/** The local Temporal Web UI, or the page of one workflow in it. */
export function temporalUi(workflowId?: string): string {
  const base = `http://localhost:${EMBEDDED.temporalUiPort}`;
  return workflowId === undefined
    ? base
    : `${base}/namespaces/${loadConfig().temporalNamespace}/workflows/${encodeURIComponent(workflowId)}`;
}

/** A backfill's id from its business key (selection and range): the same backfill again is the same id. */
export function backfillId(selection: string, from: string | undefined, to: string | undefined): string {
  return `bf-${sha256Text(canonicalSelection(selection), from ?? '', to ?? '').slice(0, 10)}`;
}

export function backfillWorkflowId(id: string, taskQueue = loadConfig().taskQueue): string {
  return onQueue(id, taskQueue);
}

/** Starts the backfill, or attaches to the same one (same selection and range) while it runs. */
export async function startBackfill(
  client: Client,
  input: BackfillInput,
  taskQueue = loadConfig().taskQueue,
  memo?: Record<string, unknown>,
) {
  const workflowId = backfillWorkflowId(input.backfillId, taskQueue);
  return client.workflow
    .start('backfillWorkflow', {
      taskQueue,
      workflowId,
      args: [signedInput('backfillWorkflow', workflowBinding(workflowId), input)],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      memo: {
        ...memo,
        selection: input.selection,
        from: input.from ?? null,
        to: input.to ?? null,
        assetKeys: input.assetKeys,
        startedBy: startedBy(),
      },
      staticSummary: `backfill ${canonicalSelection(input.selection)} ${input.from ?? 'first'} … ${input.to ?? 'last'} from ${input.sourceDir}, by ${startedBy()}`,
      typedSearchAttributes: new TypedSearchAttributes([
        { key: SA_BACKFILL_ID, value: input.backfillId },
        { key: SA_ASSET_KEYS, value: assetKeysAttribute(input.assetKeys) },
        { key: SA_SELECTION, value: canonicalSelection(input.selection) },
      ]),
    })
    .then(noteRun); // the command's audit event names the run
}

/**
 * A backfill's progress: the live query while it runs (following continue-as-new), the result or the failure's
 * details once it has closed. Undefined when no backfill has this id.
 */
export async function backfillProgress(client: Client, workflowId: string): Promise<BackfillProgress | undefined> {
  const handle = client.workflow.getHandle(workflowId);
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return undefined;
    throw err;
  }
  if (status === 'RUNNING') return handle.query(backfillProgressQuery);
  if (status === 'COMPLETED' || status === 'FAILED') return awaitBackfill(client, workflowId);
  // Cancelled or terminated: its state when it stopped (the worker replays the history to answer).
  return { ...(await handle.query(backfillProgressQuery)), status: 'cancelled' };
}

/** Waits for the backfill's end (across continue-as-new); a failed backfill yields its progress instead of throwing. */
export async function awaitBackfill(
  client: Client,
  workflowId: string,
  onProgress?: (p: BackfillProgress) => void,
): Promise<BackfillProgress> {
  const handle = client.workflow.getHandle(workflowId);
  return follow(
    async () => (await handle.result()) as BackfillProgress,
    onProgress && (() => handle.query(backfillProgressQuery)),
    onProgress,
    BACKFILL_FAILURE_TYPE,
  );
}

/**
 * Starts the run, or attaches to the one already running for the same selection and partition (so two
 * identical commands do the work once). A closed run of the same id may be followed by a new one.
 */
export async function startMaterialize(
  client: Client,
  input: MaterializeInput,
  assetKeys: string[],
  taskQueue = loadConfig().taskQueue,
  memo?: Record<string, unknown>,
) {
  const workflowId = materializeWorkflowId(input.selection, input.partitionKey, taskQueue, input.inputFingerprint);
  return client.workflow
    .start('materializeWorkflow', {
      taskQueue,
      workflowId,
      args: [signedInput('materializeWorkflow', workflowBinding(workflowId), input)],
      memo: { ...memo, assetKeys, startedBy: startedBy() },
      staticSummary: `materialize ${canonicalSelection(input.selection)}${input.partitionKey ? ` @ ${input.partitionKey}` : ''} from ${input.sourceDir}, by ${startedBy()}`,
      staticDetails: runDetails(input, assetKeys),
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: new TypedSearchAttributes([
        { key: SA_ASSET_KEYS, value: assetKeysAttribute(assetKeys) },
        { key: SA_SELECTION, value: canonicalSelection(input.selection) },
        ...(input.partitionKey ? [{ key: SA_PARTITION_KEY, value: input.partitionKey }] : []),
      ]),
    })
    .then(noteRun); // the command's audit event names the run
}

/** Who started a run, for its memo and its summary in the Temporal UI: the OS user and host of the command. */
export function startedBy(): string {
  return `${os.userInfo().username}@${os.hostname()}`;
}

/** The run's static details in the Temporal UI (markdown): what it reads and does. */
function runDetails(input: MaterializeInput, assetKeys: string[]): string {
  const flags = [input.force && '--force', input.allowShrink && '--allow-shrink', input.retryFailed && '--retry-failed'].filter(Boolean);
  return [
    `**selection** \`${input.selection}\` (${assetKeys.length} assets)`,
    `**partition** ${input.partitionKey ?? 'all'}`,
    `**source** \`${input.sourceDir}\``,
    ...(flags.length ? [`**flags** ${flags.join(' ')}`] : []),
  ].join('  \n');
}

/** Waits for the run's end; a failed run yields its summary (from the failure details) instead of throwing. */
export async function awaitSummary(
  client: Client,
  workflowId: string,
  runId: string | undefined,
  onProgress?: (s: RunSummary) => void,
): Promise<RunSummary> {
  const handle = client.workflow.getHandle(workflowId, runId);
  return follow(
    async () => (await handle.result()) as RunSummary,
    onProgress && (() => handle.query(progressQuery)),
    onProgress,
    FAILURE_TYPE,
  );
}

/** Polls `query` for progress until `result` settles; a failure of `failureType` yields its first detail. */
async function follow<T>(
  result: () => Promise<T>,
  query: (() => Promise<T>) | undefined,
  onProgress: ((p: T) => void) | undefined,
  failureType: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  if (query && onProgress) {
    const poll = async () => {
      try {
        onProgress(await query());
      } catch {
        /* the run may have just ended, or continued as new */
      }
      if (!stopped) timer = setTimeout(poll, 250);
    };
    timer = setTimeout(poll, 100);
  }
  try {
    return await result();
  } catch (err) {
    if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure && err.cause.type === failureType) {
      return err.cause.details?.[0] as T;
    }
    throw err;
  } finally {
    stopped = true;
    if (timer) clearTimeout(timer);
  }
}
