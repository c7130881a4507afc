// Configuration: read once from the environment, parsed with zod, with the embedded local defaults.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { type RoleName, readSecrets, secretsPath, withRole } from './secrets';

export const ROOT = path.resolve(__dirname, '..');
export const STATE_DIR = path.join(ROOT, '.dw');
export const DEFAULT_SOURCE_DIR = path.join(ROOT, 'data', 'olist-sample');
/**
 * Where runs may read source files when DW_SOURCE_ROOTS is not set: the repository's data/, the shared Olist exports
 * beside it, and the OS temp dir (tests and `dw generate --out` use it). A production worker sets DW_SOURCE_ROOTS to its
 * export drop folder(s) only (docs/security.md).
 */
export const DEFAULT_SOURCE_ROOTS = [path.join(ROOT, 'data'), path.resolve(ROOT, '..', 'shared', 'olist'), os.tmpdir()];
/** The embedded cluster's generated passwords (0600); see infra/secrets.ts. */
export const SECRETS_FILE = secretsPath(STATE_DIR);

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
  DW_WORKER_DATABASE_URL: z.string().url().optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('dw'),
  TEMPORAL_CLI: z.string().min(1).optional(),
  DW_SOURCE_DIR: z.string().min(1).optional(),
  DW_SOURCE_ROOTS: z.string().min(1).optional(),
  DW_TEMPORAL_NAMESPACE: z.string().min(1).optional(),
  DW_TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  DW_TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  DW_TEMPORAL_TLS_CA: z.string().min(1).optional(),
  DW_TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  DW_LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  DW_AUDIT_KEY_FILE: z.string().min(1).optional(),
  DW_AUDIT_ANCHOR: z.string().min(1).optional(),
  DW_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(EMBEDDED.metricsPort),
  DW_OBSERVABILITY: z.enum(['on', 'off']).default('on'),
  DW_KEEP_VERSIONS: z.coerce.number().int().min(0).max(100).default(3),
  DW_DBT_KEEP_RUNS: z.coerce.number().int().min(1).max(1000).default(10),
  DW_QUALITY: z.enum(['on', 'off']).default('on'),
  DW_QUALITY_SLA: z.enum(['warn', 'block']).default('warn'),
  DW_QUALITY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  DW_DBT_SCHEMA: z.string().min(1).default('analytics'),
  DW_OLIST_REFERENCE_DIR: z.string().optional(),
  DW_MASTER_KEY_FILE: z.string().min(1).optional(),
  DW_RUN_SIGNING_KEY_FILE: z.string().min(1).optional(),
  DW_READER_DATABASE_URL: z.string().url().optional(),
  DW_AUTH_JWKS_URL: z.string().url().optional(),
  DW_AUTH_ISSUER: z.string().min(1).optional(),
  DW_AUTH_AUDIENCE: z.string().min(1).optional(),
  DW_AUTH_KEY_DIR: z.string().min(1).optional(),
});

export interface Config {
  /** Postgres connection string; the embedded cluster when DATABASE_URL is not set. */
  databaseUrl: string;
  /** The worker's (and dbt's) connection: the least-privileged dw_worker role (DW_WORKER_DATABASE_URL for an external database). */
  workerDatabaseUrl: string;
  /** The master keys that wrap the PII data keys (infra/keys.ts): DW_MASTER_KEY_FILE, default .dw/master-keys. */
  masterKeyFile: string;
  /** The key the CLI signs data-changing run inputs with and the worker checks them with (infra/run-signature.ts): DW_RUN_SIGNING_KEY_FILE, default .dw/run-signing-key. */
  runSigningKeyFile: string;
  /** True when the database is the embedded cluster under .dw/pg, which `dw up` manages. */
  embeddedDatabase: boolean;
  temporalAddress: string;
  embeddedTemporal: boolean;
  temporalNamespace: string;
  taskQueue: string;
  temporalCli: string | undefined;
  sourceDir: string;
  /** The folders runs may read sources from (DW_SOURCE_ROOTS, separated by ':'), checked by the CLI and the worker. */
  sourceRoots: string[];
  /** TLS to the Temporal frontend: client certificate and key files (mTLS), CA file; undefined = plain (the dev server). */
  temporalTls: { certFile?: string; keyFile?: string; caFile?: string; serverName?: string } | undefined;
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
  /** The schema dbt builds into (dbt/profiles.yml); default analytics. */
  dbtSchema: string;
  /** DW_OLIST_REFERENCE_DIR: the generator's real reference rows, instead of the ones it ships (generator/reference.ts). */
  olistReferenceDir: string | undefined;
  /** The audit chain's HMAC key (infra/audit-log.ts): DW_AUDIT_KEY_FILE, default `audit-key` beside the master key file. */
  auditKeyFile: string;
  /**
   * Where the audit log's head is anchored after every append (DW_AUDIT_ANCHOR, comma-separated): file paths (appended
   * to), `syslog` (logger) and `journal` (systemd-cat). Default: .dw/audit-anchor.log and syslog.
   */
  auditAnchors: string[];
  /** The web/API's connection: dw_reader (DW_READER_DATABASE_URL for an external database; required there). */
  readerDatabaseUrl: string;
  /** How the web/API verifies JWTs: an OIDC provider's JWKS in production, or the local key pair under .dw/keys. */
  webAuth: WebAuthConfig;
}

