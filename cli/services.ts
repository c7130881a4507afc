// `dw up`, `dw down` and `dw status`: the local services, every asset with its last materialization, .dw's size by part.
import type { Command } from 'commander';
import { latestStatus } from '../activities/ledger/ledger';
import { publicationStatus } from '../activities/ledger/published';
import { STATE_DIR } from '../infra/config';
import { formatBytes } from '../infra/disk-space';
import * as services from '../infra/services';
import { stateDiskUsage } from '../infra/services/disk-usage';
import { prometheusStatus, startPrometheus, stopPrometheus } from '../infra/services/prometheus';
import { commandGraph, jsonOption, print, withPool } from './command';
import { count, ms, table } from './output';
import { temporalUi } from './temporal-client';

export function registerServices(program: Command): void {
  program
    .command('up')
    .description('start Postgres, the Temporal dev server and the worker (what is missing), and apply migrations')
    .option('--monitoring', 'also start Prometheus scraping the worker, with the alert rules (data under .dw/prometheus)')
    .addOption(jsonOption())
    .action(async (opts) => {
      await services.up();
      if (opts.monitoring) await startPrometheus();
      const s = [...(await services.status()), await prometheusStatus()];
      print(
        s,
        opts.json,
        () =>
          `${table(
            s.map((x) => [x.name, x.state, x.detail]),
            ['service', 'state', 'detail'],
          )}\nTemporal UI: ${temporalUi()}`,
      );
    });

  program
    .command('down')
    .description('stop Prometheus, the worker, the Temporal dev server and Postgres (data under .dw is kept)')
    .action(async () => {
      await stopPrometheus();
      await services.down();
      process.stdout.write('services stopped\n');
    });

  program
    .command('status')
    .description('the services, every asset with its last materialization and row counts, and the size of .dw by part')
    .addOption(jsonOption())
    .action(async (opts) => {
      const svc = [...(await services.status()), await prometheusStatus()];
      const pgUp = svc[0]?.state !== 'down';
      const [assets, publications] = pgUp
        ? await withPool(async (pool) => [await latestStatus(pool), await publicationStatus(pool)] as const).catch(
            () => [[], new Map()] as const,
          )
        : ([[], new Map()] as const);
      const graph = await commandGraph();
      const rows = graph.keys().flatMap((key) => {
        const found = assets.filter((a) => a.assetKey === key);
        return found.length ? found : [{ assetKey: key, partitionKey: '', status: 'never', current: false } as (typeof assets)[number]];
      });
      // dbt models: the version readers see (write-audit-publish) and, when the latest attempt did not publish, that candidate.
      const models = graph
        .keys()
        .filter((k) => graph.get(k).kind === 'dbt')
        .map((key) => ({ assetKey: key, ...publications.get(key) }));
      // What .dw takes on disk by part (embedded services only: an external database's size is not here).
      const disk = stateDiskUsage();
      print({ services: svc, assets: rows, models, disk }, opts.json, () =>
        [
          table(
            svc.map((x) => [x.name, x.state, x.detail]),
            ['service', 'state', 'detail'],
          ),
          '',
          table(
            rows.map((a) => [
              a.assetKey,
              a.partitionKey || '—',
              a.status === 'success' ? (a.current ? 'materialized' : 'materialized (superseded)') : a.status,
              count(a.rowsRead),
              count(a.rowsWritten),
              count(a.rowsQuarantined),
              count(a.rowsDeduplicated),
              ms(a.durationMs),
              a.at ?? '',
              a.blockedBy ? `blocked by ${a.blockedBy}` : (a.errorMessage ?? ''),
            ]),
            ['asset', 'partition', 'status', 'read', 'written', 'quarantined', 'deduplicated', 'time', 'at', 'detail'],
          ),
          '',
          table(
            models.map((m) => [
              m.assetKey,
              m.published ? `run ${m.published.runId} at ${m.published.at}` : 'never published',
              count(m.published?.rowCount ?? null),
              m.candidate ? `${m.candidate.status} in run ${m.candidate.runId} at ${m.candidate.at}: ${m.candidate.reason}` : '—',
            ]),
            ['dbt model', 'published version', 'rows', 'failed candidate'],
          ),
          '',
          table(
            disk.map((d) => [d.part, d.part === 'total' ? STATE_DIR : d.path, formatBytes(d.bytes)]),
            ['.dw on disk', 'path', 'size'],
          ),
        ].join('\n'),
      );
    });
}
