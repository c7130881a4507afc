// `dw keys list` and `dw keys rotate`: the PII key ring (infra/keys.ts, docs/security.md).
import type { Command } from 'commander';
import { loadConfig } from '../infra/config';
import { type Pool, inTransaction } from '../infra/db';
import { ensureKeyring, fileProvider, insertDataKey, withNewMasterKey, writeKeyring } from '../infra/keys';
import { ROTATING_SCOPES } from '../schema/pii';
import { jsonOption, print, withPool } from './command';
import { table } from './output';

interface KeyRow {
  id: number;
  scope: string;
  active: boolean;
  master_key_id: string;
  created_at: string;
  rewrapped_at: string | null;
}

async function listKeys(pool: Pool): Promise<KeyRow[]> {
  return (
    await pool.query(
      `SELECT id, scope, active, master_key_id, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS') AS created_at,
              to_char(rewrapped_at, 'YYYY-MM-DD HH24:MI:SS') AS rewrapped_at FROM pii.data_keys ORDER BY scope, id`,
    )
  ).rows;
}

export interface Rotation {
  masterKeyId: { from: string; to: string };
  rewrapped: number;
  newDataKeys: Array<{ scope: string; id: number }>;
  retiredMasterKeys: string[];
}

/**
 * A new master key, then in one transaction: every data key unwrapped by its master key and wrapped by the new one,
 * and (unless rewrapOnly) a new data key for each rotating scope, the old ones kept for what they sealed. No value is
 * re-encrypted and nothing stops: a running worker's keys stay valid and it picks up the new ones within a minute.
 * The key file holds old and new master keys until the transaction commits; the old ones are dropped after.
 */
export async function rotateKeys(pool: Pool, file: string, rewrapOnly = false): Promise<Rotation> {
  const old = ensureKeyring(file);
  const next = withNewMasterKey(old);
  const id = next.active;
  writeKeyring(file, next);
  const before = fileProvider(next, file);
  const rotation = await inTransaction(pool, async (c) => {
    await c.query('LOCK TABLE pii.data_keys IN EXCLUSIVE MODE');
    const rows = (await c.query('SELECT id, scope, wrapped, master_key_id FROM pii.data_keys ORDER BY id')).rows;
    for (const r of rows) {
      const key = before.unwrap(r.master_key_id, r.wrapped, r.scope);
      await c.query('UPDATE pii.data_keys SET wrapped = $2, master_key_id = $3, rewrapped_at = now() WHERE id = $1', [
        r.id,
        before.wrap(key, r.scope),
        id,
      ]);
    }
    const newDataKeys: Rotation['newDataKeys'] = [];
    if (!rewrapOnly) {
      for (const scope of ROTATING_SCOPES) {
        await c.query('UPDATE pii.data_keys SET active = false WHERE scope = $1 AND active', [scope]);
        newDataKeys.push({ scope, id: await insertDataKey(c, before, scope) });
      }
    }
    return { masterKeyId: { from: old.active, to: id }, rewrapped: rows.length, newDataKeys, retiredMasterKeys: Object.keys(old.keys) };
  });
  writeKeyring(file, { active: id, keys: { [id]: next.keys[id]! } });
  return rotation;
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('the keys that seal personal data (docs/security.md)');
  keys
    .command('list', { isDefault: true })
    .description('data keys: scope, active or not, the master key that wraps them')
    .addOption(jsonOption())
    .action(async (opts: { json?: boolean }) => {
      const rows = await withPool(listKeys);
      print(rows, !!opts.json, () =>
        table(
          rows.map((r) => [r.id, r.scope, r.active ? 'active' : 'opens only', r.master_key_id, r.created_at, r.rewrapped_at ?? '—']),
          ['id', 'scope', 'state', 'master key', 'created', 'rewrapped'],
        ),
      );
    });
  keys
    .command('rotate')
    .description('new master key (every data key re-wrapped) and new data keys for sealing; old data still opens; no downtime')
    .option('--rewrap-only', 're-wrap the data keys under a new master key, keep sealing with the same data keys')
    .addOption(jsonOption())
    .action(async (opts: { rewrapOnly?: boolean; json?: boolean }) => {
      const r = await withPool((pool) => rotateKeys(pool, loadConfig().masterKeyFile, opts.rewrapOnly));
      print(
        r,
        !!opts.json,
        () =>
          `master key ${r.masterKeyId.from} → ${r.masterKeyId.to}: ${r.rewrapped} data keys re-wrapped` +
          (r.newDataKeys.length ? `; new data keys ${r.newDataKeys.map((k) => `${k.scope} #${k.id}`).join(', ')}` : ''),
      );
    });
}
