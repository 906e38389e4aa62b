"""The responses' shapes, as pydantic models, for the OpenAPI document at /docs.

The request body of /v1/check is the engine's own `Action` model, the one
`clausewise schema action` prints (app.py puts it in the document). The routes
write their JSON directly (to_dict's records, for speed); tests validate real
answers against these models, which forbid unknown fields, so they cannot drift.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Strict = ConfigDict(extra="forbid")


class Span(BaseModel):
    model_config = Strict
    file: str
    line: int
    column: int
    end_line: int
    end_column: int


class Diagnostic(BaseModel):
    model_config = Strict
    code: str = Field(description="a stable error code, e.g. unknown-term")
    message: str
    help: str | None = None
    span: Span | None = Field(description="where in the body (or policy file) it is")


class Error(BaseModel):
    """An error: `text` is what the CLI prints for the same problem."""

    model_config = Strict
    error: str = Field(description="the kind: bad-action, bad-json, too-large, unauthorized, "
                       "timeout, internal, ...")
    message: str
    diagnostics: list[Diagnostic]
    text: str = Field(description="the diagnostics formatted as `clausewise check` prints "
                      "them: file:line:col, the source line and a caret")


class Internal(BaseModel):
    model_config = Strict
    error: Literal["internal"]
    message: str
    incident: str = Field(description="the id under which the server logged the traceback")


class Reason(BaseModel):
    model_config = Strict
    clause: str | None
    kind: str | None
    effect: str
    source: str | None = Field(description="file:line:column of the clause")
    text: str | None = Field(description="the clause's own wording")
    role: str
    category: str | None
    data: list[str] = Field(default_factory=list, description="every data item the clause "
                            "decided (the reasons are grouped per clause)")
    why: str


class Obligation(BaseModel):
    model_config = Strict
    clause: str
    duty: str
    text: str


class Unmet(BaseModel):
    model_config = Strict
    clause: str | None
    needs: str


class Change(BaseModel):
    model_config = Strict
    change: str = Field(description="narrow (the data), give or change (a dimension), match "
                        "(every dimension a permission needs), set (a fact)")
    field: str
    value: Any
    text: str


class ToAllow(BaseModel):
    model_config = Strict
    text: str = Field(description="the changes in words, or why no change allows it")
    changes: list[Change] = Field(description="applied to the action, they make it allowed "
                                  "(checked); empty when none does")


class Stamp(BaseModel):
    """What every decision carries besides the engine's record."""

    model_config = Strict
    id: str = Field(description="the decision's id, as in the decision log")
    policy: str = Field(description="the policy's name (its file name without extension)")
    version: str = Field(description="the policy version's hash (sha256 of its texts, 12 "
                         "hex digits)")


class Decision(Stamp):
    """The record `clausewise check --format json` prints, with the stamp."""

    decision: Literal["allow", "deny"]
    reasons: list[Reason]
    obligations: list[Obligation]
    unmet: list[Unmet]
    to_allow: list[ToAllow] = Field(default_factory=list, description="changes of the action "
                                    "that allow it, each checked by deciding it again")
    nearest: list[Reason]
    assumptions: list[Reason]
    remedies: list[Obligation] = Field(default_factory=list, description="what the "
                                       "deciding prohibitions promise if it happens anyway")


class LeanDecision(Stamp):
    """`?explain=false`: the decision and its deciding clauses, as `check --brief`."""

    decision: Literal["allow", "deny"]
    clauses: list[str]


class Position(BaseModel):
    index: int = Field(description="the action's place in the batch, from 0")
    line: int | None = Field(default=None, description="its line, for JSONL")


class BatchDecision(Position, Decision):
    pass


class BatchLeanDecision(Position, LeanDecision):
    pass


class BatchError(Position):
    model_config = Strict
    error: Error


class Batch(BaseModel):
    model_config = Strict
    policy: str
    version: str = Field(description="the one version that decided every action of the batch")
    results: list[BatchDecision | BatchLeanDecision | BatchError]


class ReloadError(BaseModel):
    model_config = Strict
    at: str
    message: str
    diagnostics: list[Diagnostic]
    text: str


class Policy(BaseModel):
    model_config = Strict
    name: str
    path: str
    version: str
    loaded_at: str
    clauses: int
    files: list[str]
    error: ReloadError | None = Field(description="the latest edit, when it failed to load")


class Policies(BaseModel):
    model_config = Strict
    policies: list[Policy]


class ReadyPolicy(BaseModel):
    model_config = Strict
    name: str
    version: str
    error: str | None


class Ready(BaseModel):
    model_config = Strict
    ready: bool
    stale: list[str] = Field(description="policies whose latest edit failed to load: the "
                             "previous version goes on serving")
    policies: list[ReadyPolicy]


class Health(BaseModel):
    model_config = Strict
    status: Literal["ok"]
