"""The Falcon application: `create_app(config)` wires resources to their dependencies."""

import falcon
import orjson

from api import endpoints, errors
from api.auth import BearerAuth
from api.caching import Caching
from api.config import Config
from api.marts import Marts, MartsUnavailable
from api.postgres_marts import PostgresMarts
from api.resources import dashboard, openapi
from api.resources.health import Health
from callstats.keys import KeysUnavailable


def create_app(config: Config | None = None, *, warm: bool = False) -> falcon.App:
    """The API over the marts `config` names (the environment's by default); with `warm`,
    every endpoint is answered once first, as a server's worker does before its first request
    (`endpoints.warm`)."""
    config = config or Config.from_environment()
    marts = marts_for(config)
    if warm:
        endpoints.warm(marts)
    app = falcon.App(middleware=[BearerAuth(config.key_store()), Caching(marts)])
    json = falcon.media.JSONHandler(dumps=orjson.dumps, loads=orjson.loads)
    app.req_options.media_handlers[falcon.MEDIA_JSON] = json
    app.resp_options.media_handlers[falcon.MEDIA_JSON] = json
    app.set_error_serializer(errors.serialize)
    app.add_error_handler(Exception, errors.unexpected)
    app.add_error_handler(MartsUnavailable, errors.marts_unavailable)
    app.add_error_handler(KeysUnavailable, errors.keys_unavailable)
    app.add_route("/health", Health(marts))
    endpoints.add_routes(app, marts)
    openapi.add_routes(app)
    dashboard.add_routes(app)
    return app


def marts_for(config: Config) -> Marts | PostgresMarts:
    """The published DuckDB marts, or the marts in PostgreSQL (decisions.md)."""
    if config.store == "postgres":
        return PostgresMarts(config.postgres)
    return Marts(config.marts_path)
