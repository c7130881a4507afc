-- easter_sunday(year): a SQL date expression for Western (Gregorian) Easter Sunday of an integer year expression,
-- by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). Every step is integer arithmetic on years >= 1583;
-- the steps are composed as text, so the result is one pure expression usable in any select.
{% macro easter_sunday(year) -%}
    {%- set y = '((' ~ year ~ ')::integer)' -%}
    {%- set a = '(' ~ y ~ ' % 19)' -%}
    {%- set b = '(' ~ y ~ ' / 100)' -%}
    {%- set c = '(' ~ y ~ ' % 100)' -%}
    {%- set d = '(' ~ b ~ ' / 4)' -%}
    {%- set e = '(' ~ b ~ ' % 4)' -%}
    {%- set f = '((' ~ b ~ ' + 8) / 25)' -%}
    {%- set g = '((' ~ b ~ ' - ' ~ f ~ ' + 1) / 3)' -%}
    {%- set h = '((19 * ' ~ a ~ ' + ' ~ b ~ ' - ' ~ d ~ ' - ' ~ g ~ ' + 15) % 30)' -%}
    {%- set i = '(' ~ c ~ ' / 4)' -%}
    {%- set k = '(' ~ c ~ ' % 4)' -%}
    {%- set l = '((32 + 2 * ' ~ e ~ ' + 2 * ' ~ i ~ ' - ' ~ h ~ ' - ' ~ k ~ ') % 7)' -%}
    {%- set m = '((' ~ a ~ ' + 11 * ' ~ h ~ ' + 22 * ' ~ l ~ ') / 451)' -%}
    {%- set n = '(' ~ h ~ ' + ' ~ l ~ ' - 7 * ' ~ m ~ ' + 114)' -%}
    make_date({{ y }}, {{ n }} / 31, ({{ n }} % 31) + 1)
{%- endmacro %}
