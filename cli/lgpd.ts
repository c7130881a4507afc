// `dw lgpd export|erase --customer-unique-id ID`: LGPD requests (access and erasure), each audited under the person's
// keyed hash (the id itself never enters the audit log: the command's arguments are not recorded for these commands).
import fs from 'node:fs';
import type { Command } from 'commander';
import { type ErasureReport, erasePerson } from '../activities/lgpd/erase';
import { exportPerson } from '../activities/lgpd/export';
import { ID_PATTERN, keyedHash } from '../activities/lgpd/subject';
import { loadConfig } from '../infra/config';
import * as services from '../infra/services';
import { audit } from './audit';
import { jsonOption, print, withPool } from './command';
import { UsageError, count, table } from './output';

function customerUniqueId(v: string | undefined): string {
  if (!v) throw new UsageError('give the person as --customer-unique-id ID (the customer_unique_id of the Olist customers file)');
  if (!ID_PATTERN.test(v)) throw new UsageError('--customer-unique-id is not an id (letters, digits, - and _, at most 64)', 'LGPD.BAD_ID');
  return v;
}

/** Runs `act` between an audit start event and an end event that says how it went; `detail` never holds the id. */
async function audited<T>(
  action: string,
  subjectHash: string,
  detail: Record<string, unknown>,
  act: () => Promise<T>,
  summary: (r: T) => object,
) {
  const startId = await audit({ action, phase: 'start', detail: { subjectHash, ...detail } }).catch((err: Error) => {
    throw new Error(`cannot write the audit event of dw ${action} (${err.message}), so it did not run: check the database with dw status`);
  });
  const started = Date.now();
  try {
    const result = await act();
    await audit({
      action,
      phase: 'end',
      outcome: 'ok',
      detail: { startId, subjectHash, durationMs: Date.now() - started, ...summary(result) },
    });
    return result;
  } catch (err) {
    const error = (err as Error).message;
    await audit({
      action,
      phase: 'end',
      outcome: 'failed',
      detail: { startId, subjectHash, durationMs: Date.now() - started, error },
    }).catch((e: Error) => process.stderr.write(`dw: the audit event of this command's end could not be written: ${e.message}\n`));
    throw err;
  }
}

export function registerLgpd(program: Command): void {
  // These commands audit themselves under the person's keyed hash (audited above), not in cli/audit.ts's AUDITED: the
  // generic audit records a command's arguments, which would put the id itself in the append-only log for good.
  const cmd = program
    .command('lgpd')
    .description('LGPD requests about one person: export what is held, erase it for good (docs/security.md)');
  cmd
    .command('export')
    .description(
      'everything held about a person, every layer (raw, staging, domain, events, quarantine, marts, kept versions, audit), as JSON',
    )
    .option('--customer-unique-id <id>', "the person's customer_unique_id")
    .option('--out <file>', 'write the JSON here (mode 0600) instead of the standard output')
    .action(async (opts) => {
      const id = customerUniqueId(opts.customerUniqueId);
      if (loadConfig().embeddedDatabase) await services.up({ worker: false });
      await withPool(async (pool) => {
        const subjectHash = await keyedHash(pool, id);
        const doc = await audited(
          'lgpd export',
          subjectHash,
          { out: opts.out ? 'file' : 'stdout' },
          () => exportPerson(pool, id),
          (d) => ({ counts: d.counts, sealedOpened: d.sealedOpened }),
        );
        const text = `${JSON.stringify(doc, null, 2)}\n`;
        if (opts.out) {
          fs.writeFileSync(opts.out, text, { mode: 0o600 });
          fs.chmodSync(opts.out, 0o600);
          const rows = Object.entries(doc.counts).filter(([, n]) => n > 0);
          process.stderr.write(
            `wrote ${opts.out}: ${rows.map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing is held about this person'}\n`,
          );
        } else process.stdout.write(text);
      });
    });
  cmd
    .command('erase')
    .description('remove a person from every layer in one transaction and tombstone their ids, so that no later load brings them back')
    .option('--customer-unique-id <id>', "the person's customer_unique_id")
    .option('--dry-run', 'report what would be erased, change nothing')
    .addOption(jsonOption())
    .action(async (opts) => {
      const id = customerUniqueId(opts.customerUniqueId);
      const config = loadConfig();
      if (config.embeddedDatabase) await services.up({ worker: false });
      const report = await withPool(async (pool) =>
        audited(
          opts.dryRun ? 'lgpd erase --dry-run' : 'lgpd erase',
          await keyedHash(pool, id),
          { dryRun: !!opts.dryRun },
          () =>
            erasePerson(pool, id, {
              dryRun: !!opts.dryRun,
              taskQueue: config.taskQueue,
              onWait: () => process.stderr.write('waiting for a dbt build and publication to end…\n'),
            }),
          (r) => ({ requestId: r.requestId, tombstones: r.tombstones, touched: r.touched }),
        ),
      );
      print(report, !!opts.json, () => human(report));
    });
}

function human(r: ErasureReport): string {
  const total = r.touched.reduce((n, t) => n + t.rows, 0);
  const head = r.dryRun
    ? `dry run (nothing changed): would erase ${count(total)} rows`
    : `erased ${count(total)} rows; request ${r.requestId}; ${r.tombstones} tombstones`;
  return [
    `${head} (${r.customerIds} customer ids, ${r.orderIds} orders; person ${r.subjectHash.slice(0, 12)}…)`,
    table(
      r.touched.map((t) => [t.relation, count(t.rows)]),
      ['relation', 'rows'],
    ),
    r.marts.length ? `marts with rows deleted: ${r.marts.join(', ')}` : 'no published mart held a row of this person',
    `note: ${r.aggregatesNote}`,
  ].join('\n');
}
