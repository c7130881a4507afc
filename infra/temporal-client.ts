// Starting and following materialize runs through the Temporal client.
import { Client, Connection, WorkflowFailedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import { canonicalSelection } from '../assets';
import {
  FAILURE_TYPE, type MaterializeInput, type RunSummary, SA_ASSET_KEYS, SA_PARTITION_KEY, SA_SELECTION, progressQuery,
} from '../workflows/definitions';
import { loadConfig } from './config';

export async function connectClient(address = loadConfig().temporalAddress, namespace = loadConfig().temporalNamespace): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace });
}

/**
 * Workflow id from the business key: the same selection and partition always map to the same id. A task queue
 * other than the default one is a separate deployment (a test, a second warehouse) and prefixes the id.
 */
export function materializeWorkflowId(selection: string, partitionKey: string | undefined, taskQueue = loadConfig().taskQueue): string {
  const id = `materialize:${canonicalSelection(selection)}:${partitionKey ?? 'all'}`;
  return taskQueue === 'dw' ? id : `${taskQueue}/${id}`;
}

/**
 * Starts the run, or attaches to the one already running for the same selection and partition (so two
 * identical commands do the work once). A closed run of the same id may be followed by a new one.
 */
export async function startMaterialize(client: Client, input: MaterializeInput, assetKeys: string[], taskQueue = loadConfig().taskQueue) {
  return client.workflow.start('materializeWorkflow', {
    taskQueue,
    workflowId: materializeWorkflowId(input.selection, input.partitionKey, taskQueue),
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: new TypedSearchAttributes([
      { key: SA_ASSET_KEYS, value: assetKeys },
      { key: SA_SELECTION, value: canonicalSelection(input.selection) },
      ...(input.partitionKey ? [{ key: SA_PARTITION_KEY, value: input.partitionKey }] : []),
    ]),
  });
}

/** Waits for the run's end; a failed run yields its summary (from the failure details) instead of throwing. */
export async function awaitSummary(
  client: Client, workflowId: string, runId: string | undefined, onProgress?: (s: RunSummary) => void,
): Promise<RunSummary> {
  const handle = client.workflow.getHandle(workflowId, runId);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  if (onProgress) {
    const poll = async () => {
      try {
        onProgress(await handle.query(progressQuery));
      } catch {
        /* the run may have just ended */
      }
      if (!stopped) timer = setTimeout(poll, 250);
    };
    timer = setTimeout(poll, 100);
  }
  try {
    return (await handle.result()) as RunSummary;
  } catch (err) {
    if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure && err.cause.type === FAILURE_TYPE) {
      return err.cause.details?.[0] as RunSummary;
    }
    throw err;
  } finally {
    stopped = true;
    if (timer) clearTimeout(timer);
  }
}
