"""Exact, hand-computed mart values for the raw rows in fixtures/raw (see their comments)."""

import math

import duckdb
from pytest import approx
from warehouses import (
    FIXTURES,
    copy_warehouse,
    in_stored_order,
    query_function,
    run_dbt,
    run_result,
    run_results,
    stored_orders,
)

from callstats.publish import building_path, published_path


def test_every_raw_row_is_accounted_for(query):
    assert query(
        "select raw_table, rows_read, rows_accepted, rows_rejected, exact_repeats "
        "from marts.audit_row_counts order by raw_table"
    ) == [
        ("agents", 5, 4, 1, 0),
        ("call_errors", 5, 4, 1, 0),
        ("call_turns", 9, 8, 0, 1),
        ("calls", 16, 11, 4, 1),
        ("load_errors", 1, 0, 1, 0),
        ("organizations", 4, 2, 1, 1),
        ("stt_events", 10, 8, 1, 1),
        ("tool_calls", 4, 3, 1, 0),
        ("workflows", 1, 1, 0, 0),
    ]


def test_rejected_rows_are_listed_with_key_and_reason(query):
    assert query(
        "select raw_table, row_key, rejection_reason, rejection_detail "
        "from marts.audit_rejected_rows order by all"
    ) == [
        ("agents", "a-2 | 2026-02-20 00:00:00", "missing_org_id", None),
        ("call_errors", "e-5", "missing_occurred_at", None),
        ("calls", "c-6 | 2026-03-02 11:30:10", "ambiguous_version", None),
        ("calls", "c-6 | 2026-03-02 11:30:10", "ambiguous_version", None),
        ("calls", "c-7 | 2026-03-02 11:35:00", "missing_started_at", None),
        ("calls", "c-8 | 2026-03-02 11:40:00", "ended_before_started", None),
        (
            "load_errors",
            f"{FIXTURES / 'raw' / 'tool_calls.jsonl'}:5",
            "unparseable",
            "tool_calls: not valid JSON",
        ),
        ("organizations", "", "missing_org_id", None),
        ("stt_events", "", "missing_event_id", None),
        ("tool_calls", "", "missing_tool_call_id", None),
    ]


def test_out_of_range_values_are_nulled_and_listed(query):
    # The rows are kept (accepted): c-1's turn 3 loses only its llm latency, c-5's earlier
    # version only its total cost.
    assert query(
        "select raw_table, row_key, column_name, original_value, nulling_reason "
        "from marts.audit_nulled_values order by all"
    ) == [
        ("call_turns", "c-1 | 3", "llm_latency_ms", -5.0, "negative_llm_latency_ms"),
        ("calls", "c-5 | 2026-03-02 11:00:20", "total_cost_usd", -1.0, "negative_total_cost_usd"),
    ]


def test_each_call_is_reported_from_its_newest_accepted_version(query):
    rows = query(
        "select call_id, status, agent_call_status, is_live, "
        "strftime(active_until, '%Y-%m-%d %H:%M'), duration_s, duration_bucket, "
        "billable_s, cost_usd, is_cost_estimated, resolution, outcome_or_status, turns, "
        "has_barge_in, has_error, seconds_before_escalation, accepted_versions "
        "from marts.fct_calls order by call_id"
    )
    assert rows == [
        # c-1: three versions, the completed one wins; explicit cost; 300 s is in 300+;
        # 4 turns (0..3: turn 3 is kept with its negative llm latency nulled).
        ("c-1", "completed", "ANSWERED", False, None, 300, "300+", 300, 0.42, False, "resolved",
         "resolved", 4, False, False, None, 3),
        # c-2: no duration_s: answered 09:30:05 to ended 09:31:05 = 60 s; cost 60/60 * 0.10.
        ("c-2", "completed", "ANSWERED", False, None, 60, "60-120", 60, approx(0.1), True,
         "transferred", "escalated", 2, True, True, 45, 2),
        ("c-3", "failed", "FAILED", False, None, 20, "0-30", 20, 0.01, False, "other", "failed", 0,
         False, True, None, 1),
        # c-4: still live (no end): active until 24 h after its 10:40 start; no duration, no cost.
        ("c-4", "in_progress", "ANSWERED", True, "2026-03-03 10:40", None, None, None, None,
         False, "other", "in_progress", 1, False, False, None, 2),
        # c-5: two accepted versions; the 11:00:30 one (no total cost) is current, the earlier
        # 11:00:20 one had its negative cost nulled; 30.0 s is in 30-60; billed 30 s * 0.10/60.
        ("c-5", "completed", "ANSWERED", False, None, 30, "30-60", 30, approx(0.05), True,
         "other", "voicemail", 0, False, False, None, 2),
        # c-9: a status outside the vocabulary is reported as unknown.
        ("c-9", "unknown", "FAILED", False, None, 60, "60-120", 60, approx(0.1), True, "other",
         "unknown", 0, False, False, None, 1),
    ]  # fmt: skip


