// `dw rollback MODEL`: publish a kept version of a dbt model again.
import type { Command } from 'commander';
import { loadManifest, publishedRelations } from '../activities/dbt/manifest';
import { RollbackError, rollbackModel } from '../activities/dbt/rollback';
import { loadConfig } from '../infra/config';
import { jsonOption, print, withPool } from './command';
import { UsageError } from './output';

export function registerRollback(program: Command): void {
  program
    .command('rollback <model>')
    .description('publish a kept version of a dbt model (a table) again, in one transaction with its ledger record')
    .option('--version <id>', 'the kept version (dw_meta.published_versions id); default: the newest kept')
    .addOption(jsonOption())
    .action(async (model: string, opts) => {
      const relation = publishedRelations(await loadManifest(loadConfig().databaseUrl)).get(model);
      if (!relation) throw new UsageError(`'${model}' is not a dbt model (dbt/<model>)`);
      if (opts.version !== undefined && !/^\d+$/.test(opts.version))
        throw new UsageError(`--version '${opts.version}' is not a version id`);
      const r = await withPool((pool) =>
        rollbackModel(pool, relation, model, opts.version === undefined ? undefined : Number(opts.version)),
      ).catch((err) => {
        throw err instanceof RollbackError ? new UsageError(err.message) : err;
      });
      print(
        r,
        opts.json,
        () =>
          `${model}: version ${r.restored.id} (published by run ${r.restored.runId} at ${r.restored.publishedAt}) is published again` +
          `${r.retiredAs ? `; the version it replaced is kept as ${r.retiredAs}` : ''}`,
      );
    });
}
