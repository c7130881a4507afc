CREATE INDEX "customers_customer_id_idx" ON "staging"."customers" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "order_items_order_id_idx" ON "staging"."order_items" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_payments_order_id_idx" ON "staging"."order_payments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_reviews_order_id_idx" ON "staging"."order_reviews" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "orders_order_id_idx" ON "staging"."orders" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "orders_customer_id_idx" ON "staging"."orders" USING btree ("customer_id");