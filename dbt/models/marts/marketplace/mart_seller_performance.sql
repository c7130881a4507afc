-- Seller x purchase month: GMV (item prices), orders, items, on-time rate, average review and cancellations of each
-- seller's orders. Items are reduced to one row per (order, seller) before joining the one-row-per-order facts, so no
-- sum runs over a join that multiplies rows. Seller ids are not personal data (dim_seller keeps them); no customer
-- identifier reaches this mart. Read by the web API under row-level security (schema/rls.ts): seller and state columns.
{{
    config(
        indexes=[
            {'columns': ['seller_id', 'month']},
            {'columns': ['month']},
            {'columns': ['seller_state', 'month']},
        ],
    )
}}

with items as (
    select * from {{ ref('stg_olist__order_items') }}
),

orders as (
    select order_id, purchase_month, is_canceled, review_score from {{ ref('fact_orders') }}
),

deliveries as (
    select order_id, on_time from {{ ref('fact_deliveries') }}
),

sellers as (
    select seller_id, state from {{ ref('dim_seller') }}
),

order_sellers as (
    select
        order_id,
        seller_id,
        count(*) as item_count,
        sum(price) as items_price
    from items
    group by order_id, seller_id
),

seller_orders as (
    select
        order_sellers.seller_id,
        orders.purchase_month,
        orders.order_id,
        orders.is_canceled,
        orders.review_score,
        order_sellers.item_count,
        order_sellers.items_price,
        deliveries.order_id is not null as is_delivered,
        deliveries.on_time
    from order_sellers
    inner join orders on orders.order_id = order_sellers.order_id
    left join deliveries on deliveries.order_id = order_sellers.order_id
),

figures as (
    select
        seller_id,
        purchase_month,
        count(*) as orders_count,
        count(*) filter (where not is_canceled) as gmv_orders_count,
        coalesce(sum(item_count) filter (where not is_canceled), 0) as items_count,
        coalesce(sum(items_price) filter (where not is_canceled), 0) as gmv,
        count(*) filter (where is_delivered) as delivered_orders_count,
        count(*) filter (where on_time) as on_time_orders_count,
        count(review_score) as reviewed_orders_count,
        avg(review_score) as average_review_score,
        count(*) filter (where is_canceled) as canceled_orders_count
    from seller_orders
    group by seller_id, purchase_month
),

final as (
    select
        figures.seller_id,
        figures.purchase_month as month,
        to_date(figures.purchase_month || '-01', 'YYYY-MM-DD') as month_start_date,
        sellers.state as seller_state,
        figures.orders_count,
        figures.gmv_orders_count,
        figures.items_count,
        figures.gmv::numeric(16, 2) as gmv,
        figures.delivered_orders_count,
        figures.on_time_orders_count,
        figures.on_time_orders_count::numeric / nullif(figures.delivered_orders_count, 0) as on_time_rate,
        figures.reviewed_orders_count,
        figures.average_review_score,
        figures.canceled_orders_count,
        figures.canceled_orders_count::numeric / nullif(figures.orders_count, 0) as cancellation_rate
    from figures
    left join sellers on sellers.seller_id = figures.seller_id
)

select * from final
