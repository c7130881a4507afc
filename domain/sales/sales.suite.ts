// The sales context's expectation suites (pure declarations): the tables domain/sales/orders writes, checked per partition.
import { expect as e, type Suite } from '../quality';
import { ORDER_STATUSES } from './order-status.state-machine';

const ORDERS = 'sales.orders';
const ITEMS = 'sales.order_items';
const PAYMENTS = 'sales.order_payments';
const ORDER_ID = { asset: ORDERS, column: 'order_id' };

/** The payment types of the Olist export; anything else is a new export format. */
export const PAYMENT_TYPES = ['credit_card', 'boleto', 'voucher', 'debit_card', 'not_defined'] as const;

export const SALES_SUITES: readonly Suite[] = [
  {
    name: ORDERS,
    asset: ORDERS,
    expectations: [
      e.notNull(ORDERS, 'order_id', { id: 'orders.order_id.not_null', severity: 'block' }),
      e.unique(ORDERS, 'order_id', { id: 'orders.order_id.unique', severity: 'block' }),
      e.notNull(ORDERS, 'customer_id', { id: 'orders.customer_id.not_null' }),
      e.inSet(ORDERS, 'order_status', ORDER_STATUSES, { id: 'orders.order_status.in_set' }),
      e.columnPair(ORDERS, 'purchased_at', '<=', 'approved_at', { id: 'orders.purchased_before_approved' }),
      e.columnPair(ORDERS, 'delivered_carrier_at', '<=', 'delivered_customer_at', { id: 'orders.handed_over_before_delivered' }),
      e.between(ORDERS, 'items_total', { min: 0 }, { id: 'orders.items_total.non_negative' }),
      e.between(ORDERS, 'freight_total', { min: 0 }, { id: 'orders.freight_total.non_negative' }),
      e.rowCountBetween(ORDERS, { min: 1 }, { id: 'orders.row_count.not_empty' }),
    ],
  },
  {
    name: ITEMS,
    asset: ITEMS,
    expectations: [
      e.unique(ITEMS, ['order_id', 'order_item_id'], { id: 'order_items.key.unique', severity: 'block' }),
      e.notNull(ITEMS, 'product_id', { id: 'order_items.product_id.not_null' }),
      e.notNull(ITEMS, 'seller_id', { id: 'order_items.seller_id.not_null' }),
      e.between(ITEMS, 'price', { min: 0.01 }, { id: 'order_items.price.positive' }),
      e.between(ITEMS, 'freight_value', { min: 0 }, { id: 'order_items.freight_value.non_negative' }),
      e.referential(ITEMS, 'order_id', ORDER_ID, { id: 'order_items.order_id.references_orders' }),
    ],
  },
  {
    name: PAYMENTS,
    asset: PAYMENTS,
    expectations: [
      e.unique(PAYMENTS, ['order_id', 'payment_sequential'], { id: 'order_payments.key.unique', severity: 'block' }),
      e.inSet(PAYMENTS, 'payment_type', PAYMENT_TYPES, { id: 'order_payments.payment_type.in_set' }),
      e.between(PAYMENTS, 'payment_installments', { min: 0 }, { id: 'order_payments.installments.non_negative' }),
      e.between(PAYMENTS, 'payment_value', { min: 0 }, { id: 'order_payments.payment_value.non_negative' }),
      e.referential(PAYMENTS, 'order_id', ORDER_ID, { id: 'order_payments.order_id.references_orders' }),
    ],
  },
];
