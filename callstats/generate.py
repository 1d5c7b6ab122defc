"""Realistic synthetic raw data (raw-tables.md), written by DuckDB SQL alone.

Every random draw is a hash of (seed, entity, field), so a run is reproducible without any
random-number state, and rows come from `range()` and `unnest()`, never from a Python loop,
so millions of calls are cheap. Organizations, agents and workflows depend on their index
only, so a second run repeats those rows exactly; calls and everything under them depend on
the seed.

The data is deliberately imperfect the way delivered data is: late, repeated, superseded and
ambiguous rows, rows missing a required column or carrying impossible values, and text that
needs trimming or lower-casing, so the staging layer has something to do.
"""

import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
from tqdm import tqdm

from callstats import warehouse
from callstats.raw_schema import RAW_SCHEMA, RAW_TABLES

DEFAULT_CALLS = 20_000
DEFAULT_DAYS = 30
DEFAULT_ORGS = 6
DEFAULT_AGENTS_PER_ORG = 4
DEFAULT_SEED = 42
# The raw data's size per call, as DuckDB stores it (7.96 GiB at 10 M calls).
RAW_BYTES_PER_CALL = 860
GIB = 1 << 30

CHUNK_CALLS = 250_000
# Calls whose starts share one slice of the window (their share of the call weight): slices
# follow the calls' index, so rows are generated in about the order they land.
STRATUM_CALLS = 10_000

# Random draws, and the small vocabulary shared by the dimension and call queries.
_MACROS = """
create or replace temp macro rand_uniform(seed, entity, field) as
    (hash(seed, entity, field) % 1000000007 + 0.5) / 1000000007;
create or replace temp macro rand_normal(seed, entity, field) as
    sqrt(-2 * ln(rand_uniform(seed, entity, field)))
    * cos(2 * pi() * rand_uniform(seed, entity, field || '/2'));
create or replace temp macro rand_lognormal(seed, entity, field, median, sigma) as
    median * exp(sigma * rand_normal(seed, entity, field));
create or replace temp macro rand_pick(u, choices) as
    choices[1 + floor(u * len(choices))::integer];
create or replace temp macro seconds(s) as
    to_microseconds(cast(s * 1e6 as bigint));
create or replace temp macro hex_id(seed, entity, field) as
    md5(concat_ws(':', seed, entity, field));
create or replace temp macro uuid_text(hex) as
    concat_ws('-', hex[1:8], hex[9:12], '4' || hex[14:16], hex[17:20], hex[21:32]);
create or replace temp macro org_id(o) as printf('org-%04d', o);
create or replace temp macro agent_id(o, a) as printf('agent-%04d-%02d', o, a);
create or replace temp macro workflow_id(o, w) as printf('wf-%04d-%02d', o, w);
create or replace temp macro workflows_in_org(o) as 2 + o % 2;
create or replace temp macro has_deleted_agent(o) as o % 5 = 1;
create or replace temp macro has_deleted_workflow(o) as o % 3 = 0;
create or replace temp macro org_created_at(o) as
    timestamp '2024-01-08 09:00:00' + to_days((o * 37) % 180) + to_minutes((o * 53) % 480);
create or replace temp macro workflow_template(o, w) as [
    {'name': 'Daily Health Check', 'slug': 'daily-call'},
    {'name': 'Onboarding Flow', 'slug': 'onboarding'},
    {'name': 'Appointment Reminder', 'slug': 'appointment-reminder'},
    {'name': 'Payment Follow-up', 'slug': 'payment-follow-up'},
    {'name': 'Customer Satisfaction Survey', 'slug': 'csat-survey'},
    {'name': 'Order Status Line', 'slug': 'order-status'}
][1 + (o + w) % 6];
create or replace temp macro provider_label(provider) as case provider
    when 'deepgram' then 'Deepgram' when 'assemblyai' then 'AssemblyAI'
    when 'google' then 'Google' when 'openai' then 'OpenAI' when 'anthropic' then 'Anthropic'
    when 'groq' then 'Groq' when 'cartesia' then 'Cartesia' when 'elevenlabs' then 'ElevenLabs'
    else provider end;
-- Each fact row gets at most one kind of trouble; about 4 % of rows get one.
create or replace temp macro fault_kind(u) as case
    when u < 0.0100 then 'repeat'
    when u < 0.0200 then 'late'
    when u < 0.0240 then 'superseded'
    when u < 0.0242 then 'ambiguous'
    when u < 0.0262 then 'missing'
    when u < 0.0292 then 'invalid'
    when u < 0.0392 then 'text'
end;
-- Dimension tables are small: their troubles are placed by position so every kind shows.
create or replace temp macro dimension_fault(n) as case n % 20
    when 1 then 'repeat' when 2 then 'text' when 3 then 'superseded' when 4 then 'missing'
    when 5 then 'late'
end;
"""

# Relative call volume per UTC hour of day: busy in office hours, quiet at night.
_HOURLY_WEIGHTS = [2, 1, 1, 1, 1, 2, 3, 6, 12, 18, 20, 20, 19, 20, 20, 19, 17, 13, 9, 7, 5, 4, 3, 2]

# One row per hour of the window with the cumulative call weight before it: a uniform draw
# scaled to the total weight finds its hour with an ASOF join. Weekends weigh 2/5 of weekdays.
_HOURS_SQL = f"""
create or replace temp table gen_hours as
with bounds as (
    select $end - to_days($days) as window_start, $end as window_end
),

hours as (
    select unnest(generate_series(
        date_trunc('hour', window_start), window_end, interval 1 hour
    )) as hour_start
    from bounds
),

spans as (
    select
        greatest(hours.hour_start, bounds.window_start) as span_start,
        epoch_us(least(hours.hour_start + interval 1 hour, bounds.window_end))
        - epoch_us(span_start) as span_us,
        {_HOURLY_WEIGHTS}[hour(hours.hour_start) + 1]
        * case when isodow(hours.hour_start) >= 6 then 2 else 5 end as weight
    from hours
    cross join bounds
    where span_us > 0
)

select
    span_start,
    span_us,
    sum(weight * span_us) over (order by span_start) - weight * span_us as cum_lo,
    sum(weight * span_us) over () as cum_total
from spans
"""

_ORGANIZATIONS_SQL = """
with orgs as (
    select o from range(1, $orgs + 1) as t (o)
)

select
    org_id(o) as org_id,
    [
        'Northwind Health', 'Bluebird Dental', 'Summit Insurance', 'Harbor Logistics',
        'Maple Street Clinic', 'Cedar Property Management', 'Evergreen Utilities',
        'Pinecrest Auto', 'Riverside Pharmacy', 'Lakeshore Realty', 'Granite Telecom',
        'Sunrise Home Care'
    ][1 + (o - 1) % 12] || case when o > 12 then ' ' || (1 + (o - 1) // 12) else '' end as name,
    case when o % 2 = 0 then printf('reseller-%02d', 1 + (o // 2) % 3) end as reseller_id,
    org_created_at(o) as created_at,
    hash('organizations', o) as _key,
    created_at as _at,
    dimension_fault(o) as _kind
from orgs
"""

