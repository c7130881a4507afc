-- Every row that belongs to an order (item, payment, review, shipment, per-order customer record) carries its
-- order's partition_key (the purchase month). The facts join children on (order_id, partition_key) so that a
-- one-month build reads one month; a child in another partition would silently drop out of that join.
with orders as (
    select order_id, customer_id, partition_key from {{ ref('stg_olist__orders') }}
),

children as (
    select 'order_items' as child, order_id, partition_key from {{ ref('stg_olist__order_items') }}
    union all
    select 'order_payments', order_id, partition_key from {{ ref('stg_olist__order_payments') }}
    union all
    select 'reviews', order_id, partition_key from {{ ref('stg_olist__reviews') }}
    union all
    select 'shipments', order_id, partition_key from {{ ref('stg_olist__shipments') }}
    union all
    select 'customers', orders.order_id, customers.partition_key
    from {{ ref('stg_olist__customers') }} as customers
    inner join orders on orders.customer_id = customers.customer_id
)

select children.child, children.order_id, children.partition_key as child_partition, orders.partition_key as order_partition
from children
inner join orders on orders.order_id = children.order_id
where children.partition_key <> orders.partition_key
