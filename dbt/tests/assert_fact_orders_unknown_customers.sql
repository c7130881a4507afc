-- A warning with its count, never a failure: orders kept whose customer record was rejected upstream; they point to
-- dim_customer's unknown member ('unknown') and are left out of the per-person marts (segments, RFM, cohorts).
{{ config(severity='warn') }}

select order_id, customer_id, partition_key
from {{ ref('fact_orders') }}
where is_customer_unknown
