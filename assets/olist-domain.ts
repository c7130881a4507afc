// domain/* assets: each bounded context's validation, monthly by purchase month (marketplace and profiles: whole tables).
import { RULES_VERSION as CUSTOMER_RULES } from '../domain/customer/customer.rules-version';
import { RULES_VERSION as FULFILLMENT_RULES } from '../domain/fulfillment/fulfillment.rules-version';
import { RULES_VERSION as MARKETPLACE_RULES } from '../domain/marketplace/marketplace.rules-version';
import { RULES_VERSION as SALES_RULES } from '../domain/sales/sales.rules-version';
import { SHRINK_GUARD } from './olist-sources';
import type { AssetSpec, CheckSpec, DomainStep } from './types';

/** Bump when an activity's reading or writing of domain tables changes meaning. */
const ACTIVITY_VERSION = 2;

const CONSERVATION: CheckSpec[] = [
  { name: 'row_conservation', blocking: true, description: 'staged rows of the partition = validated + quarantined, per table' },
  {
    name: 'quarantine_rate_limit',
    blocking: true,
    description:
      "rows quarantined at most the guard's rejectBlock share (default 20%), orphans aside, from 50 rows on (more means a broken export)",
  },
  {
    name: 'quarantine_rate',
    blocking: false,
    description: "warns above the guard's rejectWarn share of rows quarantined (default 1%), per rule",
  },
  SHRINK_GUARD,
];

/** Assets whose first partition holds the rows whose order is in no partition: the share of them is gated. */
const ORPHANS: CheckSpec[] = [
  {
    name: 'orphan_rate_limit',
    blocking: true,
    description:
      "items, payments or reviews whose order is not in the data at most the guard's orphanBlock share (default 5%) of their table",
  },
  { name: 'orphan_rate', blocking: false, description: "warns above the guard's orphanWarn share (default 1%) of orphans, per table" },
];

function domainAsset(
  key: string,
  step: DomainStep,
  deps: string[],
  rules: string,
  partitioned: boolean,
  description: string,
  checks = CONSERVATION,
): AssetSpec {
  const group = key.split('/')[1] as string;
  return {
    key,
    group,
    kind: 'domain',
    tags: [`context:${group}`],
    deps,
    partitioned,
    description,
    op: { type: 'domain', step },
    codeVersion: `${step}-${ACTIVITY_VERSION}|${rules}`,
    checks,
  };
}

export function olistDomainAssets(): AssetSpec[] {
  return [
    domainAsset(
      'domain/sales/orders',
      'sales-orders',
      ['staging/orders', 'staging/order_items', 'staging/order_payments'],
      SALES_RULES,
      true,
      'orders with their items and payments that pass the sales rules; outbox events OrderPlaced … PaymentReceived',
      [
        ...CONSERVATION,
        ...ORPHANS,
        {
          name: 'payment_difference',
          blocking: false,
          description: 'warns with counts when orders are kept with payments outside the tolerance band (flagged, never rejected)',
        },
      ],
    ),
    domainAsset(
      'domain/customer/customers',
      'customer-customers',
      ['domain/sales/orders', 'staging/customers', 'staging/order_reviews'],
      CUSTOMER_RULES,
      true,
      'customers (per order) and reviews that pass the customer rules; outbox event ReviewSubmitted',
      [...CONSERVATION, ...ORPHANS],
    ),
    domainAsset(
      'domain/fulfillment/shipments',
      'fulfillment-shipments',
      ['domain/sales/orders'],
      FULFILLMENT_RULES,
      true,
      'one shipment per validated order: hand-off, delivery, on time by date, delay days',
    ),
    domainAsset(
      'domain/marketplace/catalog',
      'marketplace-catalog',
      ['staging/products', 'staging/sellers', 'staging/category_translation'],
      MARKETPLACE_RULES,
      false,
      'products (category with English name, unknown kept explicit), sellers, category translations',
    ),
    domainAsset(
      'domain/customer/profiles',
      'customer-profiles',
      ['domain/sales/orders', 'domain/customer/customers'],
      CUSTOMER_RULES,
      false,
      'one profile per person (customer_unique_id): metrics from OrderDelivered events, segment as of the last purchase',
      [
        { name: 'one_profile_per_person', blocking: true, description: 'exactly one profile per customer_unique_id' },
        { name: 'segment_mix', blocking: false, description: 'persons per segment' },
        SHRINK_GUARD,
      ],
    ),
  ];
}
