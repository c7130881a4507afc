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
  /** Guards against publishing a broken version; unset fields take DEFAULT_GUARDS. */
  guards?: Partial<AssetGuards>;
}

/** Thresholds an asset's new version must meet before it replaces the published one. */
export interface AssetGuards {
  /** Largest accepted drop of the row count against the last published version (0.5 = half); empty is always a drop. */
  maxShrink: number;
  /** Share of the asset's rows rejected (quarantined) above which the run warns. */
  rejectWarn: number;
  /** Share of the asset's rows rejected above which the asset fails. */
  rejectBlock: number;
  /**
   * Rows a full export never loses (its entities and their order lines): any drop of the records read against the last
   * published version fails, whatever maxShrink says, unless the run allows it (--allow-shrink).
   */
  growOnly: boolean;
  /** Share of a child table's rows (items, payments, reviews) whose order is not in the data, above which the run warns. */
  orphanWarn: number;
  /** The same share above which the asset fails: orders were lost, by a cut export or a broken one. */
  orphanBlock: number;
}

export const DEFAULT_GUARDS: AssetGuards = {
  maxShrink: 0.5,
  rejectWarn: 0.01,
  rejectBlock: 0.2,
  growOnly: false,
  orphanWarn: 0.01,
  orphanBlock: 0.05,
};

/** The guards of an asset: its own thresholds over the defaults. */
export function guardsOf(asset: Pick<AssetSpec, 'guards'>): AssetGuards {
  return { ...DEFAULT_GUARDS, ...asset.guards };
}
