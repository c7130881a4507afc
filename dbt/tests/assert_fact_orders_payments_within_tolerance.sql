-- Orders with items: payments cover items + freight within the sales context's tolerance
-- (domain/sales/payment-tolerance.policy.ts): at most R$ 0.05 short, at most R$ 0.05 + 2% of items + freight per
-- installment (of the payment with most installments, at least 1) over. Orders without items are not compared.
with orders as (
    select * from {{ ref('fact_orders') }}
    where item_count > 0
),

checked as (
    select
        order_id,
        order_status,
        order_value,
        payments_total,
        max_installments,
        payments_total - order_value as difference,
        {{ payment_overpay_tolerance('order_value', 'max_installments') }} as overpay_allowed
    from orders
)

select *
from checked
where difference < -{{ payment_underpay_tolerance() }}
   or difference > overpay_allowed
