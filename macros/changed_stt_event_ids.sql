{% macro changed_stt_event_ids(since) -%}
    {#- STT events loaded after `since`, or that may belong to a call changed since then. -#}
    select event_id
    from {{ ref('stg_raw__stt_events') }}
    where
        event_id is not null
        and (
            loaded_at > {{ since }}
            or call_id in ({{ changed_call_ids(since) }})
            or call_sid in (
                select call_sid from {{ ref('stg_raw__calls') }}
                where call_id in ({{ changed_call_ids(since) }})
            )
        )
{%- endmacro %}
