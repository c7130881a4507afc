// The asset model as plain data: keys, deps, partitioning, checks and the operation that materializes each asset.

export type AssetKind = 'raw' | 'staging' | 'domain' | 'dbt';

export interface CheckSpec {
  name: string;
  /** A failed blocking check keeps the asset's new data unpublished and blocks everything downstream. */
  blocking: boolean;
  description: string;
}

export type DomainStep = 'sales-orders' | 'customer-customers' | 'customer-profiles' | 'fulfillment-shipments' | 'marketplace-catalog';

/** What the worker does to materialize an asset; the activity layer dispatches on `type`. */
export type AssetOp =
  | { type: 'extract'; source: string }
  | { type: 'stage'; source: string }
  | { type: 'domain'; step: DomainStep }
  | { type: 'dbt'; model: string }
  | { type: 'noop'; costMs?: number };

/**
 * How the rows of an unpartitioned table fall into monthly partitions: by the purchase month of their order, or of
 * their customer's first order. A partitioned asset downstream then depends on its partition's rows only.
 */
export type PartitionMapping = 'order' | 'customer';

export interface AssetSpec {
  key: string;
  group: string;
  kind: AssetKind;
  tags: string[];
  deps: string[];
  /** Monthly partitions by purchase month; unpartitioned assets are whole tables. */
  partitioned: boolean;
  partitionMapping?: PartitionMapping;
  description: string;
  op: AssetOp;
  /** Changes when the asset's logic changes; part of every checkpoint's input version. */
  codeVersion: string;
  checks: CheckSpec[];
}
