-- dbt's on-time and delay (by calendar date, in SQL) agree with the fulfillment context's own (in TypeScript),
-- and fact_deliveries holds exactly the shipments that were delivered.
with deliveries as (
    select order_id, on_time, delay_days from {{ ref('fact_deliveries') }}
),

shipments as (
    select order_id, on_time, delay_days from {{ ref('stg_olist__shipments') }}
    where delivered_at is not null
)

select
    coalesce(shipments.order_id, deliveries.order_id) as order_id,
    shipments.on_time as domain_on_time,
    deliveries.on_time as fact_on_time,
    shipments.delay_days as domain_delay_days,
    deliveries.delay_days as fact_delay_days
from shipments
full outer join deliveries on deliveries.order_id = shipments.order_id
where shipments.order_id is null
   or deliveries.order_id is null
   or shipments.on_time is distinct from deliveries.on_time
   or shipments.delay_days is distinct from deliveries.delay_days
