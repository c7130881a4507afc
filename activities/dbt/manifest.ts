// The dbt manifest from `dbt parse` (rebuilt when the project changes), and the graph with its models as assets.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type AssetGraph, type Manifest, dbtAssets, modelKey, platformGraph } from '../../assets';
import { DBT_PROJECT, DBT_STATE_DIR, runDbt } from '../../infra/dbt';

/** A fingerprint of the dbt project's files: the manifest is rebuilt only when one of them changed. */
export function dbtFingerprint(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (['target', 'logs', 'dbt_packages'].includes(e.name)) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else
        h.update(`${path.relative(DBT_PROJECT, p)}\0`)
          .update(fs.readFileSync(p))
          .update('\0');
    }
  };
  walk(DBT_PROJECT);
  return h.digest('hex').slice(0, 16);
}

/** The manifest for the current project files, parsed once per change (dbt parse needs no database). */
export async function loadManifest(databaseUrl: string): Promise<Manifest> {
  const fp = dbtFingerprint();
  const dir = path.join(DBT_STATE_DIR, `manifest-${fp}`);
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) {
    const tmp = `${dir}.${process.pid}.tmp`;
    const r = await runDbt(['parse'], { databaseUrl, targetPath: tmp });
    if (r.code !== 0) throw new Error(`dbt parse failed (exit ${r.code}): see ${path.join(tmp, 'dbt.log')}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
}

/** Where each model is published (`dbt/<model>` → schema and name, as parsed without the shadow var). */
export function publishedRelations(manifest: Manifest): Map<string, { schema: string; name: string }> {
  return new Map(
    Object.values(manifest.nodes)
      .filter((n) => n.resource_type === 'model')
      .map((m) => [modelKey(m.name), { schema: m.schema, name: m.alias ?? m.name }]),
  );
}

/** The whole graph: the platform's own assets and the dbt models from the manifest. */
export async function loadGraph(databaseUrl: string): Promise<AssetGraph> {
  return platformGraph(dbtAssets(await loadManifest(databaseUrl)));
}
