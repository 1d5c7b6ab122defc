"""GET /dashboard in headless Chromium, against the real server on the fixture warehouse.

Every panel must show the fixture's numbers as the API tests compute them by hand
(test_api_analytics.py for /analytics/..., test_api_v1_analytics.py and test_api_metrics.py
for the others), in its tiles and in its chart's data; an org token sees only its org; and
the browser requests nothing from anywhere but the server. Chromium is Debian's, installed
here when missing (as postgres.py installs PostgreSQL): the test fails without it, never skips.
"""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from pytest import approx
from servers import free_port, running
from test_api_analytics import AGENT_A1, ORG_B, WHOLE_DAY
from warehouses import FIXTURE_NOW

from callstats.keys import Scope, SqliteKeyStore, keys_path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
DAY = "2026-03-02"  # every fixture call starts on this day, in UTC and in New York


def chromium() -> Path:
    if not CHROMIUM.exists() and os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True)
    if not CHROMIUM.exists():
        raise RuntimeError("no Chromium at /usr/bin/chromium: apt-get install chromium")
    return CHROMIUM


@pytest.fixture(scope="module")
def server(fixture_warehouse: Path) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running(
        "serve",
        "--port",
        str(port),
        warehouse=fixture_warehouse,
        ready_url=f"{base}/health",
        env={"CALLSTATS_NOW": FIXTURE_NOW},
    ):
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser, server: str) -> Iterator[BrowserContext]:
    """A browser context at 1280 by 800 that must request nothing but the server's own URLs
    (and no /favicon.ico) and break nothing of the page's Content-Security-Policy."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    requested: list[str] = []
    console: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    context.on("console", lambda message: console.append(message.text))
    yield context
    context.close()
    assert requested
    assert [url for url in requested if not url.startswith(server + "/")] == []
    assert f"{server}/favicon.ico" not in requested  # the page names an empty icon
    assert [text for text in console if "Content Security Policy" in text] == []


def open_dashboard(
    context: BrowserContext, server: str, token: str, zone: str = "UTC", org: str = ""
) -> Page:
    """The dashboard of `token` over the fixture's day in `zone`, once every panel is drawn."""
    page = context.new_page()
    page.goto(f"{server}/dashboard")
    page.fill("#token", token)
    page.press("#token", "Enter")
    page.select_option("#window", "custom")
    page.fill("#from", DAY)
    page.fill("#to", DAY)
    page.fill("#tz", zone)
    page.fill("#org", org)
    page.click("#view button[type=submit]")
    page.wait_for_function("() => !document.querySelector('[data-state=loading]')")
    return page


def states(page: Page) -> dict[str, str]:
    return page.eval_on_selector_all(
        "[data-source]",
        "nodes => Object.fromEntries(nodes.map(n => [n.dataset.source, n.dataset.state]))",
    )


def tiles(page: Page) -> dict[str, float]:
    values = page.eval_on_selector_all(
        "[data-tile]",
        "nodes => Object.fromEntries(nodes.map(n => [n.dataset.tile, n.dataset.value]))",
    )
    return {name: float(value) for name, value in values.items()}


def chart(page: Page, canvas: str) -> dict:
    """The labels and the values of each dataset of the chart drawn on `canvas`."""
    return page.evaluate(
        """id => {
            const data = Chart.getChart(id).data;
            return {labels: data.labels,
                    ...Object.fromEntries(data.datasets.map(set => [set.label, set.data]))};
        }""",
        canvas,
    )


def heat_map(page: Page) -> list[tuple[str, int, int]]:
    """The non-empty cells of the peak-hours table: weekday, hour, calls."""
    cells = page.eval_on_selector_all(
        "#heat-map tr",
        """rows => rows.slice(1).flatMap(row => [...row.querySelectorAll('td')].map(
            (cell, hour) => [row.querySelector('th').textContent, hour,
                             Number(cell.dataset.count)]))""",
    )
    return [tuple(cell) for cell in cells if cell[2]]


def table(page: Page, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"{selector} tr", "rows => rows.map(row => [...row.cells].map(cell => cell.textContent))"
    )


