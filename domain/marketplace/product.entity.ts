// Product entity: category (explicitly unknown when missing), listing text sizes, photos, weight and dimensions.
import { domainError, type DomainError } from '../shared/domain-error.type';
import type { SourceProvenance } from '../shared/quarantine-record.type';
import { err, ok, type Result } from '../shared/result.type';
import { MARKETPLACE_RULES } from './marketplace.errors';
import type { StagedProduct } from './marketplace-staged.types';
import { productCategory, type ProductCategory } from './product-category.value-object';

export interface Product extends SourceProvenance {
  readonly productId: string;
  readonly category: ProductCategory;
  readonly nameLength: number | null;
  readonly descriptionLength: number | null;
  readonly photosQty: number | null;
  readonly weightG: number | null;
  readonly lengthCm: number | null;
  readonly heightCm: number | null;
  readonly widthCm: number | null;
  /** length × height × width when all three are known. */
  readonly volumeCm3: number | null;
}

const MEASURES = ['nameLength', 'descriptionLength', 'photosQty', 'weightG', 'lengthCm', 'heightCm', 'widthCm'] as const;

/** Measures may be missing (null) but never negative or fractional; weight 0 g occurs in the source and is kept. */
export function createProduct(row: StagedProduct, translations: ReadonlyMap<string, string>): Result<Product, DomainError> {
  for (const field of MEASURES) {
    const value = row[field];
    if (value !== null && (!Number.isSafeInteger(value) || value < 0)) {
      return err(
        domainError(MARKETPLACE_RULES.INVALID_DIMENSION, `product ${row.productId}: ${field} ${value} is not a non-negative integer`),
      );
    }
  }
  const { lengthCm, heightCm, widthCm } = row;
  return ok({
    productId: row.productId,
    category: productCategory(row.categoryName, translations),
    nameLength: row.nameLength,
    descriptionLength: row.descriptionLength,
    photosQty: row.photosQty,
    weightG: row.weightG,
    lengthCm,
    heightCm,
    widthCm,
    volumeCm3: lengthCm !== null && heightCm !== null && widthCm !== null ? lengthCm * heightCm * widthCm : null,
    sourceRow: row.sourceRow,
    sourceSha256: row.sourceSha256,
  });
}
