-- Retention by monthly cohort: one row per (cohort month, months since the first purchase), from the cohort's
-- first month up to the last month with purchases, zeros included. A purchase is a delivered order (as in the
-- customer context); the cohort is the month of a person's first purchase.
with purchases as (
    select customer_unique_id, date_trunc('month', purchased_at)::date as purchase_month_start
    from {{ ref('fact_orders') }}
    where order_status = 'delivered' and is_customer_unknown is not true
),

firsts as (
    select customer_unique_id, min(purchase_month_start) as cohort_month_start
    from purchases
    group by customer_unique_id
),

activity as (
    select distinct
        firsts.cohort_month_start,
        firsts.customer_unique_id,
        (extract(year from age(purchases.purchase_month_start, firsts.cohort_month_start)) * 12
            + extract(month from age(purchases.purchase_month_start, firsts.cohort_month_start)))::integer
            as months_since_first_order
    from purchases
    inner join firsts on firsts.customer_unique_id = purchases.customer_unique_id
),

cohorts as (
    select cohort_month_start, count(*) as cohort_size
    from firsts
    group by cohort_month_start
),

grid as (
    select
        cohorts.cohort_month_start,
        cohorts.cohort_size,
        offsets.months_since_first_order
    from cohorts
    cross join (select max(purchase_month_start) as last_month_start from purchases) as bounds
    cross join lateral generate_series(
        0,
        (extract(year from age(bounds.last_month_start, cohorts.cohort_month_start)) * 12
            + extract(month from age(bounds.last_month_start, cohorts.cohort_month_start)))::integer
    ) as offsets (months_since_first_order)
),

active as (
    select cohort_month_start, months_since_first_order, count(*) as active_customers
    from activity
    group by cohort_month_start, months_since_first_order
),

final as (
    select
        to_char(grid.cohort_month_start, 'YYYY-MM') as cohort_month,
        grid.months_since_first_order,
        to_char(grid.cohort_month_start + make_interval(months => grid.months_since_first_order), 'YYYY-MM')
            as activity_month,
        grid.cohort_size,
        coalesce(active.active_customers, 0) as active_customers,
        coalesce(active.active_customers, 0)::numeric / grid.cohort_size as retention_rate
    from grid
    left join active
        on active.cohort_month_start = grid.cohort_month_start
        and active.months_since_first_order = grid.months_since_first_order
)

select * from final
