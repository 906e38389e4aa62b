"""The decision server: policy decisions over HTTP, logged, hot-reloaded.

`clausewise serve POLICY...` (cli/serve.py) runs `create_app(settings)` on
uvicorn. The package is a client of the engine, as the diff is: it reads compiled
policies and never changes the engine to suit itself. One module per job:

  config.py     Settings: what `serve` was told, passed to each worker
  store.py      the loaded policies, their version hash, hot reload by polling
  checking.py   request text -> actions -> decision records (no HTTP in it)
  decisions.py  the decision log: one JSON line per decision, buffered
  metrics.py    Prometheus counters and histograms (prometheus_client)
  limits.py     body size, read timeout and bearer token
  problems.py   errors as JSON bodies: located diagnostics, never a traceback
  models.py     pydantic models of the responses, for the OpenAPI document
  routes.py     the endpoints
  app.py        the FastAPI app: lifespan, middleware, error handlers

It needs the `server` extra: `pip install 'clausewise[server]'`.
"""

from __future__ import annotations

from .config import Settings

__all__ = ["Settings", "create_app"]


def create_app(settings: Settings):  # type: ignore[no-untyped-def]
    """The ASGI app for `settings` (imported lazily: FastAPI is an optional extra)."""
    from .app import create_app as create

    return create(settings)
