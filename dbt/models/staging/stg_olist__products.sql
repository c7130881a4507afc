-- Staging: marketplace.products (category resolved by the marketplace context: 'unknown' when absent).
with source as (
    select * from {{ source('marketplace', 'products') }}
),

final as (
    select
        product_id,
        category_name,
        category_name_english,
        category_known,
        name_length,
        description_length,
        photos_qty,
        weight_g,
        length_cm,
        height_cm,
        width_cm
    from source
)

select * from final
