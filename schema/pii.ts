// Personal data, classified in one place: which columns identify a person, which narrow one down, which are free
// text; and the tables of the `pii` schema (migration 0010_pii) that hold the wrapped data keys and this
// classification as the database sees it. docs/security.md says what each class gets.
import { bigint, boolean, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * - identifier: names one person (customer ids). Pseudonymized (keyed HMAC) in the marts and masked in quarantine.
 * - quasi_identifier: narrows a person down with other fields (a customer's zip prefix and city). Pseudonymized in the
 *   person-level marts and masked in quarantine; the state stays (27 values, needed for every regional analysis).
 * - free_text: whatever a person wrote (review comments). Sealed (encrypted) from the moment it enters `raw`.
 */
export type PiiClass = 'identifier' | 'quasi_identifier' | 'free_text';

/**
 * Source columns (schema/contracts/olist.ts names, which staging and the staged-row quarantine records keep) that
 * hold personal data. Sellers are businesses and geolocation is public reference data: not classified.
 */
export const PII_COLUMNS: Readonly<Record<string, PiiClass>> = {
  customer_id: 'identifier',
  customer_unique_id: 'identifier',
  customer_zip_code_prefix: 'quasi_identifier',
  customer_city: 'quasi_identifier',
  review_comment_title: 'free_text',
  review_comment_message: 'free_text',
};

/** What a data key protects: one key per scope (a table's sealed columns, the quarantine, the pseudonyms). */
export const KEY_SCOPES = ['review_text', 'quarantine', 'pseudonym'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/**
 * The scopes that get a new data key at rotation. The pseudonym key never changes: a pseudonym must stay the same
 * across loads and rotations so that joins and tombstones keep working (rotation re-wraps it like the others).
 */
export const ROTATING_SCOPES: readonly KeyScope[] = ['review_text', 'quarantine'];

/** The scope of each sealed (free-text) column: the key its values are sealed with, in raw, staging and the domain. */
export const SEALED_COLUMNS: Readonly<Record<string, KeyScope>> = Object.fromEntries(
  Object.entries(PII_COLUMNS)
    .filter(([, c]) => c === 'free_text')
    .map(([name]) => [name, 'review_text' as const]),
);

export function piiClass(column: string): PiiClass | undefined {
  return PII_COLUMNS[column];
}

export const piiSchema = pgSchema('pii');

/** Data keys, each wrapped (AES-256-GCM) by a master key that never enters the database (infra/keys.ts). */
export const dataKeys = piiSchema.table('data_keys', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  scope: text('scope').notNull(),
  /** Base64 of nonce ‖ tag ‖ ciphertext of the 64-byte data key (32 bytes AES-256, 32 bytes HMAC-SHA-256). */
  wrapped: text('wrapped').notNull(),
  masterKeyId: text('master_key_id').notNull(),
  /** The key new values of its scope are sealed with; older keys of the scope only open what they sealed. */
  active: boolean('active').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  rewrappedAt: timestamp('rewrapped_at', { withTimezone: true, mode: 'string' }),
});

/** PII_COLUMNS as the database's masking of quarantine records reads it; infra/migrate.ts keeps it equal. */
export const classifiedColumns = piiSchema.table('columns', {
  columnName: text('column_name').primaryKey(),
  piiClass: text('pii_class').notNull(),
});
