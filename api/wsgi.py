"""The WSGI entry point gunicorn serves: `api.wsgi:app`."""

import atexit
import gc
import logging

from api.app import create_app

# The API's log lines go where gunicorn's own go, in their format (time, pid, level).
_gunicorn = logging.getLogger("gunicorn.error")
_api = logging.getLogger("callstats.api")
_api.handlers, _api.propagate = _gunicorn.handlers, False
_api.setLevel(_gunicorn.level)

# Each worker answers every endpoint once before its first request (endpoints.warm).
app = create_app(warm=True)
# Whatever exists now lives as long as the worker: out of the collector's full passes, which
# otherwise walk it all (20-40 ms) in whichever request happens to trigger one. Back in them
# when the worker exits, so that it frees those objects: duckdb's bindings report the ones
# still alive then as leaked, a screenful of warnings on every stop.
gc.freeze()
atexit.register(gc.unfreeze)
