// Tests for DomainEvent creation and its deterministic ids.
import { describe, it, expect } from 'vitest';
import { createDomainEvent, deterministicEventId } from './domain-event.base';

const base = {
  eventType: 'OrderPlaced',
  aggregateType: 'Order',
  aggregateId: 'o1',
  sequence: 1,
  occurredAt: '2018-01-01 10:00:00',
  payload: { a: 1 },
};

describe('domain events', () => {
  it('when the same (aggregate id, type, sequence) is used twice, then the event id is the same UUID-shaped string', () => {
    const a = createDomainEvent(base);
    const b = createDomainEvent({ ...base, payload: { a: 2 }, occurredAt: '2019-01-01 00:00:00' });
    expect(a.eventId).toBe(b.eventId);
    expect(a.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.eventId).toBe(deterministicEventId('o1', 'OrderPlaced', 1));
  });

  it('when any of the three keys differs, then the event id differs', () => {
    const id = deterministicEventId('o1', 'OrderPlaced', 1);
    expect(deterministicEventId('o2', 'OrderPlaced', 1)).not.toBe(id);
    expect(deterministicEventId('o1', 'OrderApproved', 1)).not.toBe(id);
    expect(deterministicEventId('o1', 'OrderPlaced', 2)).not.toBe(id);
    // the separator keeps ('a1', 'x') and ('a', '1x') apart
    expect(deterministicEventId('a1', 'x', 1)).not.toBe(deterministicEventId('a', '1x', 1));
  });

  it('when the sequence is not a positive integer or occurredAt is not a naive timestamp, then creation throws', () => {
    expect(() => createDomainEvent({ ...base, sequence: 0 })).toThrow(RangeError);
    expect(() => createDomainEvent({ ...base, sequence: 1.5 })).toThrow(RangeError);
    expect(() => createDomainEvent({ ...base, occurredAt: '2018-01-01T10:00:00Z' })).toThrow(RangeError);
  });
});
