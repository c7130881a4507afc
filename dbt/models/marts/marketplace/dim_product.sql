-- One row per product with its category in Portuguese and English (unknown and untranslated categories explicit).
with products as (
    select * from {{ ref('stg_olist__products') }}
),

categories as (
    select * from {{ ref('stg_olist__categories') }}
),

final as (
    select
        products.product_id,
        products.category_name,
        products.category_name_english,
        products.category_known,
        categories.category_name is not null as category_translated,
        products.name_length,
        products.description_length,
        products.photos_qty,
        products.weight_g,
        products.length_cm,
        products.height_cm,
        products.width_cm
    from products
    left join categories on categories.category_name = products.category_name
)

select * from final
