-- The agents Twilio calls name (platform_agents): the number on the Twilio side, or --agent.
{{ platform_agents('stg_twilio__calls') }}
