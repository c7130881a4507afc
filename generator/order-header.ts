// The order header's phase: its purchase moment (month by quota, the data set's first and last moments pinned), its
// status (by quota; canceled only in the last months) and whether it lost its items.
import { FIRST, LAST, PurchaseCalendar } from './calendar';
import { CANCELED_ONLY_FROM_MONTH, FULL, ITEMLESS_BY_STATUS, MONTH_COUNTS, STATUS_COUNTS, STATUSES, type OrderStatus } from './figures';
import type { OrderDraft } from './order-draft';
import { apportion, Quota, type Rng } from './rng';

export interface OrderHeader {
  purchase: number;
  status: OrderStatus;
  /** The order kept no items (canceled and unavailable orders, mostly). */
  itemless: boolean;
}

export class HeaderPlanner {
  private readonly calendar = new PurchaseCalendar();
  private readonly monthQuota: Quota<number>;
  private readonly canceledOnlyFrom: number;
  private readonly fallbackMonth: number;
  private readonly statusQuota: Quota<OrderStatus>;
  private readonly statusLeft: Map<OrderStatus, number>;
  private readonly itemlessLeft: Map<OrderStatus, number>;
  /** Orders that will have no items, over the whole run. */
  readonly itemlessOrders: number;
  /** Whether the data set's first / last purchase moment has been used (by the first order drawn in that month). */
  private pinnedFirst = false;
  private pinnedLast = false;

  constructor(orders: number) {
    const share = orders / FULL.orders;
    this.monthQuota = new Quota(
      MONTH_COUNTS.map((_, i) => i),
      apportion(
        MONTH_COUNTS.map(([, n]) => n),
        orders,
      ),
    );
    this.canceledOnlyFrom = MONTH_COUNTS.findIndex(([m]) => m >= CANCELED_ONLY_FROM_MONTH);
    this.fallbackMonth = this.canceledOnlyFrom - 1;

    const statusCounts = apportion(
      STATUSES.map((s) => STATUS_COUNTS[s]),
      orders,
    );
    this.statusQuota = new Quota(STATUSES, statusCounts);
    this.statusLeft = new Map(STATUSES.map((s, i) => [s, statusCounts[i]!]));
    this.itemlessLeft = new Map(STATUSES.map((s, i) => [s, Math.min(statusCounts[i]!, Math.round((ITEMLESS_BY_STATUS[s] ?? 0) * share))]));
    this.itemlessOrders = [...this.itemlessLeft.values()].reduce((a, b) => a + b, 0);
  }

  /** The next order's header (a pair's second order follows its first, `prev`, by seconds or minutes). */
  next(rng: Rng, prev: OrderDraft | null): OrderHeader {
    let purchase: number;
    let month: number;
    if (prev !== null) {
      purchase = Math.min(LAST, prev.purchase + rng.between(5, 900));
      month = this.calendar.monthOf(purchase);
      this.monthQuota.take(month);
    } else {
      month = this.monthQuota.draw(rng, this.fallbackMonth);
      purchase = this.calendar.purchaseIn(month, rng);
      if (month === 0 && !this.pinnedFirst) {
        purchase = FIRST;
        this.pinnedFirst = true;
      } else if (month === this.calendar.months.length - 1 && !this.pinnedLast) {
        purchase = LAST;
        this.pinnedLast = true;
      }
    }

    let status: OrderStatus;
    if (month >= this.canceledOnlyFrom) {
      status = 'canceled';
      this.statusQuota.take(status);
    } else {
      status = this.statusQuota.draw(rng, 'delivered');
    }
    const statusLeft = this.statusLeft.get(status)!;
    const itemlessLeft = this.itemlessLeft.get(status)!;
    const itemless = itemlessLeft > 0 && rng.next() * Math.max(1, statusLeft) < itemlessLeft;
    this.statusLeft.set(status, Math.max(0, statusLeft - 1));
    if (itemless) this.itemlessLeft.set(status, itemlessLeft - 1);
    return { purchase, status, itemless };
  }
}
