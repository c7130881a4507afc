// The ledger (dw_meta) and the quarantine: materializations, checks, checkpoints, row accounting, rejected rows, quality results and scores.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, numeric, pgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const meta = pgSchema('dw_meta');
export const quarantineSchema = pgSchema('quarantine');

/** One row per run of the materialize workflow. */
export const runs = meta.table('runs', {
  runId: text('run_id').primaryKey(),
  workflowId: text('workflow_id').notNull(),
  selection: text('selection').notNull(),
  partitionKey: text('partition_key'),
  status: text('status').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  summary: jsonb('summary'),
});

/** One row per attempt to materialize an asset partition that did work (checkpoint hits are not attempts). */
export const materializations = meta.table(
  'materializations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: text('run_id').notNull(),
    assetKey: text('asset_key').notNull(),
    partitionKey: text('partition_key').notNull().default(''),
    status: text('status').notNull(), // success | failed | blocked
    inputVersion: text('input_version'),
    dataVersion: text('data_version'),
    rowsRead: bigint('rows_read', { mode: 'number' }),
    rowsWritten: bigint('rows_written', { mode: 'number' }),
    rowsQuarantined: bigint('rows_quarantined', { mode: 'number' }),
    rowsDeduplicated: bigint('rows_deduplicated', { mode: 'number' }),
    durationMs: integer('duration_ms'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    blockedBy: text('blocked_by'),
    metadata: jsonb('metadata'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('materializations_asset_idx').on(t.assetKey, t.partitionKey, t.id)],
);

/** One row per check evaluated on a materialization. */
export const checkResults = meta.table(
  'check_results',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    materializationId: bigint('materialization_id', { mode: 'number' }).notNull(),
    assetKey: text('asset_key').notNull(),
    partitionKey: text('partition_key').notNull().default(''),
    checkName: text('check_name').notNull(),
    passed: boolean('passed').notNull(),
    blocking: boolean('blocking').notNull(),
    message: text('message').notNull(),
    metadata: jsonb('metadata'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('check_results_materialization_idx').on(t.materializationId)],
);

/** The current state of each asset partition: what the last successful materialization was made from. */
export const checkpoints = meta.table(
  'checkpoints',
  {
    assetKey: text('asset_key').notNull(),
    partitionKey: text('partition_key').notNull().default(''),
    inputVersion: text('input_version').notNull(),
    dataVersion: text('data_version').notNull(),
    materializationId: bigint('materialization_id', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.assetKey, t.partitionKey] })],
);

/**
 * The content digest of each monthly partition's rows in a staged table, for one version of that table (and of the
 * order → month map): what a partitioned downstream's input version reads, so a change to one month's rows makes
 * only that month stale. The row with partition_key '' marks the version as computed.
 */
export const partitionDigests = meta.table(
  'partition_digests',
  {
    assetKey: text('asset_key').notNull(),
    versionKey: text('version_key').notNull(),
    partitionKey: text('partition_key').notNull(),
    digest: text('digest').notNull(),
  },
  (t) => [primaryKey({ columns: [t.assetKey, t.versionKey, t.partitionKey] })],
);

/** Row accounting per materialization and source file: read = written + quarantined + deduplicated. */
export const rowAccounting = meta.table('row_accounting', {
  materializationId: bigint('materialization_id', { mode: 'number' }).primaryKey(),
  assetKey: text('asset_key').notNull(),
  partitionKey: text('partition_key').notNull().default(''),
  sourceFile: text('source_file'),
  sourceSha256: text('source_sha256'),
  rowsRead: bigint('rows_read', { mode: 'number' }).notNull(),
  rowsWritten: bigint('rows_written', { mode: 'number' }).notNull(),
  rowsQuarantined: bigint('rows_quarantined', { mode: 'number' }).notNull(),
  rowsDeduplicated: bigint('rows_deduplicated', { mode: 'number' }).notNull(),
});

