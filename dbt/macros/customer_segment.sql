-- customer_segment(orders, spent, recency_days): the customer context's segmentation rule
-- (domain/customer/customer-segment.policy.ts) as a SQL case, with the thresholds from the project vars.
-- The domain computes customer.profiles.segment; dbt uses this only to check that the two agree.
{% macro customer_segment(orders, spent, recency_days) -%}
    case
        when {{ orders }} = 0 or {{ recency_days }} is null then 'NEW'
        when {{ recency_days }} > {{ var('segment_churn_after_days') }} then 'CHURNED'
        when {{ orders }} > {{ var('segment_frequent_orders_above') }}
            then case when {{ spent }} > {{ var('segment_vip_spent_above') }} then 'VIP' else 'LOYAL' end
        when {{ orders }} >= {{ var('segment_regular_min_orders') }} then 'REGULAR'
        else 'ONE_TIME'
    end
{%- endmacro %}
