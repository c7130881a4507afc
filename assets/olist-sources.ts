// raw/* and staging/* assets: one pair per Olist source file, derived from the source contracts.
import { CONTRACTS, type SourceContract } from '../schema/contracts/olist';
import { REPAIRS_VERSION } from '../schema/contracts/repairs';
import type { AssetSpec, CheckSpec, PartitionMapping } from './types';

/** Staged tables whose rows belong to monthly partitions (the rest are reference data, read whole). */
const PARTITION_MAPPING: Record<string, PartitionMapping> = {
  orders: 'order',
  order_items: 'order',
  order_payments: 'order',
  order_reviews: 'order',
  customers: 'customer',
};

export const SHRINK_GUARD: CheckSpec = {
  name: 'shrink_guard',
  blocking: true,
  description: "not empty where the last version had rows, and not shrunk beyond the guard's maxShrink (default 50%) unless --allow-shrink",
};

/**
 * Files a full export never shrinks: the entities (orders, customers, sellers, products), the lines of orders (items,
 * payments, reviews) and the category list. Their raw assets fail on any drop of records against the last published
 * version (a cut export on a record boundary looks whole otherwise); geolocation, a reference sample of zip prefixes,
 * keeps the general shrink guard.
 */
const GROW_ONLY = new Set([
  'orders',
  'order_items',
  'order_payments',
  'order_reviews',
  'customers',
  'sellers',
  'products',
  'category_translation',
]);

const GROW_ONLY_GUARD: CheckSpec = {
  name: 'shrink_guard',
  blocking: true,
  description: 'no fewer records than the last published version (a full export only grows) unless --allow-shrink',
};

/** Code versions: bump when the extract or staging logic changes meaning. */
const EXTRACT_VERSION = 1;
const STAGING_VERSION = 1;

function contractVersion(c: SourceContract): string {
  return `${c.version}:${c.columns.map((col) => `${col.name}/${col.kind}/${col.required ? 1 : 0}${col.maxLength ? `/${col.maxLength}` : ''}`).join(',')}${c.dedupe ? ':dedupe' : ''}`;
}

export function olistSourceAssets(): AssetSpec[] {
  return CONTRACTS.flatMap((c): AssetSpec[] => [
    {
      key: `raw/${c.name}`,
      group: 'raw',
      kind: 'raw',
      tags: ['source:olist'],
      deps: [],
      partitioned: false,
      description: `${c.file} as text, streamed with COPY, one row per CSV record`,
      op: { type: 'extract', source: c.name },
      codeVersion: `extract-${EXTRACT_VERSION}|${contractVersion(c)}`,
      checks: [
        { name: 'header_matches_contract', blocking: true, description: 'the header names exactly the contract columns, in order' },
        GROW_ONLY.has(c.name) ? GROW_ONLY_GUARD : SHRINK_GUARD,
      ],
      ...(GROW_ONLY.has(c.name) ? { guards: { growOnly: true } } : {}),
    },
    {
      key: `staging/${c.name}`,
      group: 'staging',
      kind: 'staging',
      tags: ['source:olist'],
      deps: [`raw/${c.name}`],
      partitioned: false,
      ...(PARTITION_MAPPING[c.name] ? { partitionMapping: PARTITION_MAPPING[c.name] } : {}),
      description: `typed rows of ${c.file}, repaired where unambiguous; rows failing a cast are quarantined${c.dedupe ? '; exact duplicates removed and counted' : ''}`,
      op: { type: 'stage', source: c.name },
      codeVersion: `staging-${STAGING_VERSION}|${contractVersion(c)}|${c.repairs === false ? 'no-repairs' : REPAIRS_VERSION}`,
      checks: [
        { name: 'row_conservation', blocking: true, description: 'records read = staged + quarantined + deduplicated' },
        {
          name: 'repairs',
          blocking: false,
          description:
            'values repaired before the contract (zip padding, 44.0 → 44, blanks, control characters in cities), per rule with examples',
        },
        {
          name: 'quarantine_rate_limit',
          blocking: true,
          description: "records quarantined at most the guard's rejectBlock share (default 20%), from 50 records on",
        },
        {
          name: 'quarantine_rate',
          blocking: false,
          description: "warns above the guard's rejectWarn share of records quarantined (default 1%), per rule",
        },
        SHRINK_GUARD,
      ],
    },
  ]);
}
