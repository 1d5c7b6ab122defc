{% macro loaded_in_hours(hours) -%}
    {#-
        A predicate on loaded_at: within one of `hours` (hour starts; none stands for a null
        loaded_at). Runs of consecutive hours become one range, so the engine can skip the
        blocks of a table loaded at other times.
    -#}
    {%- set one_hour = modules.datetime.timedelta(hours=1) -%}
    {%- set ranges = [] -%}
    {%- for hour in hours if hour is not none -%}
        {%- if ranges and ranges[-1].end == hour -%}
            {%- do ranges[-1].update({'end': hour + one_hour}) -%}
        {%- else -%}
            {%- do ranges.append({'start': hour, 'end': hour + one_hour}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set conditions = [] -%}
    {%- for range in ranges -%}
        {%- do conditions.append(
            '(loaded_at >= ' ~ timestamp_literal(range.start)
            ~ ' and loaded_at < ' ~ timestamp_literal(range.end) ~ ')'
        ) -%}
    {%- endfor -%}
    {%- if none in hours -%}
        {%- do conditions.append('loaded_at is null') -%}
    {%- endif -%}
    {#- A bare false: Spark reads `where (false)` as the alias `where` with a column list. -#}
    {{ '(' ~ conditions | join(' or ') ~ ')' if conditions else 'false' }}
{%- endmacro %}
