-- The whole years the data spans: from the earliest to the latest year of any order date in sales.orders
-- (purchase, approval, hand-off, delivery, estimate). No orders, no years.
with orders as (
    select * from {{ ref('stg_olist__orders') }}
),

bounds as (
    select
        min(least(
            purchased_at::date, approved_at::date, handed_to_carrier_at::date, delivered_at::date, estimated_delivery_date
        )) as first_day,
        max(greatest(
            purchased_at::date, approved_at::date, handed_to_carrier_at::date, delivered_at::date, estimated_delivery_date
        )) as last_day
    from orders
),

final as (
    select year::integer as year
    from bounds
    cross join lateral generate_series(
        extract(year from first_day)::integer, extract(year from last_day)::integer
    ) as years (year)
)

select * from final
