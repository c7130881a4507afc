-- One row per order: the order with its person, and its items, payments and reviews each already reduced to one
-- row per order (so no join multiplies rows), and whether its shipment passed the fulfillment rules delivered. Children join on (order_id, partition_key): a filter on the order's
-- partition_key then reaches the grouped children too, so a one-month build reads one month.
with orders as (
    select * from {{ ref('stg_olist__orders') }}
),

customers as (
    select customer_id, customer_unique_id from {{ ref('stg_olist__customers') }}
),

items as (
    select * from {{ ref('int_order_items_summed') }}
),

payments as (
    select * from {{ ref('int_order_payments_summed') }}
),

reviews as (
    select * from {{ ref('int_reviews_per_order') }}
),

shipments as (
    select order_id, delivered_at, partition_key from {{ ref('stg_olist__shipments') }}
),

final as (
    select
        orders.order_id,
        orders.customer_id,
        coalesce(customers.customer_unique_id, 'unknown') as customer_unique_id,
        customers.customer_id is null as is_customer_unknown,
        orders.order_status,
        orders.order_status in ('canceled', 'unavailable') as is_canceled,
        orders.purchased_at,
        orders.approved_at,
        orders.handed_to_carrier_at,
        orders.delivered_at,
        orders.estimated_delivery_date,
        coalesce(items.item_count, 0) as item_count,
        coalesce(items.items_total, 0) as items_total,
        coalesce(items.freight_total, 0) as freight_total,
        coalesce(items.distinct_seller_count, 0) as distinct_seller_count,
        coalesce(payments.payment_count, 0) as payment_count,
        coalesce(payments.payments_total, 0) as payments_total,
        payments.max_installments,
        coalesce(payments.voucher_total, 0) as voucher_total,
        coalesce(reviews.review_count, 0) as review_count,
        reviews.review_score,
        coalesce(shipments.delivered_at is not null, false) as has_delivery_fact,
        orders.partition_key
    from orders
    left join customers
        on customers.customer_id = orders.customer_id
    left join items
        on items.order_id = orders.order_id and items.partition_key = orders.partition_key
    left join payments
        on payments.order_id = orders.order_id and payments.partition_key = orders.partition_key
    left join reviews
        on reviews.order_id = orders.order_id and reviews.partition_key = orders.partition_key
    left join shipments
        on shipments.order_id = orders.order_id and shipments.partition_key = orders.partition_key
)

select * from final
