-- The customer context's profile of each person agrees with that person's delivered orders in fact_orders:
-- purchases count, total spent (their payments), first and last purchase. Catches a projection that missed or
-- double-counted an order, and a profile for a person with no order at all.
with purchases as (
    select
        customer_unique_id,
        count(*) as orders_count,
        sum(payments_total) as total_spent,
        min(purchased_at) as first_order_at,
        max(purchased_at) as last_order_at
    from {{ ref('fact_orders') }}
    where order_status = 'delivered'
    group by customer_unique_id
),

people_with_orders as (
    select distinct customer_unique_id from {{ ref('fact_orders') }}
),

profiles as (
    select * from {{ ref('dim_customer') }}
)

select
    coalesce(profiles.customer_unique_id, purchases.customer_unique_id) as customer_unique_id,
    profiles.orders_count as profile_orders,
    coalesce(purchases.orders_count, 0) as fact_orders,
    profiles.total_spent as profile_spent,
    coalesce(purchases.total_spent, 0) as fact_spent,
    profiles.first_order_at as profile_first,
    purchases.first_order_at as fact_first,
    profiles.last_order_at as profile_last,
    purchases.last_order_at as fact_last,
    people_with_orders.customer_unique_id is not null as has_orders
from profiles
full outer join purchases on purchases.customer_unique_id = profiles.customer_unique_id
left join people_with_orders on people_with_orders.customer_unique_id = coalesce(profiles.customer_unique_id, purchases.customer_unique_id)
where profiles.customer_unique_id is null
   or people_with_orders.customer_unique_id is null
   or profiles.orders_count <> coalesce(purchases.orders_count, 0)
   or profiles.total_spent <> coalesce(purchases.total_spent, 0)
   or profiles.first_order_at is distinct from purchases.first_order_at
   or profiles.last_order_at is distinct from purchases.last_order_at
