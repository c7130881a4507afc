// Fault injection: known bad rows, each breaking exactly one rule, placed on clean delivered orders and listed in
// fault-manifest.json. Fault choices use their own random stream, so the clean rows do not change with the rate.
import { money, SECONDS_PER_DAY } from './csv-format';
import type { FileKey } from './files';
import type { ItemDraft, OrderDraft } from './order-draft';
import { IdMaker, Rng, selectSorted, shuffle } from './rng';

export const FAULT_RULES = {
  unknown_status: 'SALES.UNKNOWN_STATUS',
  delivered_before_purchase: 'SALES.TIMESTAMPS_OUT_OF_ORDER',
  delivered_without_items: 'SALES.DELIVERED_WITHOUT_ITEMS',
  negative_price: 'SALES.NON_POSITIVE_PRICE',
  payment_mismatch: 'SALES.PAYMENT_MISMATCH',
  orphan_item: 'SALES.ORPHAN_ITEM',
  review_score_out_of_range: 'CUSTOMER.REVIEW_SCORE_OUT_OF_RANGE',
  duplicate_order: 'SALES.DUPLICATE_ORDER',
  non_numeric_price: 'CONTRACT.INVALID_NUMBER',
  unparseable_timestamp: 'CONTRACT.INVALID_TIMESTAMP',
  delivered_before_handoff: 'FULFILLMENT.DELIVERED_BEFORE_HANDOFF',
} as const;

export type FaultKind = keyof typeof FAULT_RULES;
export const FAULT_KINDS = Object.keys(FAULT_RULES) as FaultKind[];

/** One injected fault as listed in fault-manifest.json. */
export interface FaultEntry {
  kind: FaultKind;
  /** File name, e.g. olist_order_items_dataset.csv. */
  file: string;
  /** The order the bad row belongs to (for an orphan item: the order id it names, which does not exist). */
  orderId: string;
  /** 1-based record number in `file`, header excluded. */
  sourceRow: number;
  expectedRule: (typeof FAULT_RULES)[FaultKind];
  /** Column holding the bad value, when one column is to blame. */
  column?: string;
  /** The bad value as written. */
  value?: string;
  /** What the clean row held (the order's payments still match it). */
  originalValue?: string;
  /** For a duplicated order: the record number of the first (clean) copy, which the platform also rejects. */
  firstSourceRow?: number;
  note: string;
  /**
   * The other rows of the same order, by file (record numbers): a platform that rejects the whole order takes
   * them along (with the same rule, or as orphans in other contexts). Empty for an orphan item.
   */
  relatedRows: Record<string, number[]>;
}

/** Where the faulty row of an order goes, resolved to a record number when the order is written. */
export type FaultSite =
  | { table: 'orders'; copy: 'original' | 'duplicate' }
  | { table: 'items'; item: number | 'orphan' }
  | { table: 'payments'; payment: number }
  | { table: 'reviews'; review: number };

export interface AppliedFault {
  entry: Omit<FaultEntry, 'file' | 'sourceRow' | 'relatedRows'>;
  fileKey: FileKey;
  site: FaultSite;
  /** An extra item row naming a non-existent order (orphan_item). */
  orphan?: { orderId: string; item: ItemDraft };
}

export const UNKNOWN_STATUS_VALUE = 'in_transit';
export const UNPARSEABLE_TIMESTAMP_VALUE = '0000-00-00 00:00:00';

/** Planned fault count: none without a rate; otherwise rate × orders, at least one of each kind. */
export function faultCount(rate: number, orders: number, kinds = FAULT_KINDS.length): number {
  if (!(rate > 0)) return 0;
  return Math.min(Math.floor(orders / 5), Math.max(kinds, Math.round(rate * orders)));
}

export class FaultInjector {
  private readonly rng: Rng;
  private readonly positions: Int32Array;
  private readonly kinds: FaultKind[];
  private cursor = 0;
  private readonly pending: FaultKind[] = [];
  private readonly orphanIds: IdMaker;
  private orphans = 0;

  constructor(seed: number, orders: number, rate: number, kinds: readonly FaultKind[] = FAULT_KINDS) {
    this.rng = new Rng(seed, 0xfa017);
    this.orphanIds = new IdMaker(seed, 'orphan-order');
    const count = faultCount(rate, orders, kinds.length);
    this.positions = selectSorted(Math.max(1, Math.floor(orders * 0.9)), count, this.rng);
    const order = shuffle(
      Int32Array.from({ length: kinds.length }, (_, i) => i),
      this.rng,
    );
    this.kinds = Array.from({ length: count }, (_, i) => kinds[order[i % kinds.length]!]!);
  }

  get planned(): number {
    return this.kinds.length;
  }

  /** Faults still waiting for an eligible order when the run ends (should be none). */
  get unplaced(): number {
    return this.pending.length + (this.kinds.length - this.cursor);
  }

  /** Turns the order (already built clean) into a fault when one is due and the order can carry it. */
  inject(d: OrderDraft): AppliedFault | null {
    while (this.cursor < this.positions.length && this.positions[this.cursor]! <= d.index) this.pending.push(this.kinds[this.cursor++]!);
    if (this.pending.length === 0 || !eligible(d)) return null;
    return this.apply(this.pending.shift()!, d);
  }

