// OrderPayment entity: one payment row of an order (sequential, type, installments, value in centavos).
import * as Money from '../shared/money.value-object';
import type { SourceProvenance } from '../shared/quarantine-record.type';
import { err, ok, type Result } from '../shared/result.type';
import { rejection, SALES_RULES, type OrderRejection } from './sales.errors';
import type { StagedPayment } from './sales-staged.types';

export interface OrderPayment {
  readonly orderId: string;
  readonly paymentSequential: number;
  readonly paymentType: string;
  readonly paymentInstallments: number;
  readonly value: Money.Money;
  readonly provenance: SourceProvenance;
}

export function createOrderPayment(row: StagedPayment): Result<OrderPayment, OrderRejection> {
  const fail = (what: string, code: OrderRejection['code'] = SALES_RULES.MALFORMED_VALUE) =>
    err(
      rejection(code, `order ${row.orderId}: ${what}`, {
        table: 'payments',
        sourceRow: row.sourceRow,
        message: `payment ${row.paymentSequential} of order ${row.orderId}: ${what}`,
      }),
    );

  const value = Money.fromDecimalString(row.paymentValue);
  if (!value.ok) return fail(`payment value ${value.error}`);
  if (value.value.centavos < 0) return fail(`payment value ${row.paymentValue} is negative`, SALES_RULES.NEGATIVE_PAYMENT);
  if (!Number.isSafeInteger(row.paymentSequential) || row.paymentSequential < 1)
    return fail(`payment sequential ${row.paymentSequential} is not a positive integer`);
  if (!Number.isSafeInteger(row.paymentInstallments) || row.paymentInstallments < 0)
    return fail(`installments ${row.paymentInstallments} is not a non-negative integer`);

  return ok({
    orderId: row.orderId,
    paymentSequential: row.paymentSequential,
    paymentType: row.paymentType,
    paymentInstallments: row.paymentInstallments,
    value: value.value,
    provenance: { sourceRow: row.sourceRow, sourceSha256: row.sourceSha256 },
  });
}
