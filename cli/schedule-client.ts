// Schedules of materialize runs, on Temporal Schedules.
import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { type Duration, TypedSearchAttributes } from '@temporalio/common';
import { canonicalSelection } from '../assets';
import { type MaterializeInput, SA_ASSET_KEYS, SA_SELECTION, assetKeysAttribute } from '../workflows/definitions';
import { loadConfig } from '../infra/config';
import { UsageError } from './output';
import { scheduleBinding } from '../infra/run-signature';
import { onQueue, signedInput } from './temporal-client';

/**
 * Overlap policy: SKIP. A materialize run does everything an earlier fire would have done (checkpoints make it
 * idempotent and incremental), so a fire while the previous run is still going adds nothing but a second writer on
 * the same tables; the next fire picks up whatever changed meanwhile. A fire missed while the server was down is
 * still taken within the catch-up window (one day: a nightly run late is better than none); SKIP keeps it to one.
 */
export const DEFAULT_OVERLAP = 'skip';
export const CATCHUP_WINDOW = '1 day';
const OVERLAPS = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'] as const;
export type Overlap = (typeof OVERLAPS)[number];

export function parseOverlap(v: string): Overlap {
  if (!(OVERLAPS as readonly string[]).includes(v)) throw new UsageError(`--overlap '${v}' is not one of ${OVERLAPS.join(', ')}`);
  return v as Overlap;
}

export interface ScheduleRequest {
  name: string;
  cron?: string;
  every?: string;
  timezone?: string;
  input: MaterializeInput;
  assetKeys: string[];
  overlap: Overlap;
  paused?: boolean;
  note?: string;
}

/** A schedule's id: its name, prefixed by the task queue when it is not the default one (like workflow ids). */
export function scheduleId(name: string, taskQueue = loadConfig().taskQueue): string {
  return onQueue(name, taskQueue);
}

export async function createSchedule(client: Client, r: ScheduleRequest, taskQueue = loadConfig().taskQueue): Promise<string> {
  if (!/^[\w.-]+$/.test(r.name)) throw new UsageError(`schedule name '${r.name}' may hold letters, digits, '.', '_' and '-' only`);
  if (!r.cron === !r.every) throw new UsageError('give exactly one of --cron EXPR or --every DURATION');
  if (r.every && !/^\d+(ms|s|m|h|d)$/.test(r.every))
    throw new UsageError(`--every '${r.every}' is not a duration such as 30s, 15m, 6h or 1d`);
  const specText = r.cron ? `cron ${r.cron}${r.timezone ? ` (${r.timezone})` : ''}` : `every ${r.every}`;
  const id = scheduleId(r.name, taskQueue);
  await client.schedule
    .create({
      scheduleId: id,
      memo: { selection: r.input.selection, spec: specText },
      spec: {
        ...(r.cron ? { cronExpressions: [r.cron] } : { intervals: [{ every: r.every as Duration }] }),
        ...(r.timezone ? { timezone: r.timezone } : {}),
      },
      action: {
        type: 'startWorkflow',
        workflowType: 'materializeWorkflow',
        workflowId: `schedule:${id}`,
        taskQueue,
        // Each fire gets a new workflow id: the input is bound to the schedule, which the server names on every run.
        args: [signedInput('materializeWorkflow', scheduleBinding(id), r.input)],
        memo: { selection: r.input.selection, assetKeys: r.assetKeys },
        staticSummary: `materialize ${canonicalSelection(r.input.selection)} from ${r.input.sourceDir}, by schedule ${r.name}`,
        typedSearchAttributes: new TypedSearchAttributes([
          { key: SA_ASSET_KEYS, value: assetKeysAttribute(r.assetKeys) },
          { key: SA_SELECTION, value: canonicalSelection(r.input.selection) },
        ]),
      },
      policies: {
        overlap: ScheduleOverlapPolicy[r.overlap.toUpperCase() as keyof typeof ScheduleOverlapPolicy],
        catchupWindow: CATCHUP_WINDOW,
      },
      state: { paused: r.paused ?? false, note: r.note ?? `created by dw schedule create` },
    })
    .catch((err: unknown) => {
      if (err instanceof ScheduleAlreadyRunning)
        throw new UsageError(`schedule '${r.name}' exists: dw schedule delete ${r.name} first, or pick another name`);
      throw err;
    });
  return id;
}

export interface ScheduleRow {
  name: string;
  spec: string;
  selection: string;
  paused: boolean;
  note: string;
  nextRuns: string[];
  lastRuns: { at: string; workflowId: string }[];
}

export async function listSchedules(client: Client, taskQueue = loadConfig().taskQueue): Promise<ScheduleRow[]> {
  const rows: ScheduleRow[] = [];
  const prefix = onQueue('', taskQueue);
  for await (const s of client.schedule.list()) {
    const foreign = prefix ? !s.scheduleId.startsWith(prefix) : s.scheduleId.includes('/');
    if (foreign || s.action?.type !== 'startWorkflow' || s.action.workflowType !== 'materializeWorkflow') continue;
    const d = await client.schedule.getHandle(s.scheduleId).describe();
    rows.push({
      name: s.scheduleId.slice(prefix.length),
      spec: String(s.memo?.spec ?? ''),
      selection: String(s.memo?.selection ?? ''),
      paused: d.state.paused,
      note: d.state.note ?? '',
      nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
      lastRuns: d.info.recentActions.slice(-3).map((a) => ({ at: a.takenAt.toISOString(), workflowId: a.action.workflow.workflowId })),
    });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/** The schedule's handle, or a usage error naming the command that lists them. */
export async function scheduleHandle(client: Client, name: string, taskQueue = loadConfig().taskQueue) {
  const handle = client.schedule.getHandle(scheduleId(name, taskQueue));
  try {
    await handle.describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new UsageError(`no schedule '${name}': dw schedule list shows them`, 'NOT_FOUND');
    throw err;
  }
  return handle;
}
