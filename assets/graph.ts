// The asset graph: lookup, upstream and downstream closures, validated on construction.
import type { AssetSpec } from './types';

export class AssetGraph {
  private readonly byKey = new Map<string, AssetSpec>();
  private readonly children = new Map<string, string[]>();

  constructor(readonly assets: readonly AssetSpec[]) {
    for (const a of assets) {
      if (this.byKey.has(a.key)) throw new Error(`asset '${a.key}' is defined twice`);
      this.byKey.set(a.key, a);
      this.children.set(a.key, []);
    }
    for (const a of assets) {
      for (const d of a.deps) {
        const kids = this.children.get(d);
        if (!kids) throw new Error(`asset '${a.key}' depends on unknown asset '${d}'`);
        kids.push(a.key);
      }
    }
    this.topologicalOrder(assets.map((a) => a.key)); // throws on a cycle
  }

  get(key: string): AssetSpec {
    const a = this.byKey.get(key);
    if (!a) throw new Error(`unknown asset '${key}'`);
    return a;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  keys(): string[] {
    return this.assets.map((a) => a.key);
  }

  downstreamOf(key: string): string[] {
    return this.children.get(key) ?? [];
  }

  /** The key and everything it depends on, transitively. */
  upstreamClosure(key: string): Set<string> {
    return this.closure(key, (k) => this.get(k).deps);
  }

  /** The key and everything that depends on it, transitively. */
  downstreamClosure(key: string): Set<string> {
    return this.closure(key, (k) => this.downstreamOf(k));
  }

  /** Kahn's algorithm over the given keys (deps outside the set are ignored); stable by definition order. */
  topologicalOrder(keys: Iterable<string>): string[] {
    const wanted = new Set(keys);
    const order = this.assets.map((a) => a.key).filter((k) => wanted.has(k));
    const pending = new Map(order.map((k) => [k, this.get(k).deps.filter((d) => wanted.has(d)).length]));
    const out: string[] = [];
    const ready = order.filter((k) => pending.get(k) === 0);
    while (ready.length) {
      const k = ready.shift() as string;
      out.push(k);
      for (const child of this.downstreamOf(k)) {
        if (!pending.has(child)) continue;
        const n = (pending.get(child) ?? 0) - 1;
        pending.set(child, n);
        if (n === 0) ready.push(child);
      }
    }
    if (out.length !== order.length) {
      const stuck = order.filter((k) => !out.includes(k));
      throw new Error(`the asset graph has a cycle through: ${stuck.join(', ')}`);
    }
    return out;
  }

  private closure(start: string, next: (k: string) => readonly string[]): Set<string> {
    this.get(start);
    const seen = new Set<string>([start]);
    const stack = [start];
    while (stack.length) {
      for (const n of next(stack.pop() as string)) {
        if (!seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
      }
    }
    return seen;
  }
}
