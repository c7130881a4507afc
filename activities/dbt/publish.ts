// The publish step of write-audit-publish for dbt models, and the ledger rows of what did not publish.
import { type Pool, inTransaction } from '../../infra/db';
import { recordMaterialization } from '../ledger/ledger';
import { currentPublished, recordPublished, recordRetired } from '../ledger/published';
import { applyRowSecurity } from './rls';
import type { Verdict } from './shadow-build';
import { type Relation, existing, promote, relId, retire, shadowOf } from './wap';

export /** The ledger rows of what did not publish: failed and blocked models built here, and those blocked before the build. */
async function recordUnpublished(
  pool: Pool,
  runId: string,
  partitionKey: string,
  stale: string[],
  toBuild: string[],
  verdicts: Map<string, Verdict>,
  versions: Map<string, string>,
): Promise<void> {
  for (const key of toBuild) {
    const v = verdicts.get(key) as Verdict;
    const base = {
      runId: runId,
      assetKey: key,
      partitionKey,
      inputVersion: versions.get(key),
      checks: v.checks,
      durationMs: v.durationMs,
    };
    if (v.outcome === 'failed')
      await recordMaterialization(pool, { ...base, status: 'failed', errorCode: v.error.code, errorMessage: v.error.message });
    if (v.outcome === 'blocked')
      await recordMaterialization(pool, {
        ...base,
        status: 'blocked',
        errorCode: 'ASSET.BLOCKED',
        errorMessage: v.message,
        blockedBy: v.blockedBy,
      });
  }
  for (const key of stale) {
    const v = verdicts.get(key) as Verdict;
    if (v.outcome === 'blocked' && !toBuild.includes(key)) {
      await recordMaterialization(pool, {
        runId: runId,
        assetKey: key,
        partitionKey,
        status: 'blocked',
        errorCode: 'ASSET.BLOCKED',
        errorMessage: v.message,
        blockedBy: v.blockedBy,
      });
    }
  }
}

/**
 * One transaction: each published relation moves to dw_versions (retired, kept for rollback), the shadow relation
 * takes its place with its row-level security policy, and the ledger records the materialization, the checkpoint and the published version.
 */
export async function publishModels(
  pool: Pool,
  runId: string,
  partitionKey: string,
  keys: string[],
  rel: (key: string) => Relation,
  present: Map<string, 'table' | 'view'>,
  versions: Map<string, string>,
  verdicts: Map<string, Verdict>,
  reasons: Map<string, string>,
): Promise<void> {
  if (keys.length === 0) return;
  const shadowKinds = await existing(
    pool,
    keys.map((k) => shadowOf(rel(k))),
  );
  const published = await currentPublished(pool);
  await inTransaction(pool, async (client) => {
    for (const key of keys) {
      const r = rel(key);
      const v = verdicts.get(key) as Verdict & { outcome: 'ok' };
      const kind = shadowKinds.get(relId(shadowOf(r)));
      if (!kind) throw new Error(`dbt reported ${key} built but ${relId(shadowOf(r))} does not exist`);
      const oldKind = present.get(relId(r));
      const current = published.get(key);
      if (oldKind) {
        const id =
          current?.id ??
          (await recordPublished(client, {
            assetKey: key,
            runId: 'unrecorded',
            materializationId: null,
            inputVersion: 'unknown',
            relationKind: oldKind,
            rowCount: null,
          }));
        await recordRetired(client, id, await retire(client, r, oldKind, id));
      } else if (current) {
        await recordRetired(client, current.id, null);
      }
      await promote(client, r, kind);
      // Its row-level security policy (schema/rls.ts) before the transaction commits: never visible without it.
      await applyRowSecurity(client, r, kind);
      const v2 = versions.get(key) as string;
      const rows = v.rows ?? 0;
      const materializationId = await recordMaterialization(client, {
        runId,
        assetKey: key,
        partitionKey,
        status: 'success',
        inputVersion: v2,
        dataVersion: v2,
        durationMs: v.durationMs,
        checks: v.checks,
        metadata: { reason: reasons.get(key) },
        counts: { rowsRead: rows, rowsWritten: rows, rowsQuarantined: 0, rowsDeduplicated: 0 },
      });
      await recordPublished(client, { assetKey: key, runId, materializationId, inputVersion: v2, relationKind: kind, rowCount: v.rows });
    }
  });
}

/** The dbt models the ledger holds a checkpoint for whose published relation does not exist (one catalog query). */
export async function missingRelations(pool: Pool, relations: Map<string, Relation>): Promise<string[]> {
  const keys = (await pool.query(`SELECT DISTINCT asset_key FROM dw_meta.checkpoints WHERE asset_key LIKE 'dbt/%'`)).rows
    .map((r) => r.asset_key as string)
    .filter((k) => relations.has(k));
  const found = await existing(
    pool,
    keys.map((k) => relations.get(k) as Relation),
  );
  return keys.filter((k) => !found.has(relId(relations.get(k) as Relation)));
}
