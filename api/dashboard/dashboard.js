/* The callstats dashboard: every panel reads one documented endpoint with the token of this
   tab, polls it at its refresh rate with If-None-Match (a 304 changes nothing), and shows a
   plain message for an empty window or an error. */
"use strict";

const TOKEN_KEY = "callstats.token";
const HOUR_MS = 3600 * 1000;
const PERIOD_MS = { "24h": 24 * HOUR_MS, "7d": 7 * 24 * HOUR_MS, "30d": 30 * 24 * HOUR_MS };
const DAY_MS = 24 * HOUR_MS;
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
// Height of one bar of a horizontal bar chart, name included.
const BAR_PX = 18;
const COLORS = ["#2f6fb3", "#d9822b", "#3a9a5b", "#b84a62", "#7a5cb8", "#8a8f35"];

const locale = navigator.language || "en-US";
const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
const dollars = new Intl.NumberFormat(locale, { style: "currency", currency: "USD" });

const count = (value) => integer.format(value);
const ms = (value) => integer.format(value) + " ms";
const percent = (fraction) => decimal.format(100 * fraction) + " %";
const seconds = (value) => (value < 120 ? decimal.format(value) + " s"
  : integer.format(Math.floor(Math.round(value) / 60)) + " min "
    + integer.format(Math.round(value) % 60) + " s");

/* ---------- the view: window, time zone and filters as the form says ---------- */

/* The instant of a wall time read as UTC, for any year (Date.UTC reads years 0 to 99 as 19xx). */
function utc(year, month, day, hour = 0, minute = 0, second = 0) {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second);
  return date.getTime();
}

/* Milliseconds to add to UTC to read the clock of `zone` at instant `time`. */
function zoneOffset(time, zone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
    hour: "numeric", minute: "numeric", second: "numeric",
  }).formatToParts(new Date(time));
  const part = (type) => Number(parts.find((item) => item.type === type).value);
  const local = utc(part("year"), part("month"), part("day"), part("hour"), part("minute"),
    part("second"));
  return local - Math.floor(time / 1000) * 1000;
}

/* The instant a local day (YYYY-MM-DD, plus `days`) starts in `zone`. */
function localMidnight(date, zone, days = 0) {
  const [year, month, day] = date.split("-").map(Number);
  const wall = utc(year, month, day + days);
  const guess = wall - zoneOffset(wall, zone);
  return wall - zoneOffset(guess, zone);
}

function iso(time) {
  return new Date(time).toISOString().replace(".000Z", "Z");
}

/* The last microsecond before `time`: the inclusive upper bound of families A and C. */
function isoBefore(time) {
  return new Date(time - 1000).toISOString().replace(".000Z", ".999999Z");
}

/* The form's choices, as applied; the zone by its canonical name (a RangeError if unknown). */
function readSettings() {
  const agent = document.getElementById("agent");
  return {
    choice: value("window"), from: value("from"), to: value("to"),
    zone: new Intl.DateTimeFormat("en-US", { timeZone: value("tz").trim() || "UTC" })
      .resolvedOptions().timeZone,
    agent: agent.value, agentLabel: agent.selectedOptions[0].text, org: value("org").trim(),
  };
}

/* The window of the settings now: a relative one ends at the current minute. */
function viewOf(settings) {
  const { choice, zone } = settings;
  let start;
  let end;
  if (choice === "custom") {
    start = localMidnight(settings.from, zone);
    end = localMidnight(settings.to, zone, 1);
  } else {
    end = Math.floor(Date.now() / 60000) * 60000;
    start = end - PERIOD_MS[choice];
  }
  const span = end - start;
  return {
    ...settings,
    start, end,
    interval: span <= 2 * DAY_MS ? "hour" : span <= 92 * DAY_MS ? "day" : "week",
  };
}

function value(id) {
  return document.getElementById(id).value;
}

