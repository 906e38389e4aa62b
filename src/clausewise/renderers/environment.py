"""The Jinja environments, the filters templates use, and located template errors.

One module-level `ENV` (StrictUndefined, autoescape for `*.html.j2`) renders
the built-in templates. User templates (`--templates DIR`) run in a
`SandboxedEnvironment` that finds the user's file first and ours after it, so
a user overrides one template by giving a file of the same name, and that
bounds the size of all it makes (bounds.py) and the time it takes. Every value
a template writes goes through `finalize`, which shows control and bidi
characters as escapes (safe_text.py) in every format. Any failure to compile
or render a template becomes a `TemplateError` located at the template's file
and line: an include of a missing template at the include (with the templates
there are), a user's file that is not UTF-8 at its first bad byte, and a
template that names itself at the line that closes the cycle (bounds.py).
"""

from __future__ import annotations

import os
import posixpath
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
from jinja2.exceptions import TemplatesNotFound
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from .. import model as m
from ..errors import Diagnostic, TemplateError, did_you_mean
from ..safe_text import visible, visible_line
from .bounds import (BoundedSandbox, Refused, TemplateCycle, TemplateLimit, TemplateNesting,
                     check_value)
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


#: templates a `template-not-found` help line lists at most
_LISTED = 12


class _UserLoader(FileSystemLoader):
    """A user's directory of templates, where a file that is not UTF-8 is a located error."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            raise self._not_utf8(template) from None

    def _not_utf8(self, template: str) -> TemplateError:
        """The error at the first byte of `template` that is not UTF-8 (found as Jinja does)."""
        pieces = split_template_path(template)
        file = next((f for f in (posixpath.join(p, *pieces) for p in self.searchpath)
                     if os.path.isfile(f)), template)
        try:
            data = Path(file).read_bytes()
        except OSError:
            data = b"\xff"  # gone since Jinja read it: its start is the place
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            start, end, reason = exc.start, exc.end, exc.reason
        else:  # changed since Jinja read it: the whole file is the place
            start, end, reason = 0, 1, "it changed while being read"
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8")) + 1
        shown = "".join(f"\\x{byte:02x}" for byte in data[start:end])
        span = m.Span(file=file, line=line, column=column, end_line=line,
                      end_column=column + 4 * (end - start))
        return TemplateError((Diagnostic(
            "template-encoding", f"template `{template}` is not UTF-8 text: byte `{shown}` "
            f"at line {line}, column {column} ({reason})", span,
            "save the file as UTF-8"),), {file: data.decode("utf-8", "backslashreplace")})


def sandboxed(directory: str | os.PathLike[str]) -> SandboxedEnvironment:
    """An environment for a user's templates: theirs first, ours as fallback, sandboxed."""
    loader = ChoiceLoader([_UserLoader(os.fspath(directory)), _BUILTIN])
    env = BoundedSandbox(loader=loader, **_OPTIONS)
    env.builtin_dir = os.path.join(str(TEMPLATES), "")
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
    except TemplateError:
        raise  # located already (a user's file that is not UTF-8)
    except TemplateNotFound as exc:
        located = _locate(exc)
        if located is None:
            raise TemplateError((_not_found(exc, env, None),)) from None
        raise _template_error(exc, *located, env=env) from None
    except UnicodeDecodeError as exc:
        raise TemplateError((Diagnostic("template-encoding", f"a template is not UTF-8 text: "
                                        f"{exc.reason}", None, "save it as UTF-8"),)) from None
    except Exception as exc:  # a template may raise anything; only located ones are ours
        located = exc.where if isinstance(exc, Refused) else _locate(exc)
        if located is None and isinstance(env, SandboxedEnvironment):
            # a user's template failed where Jinja keeps no line (constant folding while
            # it compiles, say): still the template's error, not ours
            raise TemplateError((Diagnostic(
                "template-error", f"rendering `{name}` failed: "
                f"{visible_line(str(exc))[:200] or type(exc).__name__}", None,
                "check the expressions of your templates"),)) from None
        if located is None:
            raise
        raise _template_error(exc, *located, env=env) from None


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


