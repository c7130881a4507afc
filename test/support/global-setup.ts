// Integration tests: the real embedded Postgres and Temporal dev server, a migrated template database, one workflow bundle.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { ROOT, STATE_DIR, embeddedDatabaseUrl } from '../../infra/config';
import { createPool } from '../../infra/db';
import { applyMigrations } from '../../infra/migrate';
import { dropDatabase, ensureDatabase, startPostgres } from '../../infra/services/postgres';
import { startTemporal } from '../../infra/services/temporal';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // One template per test process, so that two test runs on one machine do not drop each other's template.
  const TEMPLATE_DB = `dw_test_template_${process.pid}`;
  if (process.env.DATABASE_URL || process.env.TEMPORAL_ADDRESS) {
    console.warn('integration tests use the embedded services; DATABASE_URL / TEMPORAL_ADDRESS are ignored here');
  }
  await startPostgres(undefined, undefined, { requirePasswords: false }); // a test run does not lock out a running dev cluster's clients; dw up does
  await startTemporal();
  await dropDatabase(TEMPLATE_DB);
  await ensureDatabase(TEMPLATE_DB);
  const pool = createPool(embeddedDatabaseUrl(TEMPLATE_DB), 1);
  await applyMigrations(pool);
  await pool.end();

  const bundlePath = path.join(STATE_DIR, 'test', `workflow-bundle-${process.pid}.js`);
  fs.mkdirSync(path.dirname(bundlePath), { recursive: true });
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(ROOT, 'workflows', 'index.ts'), logger: quietLogger });
  fs.writeFileSync(bundlePath, code);
  project.provide('workflowBundlePath', bundlePath);
  project.provide('templateDb', TEMPLATE_DB);
  return async () => {
    await dropDatabase(TEMPLATE_DB);
    fs.rmSync(bundlePath, { force: true });
  };
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

declare module 'vitest' {
  export interface ProvidedContext {
    workflowBundlePath: string;
    templateDb: string;
  }
}
