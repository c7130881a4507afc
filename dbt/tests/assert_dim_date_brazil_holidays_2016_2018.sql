-- dim_date's holidays for 2016-2018 equal a list written out by hand from the official calendar (fixed national
-- holidays by law; Easter 2016-03-27, 2017-04-16, 2018-04-01 and the feasts counted from it), for every one of
-- those years the calendar covers. Lists both what is missing and what is extra.
with expected (holiday_date, holiday_name) as (
    values
        ('2016-01-01'::date, 'Confraternização Universal'),
        ('2016-02-08', 'Carnaval (segunda-feira)'),
        ('2016-02-09', 'Carnaval (terça-feira)'),
        ('2016-03-25', 'Sexta-feira Santa'),
        ('2016-04-21', 'Tiradentes'),
        ('2016-05-01', 'Dia do Trabalho'),
        ('2016-05-26', 'Corpus Christi'),
        ('2016-09-07', 'Independência do Brasil'),
        ('2016-10-12', 'Nossa Senhora Aparecida'),
        ('2016-11-02', 'Finados'),
        ('2016-11-15', 'Proclamação da República'),
        ('2016-12-25', 'Natal'),
        ('2017-01-01', 'Confraternização Universal'),
        ('2017-02-27', 'Carnaval (segunda-feira)'),
        ('2017-02-28', 'Carnaval (terça-feira)'),
        ('2017-04-14', 'Sexta-feira Santa'),
        ('2017-04-21', 'Tiradentes'),
        ('2017-05-01', 'Dia do Trabalho'),
        ('2017-06-15', 'Corpus Christi'),
        ('2017-09-07', 'Independência do Brasil'),
        ('2017-10-12', 'Nossa Senhora Aparecida'),
        ('2017-11-02', 'Finados'),
        ('2017-11-15', 'Proclamação da República'),
        ('2017-12-25', 'Natal'),
        ('2018-01-01', 'Confraternização Universal'),
        ('2018-02-12', 'Carnaval (segunda-feira)'),
        ('2018-02-13', 'Carnaval (terça-feira)'),
        ('2018-03-30', 'Sexta-feira Santa'),
        ('2018-04-21', 'Tiradentes'),
        ('2018-05-01', 'Dia do Trabalho'),
        ('2018-05-31', 'Corpus Christi'),
        ('2018-09-07', 'Independência do Brasil'),
        ('2018-10-12', 'Nossa Senhora Aparecida'),
        ('2018-11-02', 'Finados'),
        ('2018-11-15', 'Proclamação da República'),
        ('2018-12-25', 'Natal')
),

covered_years as (
    select distinct year from {{ ref('dim_date') }} where year between 2016 and 2018
),

expected_in_range as (
    select expected.*
    from expected
    inner join covered_years on covered_years.year = extract(year from expected.holiday_date)
),

actual as (
    select date_day as holiday_date, holiday_name
    from {{ ref('dim_date') }}
    where is_holiday and year between 2016 and 2018
)

select 'missing' as problem, * from (select * from expected_in_range except select * from actual) as missing
union all
select 'unexpected', * from (select * from actual except select * from expected_in_range) as unexpected
