// The nine Olist files the generator writes: names, columns in the original order, and each column's quoting style.
import type { FieldStyle } from './csv-format';

export const FILES = {
  orders: {
    file: 'olist_orders_dataset.csv',
    columns: ['order_id', 'customer_id', 'order_status', 'order_purchase_timestamp', 'order_approved_at', 'order_delivered_carrier_date', 'order_delivered_customer_date', 'order_estimated_delivery_date'],
    styles: ['id', 'id', 'text', 'text', 'text', 'text', 'text', 'text'],
  },
  items: {
    file: 'olist_order_items_dataset.csv',
    columns: ['order_id', 'order_item_id', 'product_id', 'seller_id', 'shipping_limit_date', 'price', 'freight_value'],
    styles: ['id', 'text', 'id', 'id', 'text', 'text', 'text'],
  },
  payments: {
    file: 'olist_order_payments_dataset.csv',
    columns: ['order_id', 'payment_sequential', 'payment_type', 'payment_installments', 'payment_value'],
    styles: ['id', 'text', 'text', 'text', 'text'],
  },
  reviews: {
    file: 'olist_order_reviews_dataset.csv',
    columns: ['review_id', 'order_id', 'review_score', 'review_comment_title', 'review_comment_message', 'review_creation_date', 'review_answer_timestamp'],
    styles: ['quoted', 'quoted', 'text', 'text', 'text', 'text', 'text'],
  },
  customers: {
    file: 'olist_customers_dataset.csv',
    columns: ['customer_id', 'customer_unique_id', 'customer_zip_code_prefix', 'customer_city', 'customer_state'],
    styles: ['id', 'id', 'id', 'id', 'text'],
  },
  products: {
    file: 'olist_products_dataset.csv',
    columns: ['product_id', 'product_category_name', 'product_name_lenght', 'product_description_lenght', 'product_photos_qty', 'product_weight_g', 'product_length_cm', 'product_height_cm', 'product_width_cm'],
    styles: ['id', 'id', 'text', 'text', 'text', 'text', 'text', 'text', 'text'],
  },
  sellers: {
    file: 'olist_sellers_dataset.csv',
    columns: ['seller_id', 'seller_zip_code_prefix', 'seller_city', 'seller_state'],
    styles: ['id', 'id', 'id', 'text'],
  },
  geolocation: {
    file: 'olist_geolocation_dataset.csv',
    columns: ['geolocation_zip_code_prefix', 'geolocation_lat', 'geolocation_lng', 'geolocation_city', 'geolocation_state'],
    styles: ['id', 'text', 'text', 'id', 'text'],
  },
  categories: {
    file: 'product_category_name_translation.csv',
    columns: ['product_category_name', 'product_category_name_english'],
    styles: ['text', 'text'],
  },
} as const satisfies Record<string, { file: string; columns: readonly string[]; styles: readonly FieldStyle[] }>;

export type FileKey = keyof typeof FILES;
export const FILE_KEYS = Object.keys(FILES) as FileKey[];
export type OlistFileName = (typeof FILES)[FileKey]['file'];