/* Family A (and the STT endpoints): start_date <= started_at <= end_date. */
function windowA(view) {
  return { start_date: iso(view.start), end_date: isoBefore(view.end) };
}

/* Family B: started_after <= started_at < started_before. */
function windowB(view) {
  return { started_after: iso(view.start), started_before: iso(view.end) };
}

function agentOf(view) {
  return view.agent ? { agent_id: view.agent } : {};
}

/* ---------- the sources: one documented endpoint each, and what it draws ---------- */

const SOURCES = {
  overview: {
    path: "/analytics/overview", every: 60, narrows: "agent",
    query: (view) => ({ ...windowA(view), ...agentOf(view) }),
    draw: (data) => {
      tile("calls", data.total_calls, count);
      tile("completion", data.total_calls ? data.completed_calls / data.total_calls : null, percent);
      tile("completed", data.completed_calls,
        (completed) => count(completed) + " of " + count(data.total_calls) + " completed");
      tile("duration", data.total_calls ? data.avg_duration : null, seconds);
      return data.total_calls > 0;
    },
  },
  cost: {
    path: "/analytics/cost-overview", every: 60, narrows: "agent",
    query: (view) => ({ ...windowA(view), ...agentOf(view) }),
    draw: (data) => {
      tile("cost", data.total_spend, dollars.format);
      return true;
    },
  },
  latency: {
    path: "/analytics/latency", every: 60, narrows: "agent",
    query: (view) => ({ ...windowA(view), ...agentOf(view), tz: view.zone }),
    draw: (data, view) => {
      const days = data.daily_trend.filter((day) => day.total_latency_ms > 0);
      tile("latency", days.length ? data.avg_total_latency_ms : null, ms);
      return days.length > 0 && chart("chart-latency", "line", days.map((day) => day.date), [
        ["STT", days.map((day) => day.stt_latency_ms)],
        ["LLM", days.map((day) => day.llm_latency_ms)],
        ["TTS", days.map((day) => day.tts_latency_ms)],
        ["Voice to voice", days.map((day) => day.total_latency_ms)],
      ], ms, view);
    },
  },
  active: {
    path: "/api/v1/analytics/active-calls", every: 10,
    query: () => ({}),
    draw: (data) => {
      tile("active", data.count, count);
      return true;
    },
  },
  volume: {
    path: "/api/v1/analytics/call-volume", every: 60,
    query: (view) => ({ ...windowB(view), interval: view.interval, tz: view.zone }),
    draw: (data, view) => {
      const points = data.data;
      if (!points.some((point) => point.total > 0)) return false;
      const labels = points.map((point) => bucketLabel(point.timestamp, data.interval, view.zone));
      return chart("chart-volume", "bar", labels, [
        ["Completed", points.map((point) => point.completed)],
        ["Failed", points.map((point) => point.failed)],
        ["Other", points.map((point) => point.total - point.completed - point.failed)],
      ], count, view, { stacked: true });
    },
  },
  providerLatency: {
    path: "/api/v1/analytics/provider-latency", every: 60,
    query: (view) => windowB(view),
    draw: (data, view) => data.length > 0 && chart("chart-provider-latency", "bar",
      data.map((row) => row.provider_type.toUpperCase() + " " + row.provider_name), [
        ["p50", data.map((row) => row.p50_latency_ms)],
        ["p95", data.map((row) => row.p95_latency_ms)],
        ["p99", data.map((row) => row.p99_latency_ms)],
      ], ms, view),
  },
  durations: {
    path: "/analytics/duration-distribution", every: 60, narrows: "agent",
    query: (view) => ({ ...windowA(view), ...agentOf(view) }),
    draw: (data, view) => distribution("chart-durations", data.buckets, " s", view),
  },
  latencies: {
    path: "/analytics/latency-distribution", every: 60, narrows: "agent",
    query: (view) => ({ ...windowA(view), ...agentOf(view) }),
    draw: (data, view) => distribution("chart-latencies", data.buckets, " ms", view),
  },
  outcomes: {
    path: "/analytics/outcomes", every: 60, narrows: "agent",
    query: (view) => ({ ...windowA(view), ...agentOf(view) }),
    draw: (data, view) => data.length > 0 && chart("chart-outcomes", "bar",
      data.map((row) => row.outcome.replace(/_/g, " ")),
      [["Calls", data.map((row) => row.count)]], count, view, { horizontal: true }),
  },
  costByAgent: {
    path: "/analytics/cost-by-agent", every: 60, narrows: "agent",
    query: (view) => ({ ...windowA(view), ...agentOf(view) }),
    draw: (data, view) => data.length > 0 && chart("chart-cost-by-agent", "bar",
      agentLabels(data),
      [["Cost", data.map((row) => row.total_cost)]], dollars.format, view, { horizontal: true }),
  },
  peakHours: {
    path: "/analytics/peak-hours", every: 60, narrows: "agent",
    query: (view) => ({ ...windowA(view), ...agentOf(view), tz: view.zone }),
    draw: (data, view) => data.length > 0 && heatMap(data, view),
  },
  providerErrors: {
    path: "/analytics/provider-errors", every: 60, narrows: "agent",
    query: (view) => ({ ...windowA(view), ...agentOf(view) }),
    draw: (data, view) => data.length > 0 && chart("chart-provider-errors", "bar",
      data.map((row) => row.provider_name),
      [["Calls with an error", data.map((row) => row.error_rate)]], percent, view,
      { horizontal: true }),
  },
  stt: {
    path: "/analytics/stt-events/summary", every: 60,
    query: (view) => windowA(view),
    draw: (data) => data.total_events > 0 && figures("stt", [
      ["Events", count(data.total_events)],
      ["Connections opened", count(data.connections_opened)],
      ["Closed", count(data.connections_closed)],
      ["Rejected", count(data.connections_rejected)],
      ["Timeouts", count(data.timeouts)],
      ["Errors", count(data.errors)],
      ["Utterance-end fallbacks", count(data.utterance_end_fallbacks)],
      ["Average connection", data.avg_connection_duration_s === null ? "–"
        : seconds(data.avg_connection_duration_s)],
      ["Rejection rate", percent(data.rejection_rate)],
      ["Timeout rate", percent(data.timeout_rate)],
    ]),
  },
  resolutions: {
    path: "/v1/metrics", every: 60, narrows: "org",
    query: (view) => ({
      startDate: iso(view.start), endDate: isoBefore(view.end), tz: view.zone,
      ...(view.org ? { organizationId: view.org } : {}),
    }),
    draw: (data, view) => {
      const breakdown = data.resolutionBreakdown;
      const names = ["resolved", "transferred", "abandoned", "other"];
      return data.metrics.totalCalls > 0 && chart("chart-resolutions", "bar", names,
        [["Calls", names.map((name) => breakdown[name])]], count, view);
    },
  },
  errors: {
    path: "/api/v1/analytics/errors", every: 30,
    query: (view) => ({ ...windowB(view), limit: 10 }),
    draw: (data, view) => data.items.length > 0 && errorRows(data, view),
  },
  agents: {
    path: "/analytics/agent-comparison", every: 60,
    query: (view) => windowA(view),
    draw: (data) => {
      agentChoices(data);
      return true;
    },
  },
};