def hours(**busy: int) -> list[int]:
    """24 hourly values, zero but at the hours named `h<hour>`."""
    return [busy.get(f"h{hour}", 0) for hour in range(24)]


def distribution(path: str) -> list[int]:
    return [bucket["count"] for bucket in WHOLE_DAY[path]["buckets"]]


def test_every_panel_shows_the_fixture_day(context, server, tokens, tmp_path):
    page = open_dashboard(context, server, tokens["all"])
    assert set(states(page).values()) == {"ready"}
    overview = WHOLE_DAY["/analytics/overview"]
    assert tiles(page) == {
        "calls": overview["total_calls"],
        "completion": 0.5,  # 3 of 6
        "completed": overview["completed_calls"],
        "duration": overview["avg_duration"],
        "cost": WHOLE_DAY["/analytics/cost-overview"]["total_spend"],
        "latency": approx(WHOLE_DAY["/analytics/latency"]["avg_total_latency_ms"]),
        "active": 1,  # c-4
    }
    assert page.text_content('[data-tile="cost"]') == "$0.68"
    assert page.text_content('[data-tile="latency"]') == "1,024 ms"
    assert page.text_content('[data-tile="duration"]') == "94 s"

    # By UTC hour: c-1, c-2 completed at 09; c-3 failed and c-4 live at 10; c-5 completed and
    # c-9 unknown at 11.
    volume = chart(page, "chart-volume")
    assert volume["labels"][0] == "Mar 2, 00:00"
    assert volume["labels"][9] == "Mar 2, 09:00"
    assert volume["Completed"] == hours(h9=2, h11=1)
    assert volume["Failed"] == hours(h10=1)
    assert volume["Other"] == hours(h10=1, h11=1)

    [trend] = WHOLE_DAY["/analytics/latency"]["daily_trend"]
    assert chart(page, "chart-latency") == {
        "labels": [DAY],
        "STT": [approx(trend["stt_latency_ms"])],
        "LLM": [trend["llm_latency_ms"]],
        "TTS": [approx(trend["tts_latency_ms"])],
        "Voice to voice": [approx(trend["total_latency_ms"])],
    }
    assert chart(page, "chart-provider-latency") == {
        "labels": ["STT deepgram", "LLM openai", "TTS cartesia", "TTS elevenlabs"],
        "p50": [120, 500, 90, 140],
        "p95": [approx(194), approx(760), 100, approx(149)],
        "p99": [approx(198.8), approx(792), 100, approx(149.8)],
    }
    assert chart(page, "chart-durations") == {
        "labels": ["0-30 s", "30-60 s", "60-120 s", "120-300 s", "300+ s"],
        "Count": distribution("/analytics/duration-distribution"),
    }
    assert chart(page, "chart-latencies")["Count"] == distribution(
        "/analytics/latency-distribution"
    )
    outcomes = WHOLE_DAY["/analytics/outcomes"]
    assert chart(page, "chart-outcomes") == {
        "labels": [row["outcome"].replace("_", " ") for row in outcomes],
        "Calls": [row["count"] for row in outcomes],
    }
    assert chart(page, "chart-cost-by-agent") == {
        "labels": ["Support Agent v2", "Triage Agent", "a-9", "Sales Agent"],  # a-9: deleted
        "Cost": [row["total_cost"] for row in WHOLE_DAY["/analytics/cost-by-agent"]],
    }
    assert heat_map(page) == [("Mon", 9, 2), ("Mon", 10, 2), ("Mon", 11, 2)]
    errors = WHOLE_DAY["/analytics/provider-errors"]
    assert chart(page, "chart-provider-errors") == {
        "labels": [row["provider_name"] for row in errors],
        "Calls with an error": [row["error_rate"] for row in errors],
    }
    assert table(page, "#stt") == [
        ["Events", "8"], ["Connections opened", "3"], ["Closed", "2"], ["Rejected", "1"],
        ["Timeouts", "1"], ["Errors", "0"], ["Utterance-end fallbacks", "1"],
        ["Average connection", "3 min 0 s"], ["Rejection rate", "25 %"],
        ["Timeout rate", "33.3 %"],
    ]  # fmt: skip
    assert chart(page, "chart-resolutions") == {
        "labels": ["resolved", "transferred", "abandoned", "other"],
        "Calls": [1, 1, 0, 4],
    }
    ids = page.eval_on_selector_all("#errors tr[data-id]", "rows => rows.map(r => r.dataset.id)")
    assert ids == ["e-4", "e-1", "e-3", "e-2"]
    assert table(page, "#errors")[1][0] == "Mar 2, 2026, 12:00:00 PM"
    assert page.eval_on_selector_all("#agent option", "options => options.map(o => o.value)") == [
        "", "a-1", "a-2", "a-3", "a-9"
    ]  # fmt: skip
    assert page.eval_on_selector_all("#agent option", "ns => ns.map(n => n.textContent)") == [
        "All agents", "Support Agent v2", "Sales Agent", "Triage Agent", "a-9"
    ]  # fmt: skip

    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000


