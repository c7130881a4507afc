-- Write-audit-publish: with var dw_shadow, the models named in var dw_built (what this invocation builds) go to
-- shadow schemas (`<schema>__shadow`); every other model keeps its published schema, so a ref() to it, and a unit
-- test's input, read the published relation. Without the var, schemas are dbt's default.

{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set published = default__generate_schema_name(custom_schema_name, node) | trim -%}
    {%- if var('dw_shadow', false) and node.resource_type == 'model' and node.name in var('dw_built', []) -%}
        {{ published }}__shadow
    {%- else -%}
        {{ published }}
    {%- endif -%}
{%- endmacro %}
