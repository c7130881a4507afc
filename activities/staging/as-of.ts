// The load's as-of date: the last day a source date may hold (a purchase after it is SALES.PURCHASE_DATE_IN_FUTURE).
import type { PoolClient } from '../../infra/db';
import { badInput } from '../errors';
import { activityContext } from '../shared/activity-context';

export interface AsOf {
  /** 'YYYY-MM-DD'. */
  asOf: string;
  /** Where it came from, for the check message. */
  from: 'DW_AS_OF' | 'run start' | 'transaction start';
}

/**
 * DW_AS_OF when set (tests and generated data pin it); else the UTC date on which the run that stages started
 * (dw_meta.runs.started_at of this activity's workflow run), so every asset of a run judges dates alike; outside a run
 * (a direct call), the transaction's start date. Decided when staging runs: a checkpoint hit keeps the earlier decision
 * (a future-dated order is re-judged when its file or the contract changes, or with --force).
 */
export async function resolveAsOf(client: PoolClient, configured: string | undefined = configuredAsOf()): Promise<AsOf> {
  if (configured !== undefined) return { asOf: configured, from: 'DW_AS_OF' };
  const runId = activityContext()?.info.workflowExecution?.runId;
  const r = await client.query(
    `SELECT (SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM dw_meta.runs WHERE run_id = $1) AS run,
            to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS tx`,
    [runId ?? null],
  );
  const row = r.rows[0]! as { run: string | null; tx: string };
  return row.run !== null ? { asOf: row.run, from: 'run start' } : { asOf: row.tx, from: 'transaction start' };
}

/** DW_AS_OF, checked: 'YYYY-MM-DD' or unset. */
export function configuredAsOf(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.DW_AS_OF;
  if (v === undefined || v === '') return undefined;
  // Non-retryable: the worker's environment is wrong, and retrying cannot fix it.
  if (!/^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/.test(v))
    throw badInput('CONFIG.INVALID', `DW_AS_OF must be a date 'YYYY-MM-DD', got '${v}': fix or unset it in the worker's environment`);
  return v;
}
