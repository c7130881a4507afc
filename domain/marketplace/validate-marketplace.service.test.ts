// Tests for validateMarketplace: real products, sellers and translations; categories kept explicit; every rule passing and failing.
import { describe, it, expect } from 'vitest';
import type { StagedCategoryTranslation, StagedProduct, StagedSeller } from './marketplace-staged.types';
import { validateMarketplace, type MarketplaceInput, type MarketplaceValidation } from './validate-marketplace.service';

const PRODUCTS_SHA = '6d489eb32eebeac65628e881de0ca217a3912e7f040bc196143e5f717302fbbd';
const SELLERS_SHA = '3f82569375b4465f29487350c122743c0e411b8a5b0cb6dac17b8336a51ecf81';
const TRANSLATION_SHA = '5233473346639d5ff3da9b784385ba284778abfaac1062572abe99e8aba8b7e3';

// Real rows of sample-1k (Olist, CC BY-NC-SA 4.0).
const product = (
  sourceRow: number,
  productId: string,
  categoryName: string | null,
  n: [number | null, number | null, number | null, number, number, number, number],
): StagedProduct => ({
  productId,
  categoryName,
  nameLength: n[0],
  descriptionLength: n[1],
  photosQty: n[2],
  weightG: n[3],
  lengthCm: n[4],
  heightCm: n[5],
  widthCm: n[6],
  sourceRow,
  sourceSha256: PRODUCTS_SHA,
});
const REAL_PRODUCTS: StagedProduct[] = [
  product(1, 'dd768d259ee6054e0dadd66c8e2be0b6', 'cama_mesa_banho', [52, 700, 2, 350, 16, 10, 16]),
  product(2, '4473f3e5c65952b074ef987fa5c24662', 'telefonia', [59, 776, 6, 350, 17, 4, 12]),
  product(37, 'b17a4e7b997ea645dd323bb1bed802ac', null, [null, null, null, 600, 24, 4, 15]),
  product(828, 'cb9d764f38ee4d0c00af64d5c388f837', 'portateis_cozinha_e_preparadores_de_alimentos', [57, 306, 1, 625, 28, 27, 24]),
];
const seller = (sourceRow: number, sellerId: string, zipCodePrefix: string, city: string, state: string): StagedSeller => ({
  sellerId,
  zipCodePrefix,
  city,
  state,
  sourceRow,
  sourceSha256: SELLERS_SHA,
});
const REAL_SELLERS: StagedSeller[] = [
  seller(1, 'd1b65fc7debc3361ea86b5f14c68d2e2', '13844', 'mogi guacu', 'SP'),
  seller(2, 'ccc4bbb5f32a6ab2b7066a4130f114e3', '80310', 'curitiba', 'PR'),
  seller(3, '8bd0f31cf0a614c658f6763bd02dea69', '01222', 'sao paulo', 'SP'),
];
const translation = (sourceRow: number, categoryName: string, categoryNameEnglish: string): StagedCategoryTranslation => ({
  categoryName,
  categoryNameEnglish,
  sourceRow,
  sourceSha256: TRANSLATION_SHA,
});
const REAL_TRANSLATIONS = [
  translation(1, 'beleza_saude', 'health_beauty'),
  translation(4, 'cama_mesa_banho', 'bed_bath_table'),
  translation(9, 'telefonia', 'telephony'),
];

function expectConservation(input: MarketplaceInput, out: MarketplaceValidation): void {
  const key = (t: string, r: { sourceRow: number; sourceSha256: string }) => `${t}:${r.sourceSha256}:${r.sourceRow}`;
  const inputs = [
    ...input.products.map((r) => key('products', r)),
    ...input.sellers.map((r) => key('sellers', r)),
    ...input.categoryTranslations.map((r) => key('category_translations', r)),
  ].sort();
  const outputs = [
    ...out.products.map((r) => key('products', r)),
    ...out.sellers.map((r) => key('sellers', r)),
    ...out.categoryTranslations.map((r) => key('category_translations', r)),
    ...out.quarantined.map((q) => key(q.table, q)),
  ].sort();
  expect(outputs).toEqual(inputs);
}

