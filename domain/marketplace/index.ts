// Public API of the marketplace context: validateMarketplace, Product, Seller, ProductCategory, rule codes, RULES_VERSION.
export {
  validateMarketplace,
  type MarketplaceInput,
  type MarketplaceValidation,
  type MarketplaceTable,
  type ValidCategoryTranslation,
} from './validate-marketplace.service';
export type { StagedProduct, StagedSeller, StagedCategoryTranslation } from './marketplace-staged.types';
export { createProduct, type Product } from './product.entity';
export { createSeller, type Seller } from './seller.entity';
export { productCategory, UNKNOWN_CATEGORY, type ProductCategory } from './product-category.value-object';
export { MARKETPLACE_RULES, type MarketplaceRuleCode } from './marketplace.errors';
export { RULES_VERSION } from './marketplace.rules-version';
