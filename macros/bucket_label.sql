{% macro bucket_label(value, edges) -%}
    {#- The label of the bucket `value` falls in: lower edge inclusive, upper exclusive. -#}
    {%- set labels = bucket_labels(edges) -%}
    case
        {%- for lower in edges %}
        {%- if loop.last %}
        when {{ value }} >= {{ lower }} then '{{ labels[loop.index0] }}'
        {%- else %}
        when {{ value }} >= {{ lower }} and {{ value }} < {{ edges[loop.index] }} then '{{ labels[loop.index0] }}'
        {%- endif %}
        {%- endfor %}
    end
{%- endmacro %}
