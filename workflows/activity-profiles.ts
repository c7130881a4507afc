// Named activity timeout profiles: 'load' for long I/O that heartbeats, 'ledger' for quick bookkeeping.
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
 * Ledger bookkeeping runs as local activities: milliseconds of work each, in the worker that runs the workflow,
 * without a round trip through the server's task queue (a marker in the history records each result).
 */
export const ledger = proxyLocalActivities<Omit<Activities, 'materializeAsset' | 'buildDbtModels' | 'planBackfill'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumAttempts: 10 },
});
