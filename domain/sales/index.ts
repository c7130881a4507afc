// Public API of the sales context: validateSalesPartition, its row types, rule codes, events and RULES_VERSION.
export {
  validateSalesPartition,
  type SalesPartitionInput,
  type SalesPartitionValidation,
  type SalesTable,
  type ValidOrder,
  type ValidItem,
  type ValidPayment,
} from './validate-sales-partition.service';
export type { StagedOrder, StagedItem, StagedPayment } from './sales-staged.types';
export { SALES_RULES, type SalesRuleCode, type OrderRejection } from './sales.errors';
export { RULES_VERSION } from './sales.rules-version';
export {
  ORDER_STATUSES,
  TRANSITIONS,
  canTransition,
  transition,
  isTerminal,
  endedBeforeDelivery,
  hasReached,
  parseOrderStatus,
  type OrderStatus,
} from './order-status.state-machine';
export {
  DEFAULT_PAYMENT_POLICY,
  IMPOSSIBLE_OVERPAYMENT_FACTOR,
  PAYMENT_TOLERANCE,
  paymentVerdict,
  toleranceFor,
  withinTolerance,
  type PaymentPolicy,
  type PaymentVerdict,
  type ToleranceBand,
} from './payment-tolerance.policy';
export { createOrder, orderTotals, type Order, type OrderTotals, type PaymentCheck } from './order.aggregate';
export { orderEvents, type SalesEvent } from './order-events.factory';
export type { OrderPlaced, OrderPlacedPayload } from './order-placed.event';
export type { OrderApproved, OrderApprovedPayload } from './order-approved.event';
export type { OrderShipped, OrderShippedPayload } from './order-shipped.event';
export type { OrderDelivered, OrderDeliveredPayload } from './order-delivered.event';
export type { OrderCanceled, OrderCanceledPayload } from './order-canceled.event';
export type { PaymentReceived, PaymentReceivedPayload } from './payment-received.event';