describe('validateMarketplace', () => {
  const real: MarketplaceInput = { products: REAL_PRODUCTS, sellers: REAL_SELLERS, categoryTranslations: REAL_TRANSLATIONS };

  it('when real rows are validated, then all are valid and none is lost', () => {
    const out = validateMarketplace(real);
    expectConservation(real, out);
    expect(out.quarantined).toEqual([]);
    expect(out.sellers.map((s) => s.zipCodePrefix)).toEqual(['13844', '80310', '01222']);
  });

  it('when a product has a translated category, then it carries the English name and its volume', () => {
    const p = validateMarketplace(real).products[0]!;
    expect(p.category).toEqual({ name: 'cama_mesa_banho', englishName: 'bed_bath_table', isUnknown: false, isTranslated: true });
    expect(p.volumeCm3).toBe(16 * 10 * 16);
  });

  it('when a real product has no category, then it is kept with an explicit unknown category, not null', () => {
    expect(validateMarketplace(real).products[2]!.category).toEqual({
      name: 'unknown',
      englishName: 'unknown',
      isUnknown: true,
      isTranslated: false,
    });
  });

  it('when a real category has no translation, then the product is kept with its Portuguese name flagged untranslated', () => {
    expect(validateMarketplace(real).products[3]!.category).toEqual({
      name: 'portateis_cozinha_e_preparadores_de_alimentos',
      englishName: 'portateis_cozinha_e_preparadores_de_alimentos',
      isUnknown: false,
      isTranslated: false,
    });
  });

  it('when a measure is negative or fractional, then MARKETPLACE.INVALID_DIMENSION; missing measures and weight 0 pass', () => {
    const input: MarketplaceInput = {
      products: [
        product(1, 'p-neg', 'telefonia', [1, 1, 1, 10, -1, 1, 1]),
        product(2, 'p-frac', 'telefonia', [1, 1, 1, 10.5, 1, 1, 1]),
        { ...product(3, 'p-missing', 'telefonia', [1, 1, 1, 0, 1, 1, 1]), lengthCm: null },
      ],
      sellers: [],
      categoryTranslations: [],
    };
    const out = validateMarketplace(input);
    expectConservation(input, out);
    expect(out.quarantined.map((q) => [q.ruleCode, q.reason])).toEqual([
      ['MARKETPLACE.INVALID_DIMENSION', 'product p-neg: lengthCm -1 is not a non-negative integer'],
      ['MARKETPLACE.INVALID_DIMENSION', 'product p-frac: weightG 10.5 is not a non-negative integer'],
    ]);
    expect(out.products[0]).toMatchObject({ productId: 'p-missing', weightG: 0, volumeCm3: null });
  });

  it('when a seller zip is not 5 digits or the state is not a UF, then MARKETPLACE.INVALID_ZIP / MARKETPLACE.INVALID_STATE', () => {
    const input: MarketplaceInput = {
      products: [],
      categoryTranslations: [],
      sellers: [
        seller(1, 's1', '1222', 'sao paulo', 'SP'),
        seller(2, 's2', '01222', 'sao paulo', 'XX'),
        seller(3, 's3', '01222', 'sao paulo', 'SP'),
      ],
    };
    const out = validateMarketplace(input);
    expectConservation(input, out);
    expect(out.quarantined.map((q) => [q.table, q.ruleCode, q.reason])).toEqual([
      ['sellers', 'MARKETPLACE.INVALID_ZIP', "seller s1: zip code prefix '1222' is not a 5-digit string"],
      ['sellers', 'MARKETPLACE.INVALID_STATE', "seller s2: state 'XX' is not one of the 27 Brazilian UF codes"],
    ]);
  });

  it('when a product, seller or category appears twice, then every copy is quarantined as a duplicate and the category is left untranslated', () => {
    const input: MarketplaceInput = {
      products: [REAL_PRODUCTS[1]!, { ...REAL_PRODUCTS[1]!, sourceRow: 99 }, REAL_PRODUCTS[0]!],
      sellers: [REAL_SELLERS[0]!, { ...REAL_SELLERS[0]!, sourceRow: 99 }],
      categoryTranslations: [
        translation(4, 'cama_mesa_banho', 'bed_bath_table'),
        translation(5, 'cama_mesa_banho', 'bed_and_bath'),
        translation(6, ' ', 'x'),
      ],
    };
    const out = validateMarketplace(input);
    expectConservation(input, out);
    expect(out.quarantined.map((q) => [q.table, q.ruleCode])).toEqual([
      ['category_translations', 'MARKETPLACE.DUPLICATE_CATEGORY'],
      ['category_translations', 'MARKETPLACE.DUPLICATE_CATEGORY'],
      ['category_translations', 'MARKETPLACE.MALFORMED_VALUE'],
      ['products', 'MARKETPLACE.DUPLICATE_PRODUCT'],
      ['products', 'MARKETPLACE.DUPLICATE_PRODUCT'],
      ['sellers', 'MARKETPLACE.DUPLICATE_SELLER'],
      ['sellers', 'MARKETPLACE.DUPLICATE_SELLER'],
    ]);
    expect(out.quarantined[0]!.reason).toBe('category cama_mesa_banho appears 2 times');
    expect(out.products[0]!.category).toMatchObject({ name: 'cama_mesa_banho', isTranslated: false });
  });
});
