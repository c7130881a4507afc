-- The customer context's profile of each person agrees with that person's delivered orders in fact_orders:
-- purchases count, total spent (their payments), first and last purchase (that every person with an order has a
-- profile is the relationships test of fact_orders.customer_unique_id). Catches a projection that missed or double-counted an order. (A profile of a person with no order in
-- the warehouse, e.g. whose only order was quarantined, is fine here as long as its metrics are zero; such
-- per-order customer records are reported by a warning on stg_olist__customers.customer_id.)
with purchases as (
    select
        customer_unique_id,
        count(*) as orders_count,
        sum(payments_total) as total_spent,
        min(purchased_at) as first_order_at,
        max(purchased_at) as last_order_at
    from {{ ref('fact_orders') }}
    where order_status = 'delivered' and not is_customer_unknown
    group by customer_unique_id
),

profiles as (
    select * from {{ ref('dim_customer') }}
    where not is_unknown_member
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
    purchases.last_order_at as fact_last
from profiles
full outer join purchases on purchases.customer_unique_id = profiles.customer_unique_id
where profiles.customer_unique_id is null
   or profiles.orders_count <> coalesce(purchases.orders_count, 0)
   or profiles.total_spent <> coalesce(purchases.total_spent, 0)
   or profiles.first_order_at is distinct from purchases.first_order_at
   or profiles.last_order_at is distinct from purchases.last_order_at