def test_an_org_token_sees_its_org_only(context, server, tokens, tmp_path):
    page = open_dashboard(context, server, tokens["org-b"])
    overview = ORG_B["/analytics/overview"]
    assert tiles(page) == {
        "calls": 3,
        "completion": approx(1 / 3),
        "completed": overview["completed_calls"],
        "duration": overview["avg_duration"],
        "cost": approx(ORG_B["/analytics/cost-overview"]["total_spend"]),
        "latency": ORG_B["/analytics/latency"]["avg_total_latency_ms"],
        "active": 1,
    }
    volume = chart(page, "chart-volume")
    assert (volume["Completed"], volume["Failed"], volume["Other"]) == (
        hours(h11=1),
        hours(),
        hours(h10=1, h11=1),
    )
    assert chart(page, "chart-provider-latency") == {
        "labels": ["STT deepgram", "LLM openai", "TTS cartesia"],
        "p50": [100, 300, 60],
        "p95": [100, 300, 60],
        "p99": [100, 300, 60],
    }
    assert chart(page, "chart-cost-by-agent")["labels"] == ["Triage Agent", "a-9"]
    assert heat_map(page) == [("Mon", 10, 1), ("Mon", 11, 2)]
    assert chart(page, "chart-resolutions")["Calls"] == [0, 0, 0, 3]
    assert table(page, "#stt")[7] == ["Average connection", "\N{EN DASH}"]  # conn-4b never closes
    # org-b's calls have no errors: a plain message instead of a table.
    assert states(page)["errors"] == "empty"
    assert page.is_hidden("#errors")
    assert page.text_content('[data-source="errors"] .message') == "Nothing in this window."
    assert page.eval_on_selector_all("#agent option", "options => options.map(o => o.value)") == [
        "", "a-3", "a-9"
    ]  # fmt: skip
    page.screenshot(path=tmp_path / "org-b.png", full_page=True)
    assert (tmp_path / "org-b.png").exists()

    # Another org's id is a 404 in the one panel the org filter narrows, nothing else.
    page = open_dashboard(context, server, tokens["org-b"], org="org-a")
    assert {name for name, state in states(page).items() if state != "ready"} == {
        "resolutions", "errors"
    }  # fmt: skip
    assert page.text_content('[data-source="resolutions"] .message') == (
        "Not visible to this token (404): organizationId: 'org-a' is not found."
    )


def test_the_org_filter_narrows_the_resolutions(context, server, tokens):
    page = open_dashboard(context, server, tokens["all"], org="org-b")
    assert chart(page, "chart-resolutions")["Calls"] == [0, 0, 0, 3]
    assert tiles(page)["calls"] == 6  # the other panels take no org
    assert page.text_content('[data-source="resolutions"] .scope') == "Org org-b only."
    assert page.get_attribute("#org", "maxlength") == "200"


def apply(page: Page, **fields: str) -> None:
    for name, text in fields.items():
        page.fill(f"#{name}", text)
    page.click("#view button[type=submit]")
    page.wait_for_function("() => !document.querySelector('[data-state=loading]')")