/* ---------- drawing ---------- */

/* A tile's value; a missing one is "–", or nothing in a tile's detail line. */
function tile(name, number, format) {
  const node = document.querySelector(`[data-tile="${name}"]`);
  const missing = number === null || number === undefined;
  node.textContent = !missing ? format(number) : node.classList.contains("detail") ? "" : "–";
  node.dataset.value = missing ? "" : String(number);
}

function bucketLabel(timestamp, interval, zone) {
  const options = interval === "hour"
    ? { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
    : { year: "numeric", month: "short", day: "numeric" };
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: zone }).format(new Date(timestamp));
}

const charts = new Map();

/* Draw (or redraw) a chart of `series` ([name, values]) over `labels`; `format` writes a value
   with its unit in the axis, the tooltips and the canvas's text alternative. */
function chart(id, type, labels, series, format, view, layout = {}) {
  const canvas = document.getElementById(id);
  const datasets = series.map(([label, values], index) => ({
    label, data: values, backgroundColor: COLORS[index], borderColor: COLORS[index],
  }));
  const valueAxis = { beginAtZero: true, stacked: !!layout.stacked,
    ticks: { callback: (tick) => format(tick), precision: format === count ? 0 : undefined } };
  const categoryAxis = { stacked: !!layout.stacked };
  if (layout.horizontal) {
    // every bar keeps its name: the panel grows with the number of bars
    categoryAxis.ticks = { autoSkip: false };
    canvas.parentElement.style.height = Math.max(230, BAR_PX * labels.length + 40) + "px";
  }
  const options = {
    animation: false, maintainAspectRatio: false, indexAxis: layout.horizontal ? "y" : "x",
    scales: layout.horizontal ? { x: valueAxis, y: categoryAxis }
      : { x: categoryAxis, y: valueAxis },
    plugins: {
      legend: { display: series.length > 1 },
      tooltip: { callbacks: { label: (item) => item.dataset.label + ": " + format(item.raw) } },
    },
  };
  let drawn = charts.get(id);
  if (drawn && drawn.config.type === type) {
    drawn.data.labels = labels;
    drawn.data.datasets = datasets;
    drawn.update();
  } else {
    drawn = new Chart(canvas, { type, data: { labels, datasets }, options });
    charts.set(id, drawn);
  }
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", series.map(([name, values]) => name + ": " + labels
    .map((label, index) => label + " " + format(values[index])).join(", ")).join("; ")
    + " (" + view.zone + ")");
  return true;
}

