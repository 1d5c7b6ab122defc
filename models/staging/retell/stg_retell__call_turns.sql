-- Retell transcripts as raw.call_turns: the user and agent utterances of each call's current
-- version; a turn starts at a user utterance that follows an agent one (the agent's greeting
-- is turn 0). Retell has no per-turn latency, so the latency columns stay null.

with

utterances as (
    select
        *,
        case
            when
                entry_role = 'user'
                and lag(entry_role) over (partition by call_id order by position) = 'agent'
                then 1
            else 0
        end as starts_turn
    from {{ ref('stg_retell__transcript_entries') }}
    where entry_role in ('user', 'agent')
),

numbered as (
    select
        *,
        sum(starts_turn) over (
            partition by call_id order by position rows between unbounded preceding and current row
        ) as turn_index
    from utterances
),

turns as (
    select
        call_id,
        turn_index,
        call_started_at,
        call_records,
        loaded_at,
        min(first_word_start_s) as first_word_start_s,
        {{ string_agg_ordered(
            "case when entry_role = 'user' then entry_text end", "' '", 'position'
        ) }} as user_text,
        {{ string_agg_ordered(
            "case when entry_role = 'agent' then entry_text end", "' '", 'position'
        ) }} as agent_text
    from numbered
    group by 1, 2, 3, 4, 5
),

final as (
    select
        call_id,
        turn_index,
        {{ dbt.dateadd(
            'microsecond', 'round(first_word_start_s * 1000000)', 'call_started_at'
        ) }} as started_at,
        user_text,
        agent_text,
        call_records as landed_records,
        'raw_retell.calls' as raw_table,
        loaded_at
    from turns
)

select * from final
