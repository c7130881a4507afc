// Named activity timeout profiles: 'load' for long I/O that heartbeats, 'plan' and 'maintenance' for minutes of set-based
// SQL, 'bookkeeping' for quick ledger records.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

export const load = proxyActivities<Pick<Activities, 'materializeAsset' | 'buildDbtModels'>>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/** Planning reads the ledger and hashes the source files: minutes at most, no heartbeat. */
export const plan = proxyActivities<Pick<Activities, 'planBackfill'>>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

/**
 * Set-based work over whole tables, once per run: the prune deletes the lost months from six domain tables (at
 * scale 3 a month holds ~7,500 orders and their rows), the run end scores the run's quality and applies retention.
 * Neither fits the 30 s of a local activity at scale, so they run as regular activities with minutes each.
 */
export const maintenance = proxyActivities<Pick<Activities, 'prunePartitions' | 'recordRunEnd'>>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

/**
 * Ledger bookkeeping runs as local activities: milliseconds of work each, in the worker that runs the workflow,
 * without a round trip through the server's task queue (a marker in the history records each result).
 */
export const bookkeeping = proxyLocalActivities<
  Pick<Activities, 'extraAssets' | 'listPartitions' | 'recordRunStart' | 'recordBlocked' | 'recordFailed'>
>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumAttempts: 10 },
});

/**
 * Admission and the run's end in the audit log: a history read and an append each, milliseconds of work, so local
 * activities like the bookkeeping (no round trip through the task queue for each of a backfill's children). Retried
 * through a database restart (minutes); a refusal is non-retryable and ends the run before anything else is scheduled.
 */
export const admission = proxyLocalActivities<Pick<Activities, 'admitRun' | 'auditRunEnd'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 30 },
});
