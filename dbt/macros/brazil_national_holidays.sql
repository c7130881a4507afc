-- brazil_national_holidays(year, easter): a VALUES list (holiday_date, holiday_name, is_movable) of the Brazilian
-- national holidays of one year, for a lateral join. `year` and `easter` are SQL expressions (an integer year and
-- that year's Easter Sunday, see easter_sunday()).
--   Fixed by law: Jan 1, Apr 21 Tiradentes, May 1, Sep 7, Oct 12 (Lei 6.802/1980), Nov 2, Nov 15, Dec 25
--   (Lei 662/1949, 10.607/2002), and Nov 20 from 2024 on (Lei 14.759/2023; a null date before, filtered out).
--   Movable, counted from Easter Sunday: Carnival Monday and Tuesday (-48, -47), Good Friday (-2), Corpus Christi (+60).
{% macro brazil_national_holidays(year, easter) -%}
    {%- set fixed = [
        (1, 1, 'Confraternização Universal', none),
        (4, 21, 'Tiradentes', none),
        (5, 1, 'Dia do Trabalho', none),
        (9, 7, 'Independência do Brasil', none),
        (10, 12, 'Nossa Senhora Aparecida', 1980),
        (11, 2, 'Finados', none),
        (11, 15, 'Proclamação da República', none),
        (11, 20, 'Dia Nacional de Zumbi e da Consciência Negra', 2024),
        (12, 25, 'Natal', none),
    ] -%}
    {%- set movable = [
        (-48, 'Carnaval (segunda-feira)'),
        (-47, 'Carnaval (terça-feira)'),
        (-2, 'Sexta-feira Santa'),
        (60, 'Corpus Christi'),
    ] -%}
    values
    {%- for month, day, name, since in fixed %}
        (
            {%- if since is none -%}
            make_date({{ year }}, {{ month }}, {{ day }})
            {%- else -%}
            case when {{ year }} >= {{ since }} then make_date({{ year }}, {{ month }}, {{ day }}) end
            {%- endif -%}
            , '{{ name }}', false),
    {%- endfor %}
    {%- for offset, name in movable %}
        ({{ easter }} + ({{ offset }}), '{{ name }}', true){{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
