-- Staging: sales.order_items (one row per item of an order).
with source as (
    select * from {{ source('sales', 'order_items') }}
),

final as (
    select
        order_id,
        order_item_id,
        product_id,
        seller_id,
        shipping_limit_at,
        price,
        freight_value,
        partition_key
    from source
)

select * from final
