// Dagster-style selection: key, +key (with upstream), key+ (with downstream), group:, kind:, tag:, globs, *.
import type { AssetGraph } from './graph';

export class SelectionError extends Error {
  readonly code = 'SELECTION.INVALID';
}

const EMPTY = 'empty selection: give an asset key, a glob such as raw/*, group:NAME, kind:NAME, tag:NAME or *';

/** Resolves a selection expression (terms separated by commas or spaces, unioned) to asset keys in graph order. */
export function select(graph: AssetGraph, expr: string): string[] {
  const terms = expr.split(/[\s,]+/).filter(Boolean);
  if (terms.length === 0) throw new SelectionError(EMPTY);
  const picked = new Set<string>();
  for (const term of terms) for (const k of resolveTerm(graph, term)) picked.add(k);
  return graph.keys().filter((k) => picked.has(k));
}

/** Keys resolved earlier (by `select`), checked against this graph and put in graph order: no expression to parse again. */
export function selectKeys(graph: AssetGraph, keys: readonly string[]): string[] {
  if (keys.length === 0) throw new SelectionError(EMPTY);
  for (const k of keys) if (!graph.has(k)) throw new SelectionError(`selection '${k}' matches no asset${suggest(graph, k)}`);
  const picked = new Set(keys);
  return graph.keys().filter((k) => picked.has(k));
}

function resolveTerm(graph: AssetGraph, term: string): Set<string> {
  const up = term.startsWith('+');
  const down = term.length > 1 && term.endsWith('+');
  const body = term.slice(up ? 1 : 0, down ? -1 : undefined);
  const base = matchBody(graph, body);
  if (base.length === 0) throw new SelectionError(`selection '${term}' matches no asset${suggest(graph, body)}`);
  const out = new Set<string>();
  for (const k of base) {
    out.add(k);
    if (up) for (const u of graph.upstreamClosure(k)) out.add(u);
    if (down) for (const d of graph.downstreamClosure(k)) out.add(d);
  }
  return out;
}

function matchBody(graph: AssetGraph, body: string): string[] {
  const [prefix, value] = body.includes(':') ? (body.split(/:(.*)/s) as [string, string]) : ['', body];
  switch (prefix) {
    case 'group':
      return graph.assets.filter((a) => a.group === value).map((a) => a.key);
    case 'kind':
      return graph.assets.filter((a) => a.kind === value).map((a) => a.key);
    case 'tag':
      return graph.assets.filter((a) => a.tags.includes(value)).map((a) => a.key);
    case '':
      break;
    default:
      throw new SelectionError(`unknown selector '${prefix}:' in '${body}': use group:, kind: or tag:`);
  }
  if (value === '*') return graph.keys();
  if (value.includes('*')) {
    const re = new RegExp(`^${value.split('*').map(escapeRegex).join('.*')}$`);
    return graph.keys().filter((k) => re.test(k));
  }
  return graph.has(value) ? [value] : [];
}

function escapeRegex(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function suggest(graph: AssetGraph, body: string): string {
  const tail = body.split('/').pop() ?? body;
  const near = graph
    .keys()
    .filter((k) => tail && k.includes(tail))
    .slice(0, 5);
  return near.length ? `: did you mean ${near.join(', ')}?` : ': `dw assets` lists them';
}

/** A canonical, id-safe form of a selection, for workflow ids: sorted unique terms. */
export function canonicalSelection(expr: string): string {
  return [...new Set(expr.split(/[\s,]+/).filter(Boolean))].sort().join(',');
}
