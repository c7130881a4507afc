// Entry point of the marketplace context (unpartitioned): validates category translations, products and sellers.
import { quarantine, type QuarantineRecord } from '../shared/quarantine-record.type';
import type { DomainError } from '../shared/domain-error.type';
import { err, ok, type Result } from '../shared/result.type';
import { MARKETPLACE_RULES, type MarketplaceRuleCode } from './marketplace.errors';
import type { StagedCategoryTranslation, StagedProduct, StagedSeller } from './marketplace-staged.types';
import { createProduct, type Product } from './product.entity';
import { createSeller, type Seller } from './seller.entity';

export type MarketplaceTable = 'products' | 'sellers' | 'category_translations';

export interface MarketplaceInput {
  readonly products: readonly StagedProduct[];
  readonly sellers: readonly StagedSeller[];
  readonly categoryTranslations: readonly StagedCategoryTranslation[];
}

export interface ValidCategoryTranslation {
  readonly categoryName: string;
  readonly categoryNameEnglish: string;
  readonly sourceRow: number;
  readonly sourceSha256: string;
}

export interface MarketplaceValidation {
  readonly products: Product[];
  readonly sellers: Seller[];
  readonly categoryTranslations: ValidCategoryTranslation[];
  readonly quarantined: QuarantineRecord<MarketplaceTable>[];
}

/** Splits rows into valid and quarantined: every copy of a repeated key is quarantined with `duplicateCode`. */
function partition<S extends { sourceRow: number; sourceSha256: string }, T>(
  table: MarketplaceTable,
  rows: readonly S[],
  key: (row: S) => string,
  duplicateCode: MarketplaceRuleCode,
  label: string,
  build: (row: S) => Result<T, DomainError>,
  quarantined: QuarantineRecord<MarketplaceTable>[],
): T[] {
  const copies = new Map<string, number>();
  for (const row of rows) copies.set(key(row), (copies.get(key(row)) ?? 0) + 1);
  const valid: T[] = [];
  for (const row of rows) {
    const n = copies.get(key(row)) ?? 0;
    if (n > 1) {
      quarantined.push(quarantine(table, row, duplicateCode, `${label} ${key(row)} appears ${n} times`));
      continue;
    }
    const built = build(row);
    if (built.ok) valid.push(built.value);
    else quarantined.push(quarantine(table, row, built.error.code, built.error.message));
  }
  return valid;
}

function buildTranslation(row: StagedCategoryTranslation): Result<ValidCategoryTranslation, DomainError> {
  if (row.categoryName.trim() === '' || row.categoryNameEnglish.trim() === '') {
    return err({
      code: MARKETPLACE_RULES.MALFORMED_VALUE,
      message: `category translation '${row.categoryName}' → '${row.categoryNameEnglish}' has an empty name`,
    });
  }
  return ok({
    categoryName: row.categoryName.trim(),
    categoryNameEnglish: row.categoryNameEnglish.trim(),
    sourceRow: row.sourceRow,
    sourceSha256: row.sourceSha256,
  });
}

/**
 * Translations first (a category named twice is quarantined in every copy, so no product gets a guessed
 * translation), then products (category kept explicit: 'unknown' or untranslated flags), then sellers.
 */
export function validateMarketplace(input: MarketplaceInput): MarketplaceValidation {
  const quarantined: QuarantineRecord<MarketplaceTable>[] = [];
  const categoryTranslations = partition(
    'category_translations',
    input.categoryTranslations,
    (r) => r.categoryName.trim(),
    MARKETPLACE_RULES.DUPLICATE_CATEGORY,
    'category',
    buildTranslation,
    quarantined,
  );
  const translations = new Map(categoryTranslations.map((t) => [t.categoryName, t.categoryNameEnglish]));
  const products = partition(
    'products',
    input.products,
    (r) => r.productId,
    MARKETPLACE_RULES.DUPLICATE_PRODUCT,
    'product',
    (r) => createProduct(r, translations),
    quarantined,
  );
  const sellers = partition(
    'sellers',
    input.sellers,
    (r) => r.sellerId,
    MARKETPLACE_RULES.DUPLICATE_SELLER,
    'seller',
    createSeller,
    quarantined,
  );
  return { products, sellers, categoryTranslations, quarantined };
}
