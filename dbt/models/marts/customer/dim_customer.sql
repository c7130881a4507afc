-- One row per person (customer_unique_id): the customer context's profile (segment and metrics) and the address
-- of the person's latest order.
with profiles as (
    select * from {{ ref('stg_olist__customer_profiles') }}
),

addresses as (
    select * from {{ ref('int_customer_latest_address') }}
),

final as (
    select
        profiles.customer_unique_id,
        profiles.segment,
        profiles.orders_count,
        profiles.total_spent,
        profiles.first_order_at,
        profiles.last_order_at,
        profiles.recency_days,
        profiles.as_of,
        addresses.latest_customer_id,
        addresses.zip_code_prefix,
        addresses.city,
        addresses.state,
        coalesce(addresses.customer_id_count, 0) as customer_id_count
    from profiles
    left join addresses on addresses.customer_unique_id = profiles.customer_unique_id
)

select * from final
