// Version of the marketplace rules (products, sellers, category translations); bump on any change.
export const RULES_VERSION = 'marketplace-rules@1';
