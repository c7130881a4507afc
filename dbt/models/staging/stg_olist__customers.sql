-- Staging: customer.customers (one row per per-order customer_id; customer_unique_id is the person).
with source as (
    select * from {{ source('customer', 'customers') }}
),

final as (
    select
        customer_id,
        customer_unique_id,
        zip_code_prefix::text as zip_code_prefix,
        city,
        state::text as state,
        partition_key
    from source
)

select * from final
