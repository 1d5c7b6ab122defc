-- The assistants Vapi's calls name (platform_agents), with the assistant's name.
{{ platform_agents('stg_vapi__calls') }}
