{% macro bucket_labels(edges) %}
    {#- Labels of the buckets that ascending lower `edges` make: [0, 30, 60] gives 0-30, 30-60, 60+. -#}
    {% set labels = [] %}
    {% for lower in edges %}
        {% do labels.append(lower ~ ('+' if loop.last else '-' ~ edges[loop.index])) %}
    {% endfor %}
    {{ return(labels) }}
{% endmacro %}
