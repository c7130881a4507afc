{#- A person's identifier or quasi-identifier as the published models hold it: a keyed HMAC (pii.pseudonym,
    migration 0010_pii), stable across loads so joins, distinct counts and tombstones keep working; irreversible
    without the key, which the dw worker hands to dbt's sessions only. Classification: schema/pii.ts. -#}
{% macro pseudonym(column) -%}
    pii.pseudonym({{ column }})
{%- endmacro %}
