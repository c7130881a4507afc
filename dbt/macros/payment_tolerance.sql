-- The sales context's payment tolerance (domain/sales/payment-tolerance.policy.ts) as SQL, in BRL:
-- payments may fall short of items + freight by at most 0.05 and exceed it by at most
-- 0.05 + 2% of items + freight per installment of the payment with most installments (at least 1),
-- the 2% part floored to the centavo as the domain does. The same DW_PAYMENT_* variables as the worker's sales rules
-- (activities/sales/payment-policy.ts) override the defaults; dbt inherits the worker's environment.

{% macro payment_underpay_tolerance() -%}
    ({{ env_var('DW_PAYMENT_UNDER_CENTAVOS', '5') | int }} / 100.0)
{%- endmacro %}

{% macro payment_overpay_tolerance(expected, max_installments) -%}
    ({{ env_var('DW_PAYMENT_OVER_CENTAVOS', '5') | int }} / 100.0 + floor((greatest({{ expected }}, 0) * 100) * {{ env_var('DW_PAYMENT_OVER_BP_PER_INSTALLMENT', '200') | int }} * greatest(coalesce({{ max_installments }}, 1), 1) / 10000) / 100)
{%- endmacro %}

{% macro payment_impossible_factor() -%}
    {{ env_var('DW_PAYMENT_IMPOSSIBLE_FACTOR', '10') | float }}
{%- endmacro %}