_AGENTS_SQL = """
with agents as (
    select
        o,
        a,
        o * 1000 + a as entity,
        1 + floor(3 * rand_uniform(0, entity, 'agent.versions'))::integer as version_count,
        rand_pick(
            rand_uniform(0, entity, 'agent.name'),
            ['Ava', 'Max', 'Nova', 'Leo', 'Iris', 'Sam', 'Ruby', 'Theo', 'Maya', 'Finn']
        ) as first_name,
        ['Front Desk', 'Billing', 'Scheduling', 'Support', 'Sales', 'Reminders'] as roles,
        org_created_at(o) + to_days(3 + 5 * a) as created_at
    from range(1, $orgs + 1) as orgs (o)
    cross join range(1, $agents_per_org + 1) as slots (a)
),

versions as (
    select
        *,
        unnest(range(1, version_count + 1)) as version
    from agents
),

described as (
    select
        agent_id(o, a) as agent_id,
        org_id(o) as org_id,
        -- the newest of three versions renames the agent to a new role
        first_name || ' (' || roles[1 + (a + case when version = 3 then 1 else 0 end) % 6]
        || ')' as name,
        case
            when version = 1 and version_count > 1 then 'pending'
            when version < version_count then 'inactive'
            when (o * 7 + a) % 10 = 7 then 'inactive'
            when (o * 7 + a) % 10 = 9 then 'cancelled'
            when (o * 7 + a) % 10 = 5 and version_count = 1 then 'pending'
            else 'active'
        end as status,
        created_at,
        created_at + to_days((version - 1) * (20 + (o * 11 + a * 7) % 40))
        + to_minutes(version * 17) as updated_at,
        hash('agents', entity, version) as _key,
        updated_at as _at,
        dimension_fault(row_number() over (order by o, a, version)) as _kind
    from versions
)

select * from described
"""

_WORKFLOWS_SQL = """
with workflows as (
    select
        o,
        unnest(range(1, workflows_in_org(o) + 1)) as w
    from range(1, $orgs + 1) as orgs (o)
)

select
    workflow_id(o, w) as workflow_id,
    org_id(o) as org_id,
    workflow_template(o, w).name as name,
    workflow_template(o, w).slug as slug,
    org_created_at(o) + to_days(10 + 9 * w) as created_at,
    hash('workflows', o, w) as _key,
    created_at as _at,
    dimension_fault(row_number() over (order by o, w)) as _kind
from workflows
"""