  private apply(kind: FaultKind, d: OrderDraft): AppliedFault {
    const rng = this.rng;
    const base = { kind, orderId: d.orderId, expectedRule: FAULT_RULES[kind] };
    switch (kind) {
      case 'unknown_status':
        d.status = UNKNOWN_STATUS_VALUE;
        return {
          fileKey: 'orders',
          site: { table: 'orders', copy: 'original' },
          entry: {
            ...base,
            column: 'order_status',
            value: UNKNOWN_STATUS_VALUE,
            originalValue: 'delivered',
            note: 'status outside the Olist lifecycle',
          },
        };
      case 'delivered_before_purchase': {
        d.carrier = d.purchase - rng.between(2, 5) * SECONDS_PER_DAY - rng.int(SECONDS_PER_DAY);
        d.delivered = d.carrier + rng.between(12, 36) * 3600;
        return {
          fileKey: 'orders',
          site: { table: 'orders', copy: 'original' },
          entry: {
            ...base,
            column: 'order_delivered_customer_date',
            note: 'handed to the carrier and delivered before the purchase (delivered is still after the carrier date)',
          },
        };
      }
      case 'delivered_before_handoff': {
        d.carrier = Math.max(d.carrier ?? d.purchase, d.purchase + 2 * SECONDS_PER_DAY);
        d.delivered = d.carrier - rng.between(1, 20) * 3600;
        return {
          fileKey: 'orders',
          site: { table: 'orders', copy: 'original' },
          entry: {
            ...base,
            column: 'order_delivered_customer_date',
            note: 'delivered hours before the carrier hand-off (both after the purchase); the order itself is valid',
          },
        };
      }
      case 'delivered_without_items':
        d.items = [];
        return {
          fileKey: 'orders',
          site: { table: 'orders', copy: 'original' },
          entry: { ...base, note: 'delivered order whose item rows are missing (its payments are kept)' },
        };
      case 'negative_price': {
        const item = d.items[0]!;
        const original = money(item.priceCents);
        item.priceText = money(-item.priceCents);
        return {
          fileKey: 'items',
          site: { table: 'items', item: 0 },
          entry: {
            ...base,
            column: 'price',
            value: item.priceText,
            originalValue: original,
            note: 'sign flipped; payments match the original price',
          },
        };
      }
      case 'payment_mismatch': {
        const p = d.payments[0]!;
        const total = d.items.reduce((a, it) => a + it.priceCents + it.freightCents, 0);
        const original = money(p.valueCents);
        p.valueCents += Math.max(50_000, 20 * total);
        return {
          fileKey: 'payments',
          site: { table: 'payments', payment: 0 },
          entry: {
            ...base,
            column: 'payment_value',
            value: money(p.valueCents),
            originalValue: original,
            note: 'payment impossibly far above items + freight (more than 10× over)',
          },
        };
      }
      case 'orphan_item': {
        const orderId = this.orphanIds.id(this.orphans++);
        const item: ItemDraft = { ...d.items[0]! };
        delete item.priceText;
        return {
          fileKey: 'items',
          site: { table: 'items', item: 'orphan' },
          orphan: { orderId, item },
          entry: {
            ...base,
            orderId,
            column: 'order_id',
            value: orderId,
            note: `extra item naming an order that does not exist (written after the items of ${d.orderId})`,
          },
        };
      }
      case 'review_score_out_of_range': {
        const r = d.reviews[0]!;
        const original = String(r.score);
        r.score = 7;
        return {
          fileKey: 'reviews',
          site: { table: 'reviews', review: 0 },
          entry: { ...base, column: 'review_score', value: '7', originalValue: original, note: 'score outside 1–5' },
        };
      }
      case 'duplicate_order':
        return {
          fileKey: 'orders',
          site: { table: 'orders', copy: 'duplicate' },
          entry: {
            ...base,
            column: 'order_id',
            value: d.orderId,
            note: 'exact copy of the order row, written later in the file; the later copy is the fault',
          },
        };
      case 'non_numeric_price': {
        const item = d.items[0]!;
        const original = money(item.priceCents);
        item.priceText = `R$ ${original.replace('.', ',')}`;
        return {
          fileKey: 'items',
          site: { table: 'items', item: 0 },
          entry: {
            ...base,
            column: 'price',
            value: item.priceText,
            originalValue: original,
            note: 'price in Brazilian display format; payments match the original price',
          },
        };
      }
      case 'unparseable_timestamp':
        d.approvedText = UNPARSEABLE_TIMESTAMP_VALUE;
        return {
          fileKey: 'orders',
          site: { table: 'orders', copy: 'original' },
          entry: { ...base, column: 'order_approved_at', value: UNPARSEABLE_TIMESTAMP_VALUE, note: 'zero date from a MySQL-style export' },
        };
    }
  }
}

/** Faults go on plain delivered orders with items, payments and a review of their own. */
function eligible(d: OrderDraft): boolean {
  return (
    d.status === 'delivered' &&
    d.flags === 0 &&
    d.items.length > 0 &&
    d.reviews.length > 0 &&
    d.payments.length > 0 &&
    d.payments[0]!.type !== 'not_defined' &&
    d.carrier !== null &&
    d.delivered !== null
  );
}
