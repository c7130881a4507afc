// The fulfillment context's expectation suite (pure declarations): shipments per partition.
import { expect as e, type Suite } from '../quality';

const SHIPMENTS = 'fulfillment.shipments';

export const FULFILLMENT_SUITES: readonly Suite[] = [
  {
    name: SHIPMENTS,
    asset: SHIPMENTS,
    expectations: [
      e.unique(SHIPMENTS, 'order_id', { id: 'shipments.order_id.unique', severity: 'block' }),
      e.notNull(SHIPMENTS, 'estimated_delivery_date', { id: 'shipments.estimated_delivery_date.not_null' }),
      e.columnPair(SHIPMENTS, 'handed_to_carrier_at', '<=', 'delivered_at', { id: 'shipments.handed_over_before_delivered' }),
      e.between(SHIPMENTS, 'delay_days', { min: 0 }, { id: 'shipments.delay_days.non_negative' }),
      e.referential(SHIPMENTS, 'order_id', { asset: 'sales.orders', column: 'order_id' }, { id: 'shipments.order_id.references_orders' }),
    ],
  },
];
