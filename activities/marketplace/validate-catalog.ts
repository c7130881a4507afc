// domain/marketplace/catalog (unpartitioned): products, sellers and category translations through the marketplace rules.
import { type Product, type Seller, type StagedCategoryTranslation, type StagedProduct, type StagedSeller, type ValidCategoryTranslation, validateMarketplace } from '../../domain/marketplace';
import type { PoolClient } from '../../infra/db';
import { contract } from '../../schema/contracts/olist';
import { clearPartition, insertQuarantine, insertRows, provenanceColumns } from '../shared/bulk';
import { conservation } from '../shared/conservation';

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
  await insertRows<Product>(client, 'marketplace.products', [
    { name: 'product_id', type: 'text', value: (r) => r.productId },
    { name: 'category_name', type: 'text', value: (r) => r.category.name },
    { name: 'category_name_english', type: 'text', value: (r) => r.category.englishName },
    { name: 'category_known', type: 'boolean', value: (r) => !r.category.isUnknown },
    { name: 'name_length', type: 'int', value: (r) => r.nameLength },
    { name: 'description_length', type: 'int', value: (r) => r.descriptionLength },
    { name: 'photos_qty', type: 'int', value: (r) => r.photosQty },
    { name: 'weight_g', type: 'int', value: (r) => r.weightG },
    { name: 'length_cm', type: 'int', value: (r) => r.lengthCm },
    { name: 'height_cm', type: 'int', value: (r) => r.heightCm },
    { name: 'width_cm', type: 'int', value: (r) => r.widthCm },
    ...provenanceColumns(),
  ], v.products);
  await insertRows<Seller>(client, 'marketplace.sellers', [
    { name: 'seller_id', type: 'text', value: (r) => r.sellerId },
    { name: 'zip_code_prefix', type: 'text', value: (r) => r.zipCodePrefix },
    { name: 'city', type: 'text', value: (r) => r.city },
    { name: 'state', type: 'text', value: (r) => r.state },
    ...provenanceColumns(),
  ], v.sellers);
  await insertRows<ValidCategoryTranslation>(client, 'marketplace.categories', [
    { name: 'category_name', type: 'text', value: (r) => r.categoryName },
    { name: 'category_name_english', type: 'text', value: (r) => r.categoryNameEnglish },
    ...provenanceColumns(),
  ], v.categoryTranslations);
  const files = { products: 'products', sellers: 'sellers', category_translations: 'category_translation' } as const;
  for (const [table, source] of Object.entries(files)) {
    await insertQuarantine(client, assetKey, '', `staging.${source}`, contract(source).file, v.quarantined.filter((q) => q.table === table));
  }
  const account = (name: string, source: string, target: string) => ({
    name, sourceFile: contract(source).file, stagedSql: `SELECT count(*) AS n FROM staging.${source} WHERE $1::text IS NOT NULL`, validSql: `SELECT count(*) AS n FROM ${target} WHERE $1::text IS NOT NULL`,
  });
  return conservation(client, assetKey, '', [
    account('products', 'products', 'marketplace.products'),
    account('sellers', 'sellers', 'marketplace.sellers'),
    account('categories', 'category_translation', 'marketplace.categories'),
  ]);
}
