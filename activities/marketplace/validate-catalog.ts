// domain/marketplace/catalog (unpartitioned): products, sellers and category translations through the marketplace rules.
import { type StagedCategoryTranslation, type StagedProduct, type StagedSeller, validateMarketplace } from '../../domain/marketplace';
import type { PoolClient } from '../../infra/db';
import { contract } from '../../schema/contracts/olist';
import { marketplaceCategories, marketplaceProducts, marketplaceSellers } from '../../schema/domain';
import { clearPartition, insertQuarantine } from '../shared/bulk';
import { conservation } from '../shared/conservation';
import { insertTableRows } from '../shared/table-rows';

export async function validateCatalog(client: PoolClient, assetKey: string) {
  await clearPartition(client, assetKey, '', ['marketplace.products', 'marketplace.sellers', 'marketplace.categories']);
  const products = await client.query<StagedProduct>(`SELECT product_id AS "productId", product_category_name AS "categoryName",
      product_name_lenght AS "nameLength", product_description_lenght AS "descriptionLength", product_photos_qty AS "photosQty",
      product_weight_g AS "weightG", product_length_cm AS "lengthCm", product_height_cm AS "heightCm", product_width_cm AS "widthCm",
      _source_row AS "sourceRow", _source_sha256 AS "sourceSha256" FROM staging.products ORDER BY _source_row`);
  const sellers = await client.query<StagedSeller>(`SELECT seller_id AS "sellerId", seller_zip_code_prefix AS "zipCodePrefix",
      seller_city AS city, seller_state AS state, _source_row AS "sourceRow", _source_sha256 AS "sourceSha256" FROM staging.sellers ORDER BY _source_row`);
  const categories = await client.query<StagedCategoryTranslation>(`SELECT product_category_name AS "categoryName",
      product_category_name_english AS "categoryNameEnglish", _source_row AS "sourceRow", _source_sha256 AS "sourceSha256"
      FROM staging.category_translation ORDER BY _source_row`);
  const v = validateMarketplace({ products: products.rows, sellers: sellers.rows, categoryTranslations: categories.rows });
  await insertTableRows(
    client,
    marketplaceProducts,
    {
      productId: (r) => r.productId,
      categoryName: (r) => r.category.name,
      categoryNameEnglish: (r) => r.category.englishName,
      categoryKnown: (r) => !r.category.isUnknown,
      nameLength: (r) => r.nameLength,
      descriptionLength: (r) => r.descriptionLength,
      photosQty: (r) => r.photosQty,
      weightG: (r) => r.weightG,
      lengthCm: (r) => r.lengthCm,
      heightCm: (r) => r.heightCm,
      widthCm: (r) => r.widthCm,
    },
    v.products,
  );
  await insertTableRows(
    client,
    marketplaceSellers,
    {
      sellerId: (r) => r.sellerId,
      zipCodePrefix: (r) => r.zipCodePrefix,
      city: (r) => r.city,
      state: (r) => r.state,
    },
    v.sellers,
  );
  await insertTableRows(
    client,
    marketplaceCategories,
    { categoryName: (r) => r.categoryName, categoryNameEnglish: (r) => r.categoryNameEnglish },
    v.categoryTranslations,
  );
  const files = { products: 'products', sellers: 'sellers', category_translations: 'category_translation' } as const;
  for (const [table, source] of Object.entries(files)) {
    await insertQuarantine(
      client,
      assetKey,
      '',
      `staging.${source}`,
      contract(source).file,
      v.quarantined.filter((q) => q.table === table),
    );
  }
  const account = (name: string, source: string, target: string) => ({
    name,
    sourceFile: contract(source).file,
    stagedSql: `SELECT count(*) AS n FROM staging.${source} WHERE $1::text IS NOT NULL`,
    validSql: `SELECT count(*) AS n FROM ${target} WHERE $1::text IS NOT NULL`,
  });
  return conservation(client, assetKey, '', [
    account('products', 'products', 'marketplace.products'),
    account('sellers', 'sellers', 'marketplace.sellers'),
    account('categories', 'category_translation', 'marketplace.categories'),
  ]);
}
