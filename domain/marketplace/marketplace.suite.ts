// The marketplace context's expectation suites (pure declarations): the catalog's products, sellers and categories.
import { expect as e, type Suite } from '../quality';
import { BRAZILIAN_STATES } from '../shared/brazil-address.value-object';

const PRODUCTS = 'marketplace.products';
const SELLERS = 'marketplace.sellers';
const CATEGORIES = 'marketplace.categories';

export const MARKETPLACE_SUITES: readonly Suite[] = [
  {
    name: PRODUCTS,
    asset: PRODUCTS,
    expectations: [
      e.unique(PRODUCTS, 'product_id', { id: 'products.product_id.unique', severity: 'block' }),
      e.notNull(PRODUCTS, 'category_name_english', { id: 'products.category_name_english.not_null' }),
      e.between(PRODUCTS, 'weight_g', { min: 0 }, { id: 'products.weight_g.non_negative' }),
      e.between(PRODUCTS, 'photos_qty', { min: 0 }, { id: 'products.photos_qty.non_negative' }),
    ],
  },
  {
    name: SELLERS,
    asset: SELLERS,
    expectations: [
      e.unique(SELLERS, 'seller_id', { id: 'sellers.seller_id.unique', severity: 'block' }),
      e.matches(SELLERS, 'zip_code_prefix', '^[0-9]{5}$', { id: 'sellers.zip_code_prefix.five_digits' }),
      e.inSet(SELLERS, 'state', BRAZILIAN_STATES, { id: 'sellers.state.in_set' }),
    ],
  },
  {
    name: CATEGORIES,
    asset: CATEGORIES,
    expectations: [
      e.unique(CATEGORIES, 'category_name', { id: 'categories.category_name.unique', severity: 'block' }),
      e.notNull(CATEGORIES, 'category_name_english', { id: 'categories.category_name_english.not_null' }),
    ],
  },
];