# One row per call of the chunk with everything its rows in every table derive from.
_CALLS_OF_CHUNK_SQL = """
create or replace temp table gen_calls as
with routed as (
    select
        i,
        1 + floor($orgs * pow(rand_uniform($seed, i, 'org'), 1.5))::integer as o,
        case
            when has_deleted_agent(o) and rand_uniform($seed, i, 'agent.deleted') < 0.06
                then $agents_per_org + 1
            else 1 + floor($agents_per_org * rand_uniform($seed, i, 'agent'))::integer
        end as a,
        case when rand_uniform($seed, i, 'workflow') < 0.6 then
            case
                when has_deleted_workflow(o) and rand_uniform($seed, i, 'workflow.deleted') < 0.04
                    then workflows_in_org(o) + 1
                else 1 + floor(workflows_in_org(o) * rand_uniform($seed, i, 'workflow.no'))::integer
            end
        end as w,
        -- the last calls by index, one in 500, are still going on
        i >= $calls - ($calls + 249) // 500 as is_live
    from range($first, $last) as t (i)
),

-- An agent runs on its configured providers (by index); some calls run on an experiment.
stacks as (
    select
        *,
        rand_uniform($seed, i, 'stack') < 0.12 as on_experiment,
        floor(3 * case when on_experiment then rand_uniform($seed, i, 'stt')
            else rand_uniform(0, o * 1000 + a, 'agent.stt') end)::integer as stt_k,
        floor(4 * case when on_experiment then rand_uniform($seed, i, 'llm')
            else rand_uniform(0, o * 1000 + a, 'agent.llm') end)::integer as llm_k,
        floor(3 * case when on_experiment then rand_uniform($seed, i, 'tts')
            else rand_uniform(0, o * 1000 + a, 'agent.tts') end)::integer as tts_k
    from routed
),

fates as (
    select
        *,
        case when is_live then 1 + floor(3 * pow(rand_uniform($seed, i, 'live'), 0.6))::integer
        end as live_stage,
        case
            when is_live then null
            when rand_uniform($seed, i, 'status') < 0.050 then 'failed'
            when rand_uniform($seed, i, 'status') < 0.090 then 'no_answer'
            when rand_uniform($seed, i, 'status') < 0.115 then 'busy'
            when rand_uniform($seed, i, 'status') < 0.135 then 'canceled'
            when rand_uniform($seed, i, 'status') < 0.138 then 'voicemail_detected'
            else 'completed'
        end as final_status,
        case
            when is_live then live_stage = 3
            when final_status = 'failed' then rand_uniform($seed, i, 'failed.answered') < 0.4
            else final_status in ('completed', 'voicemail_detected')
        end as is_answered,
        case
            when rand_uniform($seed, i, 'direction') < 0.01 then null
            when rand_uniform($seed, i, 'direction.out')
                < case when w is null then 0.3 else 0.85 end then 'outbound'
            else 'inbound'
        end as direction,
        case
            when is_live then live_stage = 2
            else direction = 'outbound' and rand_uniform($seed, i, 'rings') < 0.4
        end as has_ringing,
        case final_status
            when 'busy' then 1 + 2 * rand_uniform($seed, i, 'ring')
            when 'no_answer' then 20 + 20 * rand_uniform($seed, i, 'ring')
            when 'canceled' then 3 + 15 * rand_uniform($seed, i, 'ring')
            else least(45, 1 + rand_lognormal($seed, i, 'ring', 6, 0.6))
        end as ring_s,
        case
            when is_live or not is_answered then null
            when final_status = 'voicemail_detected' then 15 + 25 * rand_uniform($seed, i, 'talk')
            -- platforms that bill by the half minute report round lengths
            when final_status = 'completed' and rand_uniform($seed, i, 'talk.round') < 0.01
                then 30.0
            when final_status = 'completed' and rand_uniform($seed, i, 'talk.round') < 0.02
                then 60.0
            else round(
                least(3600, greatest(4, rand_lognormal($seed, i, 'talk', 90, 0.75)))
                * case when final_status = 'failed' then 0.25 else 1 end,
                3
            )
        end as talk_s,
        case when rand_uniform($seed, i, 'analysed') < 0.3
            then 60 + rand_lognormal($seed, i, 'analysed.after', 900, 1)
        end as analysis_delay_s,
        -- stratified: each run of $stratum_calls calls by index starts at random within its
        -- own consecutive share of the call weight, so the calls of a chunk, and the rows it
        -- lands, follow each other in time
        floor(
            (
                $stratum_calls * (i // $stratum_calls)
                + least($stratum_calls, $calls - $stratum_calls * (i // $stratum_calls))
                * rand_uniform($seed, i, 'start.hour')
            ) / $calls * (select max(cum_total) from gen_hours)
        )::bigint as start_weight
    from stacks
),

placed as (
    select
        fates.*,
        case
            when is_live then $end - seconds(60 + 300 * rand_uniform($seed, i, 'start'))
            -- a finished call also finished its versions before the end of the window
            else least(
                gen_hours.span_start
                + seconds(gen_hours.span_us / 1e6 * rand_uniform($seed, i, 'start.in_hour')),
                $end - seconds(ring_s + coalesce(talk_s, 0) + 5)
            )
        end as started_at
    from fates
    asof join gen_hours on fates.start_weight >= gen_hours.cum_lo
),

timed as (
    select
        -- a live call has talked for as long as it has been answered
        * replace (case when is_live and is_answered
            then epoch_us($end - (started_at + seconds(ring_s))) / 1e6 else talk_s end as talk_s
        ),
        case when has_ringing then started_at + seconds(ring_s * 0.3) end as ringing_at,
        case when is_answered then started_at + seconds(ring_s) end as answered_at,
        case when not is_live then coalesce(
            answered_at + seconds(talk_s), started_at + seconds(ring_s)
        ) end as ended_at,
        ended_at + seconds(0.2 + 2 * rand_uniform($seed, i, 'reported')) as reported_at,
        -- an analysis due after the end of the window has not happened yet
        case when ended_at + seconds(analysis_delay_s) <= $end
            then ended_at + seconds(analysis_delay_s)
        end as analysed_at
    from placed
),

described as (
    select
        *,
        uuid_text(hex_id($seed, i, 'call')) as call_id,
        'CA' || hex_id($seed, i, 'call_sid') as call_sid,
        org_id(o) as org_id,
        agent_id(o, a) as agent_id,
        workflow_id(o, w) as workflow_id,
        ['deepgram', 'assemblyai', 'google'][stt_k + 1] as stt_provider,
        ['nova-2', 'best', 'chirp'][stt_k + 1] as stt_model,
        ['openai', 'openai', 'anthropic', 'groq'][llm_k + 1] as llm_provider,
        ['gpt-4o-mini', 'gpt-4o', 'claude-3-5-haiku', 'llama-3.1-70b'][llm_k + 1] as llm_model,
        ['cartesia', 'elevenlabs', 'deepgram'][tts_k + 1] as tts_provider,
        ['sonic', 'eleven_turbo_v2', 'aura'][tts_k + 1] as tts_model,
        case
            when is_live then ['queued', 'ringing', 'in_progress'][live_stage]
            when direction = 'outbound' and rand_uniform($seed, i, 'initiated') < 0.7
                then 'initiated'
            else 'queued'
        end as first_status,
        case when analysed_at is null then 4 else 5 end as report_stage,
        printf('+1%03d555%04d', 201 + (o * 37) % 700, (o * 7919) % 10000) as org_number,
        case
            when rand_uniform($seed, i, 'caller.uk') < 0.05
                then printf('+447%09d', floor(1e9 * rand_uniform($seed, i, 'caller'))::bigint)
            else printf(
                '+1%010d', 2000000000 + floor(7999999999 * rand_uniform($seed, i, 'caller'))::bigint
            )
        end as caller_number,
        case when is_answered then least(20, round(
            1 + 6 * pow(talk_s / 90, 0.7) * (0.6 + 0.8 * rand_uniform($seed, i, 'turns'))
        ))::integer else 0 end as turn_count,
        case
            when not is_answered then 0
            when rand_uniform($seed, i, 'tools') < 0.45 then 0
            when rand_uniform($seed, i, 'tools') < 0.80 then 1
            when rand_uniform($seed, i, 'tools') < 0.95 then 2
            else 3
        end as tool_count,
        case
            when (is_answered or final_status = 'failed')
                and rand_uniform($seed, i, 'errors')
                < case when final_status = 'failed' then 0.6 else 0.03 end
                then 1 + floor(3 * pow(rand_uniform($seed, i, 'errors.n'), 2))::integer
            else 0
        end as error_count,
        case
            when final_status = 'voicemail_detected' then 'voicemail'
            when final_status = 'no_answer' and rand_uniform($seed, i, 'outcome') < 0.25
                then 'voicemail'
            when final_status != 'completed' then null
            when rand_uniform($seed, i, 'outcome') < 0.55 then 'resolved'
            when rand_uniform($seed, i, 'outcome') < 0.63 then 'transferred'
            when rand_uniform($seed, i, 'outcome') < 0.69 then 'escalated'
            when rand_uniform($seed, i, 'outcome') < 0.75 then 'abandoned'
            when rand_uniform($seed, i, 'outcome') < 0.84 then 'caller_hangup'
            when rand_uniform($seed, i, 'outcome') < 0.87 then 'voicemail'
            when rand_uniform($seed, i, 'outcome') < 0.88 then 'callback_requested'
            when rand_uniform($seed, i, 'outcome') < 0.89 then 'wrong_number'
        end as outcome,
        ended_at is not null and is_answered and rand_uniform($seed, i, 'recorded') < 0.93
        as is_recorded,
        'RE' || hex_id($seed, i, 'recording') as recording_id
    from timed
),

-- Usage and cost as the platform reports them on the last version.
billed as (
    select
        *,
        case when final_status = 'completed' and rand_uniform($seed, i, 'duration.null') < 0.1
            then null else coalesce(talk_s, 0.0) end as reported_duration_s,
        case when rand_uniform($seed, i, 'billed.null') >= 0.15
            then ceil(reported_duration_s / 60) * 60 end as billed_duration_s,
        case when is_answered and rand_uniform($seed, i, 'tokens.null') >= 0.04
            then round(turn_count * rand_lognormal($seed, i, 'prompt', 1200, 0.35))::bigint
        end as prompt_tokens,
        case when prompt_tokens is not null
            then round(turn_count * rand_lognormal($seed, i, 'completion', 45, 0.4))::bigint
        end as completion_tokens,
        case when rand_uniform($seed, i, 'cached.null') >= 0.2
            then floor(prompt_tokens * 0.8 * rand_uniform($seed, i, 'cached'))::bigint
        end as cached_tokens,
        rand_uniform($seed, i, 'cost.null') < 0.85 as has_cost,
        coalesce(talk_s, 0) / 60 as talk_min,
        case when has_cost then round(talk_min * [0.0043, 0.0065, 0.016][stt_k + 1], 6)
        end as stt_cost_usd,
        case when has_cost then round((
            coalesce(prompt_tokens, turn_count * 1200) * [0.15, 2.5, 0.8, 0.59][llm_k + 1]
            + coalesce(completion_tokens, turn_count * 45) * [0.6, 10.0, 4.0, 0.79][llm_k + 1]
        ) / 1e6, 6) end as llm_cost_usd,
        case when has_cost then round(talk_min * 0.5 * [0.03, 0.06, 0.015][tts_k + 1], 6)
        end as tts_cost_usd,
        case when has_cost
            then round(coalesce(billed_duration_s / 60, talk_min) * 0.014, 6)
        end as telephony_cost_usd,
        case when has_cost then round(talk_min * 0.05, 6) end as platform_cost_usd,
        round(
            stt_cost_usd + llm_cost_usd + tts_cost_usd + telephony_cost_usd + platform_cost_usd, 6
        ) as total_cost_usd
    from described
)

select
    * exclude (on_experiment, has_cost, talk_min),
    case when outcome in ('transferred', 'escalated')
        and rand_uniform($seed, i, 'reason.null') >= 0.05 then rand_pick(
            rand_uniform($seed, i, 'reason'),
            [
                'billing dispute', 'technical issue requiring specialist',
                'requested human agent', 'complaint', 'refund request',
                'account security concern'
            ]
        ) end as escalation_reason,
    case when outcome in ('transferred', 'escalated')
        and rand_uniform($seed, i, 'escalated_at.null') >= 0.08
        then answered_at + seconds(talk_s * (0.3 + 0.6 * rand_uniform($seed, i, 'escalated_at')))
    end as escalated_at,
    case
        when not is_answered or rand_uniform($seed, i, 'sentiment') < 0.08 then null
        when outcome in ('escalated', 'abandoned') or final_status = 'failed' then rand_pick(
            rand_uniform($seed, i, 'sentiment.unhappy'), ['negative', 'negative', 'neutral']
        )
        when rand_uniform($seed, i, 'sentiment') < 0.55 then 'positive'
        when rand_uniform($seed, i, 'sentiment') < 0.88 then 'neutral'
        else 'negative'
    end as sentiment,
    case
        when not is_answered or rand_uniform($seed, i, 'corrections') < 0.05 then null
        when rand_uniform($seed, i, 'corrections') < 0.60 then 0
        when rand_uniform($seed, i, 'corrections') < 0.80 then 1
        when rand_uniform($seed, i, 'corrections') < 0.90 then 2
        when rand_uniform($seed, i, 'corrections') < 0.96 then 3
        else 4
    end as user_corrections,
    case when is_answered and rand_uniform($seed, i, 'confidence.null') >= 0.07
        then round(0.99 - 0.39 * pow(rand_uniform($seed, i, 'confidence'), 2.5), 4)
    end as stt_confidence,
    case final_status
        when 'completed' then case when outcome = 'transferred' then 'Call Transferred'
            else 'Normal Hangup' end
        when 'failed' then rand_pick(
            rand_uniform($seed, i, 'hangup'), ['Network Error', 'Media Timeout', 'Call Rejected']
        )
        when 'busy' then 'User Busy'
        when 'no_answer' then 'No Answer'
        when 'canceled' then 'Originator Cancel'
        when 'voicemail_detected' then 'Normal Hangup'
    end as hangup_cause,
    case final_status
        when 'completed' then rand_pick(
            rand_uniform($seed, i, 'hangup'),
            ['caller', 'caller', 'caller', 'agent', 'agent', 'agent', 'callee', 'system']
        )
        when 'failed' then 'system'
        when 'canceled' then 'caller'
        when 'voicemail_detected' then 'agent'
        else 'callee'
    end as hangup_source,
    case when rand_uniform($seed, i, 'metadata') < 0.9 then json_object(
        'call_context', json_object(
            'campaign', coalesce(workflow_template(o, w).slug, 'inbound-support'),
            'language', rand_pick(
                rand_uniform($seed, i, 'language'), ['en-US', 'en-US', 'en-GB', 'es-US']
            ),
            'customer_tier', rand_pick(
                rand_uniform($seed, i, 'tier'), ['standard', 'premium', 'enterprise']
            )
        ),
        'call_quality', json_object(
            'mos', round(3.2 + 1.2 * rand_uniform($seed, i, 'mos'), 2),
            'jitter_ms', round(rand_lognormal($seed, i, 'jitter', 12, 0.6), 1),
            'packet_loss_pct', round(2 * pow(rand_uniform($seed, i, 'loss'), 3), 2)
        ),
        'call_insights', json_object(
            'intent', rand_pick(rand_uniform($seed, i, 'intent'), [
                'check_status', 'book_appointment', 'billing_question', 'update_details',
                'cancel_service'
            ]),
            'summary', case when is_answered then 'Caller was helped by the agent.' end
        ),
        'audio_config', json_object(
            'codec', case when stt_k = 0 then 'pcmu' else 'opus' end,
            'sample_rate', case when stt_k = 0 then 8000 else 16000 end,
            'channels', 1
        ),
        'call_timeline', to_json(list_filter([
            {'event': 'created', 'at': started_at},
            {'event': 'ringing', 'at': ringing_at},
            {'event': 'answered', 'at': answered_at},
            {'event': 'ended', 'at': ended_at}
        ], lambda e: e.at is not null)),
        'recording_id', case when is_recorded then recording_id end
    ) end as metadata
from billed
"""

