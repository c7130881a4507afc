// Sales rule codes and the rejection shape an order carries when one of its invariants fails.
import type { DomainError } from '../shared/domain-error.type';

export const SALES_RULES = {
  UNKNOWN_STATUS: 'SALES.UNKNOWN_STATUS',
  MALFORMED_VALUE: 'SALES.MALFORMED_VALUE',
  TIMESTAMPS_OUT_OF_ORDER: 'SALES.TIMESTAMPS_OUT_OF_ORDER',
  DELIVERED_WITHOUT_ITEMS: 'SALES.DELIVERED_WITHOUT_ITEMS',
  NON_POSITIVE_PRICE: 'SALES.NON_POSITIVE_PRICE',
  NEGATIVE_FREIGHT: 'SALES.NEGATIVE_FREIGHT',
  ITEM_SEQUENCE_GAP: 'SALES.ITEM_SEQUENCE_GAP',
  DUPLICATE_PAYMENT: 'SALES.DUPLICATE_PAYMENT',
  PAYMENT_MISMATCH: 'SALES.PAYMENT_MISMATCH',
  NEGATIVE_PAYMENT: 'SALES.NEGATIVE_PAYMENT',
  DUPLICATE_ORDER: 'SALES.DUPLICATE_ORDER',
  ORPHAN_ITEM: 'SALES.ORPHAN_ITEM',
  ORPHAN_PAYMENT: 'SALES.ORPHAN_PAYMENT',
} as const;

export type SalesRuleCode = (typeof SALES_RULES)[keyof typeof SALES_RULES];

/** The child row that itself broke the rule (an item with price 0), when it is not the order row. */
export interface Culprit {
  readonly table: 'items' | 'payments';
  readonly sourceRow: number;
  readonly message: string;
}

/** Why an order was rejected: the message names the order; a culprit names the offending child row. */
export interface OrderRejection extends DomainError<SalesRuleCode> {
  readonly culprit?: Culprit;
}

export const rejection = (code: SalesRuleCode, message: string, culprit?: Culprit): OrderRejection =>
  culprit === undefined ? { code, message } : { code, message, culprit };
