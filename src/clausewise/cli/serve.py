"""`clausewise serve`: the decision server (needs the `server` extra)."""

from __future__ import annotations

import copy
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import click

from ..errors import UsageError
from . import EXIT_INPUT, EXIT_OK, include_root_option, main, reports_errors


@main.command()
@click.argument("policies", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 for every interface (then use --token-file).")
@click.option("--port", default=8181, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (about one per core).")
@click.option("--token-file", type=click.Path(dir_okay=False, exists=True),
              help="A file holding the bearer token every /v1 and /metrics request must "
              "send (Authorization: Bearer TOKEN).")
@click.option("--log", "log_target", metavar="FILE|-",
              help="Append one JSON line per decision to FILE, or to standard output for -.")
@click.option("--mask-data", is_flag=True,
              help="Leave fact values (an action's context) out of the decision log.")
@click.option("--max-body", default=1024 * 1024, show_default=True, type=click.IntRange(1),
              help="The largest request body, in bytes.")
@click.option("--max-batch", default=1000, show_default=True, type=click.IntRange(1),
              help="The most actions one batch may hold.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.001),
              help="Seconds a request may take, its body's upload included.")
@click.option("--reload-interval", default=0.5, show_default=True, type=click.FloatRange(0),
              help="Seconds between two looks at the policy files for hot reload; 0 for none.")
@click.option("--flush-interval", default=1.0, show_default=True,
              type=click.FloatRange(0.001), help="Seconds between writes of the decision log.")
@click.option("--graceful-timeout", default=30, show_default=True, type=click.IntRange(1),
              help="On SIGTERM, seconds to let requests in flight finish.")
@include_root_option
@reports_errors
def serve(policies: tuple[str, ...], host: str, port: int, workers: int,
          token_file: str | None, log_target: str | None, mask_data: bool, max_body: int,
          max_batch: int, timeout: float, reload_interval: float, flush_interval: float,
          graceful_timeout: int, include_root: str | None) -> None:
    """Serve decisions on POLICY... over HTTP (see docs/server.md).

    POST /v1/check and /v1/check/batch decide actions (?policy=NAME picks a policy by
    its file name without extension; the first by default); GET /v1/policies,
    /v1/policies/NAME/render, /health, /ready, /metrics, and the OpenAPI at /docs.
    Policy files are watched: a valid edit is swapped in, a bad one is reported and
    the previous version goes on serving. SIGTERM drains the requests in flight and
    flushes the decision log. Exit code 2 for a bad policy or option.
    """
    try:
        import uvicorn

        from ..server import Settings
        from ..server.app import create_app
    except ImportError as exc:
        raise UsageError.single("missing-extra", f"the server needs the `server` extra "
                                f"({exc.name} is not installed)",
                                help="pip install 'clausewise[server]'") from None
    settings = Settings(policies=policies, token=_token(token_file), log=log_target,
                        mask_data=mask_data, max_body=max_body, max_batch=max_batch,
                        timeout=timeout, reload_interval=reload_interval,
                        flush_interval=flush_interval, include_root=include_root,
                        multiprocess=workers > 1)
    options = dict(host=host, port=port, access_log=False, log_config=_log_config(),
                   timeout_graceful_shutdown=graceful_timeout, server_header=False)
    if workers == 1:
        server = uvicorn.Server(uvicorn.Config(create_app(settings), **options))  # loads now
        # uvicorn hands a signal it stopped on back to the handler it found: with these,
        # a drained shutdown on SIGTERM or Ctrl-C ends with exit code 0, as with workers
        for stop in (signal.SIGTERM, signal.SIGINT):
            signal.signal(stop, lambda number, frame: None)
        server.run()
        sys.exit(EXIT_OK if server.started else EXIT_INPUT)
    from ..server.store import PolicyStore

    PolicyStore(policies, include_root)  # every policy is valid before a worker starts
    os.environ["CLAUSEWISE_SERVE_SETTINGS"] = settings.to_env()
    made = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    metrics_dir = tempfile.mkdtemp(prefix="clausewise-metrics-") if made else \
        os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    try:
        uvicorn.run("clausewise.server.app:app_from_env", factory=True, workers=workers,
                    **options)
    finally:
        if made:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _token(path: str | None) -> str | None:
    if path is None:
        return None
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError.single("usage", f"cannot read the token file `{path}`: "
                                f"{str(exc).lower()}") from None
    if not token or any(c.isspace() for c in token):
        raise UsageError.single("usage", f"the token file `{path}` must hold one token, "
                                "without spaces")
    return token


def _log_config() -> dict[str, object]:
    """uvicorn's logging, all of it on stderr (stdout may carry the decision log)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    for handler in config["handlers"].values():
        handler["stream"] = "ext://sys.stderr"
    config["loggers"]["clausewise.server"] = {"handlers": ["default"], "level": "INFO",
                                              "propagate": False}
    return config
