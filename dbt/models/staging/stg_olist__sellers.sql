-- Staging: marketplace.sellers.
with source as (
    select * from {{ source('marketplace', 'sellers') }}
),

final as (
    select
        seller_id,
        zip_code_prefix::text as zip_code_prefix,
        city,
        state::text as state
    from source
)

select * from final
