// Version of the fulfillment rules (on-time by date, delay days, hand-off invariants); bump on any change.
export const RULES_VERSION = 'fulfillment-rules@1';
