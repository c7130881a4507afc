// Tests for the pure event dispatcher: routing by type and idempotence by event id.
import { describe, it, expect } from 'vitest';
import { createDomainEvent, type DomainEvent } from './domain-event.base';
import { createEventDispatcher, dispatchEvents } from './event-dispatcher.service';

type Added = DomainEvent<'Added', { amount: number }>;
const added = (id: string, amount: number): Added =>
  createDomainEvent({
    eventType: 'Added',
    aggregateType: 'Counter',
    aggregateId: id,
    sequence: 1,
    occurredAt: '2018-01-01 00:00:00',
    payload: { amount },
  });
const other = createDomainEvent({
  eventType: 'Other',
  aggregateType: 'Counter',
  aggregateId: 'x',
  sequence: 1,
  occurredAt: '2018-01-01 00:00:00',
  payload: {},
});

describe('event dispatcher', () => {
  const dispatcher = createEventDispatcher<number>()
    .on<Added>('Added', (total, e) => total + e.payload.amount)
    .on<Added>('Added', (total) => total * 10);

  it('when events are dispatched, then every handler of their type runs in registration order and other types pass through', () => {
    const out = dispatchEvents(dispatcher, 0, [added('a', 1), other, added('b', 2)]);
    expect(out.state).toBe(((0 + 1) * 10 + 2) * 10);
    expect(out.applied).toBe(3);
    expect(out.handledEventIds.size).toBe(3);
  });

  it('when the same event id arrives twice, in the list or from a previous dispatch, then it is applied once', () => {
    const first = dispatchEvents(dispatcher, 0, [added('a', 1), added('a', 1)]);
    expect(first.state).toBe(10);
    expect(first.skippedAsDuplicate).toBe(1);
    const again = dispatchEvents(dispatcher, first.state, [added('a', 1), added('c', 3)], first.handledEventIds);
    expect(again.state).toBe((10 + 3) * 10);
    expect(again.applied).toBe(1);
    expect(again.skippedAsDuplicate).toBe(1);
  });

  it('when a handler is registered, then the previous dispatcher is left unchanged', () => {
    const empty = createEventDispatcher<number>();
    const one = empty.on<Added>('Added', (t) => t + 1);
    expect(empty.handlers.size).toBe(0);
    expect(dispatchEvents(empty, 0, [added('a', 1)]).state).toBe(0);
    expect(dispatchEvents(one, 0, [added('a', 1)]).state).toBe(1);
  });
});
