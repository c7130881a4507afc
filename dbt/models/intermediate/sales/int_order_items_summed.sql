-- Order items reduced to one row per order (count, items total, freight total) before anything joins them.
with items as (
    select * from {{ ref('stg_olist__order_items') }}
),

final as (
    select
        order_id,
        partition_key,
        count(*) as item_count,
        sum(price) as items_total,
        sum(freight_value) as freight_total,
        count(distinct product_id) as distinct_product_count,
        count(distinct seller_id) as distinct_seller_count
    from items
    group by order_id, partition_key
)

select * from final