function distribution(id, buckets, unit, view) {
  if (!buckets.some((bucket) => bucket.count > 0)) return false;
  return chart(id, "bar", buckets.map((bucket) => bucket.bucket + unit),
    [["Count", buckets.map((bucket) => bucket.count)]], count, view);
}

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, content] of Object.entries(attributes)) node.setAttribute(name, content);
  return node;
}

/* Weekday × hour of the time zone as a table whose cells are shaded by their share of the
   busiest hour. */
function heatMap(rows, view) {
  const counts = new Map(rows.map((row) => [row.day_of_week + ":" + row.hour, row.count]));
  const busiest = Math.max(...rows.map((row) => row.count));
  const table = document.getElementById("heat-map");
  const head = element("tr");
  head.append(element("th", "", { scope: "col" }));
  for (let hour = 0; hour < 24; hour++) head.append(element("th", String(hour), { scope: "col" }));
  const body = WEEKDAYS.map((day, dayIndex) => {
    const row = element("tr");
    row.append(element("th", day, { scope: "row" }));
    for (let hour = 0; hour < 24; hour++) {
      const calls = counts.get(dayIndex + ":" + hour) || 0;
      const cell = element("td", calls ? count(calls) : "", {
        "data-count": calls,
        title: `${day} ${hour}:00 (${view.zone}): ${count(calls)} calls`,
      });
      cell.style.setProperty("--share", calls / busiest);
      cell.classList.toggle("dark", calls / busiest > 0.55);
      row.append(cell);
    }
    return row;
  });
  table.replaceChildren(element("caption", `Calls per weekday and hour (${view.zone})`), head, ...body);
  return true;
}

function figures(id, pairs) {
  document.getElementById(id).replaceChildren(...pairs.map(([name, text]) => {
    const row = element("tr");
    row.append(element("th", name, { scope: "row" }), element("td", text));
    return row;
  }));
  return true;
}

