-- Monthly executive figures by purchase month, from the facts (one row per order / per delivered order, so no sum
-- here runs over a join that multiplies rows). Every month from the first to the last purchase month appears.
with orders as (
    select * from {{ ref('fact_orders') }}
),

deliveries as (
    select * from {{ ref('fact_deliveries') }}
),

months as (
    select to_char(month_start, 'YYYY-MM') as purchase_month, month_start::date as month_start_date
    from (
        select
            date_trunc('month', min(purchased_at)) as first_month,
            date_trunc('month', max(purchased_at)) as last_month
        from orders
    ) as bounds
    cross join lateral generate_series(first_month, last_month, interval '1 month') as series (month_start)
    where first_month is not null
),

order_figures as (
    select
        purchase_month,
        count(*) as orders_count,
        count(*) filter (where is_canceled) as canceled_orders_count,
        count(*) filter (where not is_canceled) as gmv_orders_count,
        coalesce(sum(items_total) filter (where not is_canceled), 0) as gmv_items,
        coalesce(sum(freight_total) filter (where not is_canceled), 0) as gmv_freight,
        coalesce(sum(items_total + freight_total) filter (where not is_canceled), 0) as gmv,
        coalesce(sum(payments_total) filter (where not is_canceled), 0) as gmv_orders_payments,
        count(*) filter (where not is_canceled and is_payment_outside_tolerance) as payment_flagged_orders_count,
        count(review_score) as reviewed_orders_count,
        avg(review_score) as average_review_score
    from orders
    group by purchase_month
),

delivery_figures as (
    select
        partition_key as purchase_month,
        count(*) as delivered_orders_count,
        count(*) filter (where on_time) as on_time_orders_count
    from deliveries
    group by partition_key
),

final as (
    select
        months.purchase_month,
        months.month_start_date,
        coalesce(order_figures.orders_count, 0) as orders_count,
        coalesce(order_figures.gmv_orders_count, 0) as gmv_orders_count,
        coalesce(order_figures.gmv_items, 0)::numeric(16, 2) as gmv_items,
        coalesce(order_figures.gmv_freight, 0)::numeric(16, 2) as gmv_freight,
        coalesce(order_figures.gmv, 0)::numeric(16, 2) as gmv,
        coalesce(order_figures.gmv_orders_payments, 0)::numeric(16, 2) as gmv_orders_payments,
        coalesce(order_figures.payment_flagged_orders_count, 0) as payment_flagged_orders_count,
        round(order_figures.gmv / nullif(order_figures.gmv_orders_count, 0), 2)::numeric(16, 2) as average_order_value,
        coalesce(delivery_figures.delivered_orders_count, 0) as delivered_orders_count,
        coalesce(delivery_figures.on_time_orders_count, 0) as on_time_orders_count,
        delivery_figures.on_time_orders_count::numeric
            / nullif(delivery_figures.delivered_orders_count, 0) as on_time_rate,
        coalesce(order_figures.reviewed_orders_count, 0) as reviewed_orders_count,
        order_figures.average_review_score,
        coalesce(order_figures.canceled_orders_count, 0) as canceled_orders_count,
        order_figures.canceled_orders_count::numeric / nullif(order_figures.orders_count, 0) as cancellation_rate
    from months
    left join order_figures on order_figures.purchase_month = months.purchase_month
    left join delivery_figures on delivery_figures.purchase_month = months.purchase_month
)

select * from final