/**
 * `jwks`: tokens from an OIDC provider (DW_AUTH_JWKS_URL, DW_AUTH_ISSUER, DW_AUTH_AUDIENCE, all three required).
 * `local`: tokens made by `dw token issue` with the key pair in `keyDir` (DW_AUTH_KEY_DIR, default .dw/keys).
 */
export type WebAuthConfig =
  { kind: 'jwks'; jwksUrl: string; issuer: string; audience: string } | { kind: 'local'; keyDir: string; issuer: string; audience: string };

/** The issuer and audience of locally issued tokens (unless DW_AUTH_ISSUER / DW_AUTH_AUDIENCE say otherwise). */
export const LOCAL_AUTH = { issuer: 'dw-local', audience: 'dw-web' } as const;

/**
 * A database of the embedded cluster as `role` (default the owner, which runs migrations), with its password from
 * .dw/secrets. Before that file exists (a cluster made before roles, until `dw up` upgrades it) the superuser `dw`.
 */
export function embeddedDatabaseUrl(database: string = EMBEDDED.pgDatabase, role: RoleName = 'dw_owner'): string {
  const secrets = readSecrets(SECRETS_FILE);
  return withRole(`postgres://127.0.0.1:${EMBEDDED.pgPort}/${database}`, secrets ? role : EMBEDDED.pgUser, secrets);
}

/** The worker's URL for a database URL: on the embedded cluster the same database as dw_worker; elsewhere unchanged. */
export function workerUrlFor(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  const secrets = readSecrets(SECRETS_FILE);
  const embedded = u.hostname === '127.0.0.1' && u.port === String(EMBEDDED.pgPort);
  return embedded && secrets ? withRole(databaseUrl, 'dw_worker', secrets) : databaseUrl;
}

/**
 * The web/API's URL for a database URL: on the embedded cluster the same database as dw_reader; undefined elsewhere
 * (an external database needs DW_READER_DATABASE_URL: the API never connects as the owner).
 */
export function readerUrlFor(databaseUrl: string): string | undefined {
  const u = new URL(databaseUrl);
  const secrets = readSecrets(SECRETS_FILE);
  const embedded = u.hostname === '127.0.0.1' && u.port === String(EMBEDDED.pgPort);
  return embedded && secrets ? withRole(databaseUrl, 'dw_reader', secrets) : undefined;
}

function webAuth(e: z.infer<typeof schema>): WebAuthConfig {
  const { DW_AUTH_JWKS_URL: jwksUrl, DW_AUTH_ISSUER: issuer, DW_AUTH_AUDIENCE: audience } = e;
  if (jwksUrl === undefined)
    return {
      kind: 'local',
      keyDir: path.resolve(e.DW_AUTH_KEY_DIR ?? path.join(STATE_DIR, 'keys')),
      issuer: issuer ?? LOCAL_AUTH.issuer,
      audience: audience ?? LOCAL_AUTH.audience,
    };
  if (issuer === undefined || audience === undefined)
    throw new Error(
      'invalid configuration in the environment (DW_AUTH_JWKS_URL needs DW_AUTH_ISSUER and DW_AUTH_AUDIENCE): set all three, or none for local tokens',
    );
  const u = new URL(jwksUrl);
  if (u.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname))
    throw new Error('invalid configuration in the environment (DW_AUTH_JWKS_URL must be https): set the https URL of the JWKS');
  return { kind: 'jwks', jwksUrl, issuer, audience };
}

