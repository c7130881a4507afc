// The items' phase: how many (by quota) and which products: the same product repeated, another of the same seller, or any
// other; one freight per distinct product.
import type { Catalog } from './catalog';
import { ITEMS_PER_ORDER, MULTI_ITEM_SAME_PRODUCT, MULTI_PRODUCT_SAME_SELLER } from './figures';
import type { Location } from './geography';
import type { ItemDraft } from './order-draft';
import { apportion, Quota, type Rng } from './rng';

export class ItemPicker {
  private readonly itemsQuota: Quota<number>;
  private itemPicksLeft: number;

  /** `orders`: the orders that keep their items. */
  constructor(
    private readonly catalog: Catalog,
    orders: number,
  ) {
    const itemCounts = apportion(
      ITEMS_PER_ORDER.map(([, n]) => n),
      orders,
    );
    this.itemsQuota = new Quota(
      ITEMS_PER_ORDER.map(([k]) => k),
      itemCounts,
    );
    this.itemPicksLeft = itemCounts.reduce((a, n) => a + n, 0);
  }

  /** An order's items, their shipping limit still 0 (set once the timeline is known). */
  items(rng: Rng, location: Location): ItemDraft[] {
    const catalog = this.catalog;
    const items: ItemDraft[] = [];
    const n = this.itemsQuota.draw(rng, 1);
    const first = catalog.pickProduct(rng, this.itemPicksLeft--);
    const sameProduct = n > 1 && rng.chance(MULTI_ITEM_SAME_PRODUCT);
    let product = first;
    let freight = -1;
    for (let j = 0; j < n; j++) {
      if (j > 0 && !sameProduct && (j === 1 || rng.chance(0.5))) {
        const sibling = rng.chance(MULTI_PRODUCT_SAME_SELLER) ? catalog.siblingProduct(rng, first) : null;
        product = sibling ?? catalog.pickProduct(rng, this.itemPicksLeft--);
        freight = -1;
      }
      const seller = catalog.sellers[catalog.sellerOf[product]!]!;
      if (freight < 0) freight = catalog.freightCents(rng, product, seller.state === location.state);
      items.push({
        productIdx: product,
        productId: catalog.productId(product),
        sellerId: seller.id,
        shippingLimit: 0,
        priceCents: catalog.priceCents[product]!,
        freightCents: freight,
      });
    }
    return items;
  }
}
