"""The Jinja environments, the filters templates use, and located template errors.

One module-level `ENV` (StrictUndefined, autoescape for `*.html.j2`) renders
the built-in templates. User templates (`--templates DIR`) run in a
`SandboxedEnvironment` that finds the user's file first and ours after it, so
a user overrides one template by giving a file of the same name, and that
bounds the size of all it makes (bounds.py) and the time it takes. Every value
a template writes goes through `finalize`, which shows control and bidi
characters as escapes (safe_text.py) in every format. Any failure to compile
or render a template becomes a `TemplateError` located at the template's file
and line.
"""

from __future__ import annotations

import os
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
from ..safe_text import visible, visible_line
from .bounds import BoundedSandbox, TemplateLimit, check_value
from .markdown import URL, code_span, md

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _autoescape(name: str | None) -> bool:
    return name is not None and name.endswith((".html.j2", ".html", ".htm"))


def wrap(text: str, width: int = 80, indent: str = "", subsequent: str | None = None) -> str:
    """Fill a paragraph to `width` columns; never split a word on its hyphens (phone numbers)."""
    text = visible_line(" ".join(str(text).split()))
    return textwrap.fill(text, width=width, initial_indent=indent,
                         subsequent_indent=indent if subsequent is None else subsequent,
                         break_on_hyphens=False, break_long_words=True)


def underline(text: str, char: str = "-") -> str:
    """A rule as wide as `text` as printed (at most 80), drawn with `char`."""
    width, char = min(len(visible_line(str(text))), 80), str(char) or "-"
    return (char * (width // len(char) + 1))[:width]


def linkify(text: str) -> Markup:
    """Escaped HTML with the URLs in it made links (the text itself stays text)."""
    text = str(text)
    out, pos = [], 0
    for match in URL.finditer(text):
        out.append(escape(text[pos:match.start()]))
        url = escape(match.group())
        out.append(Markup(f'<a href="{url}">{url}</a>'))
        pos = match.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def finalize(value: Any) -> Any:
    """What `{{ ... }}` writes: text with control and bidi characters shown as escapes."""
    if isinstance(value, str):
        shown = visible(value)
        return value if shown is value else Markup(shown) if isinstance(value, Markup) else shown
    if hasattr(value, "__html__"):
        return value
    check_value(value, "writing this value")
    return visible(str(value))


def _configure(env: Environment) -> Environment:
    env.filters.update(wrap=wrap, underline=underline, md=md, code=code_span, linkify=linkify)
    return env


_OPTIONS: dict[str, Any] = dict(undefined=StrictUndefined, autoescape=_autoescape,
                                finalize=finalize, trim_blocks=True, lstrip_blocks=True,
                                keep_trailing_newline=True)
_BUILTIN = FileSystemLoader(str(TEMPLATES))
ENV: Environment = _configure(Environment(loader=_BUILTIN, **_OPTIONS))


#: what a user template may cost in seconds (bounds.py bounds its size)
USER_TEMPLATE_SECONDS = 10


def sandboxed(directory: str | os.PathLike[str]) -> SandboxedEnvironment:
    """An environment for a user's templates: theirs first, ours as fallback, sandboxed."""
    loader = ChoiceLoader([FileSystemLoader(os.fspath(directory)), _BUILTIN])
    env = BoundedSandbox(loader=loader, **_OPTIONS)
    _configure(env)
    env.bound_filters()
    return env


def render_template(name: str, context: dict[str, Any], env: Environment | None = None) -> str:
    """Render template `name`; raises `TemplateError` pointing at the failing template line."""
    env = env or ENV
    try:
        with _time_limit(USER_TEMPLATE_SECONDS if isinstance(env, SandboxedEnvironment) else 0):
            if not isinstance(env, BoundedSandbox):
                return env.get_template(name).render(context)
            env.begin()
            return "".join(env.written(env.get_template(name).generate(context)))
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
    elif isinstance(exc, TemplateLimit):
        code, message = "template-limit", f"template too big: {exc}"
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
