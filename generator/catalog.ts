// Products and sellers: the real rows (scaled down by seeded sampling, or extended with copies under new ids), with
// per-product prices, seller assignment and popularity, all derived from the seed without per-order state.
import { formatRecord } from './csv-format';
import { FILES } from './files';
import { FULL } from './figures';
import { hash32, IdMaker, Rng, selectSorted, shuffle } from './rng';

/** Smallest catalogue the generator makes at tiny scales. */
export const MIN_PRODUCTS = 30;
export const MIN_SELLERS = 10;

/** ln(price) = a + b ln(weight g) + sigma N(0,1): fitted on sample-1k (a 2.12, b 0.333, residual 0.79), a shifted so the mean item price is ≈ R$ 120.65. */
const PRICE = { a: 2.12 + 0.055, b: 0.333, sigma: 0.79, min: 0.85, max: 6_735 };
/** ln(freight) per item, same-state vs inter-state routes (sample-1k fits), shifted to a mean of ≈ R$ 19.99. */
const FREIGHT_SAME = { a: 1.07, b: 0.215, sigma: 0.3 };
const FREIGHT_OTHER = { a: 1.85, b: 0.176, sigma: 0.44 };
const FREIGHT_SHIFT = -0.035;
const FREE_FREIGHT = 0.0034;
/** Popularity ranks priced closer to the middle: the top 1% around R$ 70, the next 9% with a narrower spread. */
const PRICE_TIERS = { top: 0.01, topMedian: 70, topSigma: 0.45, second: 0.1, secondSigma: 0.6 };
/** Popularity skew: product rank = floor(P u^1.8), seller rank = floor(S u^2). */
const PRODUCT_SKEW = 1.8;
const SELLER_SKEW = 2.0;

export interface SellerInfo {
  id: string;
  zip: string;
  city: string;
  state: string;
}

export class Catalog {
  readonly productCount: number;
  readonly sellerCount: number;
  /** Real product rows in use (file order); products beyond them are copies of a template under a new id. */
  private readonly productRows: string[][];
  private readonly templates: string[][];
  private readonly productIds: IdMaker;
  readonly priceCents: Int32Array;
  readonly weightG: Float64Array;
  readonly sellerOf: Int32Array;
  readonly sellers: SellerInfo[];
  private readonly sellerOffsets: Int32Array;
  private readonly sellerProducts: Int32Array;
  private readonly popularity: Int32Array;
  private readonly fresh: Int32Array;
  private freshNext = 0;

  constructor(
    private readonly seed: number,
    scale: number,
    realProducts: string[][],
    realSellers: string[][],
  ) {
    const rng = new Rng(seed, 0xca7a);
    this.productCount = Math.max(MIN_PRODUCTS, Math.round(FULL.products * scale));
    this.sellerCount = Math.max(MIN_SELLERS, Math.min(this.productCount, Math.round(FULL.sellers * scale)));
    this.templates = realProducts;
    this.productIds = new IdMaker(seed, 'product');

    const keep = selectSorted(realProducts.length, this.productCount, rng);
    this.productRows = Array.from(keep, (i) => realProducts[i]!);
    const sellerKeep = selectSorted(realSellers.length, this.sellerCount, rng);
    const sellerIds = new IdMaker(seed, 'seller');
    this.sellers = [];
    for (const i of sellerKeep) this.sellers.push(sellerInfo(realSellers[i]!));
    for (let s = this.sellers.length; s < this.sellerCount; s++) {
      const t = sellerInfo(realSellers[hash32(seed, 0x5e11, s) % realSellers.length]!);
      this.sellers.push({ ...t, id: sellerIds.id(s) });
    }

    const P = this.productCount;
    const S = this.sellerCount;
    this.priceCents = new Int32Array(P);
    this.weightG = new Float64Array(P);
    for (let k = 0; k < P; k++) {
      const w = Number(this.row(k)[5]);
      this.weightG[k] = w > 0 ? w : 700;
    }

    // Every seller gets at least one product; the rest follow a power law over a shuffled seller ranking.
    this.sellerOf = new Int32Array(P);
    const cover = shuffle(
      Int32Array.from({ length: P }, (_, i) => i),
      rng,
    );
    const sellerRank = shuffle(
      Int32Array.from({ length: S }, (_, i) => i),
      rng,
    );
    for (let j = 0; j < P; j++) {
      this.sellerOf[cover[j]!] = j < S ? j : sellerRank[Math.floor(S * Math.pow(rng.next(), SELLER_SKEW))]!;
    }
    this.sellerOffsets = new Int32Array(S + 1);
    for (let k = 0; k < P; k++) this.sellerOffsets[this.sellerOf[k]! + 1]!++;
    for (let s = 0; s < S; s++) this.sellerOffsets[s + 1]! += this.sellerOffsets[s]!;
    this.sellerProducts = new Int32Array(P);
    const fill = this.sellerOffsets.slice(0, S);
    for (let k = 0; k < P; k++) this.sellerProducts[fill[this.sellerOf[k]!]!++] = k;

    this.popularity = shuffle(
      Int32Array.from({ length: P }, (_, i) => i),
      rng,
    );
    // Prices: stratified normal scores (so the catalogue's price curve has its exact shape at any size), with
    // best sellers mid-priced like the real ones (the real top 10 cost R$ 24–150).
    const strata = shuffle(
      Int32Array.from({ length: P }, (_, i) => i),
      rng,
    );
    const top = Math.max(10, Math.round(P * PRICE_TIERS.top));
    const second = Math.round(P * PRICE_TIERS.second);
    for (let r = 0; r < P; r++) {
      const k = this.popularity[r]!;
      const z = inverseNormal((strata[k]! + rng.next()) / P);
      const sigma = r < top ? PRICE_TIERS.topSigma : r < second ? PRICE_TIERS.secondSigma : PRICE.sigma;
      const center = r < top ? Math.log(PRICE_TIERS.topMedian) : PRICE.a + PRICE.b * Math.log(this.weightG[k]!);
      this.priceCents[k] = catalogPrice(Math.exp(center + sigma * z), rng.next());
    }
    this.fresh = shuffle(
      Int32Array.from({ length: P }, (_, i) => i),
      rng,
    );
  }