function errorRows(data, view) {
  const time = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium", timeStyle: "medium", timeZone: view.zone,
  });
  const head = element("tr");
  for (const name of ["Time", "Service", "Level", "Agent", "Message"]) {
    head.append(element("th", name, { scope: "col" }));
  }
  const rows = data.items.map((item) => {
    const row = element("tr", undefined, { "data-id": item.id });
    row.append(element("td", time.format(new Date(item.timestamp))), element("td", item.service),
      element("td", item.level), element("td", item.agent || "–"), element("td", item.message));
    return row;
  });
  document.getElementById("errors").replaceChildren(
    element("caption", `The latest ${data.items.length} of ${count(data.total)} (${view.zone})`),
    head, ...rows);
  return true;
}

/* Each agent's label among `rows` ({agent_id, agent_name}): its name, its id when it has none,
   and both when another agent has the same name. */
function agentLabels(rows) {
  const names = rows.map((row) => row.agent_name);
  const shared = (name) => names.indexOf(name) !== names.lastIndexOf(name);
  return rows.map((row) => (!row.agent_name ? row.agent_id
    : shared(row.agent_name) ? `${row.agent_name} (${row.agent_id})` : row.agent_name));
}

function agentChoices(data) {
  const select = document.getElementById("agent");
  const chosen = select.value;
  const labels = agentLabels(data);
  const options = data.map((row, index) => element("option", labels[index],
    { value: row.agent_id }));
  select.replaceChildren(element("option", "All agents", { value: "" }), ...options);
  select.value = data.some((row) => row.agent_id === chosen) ? chosen : "";
}

/* ---------- fetching and polling ---------- */

const MESSAGES = {
  401: "The token was refused (401): enter a valid token.",
  404: "Not visible to this token (404)",
  503: "No analytics are published yet (503): run a build.",
};

let generation = 0;
let timers = [];
// Source → the URL and ETag of its last answer: a moving window's new URL replaces the old one.
const tags = new Map();

function nodesOf(name) {
  return document.querySelectorAll(`[data-source="${name}"]`);
}

function show(name, state, message = "") {
  for (const node of nodesOf(name)) {
    node.dataset.state = state;
    node.querySelector(".message").textContent = message;
    if (state !== "ready") {
      for (const value of node.querySelectorAll("[data-tile]")) tile(value.dataset.tile, null);
    }
  }
}

function url(path, query) {
  const search = new URLSearchParams(query).toString();
  return search ? path + "?" + search : path;
}

async function load(name, view, round) {
  const source = SOURCES[name];
  const address = url(source.path, source.query(view));
  const headers = { Authorization: "Bearer " + sessionStorage.getItem(TOKEN_KEY) };
  const last = tags.get(name);
  if (last && last.address === address) headers["If-None-Match"] = last.etag;
  let response;
  try {
    response = await fetch(address, { headers, cache: "no-store" });
  } catch {
    if (round === generation) show(name, "error", "Cannot reach the API.");
    return;
  }
  if (round !== generation || response.status === 304) return;
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    const known = MESSAGES[response.status];
    show(name, "error", known ? known + (response.status === 404 ? ": " + body.description : "")
      : `The API answered ${response.status}: ${body.description || response.statusText}`);
    if (response.status === 401) askForToken(MESSAGES[401]);
    return;
  }
  const data = await response.json();
  if (round !== generation) return;
  tags.set(name, { address, etag: response.headers.get("ETag") });
  let drawn;
  try {
    drawn = source.draw(data, view);
  } catch (error) {
    show(name, "error", "Cannot draw this answer: " + error.message);
    return;
  }
  show(name, drawn ? "ready" : "empty", drawn ? "" : "Nothing in this window.");
}

