"""What a request may cost: its body's size, the time to send it, and who may send it."""

from __future__ import annotations

import asyncio
import hmac
import time

from starlette.requests import Request

from .problems import ApiError


async def read_body(request: Request, max_body: int, deadline: float) -> bytes:
    """The body, or a 413 past `max_body` bytes, or a 408 past `deadline` (monotonic)."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > max_body:
        raise _too_large(max_body)
    chunks: list[bytes] = []
    size = 0
    receive = request.receive
    try:
        async with asyncio.timeout(max(deadline - time.monotonic(), 0.0)):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise ApiError(400, "disconnected", "the client went away before the "
                                   "body was received", close=True)
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > max_body:
                    raise _too_large(max_body)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
    except TimeoutError:
        raise ApiError(408, "timeout", "the request body was not received within the "
                       "request timeout", close=True) from None
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _too_large(max_body: int) -> ApiError:
    return ApiError(413, "too-large", f"the request body is larger than {max_body} bytes",
                    help="send fewer actions at once, or start the server with a larger "
                    "--max-body", close=True)


def authorized(header: str | None, token: str | None) -> bool:
    """Whether `Authorization: Bearer <token>` carries the token (a constant-time compare)."""
    if token is None:
        return True
    if header is None:
        return False
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))
