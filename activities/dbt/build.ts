// dbt/* assets, write-audit-publish: the stale models built by one `dbt build` into shadow schemas, audited, published in one transaction.
import { type AssetGraph, guardsOf } from '../../assets';
import { loadConfig } from '../../infra/config';
import type { Pool } from '../../infra/db';
import { logger } from '../../infra/logger';
import { type Checkpoint, getCheckpoint, recordMaterialization } from '../ledger/ledger';
import { type Attempt, lastAttempt } from '../ledger/published';
import { LedgerVersions, isCurrent, readVersion } from '../ledger/versions';
import { activityContext } from '../shared/activity-context';
import { judgeShrink } from '../shared/guards';
import type { AssetResult } from '../types';
import { loadManifest, publishedRelations } from './manifest';
import { ensureRowSecurity } from './rls';
import { type Verdict, buildInShadow } from './shadow-build';
import { missingRelations, publishModels, recordUnpublished } from './publish';
import { auditShadows } from '../quality/dbt-audit';
import { type Relation, countRows, dropShadows, existing, pruneVersions, relId, shadowOf, withPublishLock } from './wap';

export interface DbtBuildInput {
  runId: string;
  /** dbt/<model> asset keys, in the selection. */
  assetKeys: string[];
  /** With a partition, the incremental facts rebuild only that month (dbt var partition_key). */
  partitionKey?: string;
  force?: boolean;
  /** Publish a model even when its row count shrinks beyond its guard. */
  allowShrink?: boolean;
  /** Rebuild models whose last attempt failed although their inputs did not change. */
  retryFailed?: boolean;
}

const log = logger('dbt-build');
export async function buildDbtModels(
  deps: { pool: Pool; graph: AssetGraph; databaseUrl: string },
  input: DbtBuildInput,
): Promise<AssetResult[]> {
  const relations = publishedRelations(await loadManifest(deps.databaseUrl));
  const shadows = [...new Set([...relations.values()].map((r) => shadowOf(r).schema))];
  const ctx = activityContext();
  return withPublishLock(
    deps.pool,
    () => ctx?.heartbeat(),
    async () => {
      await dropShadows(deps.pool, shadows);
      // Published relations made before their policy existed get it now (publications and rollbacks apply it themselves).
      const secured = await ensureRowSecurity(deps.pool, relations.values());
      if (secured.length) log.info(`row-level security applied to ${secured.join(', ')}`);
      try {
        return await buildAndPublish(deps, input, relations);
      } finally {
        await dropShadows(deps.pool, shadows).catch((err) =>
          log.error(`shadow schemas left for the next run to clean: ${(err as Error).message}`),
        );
      }
    },
  );
}

