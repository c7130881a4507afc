-- Staging: customer.reviews (one row per (review_id, order_id)).
with source as (
    select * from {{ source('customer', 'reviews') }}
),

final as (
    select
        review_id,
        order_id,
        review_score::integer as review_score,
        -- The comments stay sealed in the customer context (schema/pii.ts): published is whether there is one.
        coalesce(comment_title, comment_message) is not null as has_comment,
        created_at as review_created_at,
        answered_at as review_answered_at,
        partition_key
    from source
)

select * from final
