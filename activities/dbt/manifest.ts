// dbt models as assets: `dbt parse` builds the manifest; every model becomes dbt/<name> with its deps and tests as checks.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type AssetGraph, type AssetSpec, type CheckSpec, platformGraph } from '../../assets';
import { DBT_PROJECT, DBT_STATE_DIR, runDbt } from '../../infra/dbt';

interface ManifestNode {
  unique_id: string;
  name: string;
  resource_type: string;
  fqn: string[];
  schema: string;
  alias?: string;
  description?: string;
  depends_on: { nodes: string[] };
  checksum?: { checksum: string };
  config: { materialized?: string; meta?: Record<string, unknown>; severity?: string };
  attached_node?: string | null;
}

interface Manifest {
  nodes: Record<string, ManifestNode>;
  sources: Record<string, { unique_id: string; meta?: Record<string, unknown>; config?: { meta?: Record<string, unknown> } }>;
}

/** A fingerprint of the dbt project's files: the manifest is rebuilt only when one of them changed. */
export function dbtFingerprint(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (['target', 'logs', 'dbt_packages'].includes(e.name)) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(`${path.relative(DBT_PROJECT, p)}\0`).update(fs.readFileSync(p)).update('\0');
    }
  };
  walk(DBT_PROJECT);
  return h.digest('hex').slice(0, 16);
}

export function modelKey(name: string): string {
  return `dbt/${name}`;
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
  return new Map(Object.values(manifest.nodes).filter((n) => n.resource_type === 'model')
    .map((m) => [modelKey(m.name), { schema: m.schema, name: m.alias ?? m.name }]));
}

/** Every dbt model as an asset; its generic tests, and singular tests that read it last, as its checks. */
export function dbtAssets(manifest: Manifest): AssetSpec[] {
  const models = Object.values(manifest.nodes).filter((n) => n.resource_type === 'model');
  const byId = new Map(models.map((m) => [m.unique_id, m]));
  const sourceAsset = (id: string) => {
    const s = manifest.sources[id];
    const key = (s?.config?.meta?.asset_key ?? s?.meta?.asset_key) as string | undefined;
    if (!key) throw new Error(`dbt source ${id} has no meta.asset_key naming the asset that writes it`);
    return key;
  };
  const checks = new Map<string, CheckSpec[]>(models.map((m) => [m.unique_id, []]));
  for (const t of Object.values(manifest.nodes).filter((n) => n.resource_type === 'test')) {
    const targets = t.attached_node ? [t.attached_node] : t.depends_on.nodes.filter((d) => byId.has(d) && !t.depends_on.nodes.some((o) => o !== d && upstreamOf(byId, o).has(d)));
    for (const target of targets) checks.get(target)?.push({ name: t.name, blocking: (t.config.severity ?? 'error').toLowerCase() === 'error', description: t.description || `dbt test ${t.name}` });
  }
  return models.map((m) => ({
    key: modelKey(m.name),
    group: m.fqn[1] === 'marts' ? `marts` : `dbt_${m.fqn[1] ?? 'models'}`,
    kind: 'dbt' as const,
    tags: [`dbt:${m.config.materialized ?? 'view'}`, ...(m.fqn[2] ? [`context:${m.fqn[2]}`] : [])],
    deps: [...new Set(m.depends_on.nodes.map((d) => (d.startsWith('source.') ? sourceAsset(d) : d.startsWith('model.') ? modelKey(byId.get(d)?.name ?? d) : '')).filter(Boolean))],
    partitioned: false,
    description: m.description || m.name,
    op: { type: 'dbt' as const, model: m.name },
    codeVersion: `dbt|${m.checksum?.checksum ?? ''}|${m.config.materialized ?? ''}`,
    checks: checks.get(m.unique_id) ?? [],
  }));
}

function upstreamOf(byId: Map<string, ManifestNode>, id: string): Set<string> {
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length) {
    for (const d of byId.get(stack.pop() as string)?.depends_on.nodes ?? []) {
      if (!seen.has(d)) {
        seen.add(d);
        stack.push(d);
      }
    }
  }
  return seen;
}

/** The whole graph: the platform's own assets and the dbt models from the manifest. */
export async function loadGraph(databaseUrl: string): Promise<AssetGraph> {
  return platformGraph(dbtAssets(await loadManifest(databaseUrl)));
}
