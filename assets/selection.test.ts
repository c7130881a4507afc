// The selection syntax and the pure planner.
import { describe, expect, it } from 'vitest';
import {
  AssetGraph,
  Scheduler,
  SelectionError,
  canonicalSelection,
  plan,
  platformGraph,
  select,
  selectKeys,
  upstreamOfPartitioned,
} from './index';
import type { AssetSpec } from './index';

const graph = platformGraph();

function asset(key: string, deps: string[] = [], group = 'g'): AssetSpec {
  return {
    key,
    deps,
    group,
    kind: 'domain',
    tags: [],
    partitioned: false,
    description: '',
    op: { type: 'noop' },
    codeVersion: '1',
    checks: [],
  };
}

describe('select', () => {
  it('when * is given, then every asset is selected in graph order', () => {
    expect(select(graph, '*')).toEqual(graph.keys());
    expect(graph.keys()).toHaveLength(23);
  });

  it('when a glob is given, then it matches keys across slashes', () => {
    expect(select(graph, 'raw/*')).toHaveLength(9);
    expect(select(graph, 'staging/order_*')).toEqual(['staging/order_items', 'staging/order_payments', 'staging/order_reviews']);
  });

  it('when +key or key+ is given, then upstream or downstream assets are added', () => {
    expect(select(graph, '+staging/orders')).toEqual(['raw/orders', 'staging/orders']);
    expect(select(graph, 'raw/sellers+')).toEqual(['raw/sellers', 'staging/sellers', 'domain/marketplace/catalog']);
    expect(select(graph, '+domain/customer/profiles')).toHaveLength(13);
  });

  it('when group:, kind: or tag: is given, then assets are matched by that attribute', () => {
    expect(select(graph, 'group:staging')).toHaveLength(9);
    expect(select(graph, 'kind:raw')).toHaveLength(9);
    expect(select(graph, 'tag:source:olist')).toHaveLength(18);
    expect(select(graph, 'group:sales')).toEqual(['domain/sales/orders']);
  });

  it('when several terms are given, then their union is selected once each', () => {
    expect(select(graph, 'raw/orders, raw/orders staging/orders')).toEqual(['raw/orders', 'staging/orders']);
  });

  it('when a key matches nothing, then a SelectionError suggests near keys', () => {
    expect(() => select(graph, 'raw/order')).toThrow(SelectionError);
    expect(() => select(graph, 'orders')).toThrow(/did you mean raw\/orders, staging\/orders, domain\/sales\/orders/);
    expect(() => select(graph, 'color:red')).toThrow(/unknown selector 'color:'/);
    expect(() => select(graph, '  ')).toThrow(/empty selection/);
  });

  it('when selections differ only in order and spacing, then their canonical forms are equal', () => {
    expect(canonicalSelection('b, a  a')).toBe(canonicalSelection('a,b'));
  });
});

describe('graph', () => {
  it('when an asset depends on an unknown asset or on itself through a cycle, then the graph refuses it', () => {
    expect(() => new AssetGraph([asset('a', ['x'])])).toThrow(/unknown asset 'x'/);
    expect(() => new AssetGraph([asset('a', ['b']), asset('b', ['a'])])).toThrow(/cycle/);
    expect(() => new AssetGraph([asset('a'), asset('a')])).toThrow(/defined twice/);
  });
});

describe('planner', () => {
  const g = new AssetGraph([asset('a'), asset('b', ['a']), asset('c', ['a']), asset('d', ['b', 'c']), asset('e')]);

  it('when planned, then deps come first and deps outside the selection are dropped', () => {
    expect(plan(g, ['d', 'b', 'c']).map((s) => [s.key, s.deps])).toEqual([
      ['b', []],
      ['c', []],
      ['d', ['b', 'c']],
    ]);
  });

  it('when run, then at most maxParallel assets run at once and each waits for its deps', () => {
    const s = new Scheduler(plan(g, g.keys()), 2);
    expect(s.take()).toEqual(['a', 'e']);
    expect(s.take()).toEqual([]);
    s.complete('a', 'materialized');
    expect(s.take()).toEqual(['b']);
    s.complete('e', 'skipped');
    expect(s.take()).toEqual(['c']);
    s.complete('b', 'materialized');
    s.complete('c', 'materialized');
    expect(s.take()).toEqual(['d']);
    s.complete('d', 'materialized');
    expect(s.done()).toBe(true);
  });

  it('when an asset fails, then everything downstream is blocked with that asset as the one root cause', () => {
    const s = new Scheduler(plan(g, g.keys()), 4);
    expect(s.take()).toEqual(['a', 'e']);
    expect(s.complete('a', 'failed')).toEqual(['b', 'c', 'd']);
    expect(s.blockedBy('d')).toBe('a');
    s.complete('e', 'materialized');
    expect(s.take()).toEqual([]);
    expect(s.done()).toBe(true);
  });
});

describe('selectKeys', () => {
  it('when keys resolved earlier are passed, then they come back in graph order without parsing', () => {
    const keys = select(graph, '+domain/sales/orders');
    expect(selectKeys(graph, [...keys].reverse())).toEqual(keys);
  });

  it('when a key is not in the graph, then a selection error names it with the near keys', () => {
    expect(() => selectKeys(graph, ['staging/orderz'])).toThrow(/selection 'staging\/orderz' matches no asset/);
    expect(() => selectKeys(graph, [])).toThrow(SelectionError);
  });
});

describe('upstreamOfPartitioned', () => {
  it('when partitioned assets are selected, then the unpartitioned assets they read come first, and with withLoad every load asset', () => {
    const keys = select(graph, '*');
    const upstream = upstreamOfPartitioned(graph, keys);
    expect(upstream.length).toBeGreaterThan(0);
    expect(
      upstream.every((k) => !graph.get(k).partitioned && keys.some((p) => graph.get(p).partitioned && graph.upstreamClosure(p).has(k))),
    ).toBe(true);
    const withLoad = upstreamOfPartitioned(graph, keys, { withLoad: true });
    expect(withLoad).toEqual(keys.filter((k) => upstream.includes(k) || ['raw', 'staging'].includes(graph.get(k).kind)));
  });

  it('when no partitioned asset is selected, then there is no upstream phase', () => {
    expect(upstreamOfPartitioned(graph, select(graph, 'raw/*'), { withLoad: true })).toEqual([]);
  });
});