function temporalTls(e: z.infer<typeof schema>): Config['temporalTls'] {
  const {
    DW_TEMPORAL_TLS_CERT: certFile,
    DW_TEMPORAL_TLS_KEY: keyFile,
    DW_TEMPORAL_TLS_CA: caFile,
    DW_TEMPORAL_TLS_SERVER_NAME: serverName,
  } = e;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new Error(
      'invalid configuration in the environment (DW_TEMPORAL_TLS_CERT and DW_TEMPORAL_TLS_KEY go together): set both for mTLS, or neither',
    );
  }
  return certFile || caFile || serverName ? { certFile, keyFile, caFile, serverName } : undefined;
}

/** DW_AUDIT_ANCHOR's destinations: `syslog` and `journal` as they are, anything else a file path (resolved). */
function auditAnchors(v: string | undefined): string[] {
  if (v === undefined) return [path.join(STATE_DIR, 'audit-anchor.log'), 'syslog'];
  const list = v
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => (d === 'syslog' || d === 'journal' ? d : path.resolve(d)));
  if (!list.length)
    throw new Error('invalid configuration in the environment (DW_AUDIT_ANCHOR: no destination): set a file path, syslog or journal');
  return list;
}

/**
 * DW_DEBUG set (non-empty): a failed dw command also prints the error's stack. Read apart from loadConfig, so that the
 * error of an invalid configuration prints its stack too.
 */
export function debugEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DW_DEBUG);
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
    // Getters: the passwords are read when used, so a first `dw up` that generates them sees them.
    get databaseUrl() {
      return e.DATABASE_URL ?? embeddedDatabaseUrl();
    },
    get workerDatabaseUrl() {
      return e.DW_WORKER_DATABASE_URL ?? workerUrlFor(this.databaseUrl);
    },
    masterKeyFile: path.resolve(e.DW_MASTER_KEY_FILE ?? path.join(STATE_DIR, 'master-keys')),
    runSigningKeyFile: path.resolve(e.DW_RUN_SIGNING_KEY_FILE ?? path.join(STATE_DIR, 'run-signing-key')),
    embeddedDatabase: e.DATABASE_URL === undefined,
    temporalAddress: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${EMBEDDED.temporalPort}`,
    embeddedTemporal: e.TEMPORAL_ADDRESS === undefined,
    temporalNamespace: e.DW_TEMPORAL_NAMESPACE ?? e.TEMPORAL_NAMESPACE, // one namespace per environment
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    temporalCli: e.TEMPORAL_CLI,
    sourceDir: path.resolve(e.DW_SOURCE_DIR ?? DEFAULT_SOURCE_DIR),
    sourceRoots: e.DW_SOURCE_ROOTS
      ? e.DW_SOURCE_ROOTS.split(path.delimiter)
          .filter(Boolean)
          .map((r) => path.resolve(r))
      : DEFAULT_SOURCE_ROOTS,
    temporalTls: temporalTls(e),
    logLevel: e.DW_LOG_LEVEL,
    metricsPort: e.DW_METRICS_PORT,
    observability: e.DW_OBSERVABILITY === 'on',
    keepVersions: e.DW_KEEP_VERSIONS,
    dbtKeepRuns: e.DW_DBT_KEEP_RUNS,
    quality: e.DW_QUALITY === 'on',
    qualitySla: e.DW_QUALITY_SLA,
    qualityRetentionDays: e.DW_QUALITY_RETENTION_DAYS,
    dbtSchema: e.DW_DBT_SCHEMA,
    olistReferenceDir: e.DW_OLIST_REFERENCE_DIR || undefined,
    auditKeyFile: path.resolve(
      e.DW_AUDIT_KEY_FILE ??
        path.join(path.dirname(path.resolve(e.DW_MASTER_KEY_FILE ?? path.join(STATE_DIR, 'master-keys'))), 'audit-key'),
    ),
    auditAnchors: auditAnchors(e.DW_AUDIT_ANCHOR),
    get readerDatabaseUrl() {
      const url = e.DW_READER_DATABASE_URL ?? readerUrlFor(this.databaseUrl);
      if (url === undefined)
        throw new Error('no connection for the web/API: set DW_READER_DATABASE_URL to the dw_reader role (docs/security.md)');
      return url;
    },
    webAuth: webAuth(e),
  };
  if (env === process.env) cached = config;
  return config;
}