# raw.calls: one version per stage the call reached.
_CALLS_SQL = """
with versions as (
    select
        gen_calls.*,
        stages.stage
    from gen_calls
    cross join range(1, 6) as stages (stage)
    where
        stages.stage = 1
        or (stages.stage = 2 and ringing_at is not null)
        or (stages.stage = 3 and answered_at is not null)
        or (stages.stage = 4 and ended_at is not null)
        or (stages.stage = 5 and analysed_at is not null)
)

select
    call_id,
    case stage
        when 1 then started_at when 2 then ringing_at when 3 then answered_at
        when 4 then reported_at else analysed_at
    end as updated_at,
    org_id,
    agent_id,
    workflow_id,
    call_sid,
    direction,
    case stage
        when 1 then first_status when 2 then 'ringing' when 3 then 'in_progress'
        else final_status
    end as status,
    case when stage >= 4 then outcome end as outcome,
    started_at,
    case when stage >= 3 then answered_at end as answered_at,
    case when stage >= 4 then ended_at end as ended_at,
    case when stage >= 4 then reported_duration_s end as duration_s,
    case when stage >= 4 then billed_duration_s end as billed_duration_s,
    case when direction = 'outbound' then org_number else caller_number end as from_number,
    case when direction = 'outbound' then caller_number else org_number end as to_number,
    case when stage >= 4 then hangup_cause end as hangup_cause,
    case when stage >= 4 then hangup_source end as hangup_source,
    stt_provider,
    stt_model,
    llm_provider,
    llm_model,
    tts_provider,
    tts_model,
    case when stage >= report_stage then total_cost_usd end as total_cost_usd,
    case when stage >= report_stage then stt_cost_usd end as stt_cost_usd,
    case when stage >= report_stage then llm_cost_usd end as llm_cost_usd,
    case when stage >= report_stage then tts_cost_usd end as tts_cost_usd,
    case when stage >= report_stage then telephony_cost_usd end as telephony_cost_usd,
    case when stage >= report_stage then platform_cost_usd end as platform_cost_usd,
    case when stage >= report_stage then prompt_tokens end as prompt_tokens,
    case when stage >= report_stage then completion_tokens end as completion_tokens,
    case when stage >= report_stage then cached_tokens end as cached_tokens,
    case when stage >= report_stage then sentiment end as sentiment,
    case when stage >= 4 then escalation_reason end as escalation_reason,
    case when stage >= 4 then escalated_at end as escalated_at,
    case when stage >= report_stage then user_corrections end as user_corrections,
    case when stage >= report_stage then stt_confidence end as stt_confidence,
    case when stage >= 4 and is_recorded
        then 'https://recordings.callstats.example/' || recording_id || '.wav'
    end as recording_url,
    case when stage >= report_stage then metadata end as metadata,
    hash($seed, i, 'calls', stage) as _key,
    updated_at as _at,
    -- an ambiguous last version would leave a finished call looking live for ever
    nullif(
        fault_kind(rand_uniform(_key, 0, 'fault')), case when stage >= 4 then 'ambiguous' end
    ) as _kind
from versions
"""