/** Every row that failed a contract or a rule, with the reason and where it came from. */
export const quarantinedRows = quarantineSchema.table(
  'rows',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    assetKey: text('asset_key').notNull(),
    partitionKey: text('partition_key').notNull().default(''),
    ruleCode: text('rule_code').notNull(),
    reason: text('reason').notNull(),
    sourceFile: text('source_file'),
    sourceSha256: text('source_sha256'),
    sourceRow: bigint('source_row', { mode: 'number' }),
    /** The record with its personal data masked (schema/pii.ts): what `dw quarantine list` shows. */
    record: jsonb('record').notNull(),
    /** The whole record as written, sealed (pii.seal, scope quarantine): `dw quarantine list --reveal` opens it. */
    sealedRecord: text('sealed_record'),
    createdAt: timestamp('created_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [index('quarantine_asset_idx').on(t.assetKey, t.partitionKey), index('quarantine_rule_idx').on(t.ruleCode)],
);

/**
 * Write-audit-publish of the dbt models: one row per version of a model's relation that was published. The current
 * one has retired_at null; retired ones are kept (renamed into the `dw_versions` schema) for rollback, the last N.
 */
export const publishedVersions = meta.table(
  'published_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    assetKey: text('asset_key').notNull(),
    runId: text('run_id').notNull(),
    materializationId: bigint('materialization_id', { mode: 'number' }),
    inputVersion: text('input_version').notNull(),
    relationKind: text('relation_kind').notNull(), // table | view
    rowCount: bigint('row_count', { mode: 'number' }),
    /** While retired: where the relation is kept (`dw_versions.<name>`); null once dropped or while published. */
    archivedAs: text('archived_as'),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    droppedAt: timestamp('dropped_at', { withTimezone: true }),
  },
  (t) => [index('published_versions_asset_idx').on(t.assetKey, t.id)],
);

/** Every row removed by the prune of a partition that a successful load no longer has: nothing leaves unaccounted. */
export const prunedRows = meta.table(
  'pruned_rows',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: text('run_id').notNull(),
    partitionKey: text('partition_key').notNull(),
    tableName: text('table_name').notNull(),
    rowsRemoved: bigint('rows_removed', { mode: 'number' }).notNull(),
    prunedAt: timestamp('pruned_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('pruned_rows_run_idx').on(t.runId)],
);

/** The dbt lease: one row per `dbt build`, who held it and when; two never overlap (an advisory lock guards it). */
export const dbtLeases = meta.table('dbt_leases', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  runId: text('run_id').notNull(),
  holder: text('holder').notNull(),
  dbtPid: integer('dbt_pid'),
  acquiredAt: timestamp('acquired_at', { withTimezone: true }).notNull().defaultNow(),
  releasedAt: timestamp('released_at', { withTimezone: true }),
});

/**
 * Data quality (migration 0008): one row per expectation evaluated, per asset partition, per run. Suites, contract
 * rules, domain rules, row conservation and dbt tests all report here (`source`); `examples` holds ≤ 20 failing rows
 * as `{ sourceFile, record, values }`. Aggregate kinds (sum_equals, freshness, drift, row_count_between) count as
 * one evaluated item, failed 0 or 1.
 */
export const expectationResults = meta.table(
  'expectation_results',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: text('run_id').notNull(),
    assetKey: text('asset_key').notNull(),
    partitionKey: text('partition_key').notNull().default(''),
    suite: text('suite').notNull(),
    expectationId: text('expectation_id').notNull(),
    kind: text('kind').notNull(),
    source: text('source').notNull(), // suite | contract | domain | conservation | dbt
    dimension: text('dimension').notNull(),
    severity: text('severity').notNull(), // warn | block
    weight: numeric('weight').notNull(),
    columnName: text('column_name'),
    evaluated: bigint('evaluated', { mode: 'number' }).notNull(),
    failed: bigint('failed', { mode: 'number' }).notNull(),
    observed: jsonb('observed'),
    outcome: text('outcome').notNull(), // pass | warn | fail
    examples: jsonb('examples')
      .notNull()
      .default(sql`'[]'::jsonb`),
    evaluatedAt: timestamp('evaluated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('expectation_results_asset_idx').on(t.assetKey, t.evaluatedAt), index('expectation_results_run_idx').on(t.runId)],
);

/** Scores per run × asset × dimension; asset_key '*' is the run's overall, dimension 'overall' an asset's. score in [0,1]. */
export const qualityScores = meta.table(
  'quality_scores',
  {
    runId: text('run_id').notNull(),
    assetKey: text('asset_key').notNull(),
    dimension: text('dimension').notNull(),
    score: numeric('score').notNull(),
    evaluated: bigint('evaluated', { mode: 'number' }).notNull(),
    failed: bigint('failed', { mode: 'number' }).notNull(),
    slaStatus: text('sla_status').notNull(), // pass | warn | block
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.assetKey, t.dimension] }), index('quality_scores_computed_idx').on(t.computedAt)],
);
