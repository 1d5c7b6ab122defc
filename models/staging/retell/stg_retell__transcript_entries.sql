-- The transcript of each call's current version (stg_retell__calls), one row per entry, with
-- the start of its first word and the end of its last, in seconds of the call's audio.

with

current_versions as (
    select
        call_id,
        started_at,
        transcript,
        call_records,
        loaded_at
    from {{ ref('stg_retell__calls') }}
    where is_current_version
),

entries as (
    select
        current_versions.call_id,
        current_versions.started_at as call_started_at,
        current_versions.call_records,
        current_versions.loaded_at,
        entry.position,
        entry.element,
        {{ json_field_text('entry.element', 'role') }} as entry_role,
        {{ json_field_text('entry.element', 'content') }} as entry_text
    from current_versions
    cross join {{ json_array_elements('current_versions.transcript', 'entry') }}
),

word_times as (
    select
        entries.call_id,
        entries.position,
        min({{ text_to_double(json_field_text('word.element', 'start')) }}) as first_word_start_s,
        max({{ text_to_double(json_field_text('word.element', 'end')) }}) as last_word_end_s
    from entries
    cross join {{ json_array_elements(json_field('entries.element', 'words'), 'word') }}
    group by 1, 2
),

final as (
    select
        entries.*,
        word_times.first_word_start_s,
        word_times.last_word_end_s
    from entries
    left join word_times
        on
            entries.call_id = word_times.call_id
            and entries.position = word_times.position
)

select * from final
