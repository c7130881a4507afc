// A tiny pure event dispatcher: handlers registered by event type fold events into a state, each event id applied once.
import type { DomainEvent } from './domain-event.base';

export type EventHandler<S, E extends DomainEvent = DomainEvent> = (state: S, event: E) => S;

export interface EventDispatcher<S> {
  readonly handlers: ReadonlyMap<string, ReadonlyArray<EventHandler<S>>>;
  /** Returns a new dispatcher with `handler` added for `eventType` (the dispatcher itself is immutable). */
  on<E extends DomainEvent>(eventType: E['eventType'], handler: EventHandler<S, E>): EventDispatcher<S>;
}

export interface DispatchOutcome<S> {
  readonly state: S;
  /** Ids of every event handled so far, including those handled before this call. */
  readonly handledEventIds: ReadonlySet<string>;
  readonly applied: number;
  readonly skippedAsDuplicate: number;
}

function makeDispatcher<S>(handlers: ReadonlyMap<string, ReadonlyArray<EventHandler<S>>>): EventDispatcher<S> {
  return {
    handlers,
    on(eventType, handler) {
      const next = new Map(handlers);
      next.set(eventType, [...(handlers.get(eventType) ?? []), handler as EventHandler<S>]);
      return makeDispatcher(next);
    },
  };
}

export const createEventDispatcher = <S>(): EventDispatcher<S> => makeDispatcher<S>(new Map());

/** Applies events in order; an id already handled (earlier in the list or in `alreadyHandled`) is skipped. */
export function dispatchEvents<S>(
  dispatcher: EventDispatcher<S>,
  initial: S,
  events: readonly DomainEvent[],
  alreadyHandled: ReadonlySet<string> = new Set(),
): DispatchOutcome<S> {
  const handled = new Set(alreadyHandled);
  let state = initial;
  let applied = 0;
  let skippedAsDuplicate = 0;
  for (const event of events) {
    if (handled.has(event.eventId)) {
      skippedAsDuplicate++;
      continue;
    }
    handled.add(event.eventId);
    for (const handler of dispatcher.handlers.get(event.eventType) ?? []) state = handler(state, event);
    applied++;
  }
  return { state, handledEventIds: handled, applied, skippedAsDuplicate };
}
