// dbt models as assets (pure, like dagster-dbt's translator): every model of the manifest becomes dbt/<name>, with its
// deps (models, and the sources' meta.asset_key) and its tests as checks. The subprocess that writes it is in activities/dbt.
import type { AssetSpec, CheckSpec } from './types';

/** The parts of dbt's manifest.json the platform reads. */
export interface ManifestNode {
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

export interface Manifest {
  nodes: Record<string, ManifestNode>;
  sources: Record<string, { unique_id: string; meta?: Record<string, unknown>; config?: { meta?: Record<string, unknown> } }>;
}

export function modelKey(name: string): string {
  return `dbt/${name}`;
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
    const targets = t.attached_node
      ? [t.attached_node]
      : t.depends_on.nodes.filter((d) => byId.has(d) && !t.depends_on.nodes.some((o) => o !== d && upstreamOf(byId, o).has(d)));
    for (const target of targets)
      checks.get(target)?.push({
        name: t.name,
        blocking: (t.config.severity ?? 'error').toLowerCase() === 'error',
        description: t.description || `dbt test ${t.name}`,
      });
  }
  return models.map((m) => ({
    key: modelKey(m.name),
    group: m.fqn[1] === 'marts' ? `marts` : `dbt_${m.fqn[1] ?? 'models'}`,
    kind: 'dbt' as const,
    tags: [`dbt:${m.config.materialized ?? 'view'}`, ...(m.fqn[2] ? [`context:${m.fqn[2]}`] : [])],
    deps: [
      ...new Set(
        m.depends_on.nodes
          .map((d) => (d.startsWith('source.') ? sourceAsset(d) : d.startsWith('model.') ? modelKey(byId.get(d)?.name ?? d) : ''))
          .filter(Boolean),
      ),
    ],
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
