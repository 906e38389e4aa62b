"""The Jinja environments, the filters templates use, and located template errors.

One module-level `ENV` (StrictUndefined, autoescape for `*.html.j2`) renders
the built-in templates. User templates (`--templates DIR`) run in a
`SandboxedEnvironment` that finds the user's file first and ours after it, so
a user overrides one template by giving a file of the same name. Any failure
to compile or render a template becomes a `TemplateError` located at the
template's file and line.
"""

from __future__ import annotations

import os
import re
import signal
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, StrictUndefined,
                    TemplateNotFound, TemplateSyntaxError, UndefinedError)
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from .. import model as m
from ..errors import Diagnostic, TemplateError

TEMPLATES = Path(__file__).resolve().parent / "templates"

_URL = re.compile(r"https?://[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]]")
_MD_INLINE = re.compile(r"([\\`*_\[\]<>])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_BLOCK_START = re.compile(r"^([#>+=~-])|^(\d+)([.)])")


def _autoescape(name: str | None) -> bool:
    return name is not None and name.endswith((".html.j2", ".html", ".htm"))


def wrap(text: str, width: int = 80, indent: str = "", subsequent: str | None = None) -> str:
    """Fill a paragraph to `width` columns; never split a word on its hyphens (phone numbers)."""
    return textwrap.fill(" ".join(str(text).split()), width=width, initial_indent=indent,
                         subsequent_indent=indent if subsequent is None else subsequent,
                         break_on_hyphens=False, break_long_words=True)


def underline(text: str, char: str = "-") -> str:
    return char * min(len(str(text)), 80)


def _md_text(text: str) -> str:
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_ENTITY.sub(r"\\&", text)


def md(text: str) -> str:
    """Inline CommonMark: punctuation escaped, URLs as autolinks, no block starts."""
    text = " ".join(str(text).split())
    out, pos = [], 0
    for match in _URL.finditer(text):
        out.append(_md_text(text[pos:match.start()]))
        out.append(f"<{match.group()}>")
        pos = match.end()
    out.append(_md_text(text[pos:]))
    result = "".join(out)
    return _MD_BLOCK_START.sub(lambda g: f"\\{g.group(1)}" if g.group(1)
                               else f"{g.group(2)}\\{g.group(3)}", result, count=1)


def linkify(text: str) -> Markup:
    """Escaped HTML with the URLs in it made links (the text itself stays text)."""
    text = str(text)
    out, pos = [], 0
    for match in _URL.finditer(text):
        out.append(escape(text[pos:match.start()]))
        url = escape(match.group())
        out.append(Markup(f'<a href="{url}">{url}</a>'))
        pos = match.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def _configure(env: Environment) -> Environment:
    env.filters.update(wrap=wrap, underline=underline, md=md, linkify=linkify)
    return env


_OPTIONS: dict[str, Any] = dict(undefined=StrictUndefined, autoescape=_autoescape,
                                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
_BUILTIN = FileSystemLoader(str(TEMPLATES))
ENV: Environment = _configure(Environment(loader=_BUILTIN, **_OPTIONS))


#: what a user template may cost: seconds of rendering, items made by one `*`
USER_TEMPLATE_SECONDS = 10
MAX_REPEAT = 1_000_000


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, plus bounds on `*` and `**`, which it lets run to any size."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*" and isinstance(left, int) and isinstance(right, (str, list, tuple)):
            left, right = right, left
        if operator == "*" and isinstance(left, (str, list, tuple)) and isinstance(right, int) \
                and len(left) * right > MAX_REPEAT:
            raise SecurityError(f"`*` would make more than {MAX_REPEAT:,} items")
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError("`**` with an exponent over 64 is not allowed in a template")
        return super().call_binop(context, operator, left, right)


def sandboxed(directory: str | os.PathLike[str]) -> SandboxedEnvironment:
    """An environment for a user's templates: theirs first, ours as fallback, sandboxed."""
    loader = ChoiceLoader([FileSystemLoader(os.fspath(directory)), _BUILTIN])
    env = BoundedSandbox(loader=loader, **_OPTIONS)
    _configure(env)
    return env


def render_template(name: str, context: dict[str, Any], env: Environment | None = None) -> str:
    """Render template `name`; raises `TemplateError` pointing at the failing template line."""
    env = env or ENV
    try:
        with _time_limit(USER_TEMPLATE_SECONDS if isinstance(env, SandboxedEnvironment) else 0):
            return env.get_template(name).render(context)
    except _TimeUp:
        raise TemplateError((Diagnostic(
            "template-timeout", f"rendering `{name}` took longer than {USER_TEMPLATE_SECONDS} "
            "seconds; a loop in a user template may not end", None),)) from None
    except TemplateNotFound as exc:
        raise TemplateError((Diagnostic("template-not-found",
                                        f"template `{exc.name}` not found"),)) from None
    except UnicodeDecodeError as exc:
        raise TemplateError((Diagnostic("template-encoding", f"a template is not UTF-8 text: "
                                        f"{exc.reason}", None, "save it as UTF-8"),)) from None
    except Exception as exc:  # a template may raise anything; only located ones are ours
        located = _locate(exc)
        if located is None:
            raise
        raise _template_error(exc, *located) from None


class _TimeUp(BaseException):
    """Raised inside a render that ran out of time (not an Exception: templates can't catch it)."""


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Stop the block after `seconds` (0: no limit); only the main thread can have alarms."""
    if not seconds or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _locate(exc: BaseException) -> tuple[str, int] | None:
    """The template file and line where `exc` happened (Jinja rewrites tracebacks so)."""
    if isinstance(exc, TemplateSyntaxError):
        return (exc.filename or exc.name or "<template>", exc.lineno or 1)
    found = None
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if "__jinja_exception__" in tb.tb_frame.f_globals or filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_error(exc: BaseException, file: str, line: int) -> TemplateError:
    if isinstance(exc, TemplateSyntaxError):
        code, message = "template-syntax", f"template syntax error: {exc.message}"
    elif isinstance(exc, SecurityError):
        code, message = "template-unsafe", f"unsafe operation in template: {exc}"
    elif isinstance(exc, UndefinedError):
        code, message = "template-undefined", f"undefined in template: {exc.message}"
    else:
        code, message = "template-error", f"template failed: {type(exc).__name__}: {exc}"
    span = m.Span(file=file, line=line, column=1, end_line=line, end_column=1)
    sources: dict[str, str] = {}
    if isinstance(exc, TemplateSyntaxError) and exc.source is not None:
        sources[file] = exc.source
    else:
        try:
            sources[file] = Path(file).read_text(encoding="utf-8")
        except (OSError, ValueError):
            pass
    return TemplateError((Diagnostic(code, message, span),), sources)
