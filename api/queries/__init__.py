"""The API's query layer: every number an endpoint answers is read here (docs/decisions.md,
Serving from rollups).

- `selection`: what a request covers — the token's scope narrowed to orgs, a reseller or
  agents, and a window — as one predicate on `org_id` and `agent_id`;
- `periods`: a window cut into whole UTC days, whole UTC hours and partial hours, and the
  buckets of a time series;
- `rollups`: the mergeable sums and counts of a family of rollups, read from the daily and
  hourly rollups for whole periods and from the call-grain facts for the partial hours;
- `measures`: each metric once, as a function of those sums (metrics.md);
- `calls`, `turns`, `events`, `records`: what each endpoint answers, as rows named after its
  JSON fields.

Resources parse parameters and call these; they hold no SQL.
"""
