-- Staging: sales.order_payments (one row per payment of an order; vouchers included).
with source as (
    select * from {{ source('sales', 'order_payments') }}
),

final as (
    select
        order_id,
        payment_sequential,
        payment_type,
        payment_installments,
        payment_value,
        partition_key
    from source
)

select * from final
