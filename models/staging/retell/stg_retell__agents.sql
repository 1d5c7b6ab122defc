-- The agents Retell's calls name (platform_agents), with the agent_name of their newest call.
{{ platform_agents('stg_retell__calls') }}
