// Version of the customer rules (validation, metrics, segmentation defaults); bump on any change.
export const RULES_VERSION = 'customer-rules@2';
