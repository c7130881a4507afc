// drizzle-kit: generates the checked-in migrations under schema/migrations from schema/index.ts.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './schema/index.ts',
  out: './schema/migrations',
  schemaFilter: ['raw', 'staging', 'dw_meta', 'quarantine', 'sales', 'customer', 'fulfillment', 'marketplace', 'events', 'pii'],
});
