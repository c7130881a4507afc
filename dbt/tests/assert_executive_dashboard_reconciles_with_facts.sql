-- The monthly mart adds up to the facts: as many orders, the same GMV and payments of the GMV orders to the centavo, the same deliveries and
-- on-time deliveries, the same reviewed orders. A join that multiplied rows would break one of these.
with mart as (
    select
        sum(orders_count) as orders_count,
        sum(gmv) as gmv,
        sum(gmv_orders_payments) as gmv_orders_payments,
        sum(delivered_orders_count) as delivered_orders_count,
        sum(on_time_orders_count) as on_time_orders_count,
        sum(reviewed_orders_count) as reviewed_orders_count,
        sum(canceled_orders_count) as canceled_orders_count
    from {{ ref('mart_executive_dashboard') }}
),

orders as (
    select
        count(*) as orders_count,
        sum(items_total + freight_total) filter (where order_status not in ('canceled', 'unavailable')) as gmv,
        sum(payments_total) filter (where order_status not in ('canceled', 'unavailable')) as gmv_orders_payments,
        count(review_score) as reviewed_orders_count,
        count(*) filter (where order_status in ('canceled', 'unavailable')) as canceled_orders_count
    from {{ ref('fact_orders') }}
),

deliveries as (
    select count(*) as delivered_orders_count, count(*) filter (where on_time) as on_time_orders_count
    from {{ ref('fact_deliveries') }}
)

select mart.*, orders.*, deliveries.*
from mart cross join orders cross join deliveries
where coalesce(mart.orders_count, 0) <> orders.orders_count
   or coalesce(mart.gmv, 0) <> coalesce(orders.gmv, 0)
   or coalesce(mart.gmv_orders_payments, 0) <> coalesce(orders.gmv_orders_payments, 0)
   or coalesce(mart.delivered_orders_count, 0) <> deliveries.delivered_orders_count
   or coalesce(mart.on_time_orders_count, 0) <> deliveries.on_time_orders_count
   or coalesce(mart.reviewed_orders_count, 0) <> orders.reviewed_orders_count
   or coalesce(mart.canceled_orders_count, 0) <> orders.canceled_orders_count
