// ProductCategory: a product's category with its English name; a missing or untranslated category is explicit, never null.
export const UNKNOWN_CATEGORY = 'unknown';

export interface ProductCategory {
  /** The Portuguese source name, or 'unknown' when the product has none. */
  readonly name: string;
  /** The English translation; the source name when there is none (see isTranslated); 'unknown' when unknown. */
  readonly englishName: string;
  readonly isUnknown: boolean;
  readonly isTranslated: boolean;
}

/** Real data: 610 of 32,951 products have no category; 2 categories (13 products) have no translation. */
export function productCategory(name: string | null, translations: ReadonlyMap<string, string>): ProductCategory {
  const trimmed = name?.trim() ?? '';
  if (trimmed === '') return { name: UNKNOWN_CATEGORY, englishName: UNKNOWN_CATEGORY, isUnknown: true, isTranslated: false };
  const english = translations.get(trimmed);
  return { name: trimmed, englishName: english ?? trimmed, isUnknown: false, isTranslated: english !== undefined };
}