def test_a_window_the_api_refuses_clears_every_panel(context, server, tokens):
    # A zone in another case is the browser's canonical name, which the API takes too.
    page = open_dashboard(context, server, tokens["all"], zone="utc")
    assert set(states(page).values()) == {"ready"}
    assert page.input_value("#tz") == "UTC"
    assert page.text_content("#status").endswith("(UTC).")

    for fields, status in [
        ({"from": "0050-03-02"}, "Choose days from the year 1000 to 9998."),  # not 1950
        ({"from": DAY, "to": "9998-12-31"}, "Choose days from the year 1000 to 9998."),
        ({"from": "1990-01-01", "to": DAY}, "Choose a window of at most 10 000 days."),
        ({"from": DAY, "to": "2026-03-01"}, "The window must end after it starts."),
        ({"from": "", "to": DAY}, "Choose the window's first and last day."),
        ({"from": DAY, "tz": "Nowhere/Else"}, "Choose a valid time zone."),
    ]:
        apply(page, **fields)
        assert page.text_content("#status") == status
        assert set(states(page).values()) == {"invalid"}
        messages = page.eval_on_selector_all(".message", "nodes => nodes.map(n => n.textContent)")
        assert set(messages) == {"Choose a valid window."}
        values = page.eval_on_selector_all("[data-tile]", "ns => ns.map(n => n.textContent)")
        assert set(values) == {"\N{EN DASH}", ""}
        assert page.is_hidden("#chart-volume")


def test_the_agent_filter_narrows_the_panels_that_take_an_agent(context, server, tokens):
    page = open_dashboard(context, server, tokens["all"])
    page.select_option("#agent", "a-1")
    page.click("#view button[type=submit]")
    page.wait_for_function("() => !document.querySelector('[data-state=loading]')")
    overview = AGENT_A1["/analytics/overview"]
    assert tiles(page) == {
        "calls": overview["total_calls"],
        "completion": 1.0,
        "completed": overview["completed_calls"],
        "duration": overview["avg_duration"],
        "cost": AGENT_A1["/analytics/cost-overview"]["total_spend"],
        "latency": approx(AGENT_A1["/analytics/latency"]["avg_total_latency_ms"]),
        "active": 1,  # c-4 of a-3: active calls take no agent
    }
    assert chart(page, "chart-cost-by-agent")["labels"] == ["Support Agent v2"]
    assert heat_map(page) == [("Mon", 9, 2)]
    assert page.text_content('[data-source="outcomes"] .scope') == "Agent Support Agent v2 only."
    assert page.text_content('[data-source="volume"] .scope') == (
        "All agents: this endpoint takes no agent."
    )
    assert page.text_content('[data-source="resolutions"] .scope') == (
        "All agents: this endpoint takes no agent. All orgs of the token."
    )
    assert sum(chart(page, "chart-volume")["Completed"]) == 3  # every agent's

    # A name two agents share (agents of two orgs, say) is told apart by the agent's id.
    labels = page.evaluate(
        """() => {
            agentChoices([{agent_id: "a-1", agent_name: "Support"}, {agent_id: "b-1",
                agent_name: "Support"}, {agent_id: "a-9", agent_name: null}]);
            return [...document.querySelectorAll("#agent option")].map(o => o.textContent);
        }"""
    )
    assert labels == ["All agents", "Support (a-1)", "Support (b-1)", "a-9"]


def test_new_york_moves_the_hours(context, server, tokens, tmp_path):
    # New York's 2 March (EST, UTC-5) holds every call, five hours earlier on its clock.
    page = open_dashboard(context, server, tokens["all"], zone="America/New_York")
    assert set(states(page).values()) == {"ready"}
    assert page.text_content("#status") == (
        "Calls started from Mar 2, 2026, 12:00 AM to before Mar 3, 2026, 12:00 AM"
        " (America/New_York)."
    )
    assert tiles(page)["calls"] == 6
    volume = chart(page, "chart-volume")
    assert volume["labels"][0] == "Mar 2, 00:00"  # local midnight, 05:00 UTC
    assert volume["Completed"] == hours(h4=2, h6=1)
    assert volume["Failed"] == hours(h5=1)
    assert chart(page, "chart-latency")["labels"] == [DAY]
    assert heat_map(page) == [("Mon", 4, 2), ("Mon", 5, 2), ("Mon", 6, 2)]
    assert table(page, "#errors")[1][0] == "Mar 2, 2026, 7:00:00 AM"  # e-4 at 12:00 UTC
    page.screenshot(path=tmp_path / "new-york.png", full_page=True)
    assert (tmp_path / "new-york.png").exists()

    # At a phone's width the page fits without scrolling sideways (the heat map scrolls alone).
    # A long org id wraps in the Resolutions panel's note and message.
    page.set_viewport_size({"width": 390, "height": 844})
    apply(page, org="org-" + "x" * 150)
    assert states(page)["resolutions"] == "error"
    page.wait_for_function("() => document.documentElement.scrollWidth <= 390")
    page.screenshot(path=tmp_path / "phone.png", full_page=True)


