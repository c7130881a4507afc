-- One row per order: the person, status, dates, items, freight and payments (each summed per order before the
-- join), the payment difference and its flag, the order's single review score, and delivery flags. Incremental by purchase month: with the var
-- partition_key set, only that month is selected and replaces that month's rows (delete+insert).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='order_id',
        on_schema_change='fail',
        pre_hook="{{ delete_partition_rows() }}",
        indexes=[
            {'columns': ['partition_key']},
            {'columns': ['customer_unique_id']},
        ],
    )
}}

with orders as (
    select * from {{ ref('int_orders_enriched') }}
    where {{ partition_filter('partition_key') }}
),

final as (
    select
        order_id,
        customer_id,
        customer_unique_id,
        is_customer_unknown,
        order_status,
        is_canceled,
        purchased_at,
        purchased_at::date as purchase_date_key,
        partition_key as purchase_month,
        approved_at,
        handed_to_carrier_at,
        delivered_at,
        estimated_delivery_date,
        item_count,
        items_total::numeric(14, 2) as items_total,
        freight_total::numeric(14, 2) as freight_total,
        (items_total + freight_total)::numeric(14, 2) as order_value,
        payment_count,
        payments_total::numeric(14, 2) as payments_total,
        max_installments,
        case when item_count > 0 then (payments_total - (items_total + freight_total))::numeric(14, 2) end as payment_difference,
        case when item_count > 0 then
            payments_total - (items_total + freight_total) < -{{ payment_underpay_tolerance() }}
            or payments_total - (items_total + freight_total) > {{ payment_overpay_tolerance('(items_total + freight_total)', 'max_installments') }}
        end as is_payment_outside_tolerance,
        voucher_total::numeric(14, 2) as voucher_total,
        review_count,
        review_score,
        delivered_at is not null as is_delivered,
        has_delivery_fact,
        case when has_delivery_fact then delivered_at::date <= estimated_delivery_date end as is_delivered_on_time,
        partition_key
    from orders
)

select * from final
