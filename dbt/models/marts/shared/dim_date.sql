-- The calendar: one row per day of the whole years the orders span, with Brazil's national holidays.
with years as (
    select * from {{ ref('int_calendar_years') }}
),

holidays as (
    -- Two holidays can fall on one day (Good Friday on Apr 21 in 2000 and 2095): one row per day, names joined.
    select
        holiday_date,
        string_agg(holiday_name, ' / ' order by holiday_name) as holiday_name
    from {{ ref('int_brazil_holidays') }}
    group by holiday_date
),

days as (
    select day::date as date_day
    from (select min(year) as first_year, max(year) as last_year from years) as bounds
    cross join lateral generate_series(
        make_date(first_year, 1, 1), make_date(last_year, 12, 31), interval '1 day'
    ) as series (day)
    where first_year is not null
),

final as (
    select
        days.date_day,
        extract(year from days.date_day)::integer as year,
        extract(quarter from days.date_day)::integer as quarter,
        extract(month from days.date_day)::integer as month,
        to_char(days.date_day, 'YYYY-MM') as year_month,
        extract(day from days.date_day)::integer as day_of_month,
        extract(isodow from days.date_day)::integer as day_of_week,
        trim(to_char(days.date_day, 'Day')) as day_name,
        extract(isodow from days.date_day) in (6, 7) as is_weekend,
        holidays.holiday_date is not null as is_holiday,
        holidays.holiday_name,
        extract(isodow from days.date_day) not in (6, 7) and holidays.holiday_date is null as is_business_day
    from days
    left join holidays on holidays.holiday_date = days.date_day
)

select * from final
