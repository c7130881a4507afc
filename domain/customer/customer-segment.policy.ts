// Customer segmentation with configurable thresholds: CHURNED, VIP, LOYAL, REGULAR, ONE_TIME, NEW.
export const SEGMENTS = ['NEW', 'ONE_TIME', 'REGULAR', 'LOYAL', 'VIP', 'CHURNED'] as const;
export type Segment = (typeof SEGMENTS)[number];

export interface SegmentThresholds {
  /** CHURNED when strictly more days than this have passed since the last order. */
  readonly churnAfterDays: number;
  /** LOYAL (and VIP, with spend) when strictly more orders than this. */
  readonly frequentOrdersAbove: number;
  /** VIP when frequent and strictly more than this spent, in centavos. */
  readonly vipSpentAboveCentavos: number;
  /** REGULAR from this many orders up to frequentOrdersAbove. */
  readonly regularMinOrders: number;
}

export const DEFAULT_SEGMENT_THRESHOLDS: SegmentThresholds = {
  churnAfterDays: 180,
  frequentOrdersAbove: 5,
  vipSpentAboveCentavos: 100_000,
  regularMinOrders: 2,
};

/** Merges overrides onto the defaults; a negative or fractional threshold is a configuration bug and throws. */
export function resolveThresholds(overrides: Partial<SegmentThresholds> = {}): SegmentThresholds {
  const t = { ...DEFAULT_SEGMENT_THRESHOLDS, ...overrides };
  for (const [name, value] of Object.entries(t)) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`segment threshold ${name} must be a non-negative integer, got ${value}`);
  }
  if (t.regularMinOrders < 2) throw new RangeError(`regularMinOrders must be at least 2 (1 order is ONE_TIME), got ${t.regularMinOrders}`);
  return t;
}

export interface SegmentInput {
  readonly orders: number;
  readonly totalSpentCentavos: number;
  /** Days since the last order; null when there is none. */
  readonly recencyDays: number | null;
}

/** CHURNED if > churnAfterDays since the last order; else VIP, LOYAL, REGULAR, ONE_TIME by orders and spend; NEW for none yet. */
export function segmentFor(input: SegmentInput, t: SegmentThresholds = DEFAULT_SEGMENT_THRESHOLDS): Segment {
  if (input.orders === 0 || input.recencyDays === null) return 'NEW';
  if (input.recencyDays > t.churnAfterDays) return 'CHURNED';
  if (input.orders > t.frequentOrdersAbove) return input.totalSpentCentavos > t.vipSpentAboveCentavos ? 'VIP' : 'LOYAL';
  if (input.orders >= t.regularMinOrders) return 'REGULAR';
  return 'ONE_TIME';
}
