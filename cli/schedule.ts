// `dw schedule create|list|pause|unpause|delete|trigger`: materialize runs on Temporal Schedules.
import type { Command } from 'commander';
import { select } from '../assets';
import { commandGraph, jsonOption, print, sourceOption, withClient } from './command';
import { table } from './output';
import { DEFAULT_OVERLAP, createSchedule, listSchedules, parseOverlap, scheduleHandle } from './schedule-client';
import { sourceDir } from './source';

export function registerSchedule(program: Command): void {
  const schedule = program
    .command('schedule')
    .description('materialize runs on a schedule (Temporal Schedules; overlapping fires are skipped)');

  schedule
    .command('create')
    .argument('<name>', 'schedule name (letters, digits, . _ -)')
    .description('materialize a selection on a cron or an interval')
    .option('--cron <expr>', "cron expression, e.g. '0 3 * * *' (03:00 daily)")
    .option('--every <duration>', "fixed interval, e.g. '6h', '30m', '10s'")
    .option('--timezone <tz>', 'time zone of the cron expression (default UTC)')
    .option('--select <expr>', 'assets to materialize', '*')
    .addOption(sourceOption())
    .option(
      '--overlap <policy>',
      `when a fire comes while the last run still runs: ${'skip (default), buffer_one, buffer_all, cancel_other, terminate_other, allow_all'}`,
      parseOverlap,
      DEFAULT_OVERLAP,
    )
    .option('--paused', 'create it paused')
    .option('--note <text>', 'a note shown with the schedule')
    .addOption(jsonOption())
    .action(async (name: string, opts) => {
      const assetKeys = select(await commandGraph(), opts.select);
      const id = await withClient((client) =>
        createSchedule(client, {
          name,
          cron: opts.cron,
          every: opts.every,
          timezone: opts.timezone,
          assetKeys,
          overlap: opts.overlap,
          paused: opts.paused,
          note: opts.note,
          input: { selection: opts.select, sourceDir: sourceDir(opts.source) },
        }),
      );
      print(
        { schedule: name, scheduleId: id },
        opts.json,
        () =>
          `schedule ${name} created (${opts.cron ? `cron ${opts.cron}` : `every ${opts.every}`}, overlap ${opts.overlap}); its runs are in the Temporal UI under TemporalScheduledById = '${id}'`,
      );
    });

  schedule
    .command('list')
    .description('the schedules: spec, selection, paused, next and last runs')
    .addOption(jsonOption())
    .action(async (opts) => {
      const rows = await withClient((client) => listSchedules(client));
      print(rows, opts.json, () =>
        rows.length
          ? table(
              rows.map((r) => [
                r.name,
                r.spec,
                r.selection,
                r.paused ? `paused${r.note ? ` (${r.note})` : ''}` : 'active',
                r.nextRuns[0] ?? '',
                r.lastRuns.at(-1)?.at ?? 'never',
              ]),
              ['schedule', 'spec', 'selection', 'state', 'next run', 'last run'],
            )
          : 'no schedules: dw schedule create NAME --cron EXPR',
      );
    });

  const verbs = [
    ['pause', 'stop firing until unpaused'],
    ['unpause', 'fire again'],
    ['delete', 'remove the schedule (its past runs stay)'],
    ['trigger', 'fire once now'],
  ] as const;
  for (const [verb, description] of verbs) {
    schedule
      .command(verb)
      .argument('<name>', 'schedule name')
      .option('--note <text>', 'why (shown by dw schedule list)')
      .description(description)
      .action(async (name: string, opts) => {
        await withClient(async (client) => {
          const handle = await scheduleHandle(client, name);
          if (verb === 'pause') await handle.pause(opts.note ?? 'paused with dw schedule pause');
          else if (verb === 'unpause') await handle.unpause(opts.note ?? 'unpaused with dw schedule unpause');
          else if (verb === 'delete') await handle.delete();
          else await handle.trigger();
        });
        process.stdout.write(`schedule ${name}: ${verb === 'trigger' ? 'triggered' : `${verb}d`}\n`);
      });
  }
}
