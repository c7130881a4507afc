// `dw backfill status [ID]` and `dw backfill cancel ID`: follow or stop a backfill after it started.
import type { Command } from 'commander';
import { loadConfig } from '../infra/config';
import { SA_BACKFILL_ID } from '../workflows/definitions';
import { jsonOption, print, withClient } from './command';
import { UsageError, backfillTable, table, tally } from './output';
import { backfillProgress, backfillWorkflowId } from './temporal-client';

export function registerBackfillStatus(backfill: Command): void {
  backfill
    .command('status')
    .argument('[id]', 'backfill id (bf-…); without it, the recent backfills')
    .description("a backfill's progress: done, running, failed and blocked partitions, with the root cause of each failure")
    .addOption(jsonOption())
    .action(async (id: string | undefined, _opts, cmd: Command) => {
      // --json may land on `backfill` itself (it has the same option).
      const opts = cmd.optsWithGlobals();
      await withClient(async (client) => {
        if (!id) {
          const rows: { backfillId: string; status: string; started: string; selection: unknown; from: unknown; to: unknown }[] = [];
          for await (const w of client.workflow.list({
            query: `WorkflowType = 'backfillWorkflow' AND TaskQueue = '${loadConfig().taskQueue}'`,
            pageSize: 20,
          })) {
            rows.push({
              backfillId: String(w.typedSearchAttributes.get(SA_BACKFILL_ID) ?? w.workflowId),
              status: w.status.name,
              started: w.startTime.toISOString(),
              selection: w.memo?.selection,
              from: w.memo?.from,
              to: w.memo?.to,
            });
            if (rows.length >= 20) break;
          }
          return print(rows, opts.json, () =>
            rows.length
              ? table(
                  rows.map((r) => [
                    r.backfillId,
                    r.status,
                    r.started,
                    String(r.selection),
                    String(r.from ?? 'first'),
                    String(r.to ?? 'last'),
                  ]),
                  ['backfill', 'status', 'started', 'selection', 'from', 'to'],
                )
              : 'no backfills yet',
          );
        }
        const progress = await backfillProgress(client, backfillWorkflowId(id));
        if (!progress) throw new UsageError(`no backfill '${id}': dw backfill status lists the recent ones`, 'NOT_FOUND');
        print(
          progress,
          opts.json,
          () =>
            `${backfillTable(progress)}\n${progress.status}: ${tally(progress.partitions.map((x) => x.state))} (phase ${progress.phase}, ${progress.runs} workflow run(s))`,
        );
        process.exitCode = progress.status === 'failed' ? 1 : 0;
      });
    });

  backfill
    .command('cancel')
    .argument('<id>', 'backfill id (bf-…)')
    .description('cancel a running backfill: partitions in flight are cancelled, finished ones stay materialized')
    .action(async (id: string) => {
      await withClient(async (client) => {
        const handle = client.workflow.getHandle(backfillWorkflowId(id));
        const d = await handle.describe().catch(() => undefined);
        if (!d) throw new UsageError(`no backfill '${id}': dw backfill status lists the recent ones`, 'NOT_FOUND');
        if (d.status.name !== 'RUNNING') throw new UsageError(`backfill ${id} is not running (${d.status.name.toLowerCase()})`);
        await handle.cancel();
        process.stdout.write(`backfill ${id}: cancellation requested; the same dw backfill command resumes it later\n`);
      });
    });
}
