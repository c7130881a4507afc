// DomainEvent base shape and its deterministic id, derived from (aggregate id, event type, sequence) so re-runs never duplicate events.
import { isNaiveTimestamp } from './naive-time.util';
import { sha256Hex } from './sha256.util';

/**
 * `sequence` is the 1-based ordinal of this event type within its aggregate (OrderPlaced is always 1; the
 * n-th PaymentReceived of an order is n; a customer's n-th segment change is n). Together with the aggregate
 * id and the event type it names the event uniquely, whatever other events the aggregate gains later.
 * `occurredAt` is a naive timestamp taken from the data, never from the clock.
 */
export interface DomainEvent<TType extends string = string, TPayload extends object = object> {
  readonly eventId: string;
  readonly eventType: TType;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly sequence: number;
  readonly occurredAt: string;
  readonly payload: TPayload;
}

/** UUID-shaped (version 8, RFC 9562 custom) id from SHA-256 of the three keys, separated by a unit separator. */
export function deterministicEventId(aggregateId: string, eventType: string, sequence: number): string {
  const hex = sha256Hex(`${aggregateId}\u001f${eventType}\u001f${sequence}`).slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** Builds an event; a bad sequence or timestamp is a programmer error and throws. */
export function createDomainEvent<TType extends string, TPayload extends object>(
  fields: Omit<DomainEvent<TType, TPayload>, 'eventId'>,
): DomainEvent<TType, TPayload> {
  if (!Number.isSafeInteger(fields.sequence) || fields.sequence < 1)
    throw new RangeError(`event sequence must be ≥ 1, got ${fields.sequence}`);
  if (!isNaiveTimestamp(fields.occurredAt))
    throw new RangeError(`event occurredAt must be 'YYYY-MM-DD HH:MM:SS', got '${fields.occurredAt}'`);
  return { eventId: deterministicEventId(fields.aggregateId, fields.eventType, fields.sequence), ...fields };
}
