// Configuration: read once from the environment, parsed with zod, with the embedded local defaults.
import path from 'node:path';
import { z } from 'zod';

export const ROOT = path.resolve(__dirname, '..');
export const STATE_DIR = path.join(ROOT, '.dw');
export const DEFAULT_SOURCE_DIR = path.join(ROOT, 'data', 'olist-sample');

/** Ports of the embedded services; chosen away from the usual defaults so a system Postgres does not collide. */
export const EMBEDDED = {
  pgPort: 54329,
  pgUser: 'dw',
  pgDatabase: 'dw',
  temporalPort: 7233,
  temporalUiPort: 8233,
  metricsPort: 9464,
} as const;

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('dw'),
  TEMPORAL_CLI: z.string().min(1).optional(),
  DW_SOURCE_DIR: z.string().min(1).optional(),
  DW_LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  DW_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(EMBEDDED.metricsPort),
  DW_OBSERVABILITY: z.enum(['on', 'off']).default('on'),
  DW_KEEP_VERSIONS: z.coerce.number().int().min(0).max(100).default(3),
  DW_DBT_KEEP_RUNS: z.coerce.number().int().min(1).max(1000).default(10),
  DW_QUALITY: z.enum(['on', 'off']).default('on'),
  DW_QUALITY_SLA: z.enum(['warn', 'block']).default('warn'),
  DW_QUALITY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
});

export interface Config {
  /** Postgres connection string; the embedded cluster when DATABASE_URL is not set. */
  databaseUrl: string;
  /** True when the database is the embedded cluster under .dw/pg, which `dw up` manages. */
  embeddedDatabase: boolean;
  temporalAddress: string;
  embeddedTemporal: boolean;
  temporalNamespace: string;
  taskQueue: string;
  temporalCli: string | undefined;
  sourceDir: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  metricsPort: number;
  /** DW_OBSERVABILITY=off: the worker serves no metrics, installs no activity interceptors and writes no .jsonl log (the benchmark's baseline). */
  observability: boolean;
  /** Retired versions of each published dbt model kept for rollback (write-audit-publish). */
  keepVersions: number;
  /** dbt target/log directories kept under .dw/dbt/runs; older ones are removed. */
  dbtKeepRuns: number;
  /** DW_QUALITY=off: no expectation suites run after materializations (the benchmark's baseline); external checks still record. */
  quality: boolean;
  /** What an SLA breach (overall quality score below 95%, or an asset below its floor) does to the run: report it, or fail the run. */
  qualitySla: 'warn' | 'block';
  /** Expectation results and quality scores older than this many days are deleted at the end of each run. */
  qualityRetentionDays: number;
}

export function embeddedDatabaseUrl(database: string = EMBEDDED.pgDatabase): string {
  return `postgres://${EMBEDDED.pgUser}@127.0.0.1:${EMBEDDED.pgPort}/${database}`;
}

let cached: Config | undefined;

/** Parses the environment once; a malformed value fails fast with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (cached && env === process.env) return cached;
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration in the environment (${issues}): fix or unset these variables`);
  }
  const e = parsed.data;
  const config: Config = {
    databaseUrl: e.DATABASE_URL ?? embeddedDatabaseUrl(),
    embeddedDatabase: e.DATABASE_URL === undefined,
    temporalAddress: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${EMBEDDED.temporalPort}`,
    embeddedTemporal: e.TEMPORAL_ADDRESS === undefined,
    temporalNamespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    temporalCli: e.TEMPORAL_CLI,
    sourceDir: path.resolve(e.DW_SOURCE_DIR ?? DEFAULT_SOURCE_DIR),
    logLevel: e.DW_LOG_LEVEL,
    metricsPort: e.DW_METRICS_PORT,
    observability: e.DW_OBSERVABILITY === 'on',
    keepVersions: e.DW_KEEP_VERSIONS,
    dbtKeepRuns: e.DW_DBT_KEEP_RUNS,
    quality: e.DW_QUALITY === 'on',
    qualitySla: e.DW_QUALITY_SLA,
    qualityRetentionDays: e.DW_QUALITY_RETENTION_DAYS,
  };
  if (env === process.env) cached = config;
  return config;
}
