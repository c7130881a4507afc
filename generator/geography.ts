// Zip-code universe (real prefixes from the reference geolocation and the sellers, plus nearby synthetic ones),
// customer locations drawn from it by state, and the geolocation file with its exact duplicate rows.
import { idField, zip5 } from './csv-format';
import type { CsvSink } from './csv-sink';
import { CUSTOMER_STATES, FULL } from './figures';
import type { GeoRow } from './reference';
import { apportion, cumulativeOf, Rng, selectSorted } from './rng';

interface ZipEntry {
  prefix: number;
  state: string;
  /** City spellings seen for the prefix, most frequent first. */
  cities: string[];
  /** Real distinct points "lat,lng" (original text). */
  points: string[];
  lat: number;
  lng: number;
  weight: number;
}

export interface Location {
  zip: string;
  city: string;
  state: string;
}

const stripAccents = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

export class Geography {
  private readonly zips: ZipEntry[];
  private readonly states: string[];
  private readonly stateCum: Float64Array;
  private readonly zipsByState: Map<string, { idx: Int32Array; cum: Float64Array }>;

  constructor(
    seed: number,
    scale: number,
    geo: readonly GeoRow[],
    sellerZips: ReadonlyArray<{ zip: string; city: string; state: string }>,
  ) {
    const rng = new Rng(seed, 0x6e0);
    const byPrefix = new Map<number, ZipEntry & { cityCount: Map<string, number>; pointSet: Set<string> }>();
    for (const g of geo) {
      const prefix = Number(g.zip);
      let e = byPrefix.get(prefix);
      if (e === undefined) {
        e = { prefix, state: g.state, cities: [], points: [], lat: 0, lng: 0, weight: 0, cityCount: new Map(), pointSet: new Set() };
        byPrefix.set(prefix, e);
      }
      e.weight++;
      e.lat += Number(g.lat);
      e.lng += Number(g.lng);
      e.cityCount.set(g.city, (e.cityCount.get(g.city) ?? 0) + 1);
      e.pointSet.add(`${g.lat},${g.lng}`);
    }
    const real: ZipEntry[] = [...byPrefix.values()]
      .sort((a, b) => a.prefix - b.prefix)
      .map((e) => ({
        prefix: e.prefix,
        state: e.state,
        cities: [...e.cityCount.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c),
        points: [...e.pointSet],
        lat: e.lat / e.weight,
        lng: e.lng / e.weight,
        weight: e.weight,
      }));
    if (real.length === 0) throw new Error('generator reference data: the geolocation file has no rows');

    // Seller zip codes not in the reference get the centre of the nearest real prefix of their state.
    const sellerOnly: ZipEntry[] = [];
    const seen = new Set(real.map((z) => z.prefix));
    for (const s of sellerZips) {
      const prefix = Number(s.zip);
      if (seen.has(prefix)) continue;
      seen.add(prefix);
      const near = nearest(real, prefix, s.state);
      sellerOnly.push({ prefix, state: s.state, cities: [s.city], points: [], lat: near.lat, lng: near.lng, weight: 1 });
    }

    const target = Math.max(Math.round(FULL.geolocationZips * Math.min(1, scale)), sellerOnly.length + Math.min(real.length, 27));
    let zips: ZipEntry[];
    if (real.length + sellerOnly.length >= target) {
      const keep = selectSorted(real.length, target - sellerOnly.length, rng);
      zips = [...Array.from(keep, (i) => real[i]!), ...sellerOnly];
    } else {
      zips = [...real, ...sellerOnly];
      const parents = [...real];
      const cum = cumulativeOf(parents.map((p) => p.weight));
      while (zips.length < target) {
        const parent = parents[rng.pickCumulative(cum)]!;
        const prefix = parent.prefix + (rng.chance(0.5) ? 1 : -1) * rng.between(1, 60);
        if (prefix < 1000 || prefix > 99_999 || seen.has(prefix)) continue;
        seen.add(prefix);
        zips.push({
          prefix,
          state: parent.state,
          cities: [parent.cities[0]!],
          points: [],
          lat: parent.lat + 0.03 * rng.normal(),
          lng: parent.lng + 0.03 * rng.normal(),
          weight: parent.weight * rng.uniform(0.2, 1),
        });
      }
    }
    this.zips = zips.sort((a, b) => a.prefix - b.prefix);

    this.zipsByState = new Map();
    const groups = new Map<string, number[]>();
    this.zips.forEach((z, i) => {
      const g = groups.get(z.state) ?? [];
      g.push(i);
      groups.set(z.state, g);
    });
    for (const [state, idx] of groups) {
      this.zipsByState.set(state, { idx: Int32Array.from(idx), cum: cumulativeOf(idx.map((i) => this.zips[i]!.weight)) });
    }
    this.states = Object.keys(CUSTOMER_STATES).filter((s) => groups.has(s));
    if (this.states.length === 0) this.states = [...groups.keys()];
    this.stateCum = cumulativeOf(this.states.map((s) => CUSTOMER_STATES[s] ?? 1));
  }

