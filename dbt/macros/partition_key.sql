-- Partition helpers for the incremental facts. The var `partition_key` ('YYYY-MM' purchase month) selects one month;
-- unset (null) means every month. A malformed value stops compilation rather than reaching the SQL.

{% macro partition_key_var() -%}
    {%- set key = var('partition_key', none) -%}
    {%- if key is none or (key | string | trim) == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set key = key | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])$', key) -%}
        {{ exceptions.raise_compiler_error("var partition_key must be a 'YYYY-MM' month, got '" ~ key ~ "'") }}
    {%- endif -%}
    {{ return(key) }}
{%- endmacro %}

-- `where` condition restricting `column` to the selected month (always true when no month is selected).
{% macro partition_filter(column) -%}
    {%- set key = partition_key_var() -%}
    {%- if key is none -%} true {%- else -%} {{ column }} = '{{ key }}' {%- endif -%}
{%- endmacro %}

-- Pre-hook of the incremental facts: inside the model's transaction, delete the rows of the selected month
-- (or every row when no month is selected) before delete+insert adds the month back. So a re-run replaces
-- exactly that month, including orders that have since left the domain tables (quarantined by a newer rule),
-- which delete+insert on the unique key alone would leave behind. A no-op on the first build and on --full-refresh.
{% macro delete_partition_rows() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ partition_filter('partition_key') }}
    {%- endif -%}
{%- endmacro %}
