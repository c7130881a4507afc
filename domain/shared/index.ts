// Public API of the shared kernel: Money, Result, DomainError, DomainEvent, naive time, dispatcher, quarantine, address parts.
export { ok, err, type Result } from './result.type';
export { domainError, type DomainError, type ErrorCode, type ErrorNamespace } from './domain-error.type';
export * as Money from './money.value-object';
export type { Money as MoneyValue } from './money.value-object';
export {
  parseNaiveTimestamp,
  parseNaiveDate,
  isNaiveTimestamp,
  datePart,
  daysBetweenDates,
  daysFromCivil,
  compareNaive,
  latestOf,
} from './naive-time.util';
export { sha256Hex } from './sha256.util';
export { createDomainEvent, deterministicEventId, type DomainEvent } from './domain-event.base';
export {
  createEventDispatcher,
  dispatchEvents,
  type EventDispatcher,
  type EventHandler,
  type DispatchOutcome,
} from './event-dispatcher.service';
export { quarantine, type QuarantineRecord, type SourceProvenance } from './quarantine-record.type';
export { BRAZILIAN_STATES, parseBrazilianState, parseZipPrefix, type BrazilianState } from './brazil-address.value-object';
