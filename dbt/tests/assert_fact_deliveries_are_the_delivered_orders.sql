-- fact_deliveries has one row for each order fact_orders flags as delivered, and none other; both facts agree on
-- whether it was on time.
with delivered_orders as (
    select order_id, is_delivered_on_time from {{ ref('fact_orders') }}
    where is_delivered
),

deliveries as (
    select order_id, on_time from {{ ref('fact_deliveries') }}
)

select
    coalesce(delivered_orders.order_id, deliveries.order_id) as order_id,
    delivered_orders.is_delivered_on_time,
    deliveries.on_time
from delivered_orders
full outer join deliveries on deliveries.order_id = delivered_orders.order_id
where delivered_orders.order_id is null
   or deliveries.order_id is null
   or delivered_orders.is_delivered_on_time is distinct from deliveries.on_time
