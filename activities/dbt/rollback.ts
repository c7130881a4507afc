// Rollback of a dbt model: a kept version swapped back in, in one transaction with its ledger record.
import type { Pool } from '../../infra/db';
import { inTransaction } from '../../infra/db';
import { recordMaterialization } from '../ledger/ledger';
import { type PublishedVersion, currentPublished, keptVersions, recordDropped, recordPublished, recordRetired } from '../ledger/published';
import { applyRowSecurity } from './rls';
import { type Relation, VERSIONS_SCHEMA, existing, qualified, relId, retire, withPublishLock } from './wap';

export class RollbackError extends Error {}

export interface RollbackResult {
  restored: PublishedVersion;
  /** Where the version it replaced is kept now. */
  retiredAs: string | null;
}

/**
 * Publishes the kept version `versionId` (default: the newest kept) of `assetKey` again: the published relation is
 * retired to dw_versions, the kept one moved back, the checkpoint set to that version's input version (a later run
 * rebuilds the model if its inputs have moved on since). Tables only (a view holds no data); refused when published
 * views read the model: they would keep reading the retired relation.
 */
export async function rollbackModel(pool: Pool, published: Relation, assetKey: string, versionId?: number): Promise<RollbackResult> {
  return withPublishLock(
    pool,
    () => undefined,
    async () => {
      const kept = await keptVersions(pool, assetKey);
      const target = versionId === undefined ? kept[0] : kept.find((v) => v.id === versionId);
      if (!target)
        throw new RollbackError(
          `${assetKey} has no kept version${versionId === undefined ? '' : ` ${versionId}`}; kept: ${kept.map((v) => v.id).join(', ') || 'none'}`,
        );
      if (target.relationKind === 'view') throw new RollbackError(`${assetKey} is a view: it holds no data of its own, rebuild it instead`);
      const kind = (await existing(pool, [published])).get(relId(published));
      const readers = kind
        ? (
            await pool.query(
              `SELECT DISTINCT v.oid::regclass::text AS v FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
        WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = $1::regclass AND v.oid <> d.refobjid AND v.relnamespace::regnamespace::text <> $2`,
              [qualified(published), VERSIONS_SCHEMA],
            )
          ).rows.map((r) => r.v as string)
        : [];
      if (readers.length) throw new RollbackError(`${assetKey} cannot be rolled back alone: the views ${readers.join(', ')} read it`);
      const current = (await currentPublished(pool)).get(assetKey);
      const [, archivedName] = (target.archivedAs as string).split('.') as [string, string];
      return inTransaction(pool, async (client) => {
        let retiredAs: string | null = null;
        if (kind) {
          const id =
            current?.id ??
            (await recordPublished(client, {
              assetKey,
              runId: 'unrecorded',
              materializationId: null,
              inputVersion: 'unknown',
              relationKind: kind,
              rowCount: null,
            }));
          retiredAs = await retire(client, published, kind, id);
          await recordRetired(client, id, retiredAs);
        } else if (current) {
          await recordRetired(client, current.id, null);
        }
        await client.query(`ALTER TABLE ${qualified({ schema: VERSIONS_SCHEMA, name: archivedName })} RENAME TO "${published.name}"`);
        await client.query(`ALTER TABLE ${qualified({ schema: VERSIONS_SCHEMA, name: published.name })} SET SCHEMA "${published.schema}"`);
        // A kept version keeps its policy, but one retired before the policy existed (or changed) gets today's.
        await applyRowSecurity(client, published, 'table');
        // The kept copy has left dw_versions: it is published again, under a new published_versions row.
        await recordDropped(client, target.id);
        const runId = `rollback:${target.id}`;
        const materializationId = await recordMaterialization(client, {
          runId,
          assetKey,
          partitionKey: '',
          status: 'success',
          inputVersion: target.inputVersion,
          dataVersion: target.inputVersion,
          metadata: { rollbackTo: target.id, publishedBy: target.runId },
        });
        await recordPublished(client, {
          assetKey,
          runId,
          materializationId,
          inputVersion: target.inputVersion,
          relationKind: 'table',
          rowCount: target.rowCount,
        });
        return { restored: target, retiredAs };
      });
    },
  );
}
