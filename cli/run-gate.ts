// One run, one input: a run that reads a different source while another one is going is refused, not attached.
import type { Client } from '@temporalio/client';
import { UsageError } from './output';
import type { Pool } from '../infra/db';

/** What a run reads, kept in its memo so that a later command can compare. */
export interface SourceClaim {
  sourceDir: string;
  sourceFingerprint: string;
  /** False for runs that read no source file (dbt models only, say): they never conflict. */
  readsSource: boolean;
}

/**
 * Starts a run under a lock on the warehouse database: the running runs of this task queue are listed, a run that
 * reads another source is a usage error naming it, and the lock is held until the new run shows in the list, so two
 * commands started at once see each other.
 */
export async function startGated<T extends { workflowId: string }>(
  pool: Pool,
  client: Client,
  taskQueue: string,
  claim: SourceClaim,
  start: () => Promise<T>,
): Promise<T> {
  const db = await pool.connect();
  try {
    await db.query('SELECT pg_advisory_lock(hashtext($1))', [`dw:run-gate:${taskQueue}`]);
    for await (const run of client.workflow.list({ query: `ExecutionStatus = 'Running'` })) {
      if (run.taskQueue !== taskQueue) continue;
      const other = run.memo as Partial<SourceClaim> | undefined;
      if (!claim.readsSource || !other?.readsSource || other.sourceFingerprint === claim.sourceFingerprint) continue;
      throw new UsageError(
        `run ${run.workflowId} is reading another source (${other.sourceDir}) into this warehouse: wait for it or cancel it ` +
          `(temporal workflow cancel --workflow-id '${run.workflowId}') before loading ${claim.sourceDir}`,
        'RUN.SOURCE_CONFLICT',
      );
    }
    const started = await start();
    await untilListed(client, started.workflowId);
    return started;
  } finally {
    await db.query('SELECT pg_advisory_unlock(hashtext($1))', [`dw:run-gate:${taskQueue}`]).catch(() => undefined);
    db.release();
  }
}

/** Waits (up to 10 s) until the visibility store lists the run as running, or the run has already closed. */
async function untilListed(client: Client, workflowId: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      if (run.status.name === 'RUNNING') return;
    }
    if ((await client.workflow.getHandle(workflowId).describe()).status.name !== 'RUNNING') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