def test_hourly_rollup(query):
    rows = query(
        "select strftime(started_hour, '%H'), org_id, agent_id, workflow_id, total_calls, "
        "completed_calls, failed_calls, live_calls, duration_sum_s, calls_with_duration, "
        "cost_sum_usd, calls_with_cost, turns, calls_with_turns, barge_in_calls, error_calls "
        "from marts.rpt_calls_hourly order by all"
    )
    assert rows == [
        ("09", "org-a", "a-1", "wf-1", 1, 1, 0, 0, 300, 1, 0.42, 1, 4, 1, 0, 0),
        ("09", "org-a", "a-1", None, 1, 1, 0, 0, 60, 1, approx(0.1), 1, 2, 1, 1, 1),
        ("10", "org-a", "a-2", "wf-1", 1, 0, 1, 0, 20, 1, 0.01, 1, 0, 0, 0, 1),
        ("10", "org-b", "a-3", None, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0),
        ("11", "org-b", "a-3", None, 1, 0, 0, 0, 60, 1, approx(0.1), 1, 0, 0, 0, 0),
        ("11", "org-b", "a-9", None, 1, 1, 0, 0, 30, 1, approx(0.05), 1, 0, 0, 0, 0),
    ]


def test_whole_window_metrics_add_up_from_the_hourly_rollup(query):
    [row] = query(
        """
        select
            sum(total_calls), sum(completed_calls), sum(failed_calls), sum(live_calls),
            sum(duration_sum_s), sum(duration_sum_s) / sum(calls_with_duration),
            sum(cost_sum_usd), sum(cost_sum_usd) / sum(calls_with_cost),
            sum(stt_cost_sum_usd), sum(llm_cost_sum_usd), sum(tts_cost_sum_usd),
            sum(platform_cost_sum_usd),
            sum(total_tokens),
            sum(stt_latency_sum_ms) / sum(stt_latency_turns),
            sum(llm_latency_sum_ms) / sum(llm_latency_turns),
            sum(tts_latency_sum_ms) / sum(tts_latency_turns),
            sum(total_latency_sum_ms) / sum(total_latency_turns),
            sum(turns) / sum(calls_with_turns),
            sum(barge_in_calls) / sum(calls_with_turns),
            sum(resolved_calls), sum(transferred_calls), sum(abandoned_calls),
            sum(other_resolution_calls),
            100 * sum(positive_calls) / sum(calls_with_sentiment),
            100 * sum(calls_without_corrections) / sum(calls_with_corrections_measured),
            100 * sum(cached_token_ratio_sum) / sum(calls_with_cached_token_ratio),
            100 * sum(stt_confidence_sum) / sum(calls_with_stt_confidence),
            100 * sum(tool_calls_succeeded) / sum(tool_calls_with_outcome),
            sum(error_calls)
        from marts.rpt_calls_hourly
        """
    )
    assert row == (
        6, 3, 1, 1,  # calls: c-1 c-2 c-5 completed, c-3 failed, c-4 live
        470, 94,  # 300 + 60 + 20 + 30 + 60 over 5 calls with a duration
        approx(0.68), approx(0.136),  # 0.42 + 0.10 + 0.01 + 0.05 + 0.10 over 5
        0.05, 0.2, 0.07,  # explicit parts of c-1 only
        0,  # no call has a platform cost
        1800,  # (1000 + 200) + (500 + 100)
        # turn means: stt 940/7, llm 2600/5 (c-1 turn 3 and c-2 turn 1 have none), tts 710/7,
        # total 7170/7
        approx(940 / 7), 520, approx(710 / 7), approx(7170 / 7),
        approx(7 / 3), approx(1 / 3),  # 4 + 2 + 1 turns over 3 calls with turns; c-2 barged in
        1, 1, 0, 4,  # resolved c-1, transferred c-2 (escalated), no abandoned, other 4
        50, 50,  # positive 1 of 2 with a sentiment; 0 corrections 1 of 2 measured
        25, approx(90),  # cached 300 of 1200 tokens (c-1 only); stt_confidence 0.9
        50,  # tool calls: t-1 succeeded, t-2 failed, t-3 unknown
        2,  # c-2 (tts error), c-3 (stt error); c-1 only has a warning
    )  # fmt: skip