function describeScope(view) {
  for (const [name, source] of Object.entries(SOURCES)) {
    const notes = [];
    if (view.agent) {
      notes.push(source.narrows === "agent" ? `Agent ${view.agentLabel} only.`
        : "All agents: this endpoint takes no agent.");
    }
    if (source.narrows === "org") {
      notes.push(view.org ? `Org ${view.org} only.` : "All orgs of the token.");
    }
    const text = notes.join(" ");
    for (const node of nodesOf(name)) {
      const scope = node.querySelector(".scope");
      if (scope) scope.textContent = text;
    }
  }
}

/* What is wrong with the form's window, or null: the API takes instants of the years 1000 to
   9998 and daily series of at most 10 000 days. */
function refusal() {
  let settings;
  try {
    settings = readSettings();
  } catch {
    return "Choose a valid time zone.";
  }
  if (settings.choice !== "custom") return null;
  if (!settings.from || !settings.to) return "Choose the window's first and last day.";
  const view = viewOf(settings);
  if (!(view.start < view.end)) return "The window must end after it starts.";
  if (new Date(view.start).getUTCFullYear() < 1000
    || new Date(view.end).getUTCFullYear() > 9998) {
    return "Choose days from the year 1000 to 9998.";
  }
  if (Math.round((view.end - view.start) / DAY_MS) > 10000) return "Choose a window of at most 10 000 days.";
  return null;
}

/* The status line: the window's edges in its time zone. */
function describeWindow(view) {
  const instant = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium", timeStyle: "short", timeZone: view.zone,
  });
  setStatus(`Calls started from ${instant.format(view.start)} to before `
    + `${instant.format(view.end)} (${view.zone}).`);
}

function start() {
  timers.forEach(clearInterval);
  tags.clear();
  const round = ++generation;
  const refused = refusal();
  if (refused) {
    setStatus(refused);
    for (const name of Object.keys(SOURCES)) show(name, "invalid", "Choose a valid window.");
    return;
  }
  const settings = readSettings();
  document.getElementById("tz").value = settings.zone;
  const view = viewOf(settings);
  describeWindow(view);
  describeScope(view);
  timers = Object.entries(SOURCES).map(([name, source]) => {
    show(name, "loading", "Loading…");
    load(name, view, round);
    return setInterval(() => {
      const now = viewOf(settings);
      describeWindow(now);
      load(name, now, round);
    }, source.every * 1000);
  });
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

function askForToken(message) {
  timers.forEach(clearInterval);
  generation++;
  sessionStorage.removeItem(TOKEN_KEY);
  document.getElementById("view").hidden = true;
  document.getElementById("panels").hidden = true;
  document.getElementById("token-form").hidden = false;
  document.getElementById("token").focus();
  setStatus(message);
}

function open() {
  document.getElementById("token-form").hidden = true;
  document.getElementById("view").hidden = false;
  document.getElementById("panels").hidden = false;
  start();
}

function setUp() {
  Chart.defaults.font.family = "system-ui, sans-serif";
  const today = new Date().toISOString().slice(0, 10);
  document.getElementById("from").value = today;
  document.getElementById("to").value = today;
  document.getElementById("zones").replaceChildren(...Intl.supportedValuesOf("timeZone")
    .map((zone) => element("option", undefined, { value: zone })));
  document.getElementById("window").addEventListener("change", (event) => {
    for (const label of document.querySelectorAll(".custom")) {
      label.hidden = event.target.value !== "custom";
    }
  });
  document.getElementById("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("token");
    if (!input.value.trim()) {
      setStatus("Enter a token: spaces alone are none.");
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    input.value = "";
    open();
    document.getElementById("window").focus();
  });
  document.getElementById("view").addEventListener("submit", (event) => {
    event.preventDefault();
    start();
  });
  document.getElementById("forget").addEventListener("click",
    () => askForToken("Token forgotten."));
  if (sessionStorage.getItem(TOKEN_KEY)) open();
  else askForToken("Enter an API token (callstats keys create).");
}

setUp();
