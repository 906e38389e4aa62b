"""The endpoints. Each request takes one policy version at its start and uses only
that one, so a reload in the middle of a request never mixes two versions."""

from __future__ import annotations

import json
import time
from typing import Any, Literal

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..errors import did_you_mean
from ..renderers import render
from . import models
from .checking import Checked, check, check_batch, decode, parse
from .limits import read_body
from .metrics import CONTENT_TYPE
from .problems import ApiError
from .store import Slot, Version

router = APIRouter()

#: Content-Type values that make a batch JSONL rather than a JSON array
NDJSON_TYPES = ("application/x-ndjson", "application/jsonl", "application/json-lines",
                "application/ndjson")
#: the query parameters of the decision routes, read by `_decision_query` (declared to
#: FastAPI only for the document: its parameter machinery costs more than a decision)
DECISION_PARAMETERS = [
    {"name": "policy", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "which policy decides (its file name without extension); the first "
     "one given to `serve` by default"},
    {"name": "explain", "in": "query", "required": False,
     "schema": {"type": "boolean", "default": True},
     "description": "false: only the decision and its deciding clauses (as `check --jsonl "
     "--brief`), faster for a denial"},
]
VERSION_HEADER = "X-Clausewise-Version"


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": models.Error} for code in codes} | {500: {"model": models.Internal}}


def _body(schema: dict[str, Any], ndjson: bool = False) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": schema}}
    if ndjson:
        content["application/x-ndjson"] = {"schema": {
            "type": "string", "description": "one action (a JSON object) per line"}}
    return {"requestBody": {"required": True, "content": content},
            "parameters": DECISION_PARAMETERS}


ACTION_REF = {"$ref": "#/components/schemas/Action"}


@router.post("/v1/check", tags=["decide"], responses={
    200: {"model": models.Decision | models.LeanDecision}, **_errors(400, 401, 404, 408, 413)},
    openapi_extra=_body(ACTION_REF))
async def check_one(request: Request) -> Response:
    """Decide one action: the record `clausewise check --format json` prints, with the
    decision's id, the policy's name and its version hash."""
    state = request.app.state.clausewise
    deadline = time.monotonic() + state.settings.timeout
    policy, explain = _decision_query(request)
    slot = _slot(state, policy)
    version = slot.version
    text = decode(await read_body(request, state.settings.max_body, deadline))
    started = time.perf_counter()
    raw, action = parse(text, version)
    checked = check(raw, action, version, explain)
    state.metrics.decide_latency.observe(time.perf_counter() - started)
    return _json(state.stamp(slot, version, checked), version)


@router.post("/v1/check/batch", tags=["decide"], responses={
    200: {"model": models.Batch}, **_errors(400, 401, 404, 408, 413, 503)},
    openapi_extra=_body({"type": "array", "items": ACTION_REF}, ndjson=True))
async def check_many(request: Request) -> Response:
    """Decide a JSON array of actions, or JSONL (Content-Type: application/x-ndjson):
    every good action is answered in order around the bad ones, which get their
    located error; all by one policy version."""
    state = request.app.state.clausewise
    settings = state.settings
    deadline = time.monotonic() + settings.timeout
    policy, explain = _decision_query(request)
    slot = _slot(state, policy)
    version = slot.version
    text = decode(await read_body(request, settings.max_body, deadline))
    ndjson = request.headers.get("content-type", "").split(";")[0].strip().lower() \
        in NDJSON_TYPES
    started = time.perf_counter()
    results = check_batch(text, ndjson, version, explain, settings.max_batch, deadline)
    decided = sum(isinstance(r, Checked) for r in results)
    if decided:
        per_decision = (time.perf_counter() - started) / decided
        for _ in range(decided):
            state.metrics.decide_latency.observe(per_decision)
    out = [state.stamp(slot, version, r) if isinstance(r, Checked) else r for r in results]
    return _json({"policy": slot.name, "version": version.hash, "results": out}, version)


@router.get("/v1/policies", tags=["policies"], responses={200: {"model": models.Policies},
                                                          **_errors(401)})
async def policies(request: Request) -> Response:
    """Every loaded policy: its version hash, load time and files, and the error of its
    latest edit if that failed to load (the version shown goes on serving)."""
    state = request.app.state.clausewise
    return _json({"policies": [slot.as_json() for slot in state.store.slots.values()]})


@router.get("/v1/policies/{name}", tags=["policies"],
            responses={200: {"model": models.Policy}, **_errors(401, 404)})
async def one_policy(request: Request, name: str) -> Response:
    """One policy, as in /v1/policies."""
    return _json(_slot(request.app.state.clausewise, name).as_json())


@router.get("/v1/policies/{name}/render", tags=["policies"], responses={
    200: {"content": {"text/html": {}, "text/markdown": {}, "text/plain": {}}},
    **_errors(400, 401, 404)})
async def render_policy(request: Request, name: str,
                        format: Literal["html", "markdown", "text"] = "html") -> Response:
    """The published policy, rendered from the version that serves (as `clausewise
    render`)."""
    slot = _slot(request.app.state.clausewise, name)
    version = slot.version
    text = version.renders.get(format)
    if text is None:
        text = await anyio.to_thread.run_sync(render, version.engine.loaded, format)
        version.renders[format] = text
    media = {"html": "text/html", "markdown": "text/markdown", "text": "text/plain"}[format]
    return Response(text, media_type=f"{media}; charset=utf-8",
                    headers={VERSION_HEADER: version.hash})


@router.get("/health", tags=["operations"], responses={200: {"model": models.Health}})
async def health() -> Response:
    """The process answers."""
    return _json({"status": "ok"})


@router.get("/ready", tags=["operations"], responses={200: {"model": models.Ready}})
async def ready(request: Request) -> Response:
    """Ready to decide: every policy has a version serving. A policy whose latest edit
    failed to load is listed under `stale` with its error; the server stays ready, on
    the previous version, so that one bad edit does not take every replica out."""
    slots = request.app.state.clausewise.store.slots.values()
    listed = [{"name": s.name, "version": s.version.hash,
               "error": s.error.message if s.error else None} for s in slots]
    return _json({"ready": True, "stale": [p["name"] for p in listed if p["error"]],
                  "policies": listed})


@router.get("/metrics", tags=["operations"], responses={
    200: {"content": {CONTENT_TYPE: {}}}, **_errors(401)})
async def metrics(request: Request) -> Response:
    """Prometheus metrics in the text exposition format."""
    return Response(request.app.state.clausewise.metrics.exposition(),
                    media_type=CONTENT_TYPE)


def _decision_query(request: Request) -> tuple[str | None, bool]:
    query = request.query_params
    explain = query.get("explain", "true").lower()
    if explain not in BOOLEANS:
        raise ApiError(400, "bad-request", f"query.explain: `{explain}` is not true or false")
    return query.get("policy"), BOOLEANS[explain]


BOOLEANS = {"true": True, "1": True, "yes": True, "on": True,
            "false": False, "0": False, "no": False, "off": False}


def _slot(state: Any, name: str | None) -> Slot:
    slot = state.store.get(name)
    if slot is None:
        known = list(state.store.slots)
        raise ApiError(404, "unknown-policy", f"no policy named `{name}`",
                       help=did_you_mean(str(name), known) or
                       "loaded: " + ", ".join(f"`{k}`" for k in known))
    return slot


def _json(data: Any, version: Version | None = None) -> Response:
    headers = {VERSION_HEADER: version.hash} if version is not None else None
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                    media_type="application/json", headers=headers)

