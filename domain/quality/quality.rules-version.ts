// Version of the quality rules (judging, scoring, SLA defaults); bump on any change so check results are recomputed.
export const RULES_VERSION = 'quality-rules@1';
