-- One row per person (customer_unique_id): the customer context's profile (segment and metrics) and the address
-- of the person's latest order; plus the unknown member ('unknown', segment UNKNOWN) that orders of rejected
-- customer records point to.
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
        coalesce(addresses.customer_id_count, 0) as customer_id_count,
        false as is_unknown_member
    from profiles
    left join addresses on addresses.customer_unique_id = profiles.customer_unique_id
),

unknown_member as (
    select
        'unknown'::text as customer_unique_id, 'UNKNOWN'::text as segment, 0 as orders_count, 0::numeric as total_spent,
        null::timestamp as first_order_at, null::timestamp as last_order_at, null::integer as recency_days,
        (select max(as_of) from profiles) as as_of,
        null::text as latest_customer_id, null::text as zip_code_prefix, null::text as city, null::text as state,
        0::bigint as customer_id_count,
        true as is_unknown_member
)

select * from final
union all
select * from unknown_member