def _template_error(exc: BaseException, file: str, line: int,
                    env: Environment | None = None) -> TemplateError:
    sources = _source(exc, file)
    span = m.Span(file=file, line=line, column=1, end_line=line, end_column=1)
    if isinstance(exc, (TemplateNotFound, Refused)):
        span = _at_name(span, sources.get(file), str(exc.name))
    help = None
    if isinstance(exc, TemplateNotFound):
        return TemplateError((_not_found(exc, env, span),), sources)
    if isinstance(exc, TemplateSyntaxError):
        code, message = "template-syntax", f"template syntax error: {exc.message}"
    elif isinstance(exc, TemplateCycle):
        code, message, help = "template-cycle", str(exc), _cycle_help(exc.name, file)
    elif isinstance(exc, TemplateNesting):
        code, message = "template-limit", str(exc)
        help = "a structure of unknown depth is better drawn by a recursive macro or loop"
    elif isinstance(exc, RecursionError):
        code, message = "template-limit", "macros call themselves or one another too deeply"
    elif isinstance(exc, TemplateLimit):
        code, message = "template-limit", f"template too big: {exc}"
    elif isinstance(exc, SecurityError):
        code, message = "template-unsafe", f"unsafe operation in template: {exc}"
    elif isinstance(exc, UndefinedError):
        code, message = "template-undefined", f"undefined in template: {exc.message}"
    else:
        code, message = "template-error", f"template failed: {type(exc).__name__}: {exc}"
    return TemplateError((Diagnostic(code, message, span, help),), sources)


def _cycle_help(name: str, file: str) -> str:
    if Path(file).name == name and (TEMPLATES / name).is_file():
        return f"a user's `{name}` replaces ours, so it cannot extend or include ours; " \
               "copy ours into it instead"
    return "a template cannot render inside itself; move the part they share into a " \
           "template of its own and include that"


def _source(exc: BaseException, file: str) -> dict[str, str]:
    """The text of `file`, to print the failing line from."""
    if isinstance(exc, TemplateSyntaxError) and exc.source is not None:
        return {file: exc.source}
    try:
        return {file: Path(file).read_text(encoding="utf-8")}
    except (OSError, ValueError):
        return {}


def _at_name(span: m.Span, source: str | None, name: str) -> m.Span:
    """`span` narrowed to where its line names template `name` (`'name'` or `"name"`)."""
    lines = source.split("\n") if source is not None else []
    text = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
    for quoted in (f"'{name}'", f'"{name}"'):
        found = text.find(quoted)
        if found >= 0:
            return m.Span(file=span.file, line=span.line, column=found + 1,
                          end_line=span.line, end_column=found + 1 + len(quoted))
    return span


def _not_found(exc: TemplateNotFound, env: Environment | None,
               span: m.Span | None) -> Diagnostic:
    """`template-not-found`, with the closest template there is and the ones there are."""
    names = [str(n) for n in exc.templates] if isinstance(exc, TemplatesNotFound) \
        else [str(exc.name)]
    try:
        known = sorted(set(env.list_templates())) if env is not None else []
    except (OSError, TypeError):
        known = []
    if len(names) == 1:
        message = f"template `{names[0]}` not found"
    else:
        message = "none of the templates " + ", ".join(f"`{n}`" for n in names) + " was found"
    hints = [did_you_mean(names[-1], known)]
    if known:
        listed = ", ".join(f"`{n}`" for n in known[:_LISTED])
        more = len(known) - _LISTED
        hints.append(f"the templates are {listed}" + (f" and {more:,} more" if more > 0 else ""))
    return Diagnostic("template-not-found", message, span,
                      " ".join(h for h in hints if h) or None)
