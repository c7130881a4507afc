// Builds one order at a time with its customer, items, payments and reviews, phase by phase (header, items, payments,
// delivery timeline, reviews): quotas keep the status mix, item and payment counts exact at any scale; per-order randomness
// comes from one seeded stream, drawn in this order, so a seed fixes every byte.
import type { Catalog } from './catalog';
import { timeline, shippingLimit } from './delivery-timeline';
import type { Geography } from './geography';
import type { OrderDraft } from './order-draft';
import { HeaderPlanner } from './order-header';
import { ItemPicker } from './order-items';
import { fillPayments, PaymentPlanner } from './order-payments';
import { ReviewWriter } from './order-reviews';
import { TWIN_SECOND, type PersonPlan } from './persons';
import type { ReviewText } from './reference';
import { hash32, IdMaker, Rng } from './rng';

export type { ItemDraft, OrderDraft, PaymentDraft, ReviewDraft } from './order-draft';

export interface FactoryStats {
  unsoldProducts: number;
}

export class OrderFactory {
  private readonly rng: Rng;
  private readonly orderIds: IdMaker;
  private readonly customerIds: IdMaker;
  private readonly personIds: IdMaker;
  private readonly header: HeaderPlanner;
  private readonly items: ItemPicker;
  private readonly payments: PaymentPlanner;
  private readonly reviews: ReviewWriter;
  private previous: OrderDraft | null = null;

  constructor(
    private readonly seed: number,
    readonly orders: number,
    private readonly persons: PersonPlan,
    private readonly catalog: Catalog,
    private readonly geography: Geography,
    reviewTexts: readonly ReviewText[],
  ) {
    this.rng = new Rng(seed, 0x0bde5);
    this.orderIds = new IdMaker(seed, 'order');
    this.customerIds = new IdMaker(seed, 'customer');
    this.personIds = new IdMaker(seed, 'person');
    this.header = new HeaderPlanner(orders);
    this.items = new ItemPicker(catalog, orders - this.header.itemlessOrders);
    this.payments = new PaymentPlanner(orders);
    const pairs = persons.flags.reduce((a, f) => a + (f === TWIN_SECOND ? 1 : 0), 0);
    this.reviews = new ReviewWriter(seed, orders, orders - 2 * pairs, reviewTexts);
  }

  stats(): FactoryStats {
    return { unsoldProducts: this.catalog.unsoldProducts };
  }

  /** Builds order `i` (call with i = 0, 1, 2, … in order). */
  next(i: number): OrderDraft {
    const rng = this.rng;
    const flags = this.persons.flags[i]!;
    const person = this.persons.personOf[i]!;
    const prev = flags & TWIN_SECOND ? this.previous : null;
    const location = this.geography.customerLocation(new Rng(hash32(this.seed, 0x10ca7e), person));

    // When, the status, and whether the order kept its items.
    const { purchase, status, itemless } = this.header.next(rng, prev);
    const items = itemless ? [] : this.items.items(rng, location);
    const catalog = this.catalog;
    const sameState =
      items.length > 0 ? catalog.sellers[catalog.sellerOf[items[0]!.productIdx]!]!.state === location.state : rng.chance(0.36);

    // Payment plan (types and installments); values come once the total is known.
    const payments = this.payments.plan(rng, status, itemless);

    // Timestamps by status, then the items' shipping limit.
    const t = timeline(rng, status, purchase, payments[0]!.type, sameState);
    const limit = shippingLimit(rng, t.approved ?? purchase);
    for (const item of items) item.shippingLimit = limit;

    // Payment values: items + freight (a basket's worth for orders that lost their items).
    let total = items.reduce((a, it) => a + it.priceCents + it.freightCents, 0);
    if (itemless) {
      const k = catalog.popularProduct(rng);
      // Scaled so that payments total ≈ R$ 16.0M at scale 1 (the real file's itemless orders carry ≈ R$ 0.16M).
      total = Math.round(1.35 * (catalog.priceCents[k]! + catalog.freightCents(rng, k, sameState)));
    }
    fillPayments(rng, payments, total);

    const draft: OrderDraft = {
      index: i,
      orderId: this.orderIds.id(i),
      customerId: this.customerIds.id(i),
      personId: this.personIds.id(person),
      location,
      flags,
      status,
      purchase,
      ...t,
      items,
      payments,
      reviews: [],
    };
    draft.reviews = this.reviews.reviews(rng, draft, prev);
    this.previous = draft;
    return draft;
  }
}