  /** The product's row as in the file (a template copy beyond the real rows in use). */
  row(k: number): string[] {
    if (k < this.productRows.length) return this.productRows[k]!;
    const t = this.templates[hash32(this.seed, 0x7e3a, k) % this.templates.length]!;
    return [this.productIds.id(k), ...t.slice(1)];
  }

  productId(k: number): string {
    return k < this.productRows.length ? this.productRows[k]![0]! : this.productIds.id(k);
  }

  /**
   * A product for a new order line: a product never sold yet with probability (unsold left / picks left), so
   * that every product sells at least once, otherwise a popular one.
   */
  pickProduct(rng: Rng, picksLeft: number): number {
    const freshLeft = this.productCount - this.freshNext;
    if (freshLeft > 0 && rng.next() * Math.max(1, picksLeft) < freshLeft) return this.fresh[this.freshNext++]!;
    return this.popularProduct(rng);
  }

  /** A product by popularity alone. */
  popularProduct(rng: Rng): number {
    return this.popularity[Math.floor(this.productCount * Math.pow(rng.next(), PRODUCT_SKEW))]!;
  }

  /** Another product of the same seller, when it has one. */
  siblingProduct(rng: Rng, k: number): number | null {
    const s = this.sellerOf[k]!;
    const from = this.sellerOffsets[s]!;
    const n = this.sellerOffsets[s + 1]! - from;
    if (n < 2) return null;
    const pick = this.sellerProducts[from + rng.int(n - 1)]!;
    return pick === k ? this.sellerProducts[from + n - 1]! : pick;
  }

  get unsoldProducts(): number {
    return this.productCount - this.freshNext;
  }

  /** Freight of one item in centavos, from the product's weight and whether the route stays in one state. */
  freightCents(rng: Rng, k: number, sameState: boolean): number {
    if (rng.chance(FREE_FREIGHT)) return 0;
    const f = sameState ? FREIGHT_SAME : FREIGHT_OTHER;
    const value = Math.exp(f.a + FREIGHT_SHIFT + f.b * Math.log(this.weightG[k]!) + f.sigma * rng.normal());
    return Math.max(1, Math.round(Math.min(value, 400) * 100));
  }

  productLine(k: number): string {
    return formatRecord(this.row(k), FILES.products.styles);
  }

  sellerLine(s: number): string {
    const x = this.sellers[s]!;
    return formatRecord([x.id, x.zip, x.city, x.state], FILES.sellers.styles);
  }
}

function sellerInfo(r: string[]): SellerInfo {
  return { id: r[0]!, zip: r[1]!, city: r[2]!, state: r[3]! };
}

/** A catalogue price in centavos, with the .90/.99/.00 endings of the real prices (`ending` uniform in [0,1)). */
function catalogPrice(base: number, ending: number): number {
  const clamped = Math.min(PRICE.max, Math.max(PRICE.min, base));
  let cents: number;
  if (clamped < 2) cents = Math.round(clamped * 100);
  else if (ending < 0.42) cents = Math.floor(clamped) * 100 - 10;
  else if (ending < 0.62) cents = Math.floor(clamped) * 100 - 1;
  else if (ending < 0.9) cents = Math.round(clamped) * 100;
  else if (ending < 0.95) cents = Math.floor(clamped) * 100 + 50;
  else cents = Math.round(clamped * 100);
  return Math.max(85, cents);
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  const lower = 0.02425;
  if (q < lower || q > 1 - lower) {
    const t = Math.sqrt(-2 * Math.log(q < lower ? q : 1 - q));
    const x =
      (((((c[0]! * t + c[1]!) * t + c[2]!) * t + c[3]!) * t + c[4]!) * t + c[5]!) /
      ((((d[0]! * t + d[1]!) * t + d[2]!) * t + d[3]!) * t + 1);
    return q < lower ? x : -x;
  }
  const u = q - 0.5;
  const r = u * u;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * u) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
