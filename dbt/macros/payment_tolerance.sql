-- The sales context's payment tolerance (domain/sales/payment-tolerance.policy.ts) as SQL, in BRL:
-- payments may fall short of items + freight by at most 0.05 and exceed it by at most
-- 0.05 + 2% of items + freight per installment of the payment with most installments (at least 1),
-- the 2% part floored to the centavo as the domain does.

{% macro payment_underpay_tolerance() -%}
    0.05
{%- endmacro %}

{% macro payment_overpay_tolerance(expected, max_installments) -%}
    (0.05 + floor((greatest({{ expected }}, 0) * 100) * 200 * greatest(coalesce({{ max_installments }}, 1), 1) / 10000) / 100)
{%- endmacro %}
