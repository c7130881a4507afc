-- fact_deliveries has one row for each delivered order of fact_orders whose shipment passed the fulfillment rules
-- (has_delivery_fact), and none other; both facts agree on whether it was on time. A delivered order whose shipment
-- was quarantined (FULFILLMENT.DELIVERED_BEFORE_HANDOFF) stays in fact_orders only, by design (dbt/README.md).
with delivered_orders as (
    select order_id, is_delivered_on_time from {{ ref('fact_orders') }}
    where has_delivery_fact
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