def test_distributions_list_every_bucket_in_order(query):
    durations = query(
        """
        select buckets.bucket, coalesce(sum(durations.calls), 0)
        from marts.dim_distribution_buckets as buckets
        left join marts.rpt_call_durations_hourly as durations
            on buckets.bucket = durations.duration_bucket
        where buckets.distribution = 'duration_s'
        group by buckets.bucket, buckets.bucket_position
        order by buckets.bucket_position
        """
    )
    assert durations == [("0-30", 1), ("30-60", 1), ("60-120", 2), ("120-300", 0), ("300+", 1)]
    latencies = query(
        """
        select buckets.bucket, coalesce(sum(latencies.turns), 0)
        from marts.dim_distribution_buckets as buckets
        left join marts.rpt_turn_latencies_hourly as latencies
            on buckets.bucket = latencies.latency_bucket
        where buckets.distribution = 'total_latency_ms'
        group by buckets.bucket, buckets.bucket_position
        order by buckets.bucket_position
        """
    )
    # 300 | 600, 720, 850, 500 | 1200 | 3000; the orphan turn of rejected call c-6 does not
    # count.
    assert latencies == [
        ("0-500", 1),
        ("500-1000", 4),
        ("1000-2000", 1),
        ("2000-3000", 0),
        ("3000+", 1),
    ]


def test_outcomes_fall_back_to_status(query):
    assert query(
        "select outcome_or_status, sum(calls) from marts.rpt_call_outcomes_hourly "
        "group by 1 order by 2 desc, 1"
    ) == [
        ("escalated", 1),
        ("failed", 1),
        ("in_progress", 1),
        ("resolved", 1),
        ("unknown", 1),
        ("voicemail", 1),
    ]


def test_escalation_reasons(query):
    assert query(
        "select escalation_reason, escalated_calls, seconds_before_escalation_sum, "
        "calls_with_escalation_time from marts.rpt_escalation_reasons_hourly"
    ) == [("billing dispute", 1, 45, 1)]  # answered 09:30:05, escalated 09:30:50


def test_provider_errors_count_each_call_once_per_provider(query):
    assert query(
        "select provider_name, sum(calls), sum(error_calls) from marts.rpt_provider_errors_hourly "
        "group by 1 order by 3 desc, 1"
    ) == [
        ("deepgram", 5, 1),  # stt of c-1..c-4, tts of c-5; e-1 failed c-3
        ("elevenlabs", 1, 1),  # e-3 failed c-2
        ("anthropic", 1, 0),
        ("assemblyai", 1, 0),
        ("cartesia", 3, 0),
        ("openai", 4, 0),  # e-2 on c-1 is only a warning
    ]


def test_provider_latency_sums_and_histogram(query):
    assert query(
        "select provider_type, provider_name, sum(calls_with_latency), sum(latency_sum_ms), "
        "sum(latency_turns) from marts.rpt_provider_latency_hourly group by 1, 2 order by 1, 2"
    ) == [
        ("llm", "openai", 3, 2600, 5),
        ("stt", "deepgram", 3, 940, 7),  # c-1 100+120+140+100, c-2 200+180, c-4 100
        ("tts", "cartesia", 2, 430, 5),  # c-1 80+90+100+100, c-4 60
        ("tts", "elevenlabs", 1, 280, 2),
    ]
    buckets = query(
        "select histogram_bucket, sum(turns) from marts.rpt_provider_latency_histogram_daily "
        "where provider_type = 'stt' group by 1 order by 1"
    )
    values = [100, 120, 140, 100, 200, 180, 100]
    expected: dict[int, int] = {}
    for value in values:
        index = math.floor(math.log(value) / math.log(1.01))
        assert 1.01**index <= value < 1.01 ** (index + 1)
        expected[index] = expected.get(index, 0) + 1
    assert buckets == sorted(expected.items())


def test_agents_include_hard_deleted_ones(query):
    assert query(
        "select agent_id, org_id, agent_name, agent_status, is_deleted "
        "from marts.dim_agents order by agent_id"
    ) == [
        ("a-1", "org-a", "Support Agent v2", "active", False),
        ("a-2", "org-a", "Sales Agent", "inactive", False),
        ("a-3", "org-b", "Triage Agent", "active", False),
        ("a-9", None, None, "deleted", True),
    ]
    assert query("select * from marts.dim_agent_orgs order by all") == [
        ("a-1", "org-a", True),
        ("a-2", "org-a", True),
        ("a-3", "org-b", True),
        ("a-9", "org-b", False),
    ]
    assert query("select org_id, reseller_id from marts.dim_orgs order by 1") == [
        ("org-a", "res-1"),
        ("org-b", None),
    ]


