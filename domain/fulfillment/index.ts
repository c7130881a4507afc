// Public API of the fulfillment context: validateFulfillmentPartition, the Shipment aggregate, delivery performance, rule codes, RULES_VERSION.
export {
  validateFulfillmentPartition,
  type FulfillmentPartitionInput,
  type FulfillmentPartitionValidation,
  type FulfillmentTable,
} from './validate-fulfillment-partition.service';
export type { StagedFulfillmentOrder } from './fulfillment-staged.types';
export { createShipment, type Shipment, type ShipmentStage } from './shipment.aggregate';
export { deliveryPerformance, type DeliveryPerformance } from './delivery-performance.value-object';
export { FULFILLMENT_RULES, type FulfillmentRuleCode } from './fulfillment.errors';
export { RULES_VERSION } from './fulfillment.rules-version';
