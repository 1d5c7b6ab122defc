{% macro out_of_range_rules() %}
    {#-
        The values raw-tables.md nulls instead of rejecting their row, per raw table: a list of
        {column, reason, when, value}, where `when` (over the delivered columns) says the value
        is out of range and `value` is the value nulled. A negative duration the timestamps
        imply (answered after the end) is nulled as one delivered negative is.
    -#}
    {%- set negative_columns = {
        'calls': [
            'duration_s', 'billed_duration_s', 'total_cost_usd', 'stt_cost_usd', 'llm_cost_usd',
            'tts_cost_usd', 'telephony_cost_usd', 'platform_cost_usd', 'prompt_tokens',
            'completion_tokens', 'cached_tokens', 'user_corrections',
        ] + latency_summary_columns(),
        'call_turns': ['stt_latency_ms', 'llm_latency_ms', 'tts_latency_ms', 'total_latency_ms'],
        'tool_calls': ['latency_ms'],
    } -%}
    {%- set rules = {} -%}
    {%- for raw_table, columns in negative_columns.items() -%}
        {%- do rules.update({raw_table: []}) -%}
        {%- for column in columns -%}
            {%- do rules[raw_table].append({
                'column': column,
                'reason': 'negative_' ~ column,
                'when': column ~ ' < 0',
                'value': column,
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do rules['calls'].append({
        'column': 'duration_s',
        'reason': 'negative_duration_s',
        'when': '(duration_s is null or duration_s < 0) and ended_at < answered_at',
        'value': seconds_between('answered_at', 'ended_at'),
    }) -%}
    {%- do rules['calls'].append({
        'column': 'stt_confidence',
        'reason': 'out_of_range_stt_confidence',
        'when': 'stt_confidence < 0 or stt_confidence > 1',
        'value': 'stt_confidence',
    }) -%}
    {{ return(rules) }}
{% endmacro %}
