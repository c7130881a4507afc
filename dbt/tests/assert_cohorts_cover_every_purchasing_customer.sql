-- Each person with a purchase is in exactly one cohort, the one mart_customer_analytics names: per cohort month,
-- the retention mart's cohort size equals the number of people whose cohort_month it is.
with retention as (
    select cohort_month, cohort_size
    from {{ ref('mart_cohort_retention') }}
    where months_since_first_order = 0
),

customers as (
    select cohort_month, count(*) as people
    from {{ ref('mart_customer_analytics') }}
    where cohort_month is not null
    group by cohort_month
)

select
    coalesce(retention.cohort_month, customers.cohort_month) as cohort_month,
    retention.cohort_size,
    customers.people
from retention
full outer join customers on customers.cohort_month = retention.cohort_month
where retention.cohort_size is distinct from customers.people