def test_call_state_history(query):
    assert query(
        "select call_id, strftime(changed_at, '%H:%M:%S'), status "
        "from marts.fct_call_state_changes order by all"
    ) == [
        ("c-1", "09:00:00", "queued"),
        ("c-1", "09:00:10", "in_progress"),
        ("c-1", "09:05:10", "completed"),
        ("c-2", "09:30:05", "in_progress"),
        ("c-2", "09:31:05", "completed"),
        ("c-3", "10:15:20", "failed"),
        ("c-4", "10:40:00", "ringing"),
        ("c-4", "10:40:30", "in_progress"),
        ("c-5", "11:00:20", "completed"),  # its first accepted version; 11:00:30 is no change
        ("c-9", "11:46:00", "unknown"),
    ]


def test_stt_events_belong_to_calls_by_id_then_sid(query):
    assert query(
        "select event_id, call_id, org_id, connection_key, event_type "
        "from marts.fct_stt_events order by event_id"
    ) == [
        ("s-1", "c-1", "org-a", "conn-1", "connection_opened"),
        ("s-2", "c-1", "org-a", "conn-1", "connection_closed"),
        ("s-3", "c-2", "org-a", "CA2", "connection_opened"),
        ("s-4", "c-2", "org-a", "CA2", "connection_closed"),
        ("s-5", "c-4", "org-b", "conn-4", "connection_rejected"),
        ("s-6", "c-4", "org-b", "conn-4b", "connection_opened"),
        ("s-7", "c-4", "org-b", "conn-4b", "timeout"),
        ("s-8", None, None, "CA-unknown", "utterance_end_fallback"),
    ]
    assert query(
        "select org_id, event_type, sum(events) from marts.rpt_stt_events_hourly "
        "group by 1, 2 order by all"
    ) == [
        ("org-a", "connection_closed", 2),
        ("org-a", "connection_opened", 2),
        ("org-b", "connection_opened", 1),
        ("org-b", "connection_rejected", 1),
        ("org-b", "timeout", 1),
        (None, "utterance_end_fallback", 1),
    ]


def test_errors_keep_calls_that_are_not_accepted(query):
    assert query(
        "select error_id, call_id, service, level, is_call_affecting "
        "from marts.fct_call_errors order by error_id"
    ) == [
        ("e-1", "c-3", "stt", "error", True),
        ("e-2", "c-1", "llm", "warning", False),
        ("e-3", "c-2", "tts", "error", True),
        ("e-4", "c-404", "workflow", "error", True),
    ]


def test_dbt_unit_tests_pass(fixture_warehouse, tmp_path):
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    run_dbt("test", "--select", "test_type:unit", warehouse=warehouse)


def failing_test_rows(warehouse, selection: str, failures: int) -> list[dict]:
    """Run the one data test `selection` names, which must fail with `failures` rows, and
    return those rows (column: value) as its compiled query finds them in the built marts."""
    failed = run_dbt("test", "--select", selection, warehouse=warehouse, check=False)
    assert failed.returncode == 1
    plural = "" if failures == 1 else "s"
    assert f"Got {failures} result{plural}, configured to fail if != 0" in failed.stdout
    [result] = [result for result in run_results() if result["unique_id"].startswith("test.")]
    with duckdb.connect() as connection:
        connection.execute(f"attach '{building_path(warehouse)}' as callstats_marts (read_only)")
        found = connection.execute(result["compiled_code"])
        columns = [column for column, *_ in found.description]
        return [dict(zip(columns, row, strict=True)) for row in found.fetchall()]


def test_a_null_or_a_negative_fails_the_models_test_with_its_count_per_column(
    fixture_warehouse, tmp_path
):
    """no_nulls_or_negatives (tests/generic/): one scan of fct_calls for all its columns, every
    row of it when no complete build came before (its rebuilt_by: test_data_tests)."""
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    with duckdb.connect(str(published_path(warehouse))) as marts:
        marts.execute("delete from marts.build_manifest")
        marts.execute("update marts.fct_calls set org_id = null where call_id = 'c-1'")
        marts.execute("update marts.fct_calls set cost_usd = -1 where call_id in ('c-2', 'c-3')")
    # the row it found: the rows that break each rule
    [counts] = failing_test_rows(warehouse, "fct_calls,test_name:no_nulls_or_negatives", 1)
    assert (counts["org_id__null_rows"], counts["call_id__null_rows"]) == (1, 0)
    assert (counts["cost_usd__negative_rows"], counts["duration_s__negative_rows"]) == (2, 0)
    assert counts["model_rows"] == 6