async function buildAndPublish(
  deps: { pool: Pool; graph: AssetGraph; databaseUrl: string },
  input: DbtBuildInput,
  relations: Map<string, Relation>,
): Promise<AssetResult[]> {
  const partitionKey = input.partitionKey ?? '';
  const { graph, pool } = deps;
  const rel = (key: string) => relations.get(key) as Relation;
  const isView = (key: string) => graph.get(key).tags.includes('dbt:view');
  const present = await existing(pool, [...relations.values()]);
  const exists = (key: string) => present.has(relId(rel(key)));

  const versions = new Map<string, string>();
  const ledgerVersions = new LedgerVersions(pool, graph);
  // A model selected here reads the models built before it in this run at their new (input) versions.
  const versionOf = async (key: string) => {
    const { inputVersion } = await readVersion(ledgerVersions, graph.get(key), partitionKey, (d) => versions.get(d));
    versions.set(key, inputVersion);
    return inputVersion;
  };

  // What to build. The published relation is the checkpoint: a failed attempt left it as it was.
  const selected = graph.topologicalOrder(input.assetKeys);
  const build = new Map<string, string>();
  const unchangedFailures = new Map<string, Attempt>();
  const unsettled = new Map<string, { checkpoint: Checkpoint; attempt: number }>();
  for (const key of selected) {
    const v = await versionOf(key);
    const cp = await getCheckpoint(pool, key, partitionKey);
    const last = await lastAttempt(pool, key, partitionKey);
    if (input.force) build.set(key, 'forced');
    else if (input.retryFailed && last?.status === 'failed') build.set(key, 'retrying a failed attempt');
    else if (isCurrent(cp, v)) {
      if (!exists(key)) build.set(key, 'relation missing');
      else if (last && last.id !== cp.materializationId) unsettled.set(key, { checkpoint: cp, attempt: last.id });
    } else if (last?.status === 'failed' && last.inputVersion === v) unchangedFailures.set(key, last);
    else build.set(key, cp ? 'inputs changed' : 'never built');
  }
  // A view binds to the relations it read when it was created: every view over a rebuilt model is rebuilt with it.
  for (const key of graph.topologicalOrder(relations.keys())) {
    if (build.has(key) || !isView(key) || !graph.get(key).deps.some((d) => build.has(d))) continue;
    if (!versions.has(key)) await versionOf(key);
    build.set(key, 'view over a rebuilt model');
    unchangedFailures.delete(key);
    unsettled.delete(key);
  }
  // Current after a failed or blocked attempt (that candidate was never published): the ledger says so.
  for (const [key, { checkpoint: cp, attempt }] of unsettled) {
    await recordMaterialization(pool, {
      runId: input.runId,
      assetKey: key,
      partitionKey,
      status: 'success',
      inputVersion: cp.inputVersion,
      dataVersion: cp.dataVersion,
      durationMs: 0,
      metadata: { checkpointHit: true, settles: attempt },
    });
  }
  for (const [key, why] of build) log.info(`${key}: ${why}`, { assetKey: key });

  const verdicts = new Map<string, Verdict>();
  const rootOf = (key: string): string => {
    const v = verdicts.get(key);
    return v?.outcome === 'blocked' ? v.blockedBy : key;
  };
  for (const [key, a] of unchangedFailures) {
    verdicts.set(key, {
      outcome: 'failed',
      checks: [],
      durationMs: 0,
      error: { code: a.errorCode ?? 'DBT.FAILED', message: `failed (unchanged since ${a.runId}): ${a.errorMessage}` },
    });
  }
  for (const key of graph.topologicalOrder(build.keys())) {
    const dep = graph.get(key).deps.find((d) => verdicts.has(d));
    if (dep)
      verdicts.set(key, { outcome: 'blocked', checks: [], durationMs: 0, blockedBy: rootOf(dep), message: `blocked by ${rootOf(dep)}` });
  }
  const toBuild = graph.topologicalOrder([...build.keys()].filter((k) => !verdicts.has(k)));
  const consistency = toBuild.length ? await buildInShadow(deps, input, toBuild, exists, rel, verdicts) : [];

  // Guards, then what cannot publish: readers of an unpublished model built here, views over it, a failed consistency test.
  for (const key of toBuild) {
    const v = verdicts.get(key) as Verdict;
    if (v.outcome !== 'ok' || isView(key)) continue;
    v.rows = await countRows(pool, shadowOf(rel(key)));
    const guard = exists(key)
      ? judgeShrink(key, v.rows, await countRows(pool, rel(key)), guardsOf(graph.get(key)).maxShrink, !!input.allowShrink)
      : undefined;
    if (guard) v.checks.push(guard);
    if (guard && !guard.passed)
      verdicts.set(key, {
        outcome: 'failed',
        checks: v.checks,
        durationMs: v.durationMs,
        error: { code: 'GUARD.SHRINK', message: guard.message },
      });
  }
  // Audit: the mart suites on the shadows; a blocking expectation fails the model like a failed dbt test (quality/dbt-audit.ts).
  const audits = await auditShadows(
    pool,
    {
      runId: input.runId,
      partitionKey,
      relation: rel,
      shadow: (k) => shadowOf(rel(k)),
      published: exists,
      builtHere: (k) => toBuild.includes(k) && verdicts.get(k)?.outcome === 'ok',
    },
    toBuild.map((key) => ({
      key,
      built: verdicts.get(key)?.outcome === 'ok',
      checks: verdicts.get(key)?.checks ?? [],
      ...(partitionKey && graph.get(key).tags.includes('dbt:incremental') ? { partitionKey } : {}),
    })),
  );
  for (const [key, audit] of audits) {
    const v = verdicts.get(key) as Verdict;
    v.checks.push(...audit.checks);
    if (audit.error) verdicts.set(key, { outcome: 'failed', checks: v.checks, durationMs: v.durationMs, error: audit.error });
  }
  const notOk = (k: string) => verdicts.get(k)?.outcome !== 'ok';
  for (let changed = true; changed;) {
    changed = false;
    for (const key of toBuild) {
      const v = verdicts.get(key) as Verdict;
      if (v.outcome !== 'ok') continue;
      const dep = graph.get(key).deps.find((d) => build.has(d) && notOk(d));
      const view = graph.downstreamOf(key).find((c) => build.has(c) && isView(c) && exists(c) && notOk(c));
      const cause = dep ?? view;
      if (!cause) continue;
      const message = dep
        ? `blocked by ${rootOf(dep)}`
        : `held back: the view ${cause} over it keeps its published version (${rootOf(cause)} failed)`;
      verdicts.set(key, { outcome: 'blocked', checks: v.checks, durationMs: v.durationMs, blockedBy: rootOf(cause), message });
      changed = true;
    }
  }
  const root = toBuild.find((k) => verdicts.get(k)?.outcome === 'failed');
  if (consistency.length && root) {
    for (const key of toBuild) {
      const v = verdicts.get(key) as Verdict;
      if (v.outcome === 'ok')
        verdicts.set(key, {
          outcome: 'blocked',
          checks: v.checks,
          durationMs: v.durationMs,
          blockedBy: root,
          message: `held back: consistency test ${consistency.join(', ')} failed`,
        });
    }
  }

  const publish = toBuild.filter((k) => verdicts.get(k)?.outcome === 'ok');
  await publishModels(pool, input.runId, partitionKey, publish, rel, present, versions, verdicts, build);
  await recordUnpublished(pool, input.runId, partitionKey, [...build.keys()], toBuild, verdicts, versions);
  if (publish.length) await pruneVersions(pool, publish, loadConfig().keepVersions);
  const missing = await missingRelations(pool, relations);
  if (missing.length) log.error(`the ledger calls these dbt models current but their relations are missing: ${missing.join(', ')}`);

  const failedSelected = new Set(selected.filter((k) => verdicts.get(k)?.outcome === 'failed'));
  return selected.map((key): AssetResult => {
    const v = verdicts.get(key);
    const base = { assetKey: key, partitionKey, durationMs: v?.durationMs ?? 0 };
    if (missing.includes(key))
      return {
        ...base,
        outcome: 'failed',
        error: { code: 'DBT.RELATION_MISSING', message: `${relId(rel(key))} is missing although the ledger calls ${key} current` },
      };
    if (!v) return { ...base, outcome: 'skipped' };
    if (v.outcome === 'ok') return { ...base, outcome: 'materialized', rowsWritten: v.rows ?? 0 };
    if (v.outcome === 'failed') return { ...base, outcome: 'failed', error: v.error };
    if (failedSelected.has(v.blockedBy)) return { ...base, outcome: 'blocked', blockedBy: v.blockedBy };
    const cause = verdicts.get(v.blockedBy);
    return {
      ...base,
      outcome: 'failed',
      error: { code: 'DBT.HELD_BACK', message: `${v.message}: ${cause?.outcome === 'failed' ? cause.error.message : ''}` },
    };
  });
}
