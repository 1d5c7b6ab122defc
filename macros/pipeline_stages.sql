{% macro pipeline_stage_rows() %}
    {#- The pipeline stages (stt, llm, tts) as rows of one column, provider_type. -#}
    {%- for stage in ['stt', 'llm', 'tts'] %}
        select '{{ stage }}' as provider_type
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
{% endmacro %}

{% macro per_pipeline_stage(expression) -%}
    {#- `expression` with {} filled by the stage in the row's provider_type (provider_types). -#}
    case provider_types.provider_type
        {%- for stage in ['stt', 'llm', 'tts'] %}
            when '{{ stage }}' then {{ expression.format(stage) }}
        {%- endfor %}
    end
{%- endmacro %}
