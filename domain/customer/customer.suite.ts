// The customer context's expectation suites (pure declarations): customers and reviews per partition, profiles whole.
import { expect as e, type Suite } from '../quality';
import { BRAZILIAN_STATES } from '../shared/brazil-address.value-object';
import { SEGMENTS } from './customer-segment.policy';

const CUSTOMERS = 'customer.customers';
const REVIEWS = 'customer.reviews';
const PROFILES = 'customer.profiles';

export const CUSTOMER_SUITES: readonly Suite[] = [
  {
    name: CUSTOMERS,
    asset: CUSTOMERS,
    expectations: [
      e.unique(CUSTOMERS, 'customer_id', { id: 'customers.customer_id.unique', severity: 'block' }),
      e.notNull(CUSTOMERS, 'customer_unique_id', { id: 'customers.customer_unique_id.not_null', severity: 'block' }),
      e.matches(CUSTOMERS, 'zip_code_prefix', '^[0-9]{5}$', { id: 'customers.zip_code_prefix.five_digits' }),
      e.inSet(CUSTOMERS, 'state', BRAZILIAN_STATES, { id: 'customers.state.in_set' }),
      e.notNull(CUSTOMERS, 'city', { id: 'customers.city.not_null' }),
    ],
  },
  {
    name: REVIEWS,
    asset: REVIEWS,
    expectations: [
      e.unique(REVIEWS, ['review_id', 'order_id'], { id: 'reviews.key.unique', severity: 'block' }),
      e.between(REVIEWS, 'review_score', { min: 1, max: 5 }, { id: 'reviews.review_score.1_to_5' }),
      e.columnPair(REVIEWS, 'created_at', '<=', 'answered_at', { id: 'reviews.created_before_answered' }),
      e.referential(REVIEWS, 'order_id', { asset: 'sales.orders', column: 'order_id' }, { id: 'reviews.order_id.references_orders' }),
    ],
  },
  {
    name: PROFILES,
    asset: PROFILES,
    expectations: [
      e.notNull(PROFILES, 'customer_unique_id', { id: 'profiles.customer_unique_id.not_null', severity: 'block' }),
      e.unique(PROFILES, 'customer_unique_id', { id: 'profiles.customer_unique_id.unique', severity: 'block' }),
      e.inSet(PROFILES, 'segment', SEGMENTS, { id: 'profiles.segment.in_set' }),
      e.between(PROFILES, 'orders_count', { min: 0 }, { id: 'profiles.orders_count.non_negative' }),
      e.between(PROFILES, 'total_spent', { min: 0 }, { id: 'profiles.total_spent.non_negative' }),
      e.columnPair(PROFILES, 'first_order_at', '<=', 'last_order_at', { id: 'profiles.first_before_last_order' }),
      e.columnPair(PROFILES, 'last_order_at', '<=', 'as_of', { id: 'profiles.last_order_not_after_as_of', dimension: 'timeliness' }),
    ],
  },
];
