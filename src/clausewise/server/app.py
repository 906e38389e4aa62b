"""The FastAPI app: its state, lifespan, middleware and error handlers.

The middleware is plain ASGI (no BaseHTTPMiddleware, whose cost shows at
thousands of requests a second): it checks the bearer token, times and counts each
request, calls the two decision routes itself (FastAPI's routing and parameter
machinery cost as much as a decision; FastAPI still documents them), and turns an
unexpected exception into a short 500 whose traceback goes to the log under an
incident id.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..engine.action import Action
from ..errors import ActionError
from .checking import Checked
from .config import Settings
from .decisions import DecisionLog, new_id, record
from .limits import authorized
from .metrics import Metrics
from .problems import ApiError, error_kind
from .routes import check_many, check_one, router
from .store import PolicyStore, Slot, Version

log = logging.getLogger("clausewise.server")

#: paths anyone may read without the token: probes and the API's description
OPEN_PATHS = frozenset({"/health", "/ready", "/docs", "/docs/oauth2-redirect", "/openapi.json"})
ENDPOINTS = frozenset({"/v1/check", "/v1/check/batch", "/v1/policies", "/health", "/ready",
                       "/metrics", "/docs", "/openapi.json"})


class ServerState:
    """What the routes share: settings, policies, the decision log and the metrics."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.metrics = Metrics(settings.multiprocess)
        self.store = PolicyStore(settings.policies, settings.include_root)
        self.log = DecisionLog(settings.log, settings.flush_interval)
        self._counters: dict[tuple[str, str], Any] = {}

    def stamp(self, slot: Slot, version: Version, checked: Checked) -> dict[str, Any]:
        """Log the decision and count it; the answer with its id, policy and version."""
        decision_id = new_id()
        if self.log.enabled:
            self.log.write(record(decision_id, slot.name, version.hash, checked.action,
                                  checked.decision, self.settings.mask_data))
        key = (slot.name, checked.decision.effect)
        counter = self._counters.get(key)
        if counter is None:
            counter = self._counters[key] = self.metrics.decisions.labels(*key)
        counter.inc()
        return {**checked.record, "id": decision_id, "policy": slot.name,
                "version": version.hash}

    def start(self) -> None:
        if self.settings.reload_interval > 0:
            self.store.watch(self.settings.reload_interval, self.metrics.reloaded)

    def close(self) -> None:
        self.store.stop()
        self.log.close()
        self.metrics.close()


def create_app(settings: Settings) -> FastAPI:
    """The app for `settings`; loads every policy now (raises `PolicyError`)."""
    state = ServerState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.start()
        try:
            yield
        finally:  # after uvicorn has drained the requests in flight
            state.close()

    app = FastAPI(title="clausewise decision server", version=_version(), lifespan=lifespan,
                  description="Privacy-policy decisions over HTTP: each decision explained, "
                  "logged and stamped with the policy version that made it.")
    app.state.clausewise = state
    app.include_router(router)
    app.add_middleware(Guard, state=state)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(ActionError, _action_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def app_from_env() -> FastAPI:
    """The factory uvicorn's worker processes call (`serve --workers N`)."""
    return create_app(Settings.from_env())


class Guard:
    """Token check, metrics and the last line of defence against a traceback."""

    def __init__(self, app: ASGIApp, state: ServerState) -> None:
        self.app, self.state = app, state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        endpoint = _endpoint(path)
        started = time.perf_counter()
        status = 500
        sent = False

        async def send_status(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status, sent = message["status"], True
            await send(message)

        metrics = self.state.metrics
        try:
            if path not in OPEN_PATHS and not authorized(_header(scope, b"authorization"),
                                                         self.state.settings.token):
                error = ApiError(401, "unauthorized", "a valid bearer token is required",
                                 help="send Authorization: Bearer <token>")
                await _answer(error, send_status, {"www-authenticate": "Bearer"})
            elif scope["method"] == "POST" and path in FAST_LANE:
                await self._fast(FAST_LANE[path], scope, receive, send_status)
            else:
                await self.app(scope, receive, send_status)
        except Exception as exc:  # noqa: BLE001 - an unexpected error is a 500, not a trace
            incident = uuid.uuid4().hex[:12]
            log.exception("internal error, incident %s: %s %s", incident, scope["method"], path)
            metrics.errors.labels("internal").inc()
            if not sent:
                body = {"error": "internal", "incident": incident, "message": "internal "
                        f"error ({type(exc).__name__}); this is a bug, please report it "
                        f"with incident {incident} and the request that caused it"}
                await _send(send_status, 500, body, {})
        finally:
            metrics.requests.labels(endpoint, str(status)).inc()
            metrics.latency.labels(endpoint).observe(time.perf_counter() - started)


    async def _fast(self, route: Callable[[Request], Awaitable[Response]], scope: Scope,
                    receive: Receive, send: Send) -> None:
        """A decision route called straight from here, past FastAPI's routing and
        parameter machinery (which cost as much as the decision): the same function,
        with the same error handling, as the route FastAPI documents."""
        request = Request(scope, receive)
        try:
            response = await route(request)
        except ApiError as exc:
            response = _response(request, exc)
        except ActionError as exc:
            response = await _action_error(request, exc)
        await response(scope, receive, send)


#: the routes that decide, by path: answered by `Guard._fast`
FAST_LANE = {"/v1/check": check_one, "/v1/check/batch": check_many}


def _endpoint(path: str) -> str:
    """The route, as a label of bounded cardinality."""
    if path in ENDPOINTS:
        return path
    if path.startswith("/v1/policies/"):
        return "/v1/policies/{name}/render" if path.endswith("/render") else \
            "/v1/policies/{name}"
    return "other"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


async def _answer(error: ApiError, send: Send, headers: dict[str, str]) -> None:
    await _send(send, error.status, error.body(), headers)


async def _send(send: Send, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
    data = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": data})


def _response(request: Request, error: ApiError) -> Response:
    request.app.state.clausewise.metrics.errors.labels(error.code).inc()
    headers = {"connection": "close"} if error.close else None
    return Response(json.dumps(error.body(), ensure_ascii=False), status_code=error.status,
                    media_type="application/json", headers=headers)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _response(request, exc)


async def _action_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ActionError)
    return _response(request, ApiError(400, error_kind(exc), exc.diagnostics[0].message,
                                       error=exc))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    return _response(request, ApiError(400, "bad-request", f"{where}: {first['msg'].lower()}"))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
    return _response(request, ApiError(exc.status_code, code, str(exc.detail).lower()))


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with the engine's `Action` model as the request body."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version,
                               description=app.description, routes=app.routes)
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        action = Action.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(action.pop("$defs", {}))
        schemas["Action"] = action
        app.openapi_schema = document
    return app.openapi_schema


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("clausewise")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "0"
