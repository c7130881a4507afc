// The marts' expectation suites (pure declarations): dims, facts and marts, audited on the shadow relations before publication.
import { SEGMENTS } from '../customer/customer-segment.policy';
import { ORDER_STATUSES } from '../sales/order-status.state-machine';
import { BRAZILIAN_STATES } from '../shared/brazil-address.value-object';
import { expect as e } from './expectation.builders';
import type { Suite } from './suite.schema';

/** dim_customer's explicit unknown member (orders of rejected customers point to it) has this segment. */
export const UNKNOWN_SEGMENT = 'UNKNOWN';

const suite = (asset: string, expectations: Suite['expectations']): Suite => ({ name: asset, asset, expectations });

export const MART_SUITES: readonly Suite[] = [
  suite('dim_customer', [
    e.notNull('dim_customer', 'customer_unique_id', { id: 'dim_customer.customer_unique_id.not_null', severity: 'block' }),
    e.unique('dim_customer', 'customer_unique_id', { id: 'dim_customer.customer_unique_id.unique', severity: 'block' }),
    // The model's column is `segment` (the customer segment); the unknown member is part of the design, not an error.
    e.inSet('dim_customer', 'segment', [...SEGMENTS, UNKNOWN_SEGMENT], { id: 'dim_customer.customer_segment.in_set' }),
    e.between('dim_customer', 'total_spent', { min: 0 }, { id: 'dim_customer.total_spent.non_negative', dimension: 'accuracy' }),
    e.inSet('dim_customer', 'state', BRAZILIAN_STATES, { id: 'dim_customer.state.in_set' }),
    e.freshness('dim_customer', 'last_order_at', 90, { id: 'dim_customer.last_order_at.fresh' }),
  ]),
  suite('dim_product', [
    e.unique('dim_product', 'product_id', { id: 'dim_product.product_id.unique', severity: 'block' }),
    e.notNull('dim_product', 'category_name_english', { id: 'dim_product.category_name_english.not_null' }),
  ]),
  suite('dim_seller', [
    e.unique('dim_seller', 'seller_id', { id: 'dim_seller.seller_id.unique', severity: 'block' }),
    e.inSet('dim_seller', 'state', BRAZILIAN_STATES, { id: 'dim_seller.state.in_set' }),
  ]),
  suite('dim_date', [
    e.unique('dim_date', 'date_day', { id: 'dim_date.date_day.unique', severity: 'block' }),
    e.between('dim_date', 'month', { min: 1, max: 12 }, { id: 'dim_date.month.1_to_12' }),
  ]),
  suite('fact_orders', [
    e.notNull('fact_orders', 'order_id', { id: 'fact_orders.order_id.not_null', severity: 'block' }),
    e.unique('fact_orders', 'order_id', { id: 'fact_orders.order_id.unique', severity: 'block' }),
    e.inSet('fact_orders', 'order_status', ORDER_STATUSES, { id: 'fact_orders.order_status.in_set' }),
    e.notNull('fact_orders', 'customer_unique_id', { id: 'fact_orders.customer_unique_id.not_null' }),
    e.referential(
      'fact_orders',
      'customer_unique_id',
      { asset: 'dim_customer', column: 'customer_unique_id' },
      { id: 'fact_orders.customer_unique_id.in_dim_customer' },
    ),
    e.between('fact_orders', 'order_value', { min: 0 }, { id: 'fact_orders.order_value.non_negative', dimension: 'accuracy' }),
    e.columnPair('fact_orders', 'purchased_at', '<=', 'delivered_at', { id: 'fact_orders.purchased_before_delivered' }),
    e.freshness('fact_orders', 'purchased_at', 1, { id: 'fact_orders.purchased_at.fresh' }),
  ]),
  suite('fact_deliveries', [
    e.unique('fact_deliveries', 'order_id', { id: 'fact_deliveries.order_id.unique', severity: 'block' }),
    e.referential(
      'fact_deliveries',
      'order_id',
      { asset: 'fact_orders', column: 'order_id' },
      { id: 'fact_deliveries.order_id.in_fact_orders' },
    ),
    e.columnPair('fact_deliveries', 'handed_to_carrier_at', '<=', 'delivered_at', { id: 'fact_deliveries.handed_over_before_delivered' }),
    e.between('fact_deliveries', 'delivery_days', { min: 0 }, { id: 'fact_deliveries.delivery_days.non_negative' }),
  ]),
  suite('mart_executive_dashboard', [
    e.unique('mart_executive_dashboard', 'purchase_month', { id: 'mart_executive_dashboard.purchase_month.unique', severity: 'block' }),
    e.between('mart_executive_dashboard', 'on_time_rate', { min: 0, max: 1 }, { id: 'mart_executive_dashboard.on_time_rate.0_to_1' }),
    e.between(
      'mart_executive_dashboard',
      'cancellation_rate',
      { min: 0, max: 1 },
      { id: 'mart_executive_dashboard.cancellation_rate.0_to_1' },
    ),
    e.sumEquals(
      'mart_executive_dashboard',
      'gmv',
      { asset: 'fact_orders', column: 'order_value', where: { column: 'is_canceled', equals: false } },
      { absolute: 0.01 },
      { id: 'mart_executive_dashboard.gmv.reconciles_with_fact_orders', severity: 'block' },
    ),
    e.sumEquals(
      'mart_executive_dashboard',
      'canceled_orders_count',
      { asset: 'fact_orders', column: 'is_canceled' },
      {},
      { id: 'mart_executive_dashboard.canceled_orders.reconciles_with_fact_orders' },
    ),
    // One month's delivered orders turned canceled moves the monthly mean by about 1/months: a warning, never a block.
    e.meanDrift(
      'mart_executive_dashboard',
      'cancellation_rate',
      { absolute: 0.01 },
      { id: 'mart_executive_dashboard.cancellation_rate.drift' },
    ),
    e.freshness('mart_executive_dashboard', 'month_start_date', 31, { id: 'mart_executive_dashboard.latest_month.fresh' }),
  ]),
  suite('mart_customer_analytics', [
    e.unique('mart_customer_analytics', 'customer_unique_id', {
      id: 'mart_customer_analytics.customer_unique_id.unique',
      severity: 'block',
    }),
    e.between('mart_customer_analytics', 'rfm_total', { min: 3, max: 15 }, { id: 'mart_customer_analytics.rfm_total.3_to_15' }),
    e.between('mart_customer_analytics', 'lifetime_value', { min: 0 }, { id: 'mart_customer_analytics.lifetime_value.non_negative' }),
  ]),
];
