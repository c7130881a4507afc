-- Easter Sunday of each year of the calendar (the anchor of Brazil's movable holidays), by the easter_sunday macro.
with years as (
    select * from {{ ref('int_calendar_years') }}
),

final as (
    select
        year,
        {{ easter_sunday('year') }} as easter_sunday
    from years
)

select * from final