  get zipCount(): number {
    return this.zips.length;
  }

  /** A customer's address: state by the real customer mix, then a zip code of that state by density. */
  customerLocation(rng: Rng): Location {
    const state = this.states[rng.pickCumulative(this.stateCum)]!;
    const group = this.zipsByState.get(state)!;
    const z = this.zips[group.idx[rng.pickCumulative(group.cum)]!]!;
    return { zip: zip5(z.prefix), city: stripAccents(z.cities[0]!).toLowerCase(), state };
  }

  /**
   * Writes `rows` geolocation records, `duplicates` of which repeat an earlier record of the same prefix exactly;
   * each prefix gets at least one record, real points first, then points scattered around its centre.
   */
  async write(sink: CsvSink, seed: number, rows: number, duplicatesWanted: number, onRows: () => Promise<void>): Promise<void> {
    const rng = new Rng(seed, 0x6e01);
    const Z = this.zips.length;
    const total = Math.max(rows, Z);
    const perZip = apportion(
      this.zips.map((z) => z.weight * rng.lognormal(1, 0.8)),
      total - Z,
    );
    let eligible = total - Z;
    let duplicates = Math.min(duplicatesWanted, eligible);
    const lines: string[] = [];
    for (let zi = 0; zi < Z; zi++) {
      const z = this.zips[zi]!;
      const n = 1 + perZip[zi]!;
      const zip = idField(zip5(z.prefix));
      const spread = z.points.length > 0 ? 0.004 : 0.012;
      let realNext = 0;
      lines.length = 0;
      for (let r = 0; r < n; r++) {
        if (r > 0) {
          const dup = rng.next() * eligible < duplicates;
          eligible--;
          if (dup) {
            duplicates--;
            sink.record(lines[rng.int(lines.length)]!);
            continue;
          }
        }
        const city = z.cities.length > 1 && rng.chance(0.15) ? z.cities[1 + rng.int(z.cities.length - 1)]! : z.cities[0]!;
        let point: string;
        if (realNext < z.points.length) point = z.points[realNext++]!;
        else point = `${decimal(z.lat + spread * rng.normal())},${decimal(z.lng + spread * rng.normal())}`;
        const line = `${zip},${point},${idField(city)},${z.state}\n`;
        lines.push(line);
        sink.record(line);
      }
      if (sink.pending) await onRows();
    }
  }
}

function nearest(real: readonly ZipEntry[], prefix: number, state: string): ZipEntry {
  let best: ZipEntry | null = null;
  let bestSame: ZipEntry | null = null;
  for (const z of real) {
    if (best === null || Math.abs(z.prefix - prefix) < Math.abs(best.prefix - prefix)) best = z;
    if (z.state === state && (bestSame === null || Math.abs(z.prefix - prefix) < Math.abs(bestSame.prefix - prefix))) bestSame = z;
  }
  return (bestSame ?? best)!;
}

/** A coordinate with up to 14 decimals, never in exponent form. */
function decimal(x: number): string {
  const s = x.toFixed(14).replace(/0+$/, '');
  return s.endsWith('.') ? `${s}0` : s;
}
