-- Brazil's national holidays of each calendar year, fixed and Easter-based: one row per (date, holiday).
with easter as (
    select * from {{ ref('int_easter_sundays') }}
),

holidays as (
    select
        easter.year,
        holiday.holiday_date,
        holiday.holiday_name,
        holiday.is_movable
    from easter
    cross join lateral (
        {{ brazil_national_holidays('easter.year', 'easter.easter_sunday') }}
    ) as holiday (holiday_date, holiday_name, is_movable)
),

final as (
    select year, holiday_date, holiday_name, is_movable
    from holidays
    where holiday_date is not null
)

select * from final
