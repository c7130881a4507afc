-- Staging: customer.profiles (one row per person, metrics and segment computed by the customer context).
with source as (
    select * from {{ source('customer', 'profiles') }}
),

final as (
    select
        {{ pseudonym('customer_unique_id') }} as customer_unique_id,
        orders_count,
        total_spent,
        first_order_at,
        last_order_at,
        recency_days,
        segment,
        as_of
    from source
)

select * from final