_CALL_TURNS_SQL = """
with turns as (
    select
        i,
        call_id,
        answered_at,
        ended_at,
        talk_s,
        turn_count,
        stt_k,
        llm_k,
        tts_k,
        unnest(range(turn_count)) as turn_index
    from gen_calls
    where turn_count > 0
),

measured as (
    select
        *,
        i * 32 + turn_index as entity,
        rand_uniform($seed, entity, 'turn.gap') as gap,
        round(60 + rand_lognormal(
            $seed, entity, 'turn.stt', [90, 160, 130][stt_k + 1], 0.35
        ), 1) as stt_ms,
        round(least(8000, rand_lognormal(
            $seed, entity, 'turn.llm', [420, 650, 520, 260][llm_k + 1], 0.55
        )), 1) as llm_ms,
        round(rand_lognormal($seed, entity, 'turn.tts', [75, 160, 110][tts_k + 1], 0.3), 1)
        as tts_ms
    from turns
)

select
    call_id,
    turn_index,
    answered_at + seconds(
        (turn_index + 0.05 + 0.5 * rand_uniform($seed, entity, 'turn.at')) * talk_s / turn_count
    ) as started_at,
    case
        when turn_index = 0 and rand_uniform($seed, entity, 'turn.user.null') < 0.4 then null
        when rand_uniform($seed, entity, 'turn.user.null') > 0.97 then null
        else rand_pick(rand_uniform($seed, entity, 'turn.user'), [
            'Hi, I am calling about my account.', 'Can you check my order status?',
            'I need to reschedule my appointment.', 'Yes, that is correct.',
            'No, that is not what I said.', 'What are your opening hours?',
            'I was charged twice this month.', 'Can I speak to a person?',
            'My date of birth is March third.', 'Thanks, that is all.',
            'Could you repeat that?', 'I would like to cancel my subscription.'
        ])
    end as user_text,
    case when rand_uniform($seed, entity, 'turn.agent.null') > 0.02 then
        rand_pick(rand_uniform($seed, entity, 'turn.agent'), [
            'Hello, thanks for calling. How can I help you today?',
            'Let me look that up for you.', 'I have found your account.',
            'Your order is on its way and should arrive tomorrow.',
            'I can move your appointment to Thursday at 10 am.',
            'Sorry about that, let me correct it.', 'I will transfer you to a colleague now.',
            'Could you confirm your date of birth?', 'Is there anything else I can help with?',
            'Thank you for calling, goodbye.'
        ])
    end as agent_text,
    case when gap >= 0.02 then stt_ms end as stt_latency_ms,
    case when gap < 0.02 or gap >= 0.04 then llm_ms end as llm_latency_ms,
    case when gap < 0.04 or gap >= 0.06 then tts_ms end as tts_latency_ms,
    case
        when gap between 0.06 and 0.075 then null
        when gap between 0.075 and 0.078 then 500.0
        when gap between 0.078 and 0.081 then 1000.0
        else round(stt_ms + llm_ms + tts_ms + rand_lognormal($seed, entity, 'turn.net', 40, 0.5), 1)
    end as total_latency_ms,
    rand_uniform($seed, entity, 'turn.barge_in') < 0.15 as is_interrupted,
    hash($seed, entity, 'call_turns') as _key,
    coalesce(ended_at, started_at) as _at,
    fault_kind(rand_uniform(_key, 0, 'fault')) as _kind
from measured
"""

_TOOL_CALLS_SQL = """
with tools as (
    select
        i,
        call_id,
        answered_at,
        talk_s,
        unnest(range(tool_count)) as k
    from gen_calls
    where tool_count > 0
),

described as (
    select
        *,
        i * 8 + k as entity,
        floor(5 * rand_uniform($seed, entity, 'tool.name'))::integer as tool_k,
        rand_uniform($seed, entity, 'tool.success') as success
    from tools
)

select
    'call_' || left(hex_id($seed, entity, 'tool_call'), 24) as tool_call_id,
    call_id,
    [
        'lookup_account', 'book_appointment', 'transfer_call', 'check_order_status', 'send_sms'
    ][tool_k + 1] as name,
    answered_at + seconds(talk_s * rand_uniform($seed, entity, 'tool.at')) as started_at,
    round(rand_lognormal(
        $seed, entity, 'tool.latency', [250, 600, 900, 350, 400][tool_k + 1], 0.8
    ), 1) as latency_ms,
    case when success < 0.92 then true when success < 0.985 then false end as is_success,
    case when success between 0.92 and 0.985 then [
        'Account not found', 'No available slots for the requested time',
        'Transfer target unavailable', 'Order service timed out after 5000 ms',
        'SMS delivery failed: invalid number'
    ][tool_k + 1] end as error_message,
    hash($seed, entity, 'tool_calls') as _key,
    started_at as _at,
    fault_kind(rand_uniform(_key, 0, 'fault')) as _kind
from described
"""

