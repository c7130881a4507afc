-- Staging: marketplace.categories (the Portuguese → English category translation).
with source as (
    select * from {{ source('marketplace', 'categories') }}
),

final as (
    select
        category_name,
        category_name_english
    from source
)

select * from final
