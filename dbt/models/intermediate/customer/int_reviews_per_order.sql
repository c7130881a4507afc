-- Reviews reduced to one row per order: the order's review score is the average of its reviews' scores.
-- (The source has orders with several reviews and review ids shared by several orders; each (review, order)
-- row counts once for its order.)
with reviews as (
    select * from {{ ref('stg_olist__reviews') }}
),

final as (
    select
        order_id,
        partition_key,
        count(*) as review_count,
        avg(review_score::numeric) as review_score,
        min(review_score) as min_review_score,
        max(review_score) as max_review_score
    from reviews
    group by order_id, partition_key
)

select * from final
