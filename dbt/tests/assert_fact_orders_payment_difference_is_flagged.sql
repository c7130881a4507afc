-- Orders with items carry payment_difference = payments − (items + freight), flagged exactly when it is outside the
-- sales tolerance band (domain/sales/payment-tolerance.policy.ts); none is an impossible overpayment (more than
-- DW_PAYMENT_IMPOSSIBLE_FACTOR, default 10, × items + freight over), which the sales context rejects (SALES.PAYMENT_MISMATCH) instead of publishing.
with checked as (
    select
        order_id,
        order_value,
        payments_total,
        payment_difference,
        is_payment_outside_tolerance,
        payments_total - order_value as difference,
        {{ payment_overpay_tolerance('order_value', 'max_installments') }} as overpay_allowed
    from {{ ref('fact_orders') }}
    where item_count > 0
)

select *
from checked
where payment_difference <> difference
   or is_payment_outside_tolerance <> (difference < -{{ payment_underpay_tolerance() }} or difference > overpay_allowed)
   or difference > {{ payment_impossible_factor() }} * order_value
