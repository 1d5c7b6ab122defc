-- fct_calls holds exactly the calls that have at least one accepted version, of the calls the
-- run rebuilt (in_change_set): the others were checked by the run that built them.
with

accepted_calls as (
    select distinct call_id from {{ ref('stg_raw__calls') }}
    where {{ in_change_set('call_id') }}
),

reported_calls as (
    select call_id from {{ ref('fct_calls') }}
    where {{ in_change_set('call_id', started_at='started_at') }}
)

select
    coalesce(accepted_calls.call_id, reported_calls.call_id) as call_id,
    accepted_calls.call_id is not null as is_accepted,
    reported_calls.call_id is not null as is_reported
from accepted_calls
full outer join reported_calls
    on accepted_calls.call_id = reported_calls.call_id
where accepted_calls.call_id is null or reported_calls.call_id is null