_CALL_ERRORS_SQL = """
with errors as (
    select
        i,
        call_id,
        started_at,
        coalesce(ended_at, $end) as finished_at,
        stt_provider,
        llm_provider,
        tts_provider,
        unnest(range(error_count)) as k
    from gen_calls
    where error_count > 0
),

described as (
    select
        *,
        i * 8 + k as entity,
        rand_pick(
            rand_uniform($seed, entity, 'error.service'),
            ['stt', 'stt', 'stt', 'llm', 'llm', 'llm', 'tts', 'tts', 'workflow', 'tool']
        ) as service,
        case
            when service in ('workflow', 'tool') then null
            -- a failing stage is sometimes blamed on another stage's provider
            when rand_uniform($seed, entity, 'error.blame') < 0.1 then rand_pick(
                rand_uniform($seed, entity, 'error.other'),
                [stt_provider, llm_provider, tts_provider]
            )
            else case service
                when 'stt' then stt_provider when 'llm' then llm_provider else tts_provider
            end
        end as provider_name,
        rand_uniform($seed, entity, 'error.message') as message_u
    from errors
)

select
    uuid_text(hex_id($seed, entity, 'error')) as error_id,
    call_id,
    started_at + seconds(
        epoch_us(finished_at - started_at) / 1e6 * rand_uniform($seed, entity, 'error.at')
    ) as occurred_at,
    service,
    provider_name,
    case when rand_uniform($seed, entity, 'error.level') < 0.6 then 'error' else 'warning' end
    as level,
    case service
        when 'stt' then rand_pick(message_u, [
            'Connection timeout to ' || provider_label(provider_name),
            'Transcription stream closed unexpectedly',
            'Audio format not supported by ' || provider_label(provider_name)
        ])
        when 'llm' then rand_pick(message_u, [
            'Rate limit exceeded', 'Request timed out after 10000 ms',
            provider_label(provider_name) || ' returned 503 Service Unavailable'
        ])
        when 'tts' then rand_pick(message_u, [
            'Voice synthesis failed', 'Connection timeout to ' || provider_label(provider_name),
            'Audio stream interrupted'
        ])
        when 'workflow' then rand_pick(message_u, [
            'Workflow step collect_details failed: missing variable customer_name',
            'Workflow exceeded its maximum duration'
        ])
        else rand_pick(message_u, [
            'Tool lookup_account returned HTTP 500', 'Tool call timed out after 5000 ms'
        ])
    end as message,
    json_object(
        'code', rand_pick(message_u, [408, 500, 503, 429]),
        'retryable', message_u < 0.7,
        'attempt', 1 + floor(3 * rand_uniform($seed, entity, 'error.attempt'))::integer
    ) as details,
    hash($seed, entity, 'call_errors') as _key,
    occurred_at as _at,
    fault_kind(rand_uniform(_key, 0, 'fault')) as _kind
from described
"""

# raw.stt_events: one connection per answered call, its troubles, and events of calls the
# warehouse never hears about (orphans, taken from a few finished calls' timing).
_STT_EVENTS_SQL = """
with kinds as (
    select
        gen_calls.*,
        kinds.kind,
        rand_uniform($seed, i, 'stt.orphan') < 0.002 as is_orphan
    from gen_calls
    cross join range(8) as kinds (kind)
    where
        (answered_at is not null and (
            (kinds.kind = 0 and rand_uniform($seed, i, 'stt.rejected') < 0.03)
            or kinds.kind = 1
            or (kinds.kind = 2 and rand_uniform($seed, i, 'stt.fallback') < 0.1)
            or (kinds.kind = 3 and rand_uniform($seed, i, 'stt.timeout') < 0.02)
            or (kinds.kind = 4 and rand_uniform($seed, i, 'stt.error') < 0.02)
            or (kinds.kind = 5 and ended_at is not null)
        ))
        or (kinds.kind >= 6 and ended_at is not null and is_orphan)
),

described as (
    select
        *,
        i * 8 + kind as entity,
        kind >= 6 or rand_uniform($seed, i, 'stt.anonymous') < 0.2 as is_anonymous,
        case kind
            when 0 then answered_at - seconds(0.5 * ring_s * rand_uniform($seed, entity, 'stt.at'))
            when 1 then answered_at + seconds(0.3 * rand_uniform($seed, entity, 'stt.at'))
            when 5 then ended_at + seconds(0.5 * rand_uniform($seed, entity, 'stt.at'))
            when 6 then started_at + seconds(2 * rand_uniform($seed, entity, 'stt.at'))
            when 7 then ended_at
            else answered_at + seconds(talk_s * rand_uniform($seed, entity, 'stt.at'))
        end as created_at
    from kinds
)

select
    uuid_text(hex_id($seed, entity, 'stt_event')) as event_id,
    case when kind < 6 and rand_uniform($seed, i, 'stt.sid_only') >= 0.05 then call_id
    end as call_id,
    case when kind >= 6 then 'CA' || hex_id($seed, i, 'orphan_sid') else call_sid end as call_sid,
    case
        when is_anonymous then null
        when kind = 0 then uuid_text(hex_id($seed, i, 'rejected_connection'))
        else uuid_text(hex_id($seed, i, 'connection'))
    end as connection_id,
    [
        'connection_rejected', 'connection_opened', 'utterance_end_fallback', 'timeout', 'error',
        'connection_closed', 'connection_opened', 'connection_closed'
    ][kind + 1] as event_type,
    stt_provider as provider_name,
    stt_model as model,
    case kind
        when 0 then json_object('code', 429, 'reason', 'too many concurrent connections')
        when 2 then json_object(
            'silence_ms', 1000 + floor(1500 * rand_uniform($seed, entity, 'stt.silence'))
        )
        when 3 then json_object('after_ms', 10000)
        when 4 then json_object('code', 1011, 'message', 'internal server error')
        when 5 then json_object('code', 1000, 'reason', 'normal closure')
        when 7 then json_object('code', 1000, 'reason', 'normal closure')
        else json_object('language', 'en', 'encoding', 'mulaw', 'sample_rate', 8000)
    end as detail,
    created_at,
    hash($seed, entity, 'stt_events') as _key,
    created_at as _at,
    fault_kind(rand_uniform(_key, 0, 'fault')) as _kind
from described
"""

