CREATE SCHEMA "customer";
--> statement-breakpoint
CREATE SCHEMA "events";
--> statement-breakpoint
CREATE SCHEMA "fulfillment";
--> statement-breakpoint
CREATE SCHEMA "marketplace";
--> statement-breakpoint
CREATE SCHEMA "sales";
--> statement-breakpoint
CREATE TABLE "customer"."customers" (
	"customer_id" text PRIMARY KEY NOT NULL,
	"customer_unique_id" text NOT NULL,
	"zip_code_prefix" char(5) NOT NULL,
	"city" text NOT NULL,
	"state" char(2) NOT NULL,
	"partition_key" text NOT NULL,
	"_source_sha256" text NOT NULL,
	"_source_row" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer"."profiles" (
	"customer_unique_id" text PRIMARY KEY NOT NULL,
	"orders_count" integer NOT NULL,
	"total_spent" numeric(12, 2) NOT NULL,
	"first_order_at" timestamp(0),
	"last_order_at" timestamp(0),
	"recency_days" integer,
	"segment" text NOT NULL,
	"as_of" timestamp(0) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer"."reviews" (
	"review_id" text NOT NULL,
	"order_id" text NOT NULL,
	"review_score" smallint NOT NULL,
	"comment_title" text,
	"comment_message" text,
	"created_at" timestamp(0),
	"answered_at" timestamp(0),
	"partition_key" text NOT NULL,
	"_source_sha256" text NOT NULL,
	"_source_row" bigint NOT NULL,
	CONSTRAINT "reviews_review_id_order_id_pk" PRIMARY KEY("review_id","order_id")
);
--> statement-breakpoint
CREATE TABLE "fulfillment"."shipments" (
	"order_id" text PRIMARY KEY NOT NULL,
	"order_status" text NOT NULL,
	"handed_to_carrier_at" timestamp(0),
	"delivered_at" timestamp(0),
	"estimated_delivery_date" date NOT NULL,
	"on_time" boolean,
	"delay_days" integer,
	"partition_key" text NOT NULL,
	"_source_sha256" text NOT NULL,
	"_source_row" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "marketplace"."categories" (
	"category_name" text PRIMARY KEY NOT NULL,
	"category_name_english" text NOT NULL,
	"_source_sha256" text NOT NULL,
	"_source_row" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "marketplace"."products" (
	"product_id" text PRIMARY KEY NOT NULL,
	"category_name" text NOT NULL,
	"category_name_english" text NOT NULL,
	"category_known" boolean NOT NULL,
	"name_length" integer,
	"description_length" integer,
	"photos_qty" integer,
	"weight_g" integer,
	"length_cm" integer,
	"height_cm" integer,
	"width_cm" integer,
	"_source_sha256" text NOT NULL,
	"_source_row" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "marketplace"."sellers" (
	"seller_id" text PRIMARY KEY NOT NULL,
	"zip_code_prefix" char(5) NOT NULL,
	"city" text NOT NULL,
	"state" char(2) NOT NULL,
	"_source_sha256" text NOT NULL,
	"_source_row" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events"."outbox" (
	"event_id" text PRIMARY KEY NOT NULL,
	"event_type" text NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"occurred_at" timestamp(0) NOT NULL,
	"payload" jsonb NOT NULL,
	"asset_key" text NOT NULL,
	"partition_key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sales"."order_items" (
	"order_id" text NOT NULL,
	"order_item_id" integer NOT NULL,
	"product_id" text NOT NULL,
	"seller_id" text NOT NULL,
	"shipping_limit_at" timestamp(0),
	"price" numeric(12, 2) NOT NULL,
	"freight_value" numeric(12, 2) NOT NULL,
	"partition_key" text NOT NULL,
	"_source_sha256" text NOT NULL,
	"_source_row" bigint NOT NULL,
	CONSTRAINT "order_items_order_id_order_item_id_pk" PRIMARY KEY("order_id","order_item_id")
);
--> statement-breakpoint
CREATE TABLE "sales"."order_payments" (
	"order_id" text NOT NULL,
	"payment_sequential" integer NOT NULL,
	"payment_type" text NOT NULL,
	"payment_installments" integer NOT NULL,
	"payment_value" numeric(12, 2) NOT NULL,
	"partition_key" text NOT NULL,
	"_source_sha256" text NOT NULL,
	"_source_row" bigint NOT NULL,
	CONSTRAINT "order_payments_order_id_payment_sequential_pk" PRIMARY KEY("order_id","payment_sequential")
);
--> statement-breakpoint
CREATE TABLE "sales"."orders" (
	"order_id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"order_status" text NOT NULL,
	"purchased_at" timestamp(0) NOT NULL,
	"approved_at" timestamp(0),
	"delivered_carrier_at" timestamp(0),
	"delivered_customer_at" timestamp(0),
	"estimated_delivery_at" timestamp(0),
	"item_count" integer NOT NULL,
	"items_total" numeric(12, 2) NOT NULL,
	"freight_total" numeric(12, 2) NOT NULL,
	"payments_total" numeric(12, 2) NOT NULL,
	"partition_key" text NOT NULL,
	"_source_sha256" text NOT NULL,
	"_source_row" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "customer_customers_partition_idx" ON "customer"."customers" USING btree ("partition_key");--> statement-breakpoint
CREATE INDEX "customer_customers_unique_idx" ON "customer"."customers" USING btree ("customer_unique_id");--> statement-breakpoint
CREATE INDEX "customer_reviews_partition_idx" ON "customer"."reviews" USING btree ("partition_key");--> statement-breakpoint
CREATE INDEX "fulfillment_shipments_partition_idx" ON "fulfillment"."shipments" USING btree ("partition_key");--> statement-breakpoint
CREATE INDEX "outbox_asset_partition_idx" ON "events"."outbox" USING btree ("asset_key","partition_key");--> statement-breakpoint
CREATE INDEX "outbox_type_idx" ON "events"."outbox" USING btree ("event_type");--> statement-breakpoint
CREATE INDEX "sales_items_partition_idx" ON "sales"."order_items" USING btree ("partition_key");--> statement-breakpoint
CREATE INDEX "sales_payments_partition_idx" ON "sales"."order_payments" USING btree ("partition_key");--> statement-breakpoint
CREATE INDEX "sales_orders_partition_idx" ON "sales"."orders" USING btree ("partition_key");--> statement-breakpoint
CREATE INDEX "sales_orders_customer_idx" ON "sales"."orders" USING btree ("customer_id");