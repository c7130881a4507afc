// Seeded randomness for the synthetic generator: xoshiro128** streams, stateless 32-bit hashing and 32-hex ids.

/** murmur3's 32-bit finaliser: a bijection on 32-bit integers with good avalanche. */
export function fmix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a sequence of 32-bit integers into one (order-sensitive). */
export function hash32(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) h = fmix32((h ^ fmix32(p >>> 0)) + 0x7f4a7c15);
  return h;
}

/** A seed given as a number or text, reduced to 32 bits; an integer written as text ('42') is the number 42. */
export function seedToU32(seed: number | string): number {
  if (typeof seed === 'string' && /^-?\d{1,15}$/.test(seed.trim())) return seedToU32(Number(seed.trim()));
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) throw new Error(`seed must be finite, got ${seed}`);
    const int = Math.trunc(seed);
    return hash32(int >>> 0, Math.floor(int / 4294967296) >>> 0);
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return hash32(h >>> 0, seed.length);
}

/** xoshiro128**: period 2^128 − 1, fast, seeded through splitmix-style hashing of (seed, stream). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number, stream = 0) {
    this.a = hash32(seed, stream, 1);
    this.b = hash32(seed, stream, 2);
    this.c = hash32(seed, stream, 3);
    this.d = hash32(seed, stream, 4);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Next 32-bit unsigned integer. */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi] inclusive. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return u * m;
  }

  /** Log-normal with the given median and log-scale sigma. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Index drawn from a cumulative weight table (last entry = total). */
  pickCumulative(cumulative: ArrayLike<number>): number {
    const total = cumulative[cumulative.length - 1] as number;
    return lowerBound(cumulative, this.next() * total);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** First index i with cumulative[i] > target (binary search). */
export function lowerBound(cumulative: ArrayLike<number>, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function cumulativeOf(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => {
    acc += Math.max(0, w);
    out[i] = acc;
  });
  return out;
}

/** Splits `total` into integers proportional to `weights` (largest remainder), summing exactly to `total`. */
export function apportion(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, w) => a + Math.max(0, w), 0);
  if (total <= 0 || sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (Math.max(0, w) * total) / sum);
  const out = exact.map((x) => Math.floor(x));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((p, q) => q.r - p.r || p.i - q.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]!.i]! += 1;
  return out;
}

/**
 * Draws categories without replacement from fixed quotas, so that the final counts are exact at any scale:
 * each draw picks category c with probability remaining[c] / remainingTotal.
 */
export class Quota<K extends string | number> {
  private readonly remaining: number[];
  private total: number;

  constructor(
    readonly keys: readonly K[],
    counts: readonly number[],
  ) {
    if (keys.length !== counts.length) throw new Error('quota keys and counts differ in length');
    this.remaining = counts.map((c) => Math.max(0, Math.round(c)));
    this.total = this.remaining.reduce((a, b) => a + b, 0);
  }

  get left(): number {
    return this.total;
  }

  /** Draws a category; when the quotas are spent, falls back to `fallback`. */
  draw(rng: Rng, fallback: K): K {
    if (this.total <= 0) return fallback;
    let r = rng.int(this.total);
    for (let i = 0; i < this.remaining.length; i++) {
      const c = this.remaining[i] as number;
      if (r < c) {
        this.remaining[i] = c - 1;
        this.total--;
        return this.keys[i] as K;
      }
      r -= c;
    }
    return fallback;
  }

  /** Consumes one unit of `key` when some is left (for draws that were forced by other constraints). */
  take(key: K): void {
    const i = this.keys.indexOf(key);
    if (i >= 0 && (this.remaining[i] as number) > 0) {
      this.remaining[i]!--;
      this.total--;
    }
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(w: number): string {
  return HEX[(w >>> 24) & 255]! + HEX[(w >>> 16) & 255]! + HEX[(w >>> 8) & 255]! + HEX[w & 255]!;
}

/**
 * Ids like Olist's (32 lower-case hex chars), a pure function of (key, index). The first word is a bijection
 * of the index, so ids of one kind never collide for indices below 2^32.
 */
export class IdMaker {
  private readonly k0: number;
  private readonly k1: number;
  private readonly k2: number;
  private readonly k3: number;

  constructor(seed: number, kind: string) {
    const kh = seedToU32(kind);
    this.k0 = hash32(seed, kh, 11);
    this.k1 = hash32(seed, kh, 12);
    this.k2 = hash32(seed, kh, 13);
    this.k3 = hash32(seed, kh, 14);
  }

  id(index: number): string {
    const w0 = fmix32((index ^ this.k0) >>> 0);
    const w1 = fmix32((w0 ^ this.k1) + index);
    const w2 = fmix32((w1 + this.k2) ^ w0);
    const w3 = fmix32((w2 ^ this.k3) + w1);
    return hex32(w0) + hex32(w1) + hex32(w2) + hex32(w3);
  }
}

/** In-place Fisher–Yates shuffle of a typed or plain array. */
export function shuffle<T extends { length: number; [i: number]: number }>(arr: T, rng: Rng): T {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = arr[i] as number;
    arr[i] = arr[j] as number;
    arr[j] = t;
  }
  return arr;
}

/** Picks `k` of `n` indices in ascending order (Knuth's selection sampling). */
export function selectSorted(n: number, k: number, rng: Rng): Int32Array {
  const out = new Int32Array(Math.min(k, n));
  let chosen = 0;
  for (let i = 0; i < n && chosen < out.length; i++) {
    if (rng.next() * (n - i) < out.length - chosen) out[chosen++] = i;
  }
  return out;
}
