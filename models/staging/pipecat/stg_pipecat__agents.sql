-- The agents Pipecat calls name (platform_agents): the one `callstats load --agent` gives.
{{ platform_agents('stg_pipecat__calls') }}
