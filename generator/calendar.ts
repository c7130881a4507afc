// Purchase timestamps: month by quota (the real monthly ramp), day by weekday and Black Friday weights, hour by the real daily curve.
import { parseTimestamp, SECONDS_PER_DAY, startOfDay } from './csv-format';
import { DAY_BOOST, HOUR_WEIGHTS, MONTH_COUNTS, PURCHASE_FIRST, PURCHASE_LAST, WEEKDAY_WEIGHTS } from './figures';
import { cumulativeOf, type Rng } from './rng';

interface Month {
  key: string;
  firstDay: number;
  dayCum: Float64Array;
}

export const FIRST = parseTimestamp(PURCHASE_FIRST);
export const LAST = parseTimestamp(PURCHASE_LAST);
const HOUR_CUM = cumulativeOf(HOUR_WEIGHTS);

export class PurchaseCalendar {
  readonly months: readonly Month[];

  constructor() {
    this.months = MONTH_COUNTS.map(([key]) => {
      const [y, m] = key.split('-').map(Number) as [number, number];
      const firstDay = Date.UTC(y, m - 1, 1) / 86_400_000;
      const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
      const weights: number[] = [];
      for (let d = 0; d < days; d++) {
        const day = firstDay + d;
        const start = day * SECONDS_PER_DAY;
        const inRange = start + SECONDS_PER_DAY > FIRST && start <= LAST;
        const date = new Date(start * 1000);
        const iso = date.toISOString().slice(0, 10);
        weights.push(inRange ? (WEEKDAY_WEIGHTS[date.getUTCDay()] ?? 1) * (DAY_BOOST[iso] ?? 1) : 0);
      }
      return { key, firstDay, dayCum: cumulativeOf(weights) };
    });
  }

  /** A purchase moment (epoch seconds) within month `m`, inside the data set's first and last purchase. */
  purchaseIn(m: number, rng: Rng): number {
    const month = this.months[m]!;
    const day = month.firstDay + rng.pickCumulative(month.dayCum);
    const hour = rng.pickCumulative(HOUR_CUM);
    let t = day * SECONDS_PER_DAY + hour * 3600 + rng.int(3600);
    if (t < FIRST) t = FIRST + rng.int(startOfDay(FIRST) + SECONDS_PER_DAY - FIRST);
    if (t > LAST) t = startOfDay(LAST) + rng.int(LAST - startOfDay(LAST) + 1);
    return t;
  }

  monthOf(t: number): number {
    const day = Math.floor(t / SECONDS_PER_DAY);
    for (let m = this.months.length - 1; m >= 0; m--) if (day >= this.months[m]!.firstDay) return m;
    return 0;
  }
}
