"""callstats: call analytics for voice-AI agents."""
