"""The API's resources, one module per family of endpoints."""