# How each table's rows go wrong. `required`: copies missing a required column, `invalid`:
# copies with an impossible value (both rejected by staging, the good row still arrives),
# `text`: the row itself needs normalising, `altered`: the content of superseded and
# ambiguous copies. Each list holds (column, expression) variants; a row takes one.
_FAULTS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "organizations": {
        "required": [("org_id", "null"), ("org_id", "''")],
        "text": [("org_id", "' ' || org_id || ' '"), ("reseller_id", "coalesce(reseller_id, '')")],
        "altered": [("name", "name || ' Inc.'")],
    },
    "agents": {
        "required": [("agent_id", "null"), ("org_id", "''")],
        "text": [("status", "upper(status)"), ("agent_id", "agent_id || ' '")],
        "altered": [("name", "name || ' (draft)'")],
    },
    "workflows": {
        "required": [("workflow_id", "''"), ("org_id", "null")],
        "text": [("slug", "' ' || slug"), ("name", "name || '  '")],
        "altered": [("slug", "slug || '-v0'")],
    },
    "calls": {
        "required": [
            ("call_id", "null"),
            ("updated_at", "null"),
            ("org_id", "null"),
            ("agent_id", "''"),
            ("started_at", "null"),
        ],
        "invalid": [
            ("ended_at", "started_at - interval 5 second"),
            ("duration_s", "-(coalesce(duration_s, 0) + 1)"),
            ("billed_duration_s", "-(coalesce(billed_duration_s, 0) + 60)"),
            ("total_cost_usd", "-(coalesce(total_cost_usd, 0) + 0.01)"),
            ("llm_cost_usd", "-(coalesce(llm_cost_usd, 0) + 0.01)"),
            ("prompt_tokens", "-(coalesce(prompt_tokens, 0) + 1)"),
        ],
        "text": [
            ("status", "' ' || status || ' '"),
            ("status", "upper(status)"),
            ("direction", "upper(direction[1]) || direction[2:]"),
            ("outcome", "coalesce(upper(outcome), '')"),
            ("sentiment", "coalesce(sentiment, '')"),
            ("workflow_id", "coalesce(workflow_id, '')"),
            ("call_id", "call_id || ' '"),
        ],
        "altered": [
            ("total_cost_usd", "coalesce(round(total_cost_usd * 1.25, 6), 0.0)"),
            ("direction", "case direction when 'inbound' then 'outbound' else 'inbound' end"),
        ],
    },
    "call_turns": {
        "required": [("turn_index", "null"), ("call_id", "''")],
        "invalid": [
            ("stt_latency_ms", "-coalesce(stt_latency_ms, 1.0)"),
            ("total_latency_ms", "-coalesce(total_latency_ms, 1.0)"),
        ],
        "text": [("user_text", "coalesce(user_text, '')"), ("call_id", "' ' || call_id")],
        "altered": [("total_latency_ms", "coalesce(round(total_latency_ms * 1.5, 1), 0.0)")],
    },
    "tool_calls": {
        "required": [("tool_call_id", "null"), ("call_id", "''")],
        "invalid": [("latency_ms", "-coalesce(latency_ms, 1.0)")],
        "text": [("name", "' ' || name"), ("error_message", "coalesce(error_message, '')")],
        "altered": [("latency_ms", "coalesce(round(latency_ms * 2, 1), 0.0)")],
    },
    "call_errors": {
        "required": [("error_id", "null"), ("call_id", "''"), ("occurred_at", "null")],
        "text": [
            ("service", "upper(service)"),
            ("level", "upper(level[1]) || level[2:] || ' '"),
            ("provider_name", "coalesce(provider_name, '')"),
        ],
        "altered": [("message", "message || ' (retrying)'")],
    },
    "stt_events": {
        "required": [("event_id", "null"), ("created_at", "null")],
        "text": [
            ("event_type", "upper(event_type)"),
            ("event_type", "' ' || event_type"),
            ("connection_id", "coalesce(connection_id, '')"),
        ],
        "altered": [("detail", "null")],
    },
}

# The faults that add a copy of the row: which _FAULTS variants alter the copy (none: an exact
# repeat) and when it lands. A bad or outdated copy lands before the good row, so the good row
# stays the newest; an ambiguous one lands with it.
_COPIES: dict[str, tuple[str | None, str]] = {
    "repeat": (None, "loaded_at + seconds(60 + 21600 * rand_uniform(_key, 0, 'repeat'))"),
    "superseded": ("altered", "_early_at"),
    "ambiguous": ("altered", "loaded_at"),
    "missing": ("required", "_early_at"),
    "invalid": ("invalid", "_early_at"),
}


def _variant_cases(condition: str, variants: list[tuple[str, str]]) -> dict[str, list[str]]:
    """`when` branches per column: variant j of n applies to rows with floor(_pick * n) = j."""
    cases: dict[str, list[str]] = {}
    for index, (column, expression) in enumerate(variants):
        branch = f"when {condition} and floor(_pick * {len(variants)}) = {index} then {expression}"
        cases.setdefault(column, []).append(branch)
    return cases


# The raw.calls columns of a platform's per-call latency summary (Retell's): generated calls
# have turn latencies instead, so these stay null.
_LATENCY_SUMMARY_COLUMNS = {
    f"{stage}_latency_{percentile}_ms"
    for stage in ("e2e", "llm", "tts")
    for percentile in ("p50", "p90", "p95", "p99")
}


def _landing_sql(table: str, rows_sql: str) -> str:
    """Insert a table's rows with their loaded_at and their faults (see _FAULTS).

    The rows query yields the table's columns plus `_key` (a hash naming the row), `_at` (the
    row's own time, after which it lands) and `_kind` (its fault, or null). Faulty copies are
    made with one pass of `unnest` rather than unions over the rows.
    """
    faults = _FAULTS[table]
    columns = [
        column
        for column in RAW_TABLES[table]
        if column != "loaded_at" and column not in _LATENCY_SUMMARY_COLUMNS
    ]
    cases = _variant_cases("not _copy and _kind = 'text'", faults["text"])
    landings = {}
    for kind, (variants, landing) in _COPIES.items():
        if variants is None or variants in faults:
            landings[kind] = landing
            for column, branches in _variant_cases(
                f"_copy and _kind = '{kind}'", faults.get(variants, [])
            ).items():
                cases.setdefault(column, []).extend(branches)
    select_list = ",\n    ".join(
        f"case {' '.join(cases[column])} else {column} end as {column}"
        if column in cases
        else column
        for column in columns
    )
    copied_kinds = ", ".join(f"'{kind}'" for kind in landings)
    copy_landing = " ".join(f"when '{kind}' then {landing}" for kind, landing in landings.items())
    return f"""
insert into {RAW_SCHEMA}.{table} ({", ".join(columns)}, loaded_at)
with source_rows as (
{rows_sql}
),

landed as (
    select
        *,
        rand_uniform(_key, 0, 'pick') as _pick,
        case
            when _kind = 'late' and _at < $end - interval 5 day
                then seconds(86400 * (2 + 3 * rand_uniform(_key, 0, 'late')))
            else seconds(2 + 598 * pow(rand_uniform(_key, 0, 'delay'), 3))
        end as _delay,
        _at + _delay as loaded_at,
        _at + _delay / 2 as _early_at,
        unnest(case when _kind in ({copied_kinds})
            then [false, true] else [false] end) as _copy
    from source_rows
)

select
    {select_list},
    least(
        case when _copy then case _kind {copy_landing} end else loaded_at end,
        $end + interval 1 hour
    ) + $landing_shift as loaded_at
from landed
-- in the order rows land, as a loader appends them
order by loaded_at
"""


