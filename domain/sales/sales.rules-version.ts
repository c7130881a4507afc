// Version of the sales rules; bump on any rule change (the platform puts it in checkpoint hashes).
export const RULES_VERSION = 'sales-rules@5';