def test_a_repeated_combination_fails_the_models_test_with_its_occurrences(
    fixture_warehouse, tmp_path
):
    """unique_combination_of_columns (tests/generic/): on fct_call_turns' (call_id,
    turn_index), every row of it when no complete build came before. A turn stored twice, and
    two turns of one call without an index (nulls equal to nulls), are found with their counts;
    the fixture's other turns are not."""
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    with duckdb.connect(str(published_path(warehouse))) as marts:
        marts.execute("delete from marts.build_manifest")
        marts.execute(
            "insert into marts.fct_call_turns"
            " select * from marts.fct_call_turns where call_id = 'c-1' and turn_index = 1"
        )
        marts.execute(
            "insert into marts.fct_call_turns select * replace (null as turn_index)"
            " from marts.fct_call_turns where call_id = 'c-2'"
        )
    selection = "fct_call_turns,test_name:unique_combination_of_columns"
    found = [tuple(row.values()) for row in failing_test_rows(warehouse, selection, 2)]
    assert sorted(found, key=str) == [("c-1", 1, 2), ("c-2", None, 2)]


def test_marts_are_stored_in_their_models_order(query):
    """A model ending in `order by` is stored in that order, which the API's reads of a few
    hours or days rely on to skip the other row groups."""
    orders = stored_orders()
    assert orders["fct_calls"] == [("started_at", False)]
    assert orders["fct_stt_events_by_time"] == [("created_at", True)]
    assert orders["rpt_provider_latency_histogram_daily"] == [
        ("org_id", False),
        ("started_date", False),
    ]
    for table, order in orders.items():
        rows = query(f"select {', '.join(column for column, _ in order)} from marts.{table}")
        assert len(rows) > 1, table
        assert in_stored_order(rows, order), table


def test_a_build_of_every_row_stores_fct_calls_and_turns_in_start_order_part_by_part(
    fixture_warehouse, tmp_path, query
):
    """sort_parts_of: with parts of at most two calls, fct_calls' six calls are written in
    three parts of int_calls_summarised's starts, and the turns and the turn latencies in the
    same three parts of the calls, each part read and sorted on its own, the turns of no
    accepted call in the last. The same rows as the fixture's build, in started_at order, with
    fct_calls' docs on its table."""
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    run_dbt(
        "run",
        "--select",
        "fct_calls",
        "fct_call_turns",
        "fct_call_turn_latencies",
        "--full-refresh",
        "--vars",
        "{sort_part_rows: 2}",
        warehouse=warehouse,
    )
    for model in ("fct_calls", "fct_call_turns", "fct_call_turn_latencies"):
        assert "getvariable('sort_part')" in run_result(model)["compiled_code"], model
    rebuilt = query_function(building_path(warehouse))
    for table, start, key in (
        ("fct_calls", "started_at", "call_id"),
        ("fct_call_turns", "call_started_at", "call_id, turn_index"),
        ("fct_call_turn_latencies", "call_started_at", "call_id, turn_index"),
    ):
        expected = query(f"select * from marts.{table} order by {key}")
        assert rebuilt(f"select * from marts.{table} order by {key}") == expected, table
        starts = rebuilt(f"select {start} from marts.{table}")
        assert in_stored_order(starts, [(start, False)]), table
    assert len(query("select * from marts.fct_calls")) == 6
    # c-1's four turns (its turn 2 sent twice), c-2's two, c-4's one; c-6 is ambiguous, so
    # its turn has no call's start: it is a turn, stored last, and not a turn latency
    turns = rebuilt("select call_id, call_started_at is null from marts.fct_call_turns")
    assert turns == [("c-1", False)] * 4 + [("c-2", False)] * 2 + [("c-4", False), ("c-6", True)]
    assert len(query("select * from marts.fct_call_turn_latencies")) == 7
    [(comment,)] = rebuilt("select comment from duckdb_tables() where table_name = 'fct_calls'")
    assert comment.startswith("One row per call: its current version")
    assert rebuilt(
        "select comment from duckdb_columns()"
        " where table_name = 'fct_calls' and column_name = 'call_id'"
    ) == [("Call id.",)]
