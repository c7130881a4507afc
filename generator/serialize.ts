// Turns order drafts into CSV lines in the original files' style.
import { idField, money, quotedField, textField, timestamp } from './csv-format';
import type { ItemDraft, OrderDraft, PaymentDraft, ReviewDraft } from './order-draft';

const ts = (t: number | null): string => (t === null ? '' : timestamp(t));

export function orderLine(d: OrderDraft): string {
  const approved = d.approvedText ?? ts(d.approved);
  return `${idField(d.orderId)},${idField(d.customerId)},${d.status},${timestamp(d.purchase)},${approved},${ts(d.carrier)},${ts(d.delivered)},${timestamp(d.estimated)}\n`;
}

export function customerLine(d: OrderDraft): string {
  const l = d.location;
  return `${idField(d.customerId)},${idField(d.personId)},${idField(l.zip)},${idField(l.city)},${l.state}\n`;
}

export function itemLine(orderId: string, seq: number, it: ItemDraft): string {
  const price = it.priceText === undefined ? money(it.priceCents) : textField(it.priceText);
  return `${idField(orderId)},${seq},${idField(it.productId)},${idField(it.sellerId)},${timestamp(it.shippingLimit)},${price},${money(it.freightCents)}\n`;
}

export function paymentLine(orderId: string, seq: number, p: PaymentDraft): string {
  return `${idField(orderId)},${seq},${p.type},${p.installments},${money(p.valueCents)}\n`;
}

export function reviewLine(orderId: string, r: ReviewDraft): string {
  return `${quotedField(r.reviewId)},${quotedField(orderId)},${r.score},${textField(r.title)},${textField(r.message)},${timestamp(r.created)},${timestamp(r.answered)}\n`;
}