def test_a_refused_token_asks_for_another(context, server):
    page = context.new_page()
    page.goto(f"{server}/dashboard")
    page.fill("#token", "   ")
    page.press("#token", "Enter")
    assert page.text_content("#status") == "Enter a token: spaces alone are none."
    assert page.evaluate("() => sessionStorage.length") == 0
    page.fill("#token", "cs_not-a-token")
    page.press("#token", "Enter")
    page.wait_for_function("() => document.querySelector('#status').textContent.includes('401')")
    assert page.text_content("#status") == "The token was refused (401): enter a valid token."
    assert page.is_visible("#token-form")
    assert page.evaluate("() => sessionStorage.length") == 0


def test_polling_sends_the_etag_and_a_304_redraws_nothing(context, server, tokens):
    page = context.new_page()
    page.clock.install()
    polls = []
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    def note(response) -> None:
        if "active-calls" in response.url:
            polls.append((response.request.headers.get("if-none-match"), response.status))

    page.on("response", note)
    page.goto(f"{server}/dashboard")
    page.fill("#token", tokens["all"])
    page.press("#token", "Enter")
    page.wait_for_function("() => !document.querySelector('[data-state=loading]')")
    assert page.evaluate("() => document.activeElement.id") == "window"
    # The last 24 h: every family gets the same instants, from the browser's clock.
    [overview] = [parse_qs(urlparse(u).query) for u in requested if "/analytics/overview" in u]
    [volume] = [parse_qs(urlparse(u).query) for u in requested if "/call-volume" in u]
    assert volume["started_after"] == overview["start_date"]
    page.evaluate("() => { document.querySelector('[data-tile=active]').textContent = 'kept'; }")
    with page.expect_response(lambda response: "active-calls" in response.url):
        page.clock.run_for(10_000)  # active calls poll every 10 s (seed 001)
    page.wait_for_timeout(300)  # time for a redraw, were there one
    [(first_tag, first_status), (sent_tag, status)] = polls
    assert (first_tag, first_status) == (None, 200)
    assert (bool(sent_tag), status) == (True, 304)
    assert page.text_content("[data-tile=active]") == "kept"
    # The status line follows the relative window as it moves.
    before = page.text_content("#status")
    page.clock.run_for(60_000)
    page.wait_for_function("s => document.querySelector('#status').textContent !== s", arg=before)


def test_without_published_marts_every_panel_says_so(browser, tmp_path):
    warehouse = tmp_path / "callstats.duckdb"  # never built
    _, token = SqliteKeyStore(keys_path(warehouse)).create(Scope("all"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    ready = f"{base}/openapi.json"  # /health answers 503 until a build is published
    with running("serve", "--port", str(port), warehouse=warehouse, ready_url=ready):
        context = browser.new_context(locale="en-US")
        page = context.new_page()
        page.goto(f"{base}/dashboard")
        page.fill("#token", token)
        page.press("#token", "Enter")
        page.wait_for_function("() => !document.querySelector('[data-state=loading]')")
        assert set(states(page).values()) == {"error"}
        assert page.text_content('[data-source="volume"] .message') == (
            "No analytics are published yet (503): run a build."
        )
        assert page.text_content('[data-tile="calls"]') == "\N{EN DASH}"
        assert page.text_content('[data-tile="completed"]') == ""
        assert page.is_hidden("#chart-volume")
        context.close()
