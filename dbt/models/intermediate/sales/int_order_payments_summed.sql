-- Order payments reduced to one row per order (count, total, most installments) before anything joins them.
with payments as (
    select * from {{ ref('stg_olist__order_payments') }}
),

final as (
    select
        order_id,
        partition_key,
        count(*) as payment_count,
        sum(payment_value) as payments_total,
        max(payment_installments) as max_installments,
        sum(case when payment_type = 'voucher' then payment_value else 0 end) as voucher_total
    from payments
    group by order_id, partition_key
)

select * from final
