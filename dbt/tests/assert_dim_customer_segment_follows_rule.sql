-- The segment the customer context stored agrees with its rule applied to the stored metrics (thresholds from the
-- project vars, which mirror the domain's defaults: change both together).
select customer_unique_id, orders_count, total_spent, recency_days, segment,
       {{ customer_segment('orders_count', 'total_spent', 'recency_days') }} as segment_by_rule
from {{ ref('dim_customer') }}
where not is_unknown_member and segment <> {{ customer_segment('orders_count', 'total_spent', 'recency_days') }}
