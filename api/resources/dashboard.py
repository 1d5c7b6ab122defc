"""GET /dashboard: the page that charts the API for a token, and the files it loads.

The page, its script and style and the vendored chart library are files of the package
(`api/dashboard/`), read once and served as they are, without a token: the page asks for one
and sends it with every data request. The Content-Security-Policy lets the browser load and
fetch only from this origin, so nothing reaches the internet.
"""

from importlib import resources

import falcon

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)

# Path → (file under api/dashboard/, media type).
FILES = {
    "/dashboard": ("index.html", "text/html; charset=utf-8"),
    "/dashboard/dashboard.js": ("dashboard.js", "text/javascript; charset=utf-8"),
    "/dashboard/dashboard.css": ("dashboard.css", "text/css; charset=utf-8"),
    "/dashboard/vendor/chart.umd.min.js": (
        "vendor/chart.umd.min.js",
        "text/javascript; charset=utf-8",
    ),
}


class StaticFile:
    requires_token = False

    def __init__(self, name: str, media_type: str):
        self._body = resources.files("api").joinpath("dashboard", name).read_bytes()
        self._media_type = media_type

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = self._media_type
        resp.set_header("Content-Security-Policy", POLICY)
        resp.set_header("X-Content-Type-Options", "nosniff")
        resp.data = self._body

    # The same headers without the body (Falcon sends none for HEAD).
    on_head = on_get


def add_routes(app: falcon.App) -> None:
    """Register /dashboard and its files."""
    for path, (name, media_type) in FILES.items():
        app.add_route(path, StaticFile(name, media_type))
