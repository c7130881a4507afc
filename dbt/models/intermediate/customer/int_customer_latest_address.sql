-- One address per person (customer_unique_id): the customer record of the person's latest order
-- (latest purchase; ties and records without an order broken by customer_id, deterministically).
with customers as (
    select * from {{ ref('stg_olist__customers') }}
),

orders as (
    select order_id, customer_id, purchased_at from {{ ref('stg_olist__orders') }}
),

ranked as (
    select
        customers.customer_unique_id,
        customers.customer_id,
        customers.zip_code_prefix,
        customers.city,
        customers.state,
        orders.purchased_at,
        count(*) over (partition by customers.customer_unique_id) as customer_id_count,
        row_number() over (
            partition by customers.customer_unique_id
            order by orders.purchased_at desc nulls last, customers.customer_id desc
        ) as recency_rank
    from customers
    left join orders on orders.customer_id = customers.customer_id
),

final as (
    select
        customer_unique_id,
        customer_id as latest_customer_id,
        zip_code_prefix,
        city,
        state,
        purchased_at as latest_purchased_at,
        customer_id_count
    from ranked
    where recency_rank = 1
)

select * from final
