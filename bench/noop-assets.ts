// Assets that do nothing, for measuring the orchestration itself: chains (each waits for the previous) and flat sets.
import type { AssetSpec } from '../assets';

/** Sizes of the no-op graphs: the per-asset overhead is the slope between them, the per-run overhead the intercept. */
export const NOOP_SIZES = [10, 60] as const;

export function noopGroup(shape: 'chain' | 'flat', n: number): string {
  return `bench_noop_${shape}_${n}`;
}

export function noopAssets(): AssetSpec[] {
  const out: AssetSpec[] = [];
  for (const n of NOOP_SIZES) {
    for (const shape of ['chain', 'flat'] as const) {
      for (let i = 0; i < n; i++) {
        const key = (j: number) => `bench/noop-${shape}-${n}/${String(j).padStart(3, '0')}`;
        out.push({
          key: key(i),
          group: noopGroup(shape, n),
          kind: 'domain',
          tags: ['bench'],
          deps: shape === 'chain' && i > 0 ? [key(i - 1)] : [],
          partitioned: false,
          description: 'benchmark no-op',
          op: { type: 'noop' },
          codeVersion: 'bench-noop-1',
          checks: [],
        });
      }
    }
  }
  return out;
}
