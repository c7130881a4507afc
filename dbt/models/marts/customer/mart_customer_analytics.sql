-- One row per person: segment, RFM scores (1-5 by ntile among people with at least one purchase), lifetime value,
-- cohort month, and the orders they placed in any status. Purchases are delivered orders, as in the customer
-- context's profiles (orders_count, total_spent, first/last order).
with customers as (
    select * from {{ ref('dim_customer') }}
    where is_unknown_member is not true
),

orders_placed as (
    select
        customer_unique_id,
        count(*) as orders_placed_count,
        count(*) filter (where is_canceled) as canceled_orders_count
    from {{ ref('fact_orders') }}
    where is_customer_unknown is not true
    group by customer_unique_id
),

scored as (
    -- ntile on skewed data: most people bought once, so equal frequencies spread over several tiles; ties are
    -- broken by the other measures and finally by customer_unique_id so that a rebuild gives the same scores.
    select
        customer_unique_id,
        ntile(5) over (order by recency_days desc, last_order_at, customer_unique_id) as recency_score,
        ntile(5) over (order by orders_count, total_spent, customer_unique_id) as frequency_score,
        ntile(5) over (order by total_spent, orders_count, customer_unique_id) as monetary_score
    from customers
    where orders_count > 0
),

final as (
    select
        customers.customer_unique_id,
        customers.segment,
        customers.state,
        customers.city,
        customers.orders_count,
        customers.total_spent::numeric(16, 2) as lifetime_value,
        round(customers.total_spent / nullif(customers.orders_count, 0), 2)::numeric(16, 2) as average_order_value,
        customers.first_order_at,
        customers.last_order_at,
        customers.recency_days,
        to_char(customers.first_order_at, 'YYYY-MM') as cohort_month,
        coalesce(orders_placed.orders_placed_count, 0) as orders_placed_count,
        coalesce(orders_placed.canceled_orders_count, 0) as canceled_orders_count,
        scored.recency_score,
        scored.frequency_score,
        scored.monetary_score,
        scored.recency_score::text || scored.frequency_score::text || scored.monetary_score::text as rfm_cell,
        scored.recency_score + scored.frequency_score + scored.monetary_score as rfm_total
    from customers
    left join orders_placed on orders_placed.customer_unique_id = customers.customer_unique_id
    left join scored on scored.customer_unique_id = customers.customer_unique_id
)

select * from final
