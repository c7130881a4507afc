-- Generic test: a boolean SQL expression holds on every row (a row where it is false or null fails).
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{% endtest %}
