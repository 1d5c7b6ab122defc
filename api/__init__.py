"""The HTTP API: a Falcon app that serves the analytics endpoints from the marts."""
