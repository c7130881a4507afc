-- Staging: customer.customers (one row per per-order customer_id; customer_unique_id is the person). Ids, zip and city
-- pseudonymized (macros/pseudonym.sql); the state stays.
with source as (
    select * from {{ source('customer', 'customers') }}
),

final as (
    select
        {{ pseudonym('customer_id') }} as customer_id,
        {{ pseudonym('customer_unique_id') }} as customer_unique_id,
        {{ pseudonym('zip_code_prefix::text') }} as zip_code_prefix,
        {{ pseudonym('city') }} as city,
        state::text as state,
        partition_key
    from source
)

select * from final
