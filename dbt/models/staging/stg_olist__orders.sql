-- Staging: sales.orders renamed and cast (the estimate becomes a date: it has no time of day).
with source as (
    select * from {{ source('sales', 'orders') }}
),

final as (
    select
        order_id,
        {{ pseudonym('customer_id') }} as customer_id,
        order_status,
        purchased_at,
        approved_at,
        delivered_carrier_at as handed_to_carrier_at,
        delivered_customer_at as delivered_at,
        estimated_delivery_at::date as estimated_delivery_date,
        item_count,
        items_total,
        freight_total,
        payments_total,
        partition_key
    from source
)

select * from final