_DIMENSIONS = {
    "organizations": _ORGANIZATIONS_SQL,
    "agents": _AGENTS_SQL,
    "workflows": _WORKFLOWS_SQL,
}
_FACTS = {
    "calls": _CALLS_SQL,
    "call_turns": _CALL_TURNS_SQL,
    "tool_calls": _TOOL_CALLS_SQL,
    "call_errors": _CALL_ERRORS_SQL,
    "stt_events": _STT_EVENTS_SQL,
}


def _execute(connection: duckdb.DuckDBPyConnection, sql: str, parameters: dict) -> None:
    """Run a statement with the parameters it names (DuckDB rejects unused ones)."""
    used = set(re.findall(r"\$(\w+)", sql))
    connection.execute(sql, {name: value for name, value in parameters.items() if name in used})


def _landing_shift(target: warehouse.RawTarget, first_landing: datetime) -> timedelta:
    """How much later than simulated this run's calls and their rows must land to come after
    every row the target already holds: loaded_at is when a row lands, and incremental
    builds rely on it. (Org, agent and workflow rows keep their fixed times: a later run
    repeats them exactly.)"""
    newest = target.newest_loaded_at([*_DIMENSIONS, *_FACTS])
    if newest is None or newest < first_landing:
        return timedelta(0)
    return newest - first_landing + timedelta(seconds=1)


def generate(
    connection: duckdb.DuckDBPyConnection,
    *,
    calls: int,
    days: int,
    orgs: int,
    agents_per_org: int,
    end: datetime,
    seed: int,
    progress: bool = True,
    target: warehouse.RawTarget | None = None,
) -> None:
    """Append `calls` calls started over the `days` before `end`, and their org structure.

    `end` is a naive UTC timestamp: no row's own time is after it, and no row lands more than
    an hour after it. Calls are generated in chunks, so each query's working set stays bounded
    however many calls are asked for; a call's index orders its start, and each chunk's rows
    are appended in the order they land, so the raw tables are in about the order a loader
    appending over the days would have written them. Rows are made in the raw tables of
    `connection`; when `target` is not that DuckDB database (PostgreSQL), they are shipped to
    it after each step and cleared, inside the target's one transaction.
    """
    target = target or warehouse.DuckDBTarget(connection)
    target.ensure_tables()
    if not target.local:
        warehouse.ensure_raw_tables(connection)
    parameters = {
        "seed": seed,
        "calls": calls,
        "stratum_calls": STRATUM_CALLS,
        "end": end,
        "days": days,
        "orgs": orgs,
        "agents_per_org": agents_per_org,
        "landing_shift": _landing_shift(target, end - timedelta(days=days)),
    }
    connection.execute(_MACROS)
    # one transaction: a failed or interrupted run appends nothing
    try:
        with target.transaction():
            _write(connection, calls, parameters, progress, target)
    finally:
        connection.execute("drop table if exists gen_calls; drop table if exists gen_hours")
        for macro in re.findall(r"temp macro (\w+)", _MACROS):
            connection.execute(f"drop macro if exists temp.{macro}")


def check_free_space(directory: Path, calls: int) -> None:
    """Raise ValueError, saying what is needed, when the disk of `directory` (or of its nearest
    existing parent) has less free space than `calls` calls' raw data (RAW_BYTES_PER_CALL each):
    a run that would fill the disk stops before it writes."""
    existing = next(path for path in (directory, *directory.parents) if path.exists())
    needed, free = calls * RAW_BYTES_PER_CALL, shutil.disk_usage(existing).free
    if free < needed:
        raise ValueError(
            f"{calls:,} calls need about {needed / GIB:,.1f} GiB free on {existing}, and"
            f" {free / GIB:,.1f} GiB are: free some space or generate fewer calls"
        )


def _ship(
    connection: duckdb.DuckDBPyConnection, target: warehouse.RawTarget, tables: list[str]
) -> None:
    """Land the rows made in `connection`'s raw tables in a remote target, then clear them."""
    if target.local:
        return
    for table in tables:
        target.append(
            connection,
            f"select * from {RAW_SCHEMA}.{table}",
            f"{RAW_SCHEMA}.{table}",
            list(RAW_TABLES[table]),
        )
        connection.execute(f"delete from {RAW_SCHEMA}.{table}")


def _write(
    connection: duckdb.DuckDBPyConnection,
    calls: int,
    parameters: dict,
    progress: bool,
    target: warehouse.RawTarget,
) -> None:
    """The org structure once, then chunk by chunk the calls and every table under them."""
    chunks = range(0, calls, CHUNK_CALLS)
    steps = len(_DIMENSIONS) + len(chunks) * (1 + len(_FACTS))
    with tqdm(total=steps, desc="generate", unit="step", disable=not progress) as bar:
        for table, rows_sql in _DIMENSIONS.items():
            bar.set_postfix_str(table)
            fixed_times = {**parameters, "landing_shift": timedelta(0)}
            _execute(connection, _landing_sql(table, rows_sql), fixed_times)
            bar.update()
        _ship(connection, target, list(_DIMENSIONS))
        _execute(connection, _HOURS_SQL, parameters)
        for first in chunks:
            chunk = {**parameters, "first": first, "last": min(first + CHUNK_CALLS, calls)}
            bar.set_postfix_str(f"calls {first:,}+")
            _execute(connection, _CALLS_OF_CHUNK_SQL, chunk)
            bar.update()
            for table, rows_sql in _FACTS.items():
                bar.set_postfix_str(f"{table} {first:,}+")
                _execute(connection, _landing_sql(table, rows_sql), chunk)
                bar.update()
            _ship(connection, target, list(_FACTS))
