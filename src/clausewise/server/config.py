"""What `clausewise serve` was told, as one frozen value that each worker rebuilds.

With `--workers N` uvicorn starts N processes that import the app by name, so the
settings travel to them as JSON in an environment variable.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

#: the environment variable that carries the settings to uvicorn's worker processes
ENV_VAR = "CLAUSEWISE_SERVE_SETTINGS"


@dataclass(frozen=True)
class Settings:
    policies: tuple[str, ...]
    #: the bearer token clients must send, or None for no authentication
    token: str | None = field(default=None, repr=False)
    #: the decision log: a file path, "-" for standard output, or None for none
    log: str | None = None
    #: leave fact values (`context`) out of the decision log
    mask_data: bool = False
    #: the largest request body, in bytes
    max_body: int = 1024 * 1024
    #: the most actions one batch may hold
    max_batch: int = 1000
    #: seconds a request may take, reading its body included
    timeout: float = 10.0
    #: seconds between two looks at the policy files; 0 turns hot reload off
    reload_interval: float = 1.0
    #: seconds between two flushes of the decision log
    flush_interval: float = 1.0
    #: the directory includes must stay inside (default: each policy's own directory)
    include_root: str | None = None
    #: set by `serve --workers N` for N > 1: metrics are gathered across processes
    multiprocess: bool = False

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> Settings:
        data = json.loads(os.environ[ENV_VAR])
        data["policies"] = tuple(data["policies"])
        return cls(**data)
