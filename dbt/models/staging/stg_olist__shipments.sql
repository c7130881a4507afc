-- Staging: fulfillment.shipments (one row per order: hand-off, delivery, estimate, on-time by date).
with source as (
    select * from {{ source('fulfillment', 'shipments') }}
),

final as (
    select
        order_id,
        order_status,
        handed_to_carrier_at,
        delivered_at,
        estimated_delivery_date,
        on_time,
        delay_days,
        partition_key
    from source
)

select * from final
