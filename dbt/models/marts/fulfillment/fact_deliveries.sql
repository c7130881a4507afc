-- One row per delivered order (the parcel reached the customer: a delivery timestamp exists). On time and delay
-- are decided by calendar date against the estimated delivery date (the estimate has no time of day); the legs
-- are calendar days: carrier leg purchase → hand-off, customer leg hand-off → delivery.
-- Incremental by purchase month like fact_orders.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='order_id',
        on_schema_change='fail',
        pre_hook="{{ delete_partition_rows() }}",
        indexes=[{'columns': ['partition_key']}],
    )
}}

with shipments as (
    select * from {{ ref('stg_olist__shipments') }}
    where delivered_at is not null
      and {{ partition_filter('partition_key') }}
),

orders as (
    select order_id, purchased_at, partition_key from {{ ref('stg_olist__orders') }}
    where {{ partition_filter('partition_key') }}
),

final as (
    select
        shipments.order_id,
        shipments.order_status,
        orders.purchased_at,
        shipments.handed_to_carrier_at,
        shipments.delivered_at,
        shipments.estimated_delivery_date,
        orders.purchased_at::date as purchase_date_key,
        shipments.delivered_at::date as delivered_date_key,
        shipments.delivered_at::date <= shipments.estimated_delivery_date as on_time,
        greatest(shipments.delivered_at::date - shipments.estimated_delivery_date, 0) as delay_days,
        shipments.handed_to_carrier_at::date - orders.purchased_at::date as carrier_leg_days,
        shipments.delivered_at::date - shipments.handed_to_carrier_at::date as customer_leg_days,
        shipments.delivered_at::date - orders.purchased_at::date as delivery_days,
        shipments.partition_key
    from shipments
    inner join orders
        on orders.order_id = shipments.order_id and orders.partition_key = shipments.partition_key
)

select * from final
