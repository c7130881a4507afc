-- The per-order sums dbt computes from the items and payments equal the totals the sales context stored on each
-- order: proves the facts neither lost nor multiplied item or payment rows.
with facts as (
    select order_id, item_count, items_total, freight_total, payments_total from {{ ref('fact_orders') }}
),

domain_orders as (
    select order_id, item_count, items_total, freight_total, payments_total from {{ source('sales', 'orders') }}
)

select
    domain_orders.order_id,
    domain_orders.item_count as domain_item_count,
    facts.item_count as fact_item_count,
    domain_orders.items_total as domain_items_total,
    facts.items_total as fact_items_total,
    domain_orders.freight_total as domain_freight_total,
    facts.freight_total as fact_freight_total,
    domain_orders.payments_total as domain_payments_total,
    facts.payments_total as fact_payments_total
from domain_orders
full outer join facts on facts.order_id = domain_orders.order_id
where facts.order_id is null
   or domain_orders.order_id is null
   or facts.item_count <> domain_orders.item_count
   or facts.items_total <> domain_orders.items_total
   or facts.freight_total <> domain_orders.freight_total
   or facts.payments_total <> domain_orders.payments_total
