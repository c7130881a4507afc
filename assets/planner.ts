// The pure planner: which selected assets may start now, with bounded parallelism, and who is blocked by what.
import type { AssetGraph } from './graph';

export type AssetOutcome = 'materialized' | 'skipped' | 'failed' | 'blocked';

export interface PlannedAsset {
  key: string;
  /** Deps inside the selection; deps outside it are taken as they are in the ledger. */
  deps: string[];
}

export function plan(graph: AssetGraph, selected: readonly string[]): PlannedAsset[] {
  const set = new Set(selected);
  return graph.topologicalOrder(selected).map((key) => ({ key, deps: graph.get(key).deps.filter((d) => set.has(d)) }));
}

/** Step-by-step execution state for a plan; deterministic, so it is safe inside a workflow. */
export class Scheduler {
  private readonly outcome = new Map<string, AssetOutcome>();
  private readonly rootCause = new Map<string, string>();
  private readonly running = new Set<string>();

  constructor(
    private readonly steps: readonly PlannedAsset[],
    private readonly maxParallel: number,
  ) {
    if (maxParallel < 1) throw new Error('maxParallel must be at least 1');
  }

  /** Assets whose deps all succeeded, not yet started, up to the free parallel slots; marks them running. */
  take(): string[] {
    const free = this.maxParallel - this.running.size;
    const out: string[] = [];
    for (const s of this.steps) {
      if (out.length >= free) break;
      if (this.outcome.has(s.key) || this.running.has(s.key)) continue;
      if (s.deps.every((d) => this.succeeded(d))) out.push(s.key);
    }
    for (const k of out) this.running.add(k);
    return out;
  }

  /** Records an asset's end; a failure blocks its downstream assets, naming this asset as their root cause. */
  complete(key: string, outcome: Exclude<AssetOutcome, 'blocked'>): string[] {
    this.running.delete(key);
    this.outcome.set(key, outcome);
    return outcome === 'failed' ? this.propagate() : [];
  }

  private propagate(): string[] {
    const blocked: string[] = [];
    for (const s of this.steps) {
      if (this.outcome.has(s.key)) continue;
      const cause = s.deps.map((d) => (this.outcome.get(d) === 'failed' ? d : this.rootCause.get(d))).find(Boolean);
      if (cause) {
        this.outcome.set(s.key, 'blocked');
        this.rootCause.set(s.key, cause);
        blocked.push(s.key);
      }
    }
    return blocked;
  }

  /** Records an asset that was blocked before this scheduler existed (an earlier phase); blocks its downstream too. */
  block(key: string, rootCause: string): string[] {
    this.outcome.set(key, 'blocked');
    this.rootCause.set(key, rootCause);
    return this.propagate();
  }

  blockedBy(key: string): string | undefined {
    return this.rootCause.get(key);
  }

  done(): boolean {
    return this.steps.every((s) => this.outcome.has(s.key));
  }

  private succeeded(key: string): boolean {
    const o = this.outcome.get(key);
    return o === 'materialized' || o === 'skipped';
  }
}
