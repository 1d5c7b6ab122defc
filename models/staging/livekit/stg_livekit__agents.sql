-- The agents LiveKit calls name (platform_agents): the one `callstats load --agent` gives.
{{ platform_agents('stg_livekit__calls') }}
