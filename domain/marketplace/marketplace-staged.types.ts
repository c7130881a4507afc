// Staged input rows of the marketplace context, mirroring the Olist products, sellers and category translation columns.
import type { SourceProvenance } from '../shared/quarantine-record.type';

/** staging.products (the source's `lenght` typos are fixed in these names); numbers are integers or null. */
export interface StagedProduct extends SourceProvenance {
  readonly productId: string;
  readonly categoryName: string | null;
  readonly nameLength: number | null;
  readonly descriptionLength: number | null;
  readonly photosQty: number | null;
  readonly weightG: number | null;
  readonly lengthCm: number | null;
  readonly heightCm: number | null;
  readonly widthCm: number | null;
}

/** staging.sellers: zip prefix as a 5-character string. */
export interface StagedSeller extends SourceProvenance {
  readonly sellerId: string;
  readonly zipCodePrefix: string;
  readonly city: string;
  readonly state: string;
}

/** staging.category_translation. */
export interface StagedCategoryTranslation extends SourceProvenance {
  readonly categoryName: string;
  readonly categoryNameEnglish: string;
}
