"""Bounds on what a user template may make, so that no template can exhaust memory.

Jinja's sandbox keeps a template away from Python's internals, but not from
asking for gigabytes: `center(999999999)`, `'%0999999999d' % 1`,
`'{:>999999999}'.format(1)`, `~` doubling in a loop. `BoundedSandbox` checks
each operation that can grow a value (a call, an operator, a `~`, a filter)
*before* it runs, from its arguments (a width, a count, the sizes it joins),
checks what it returns, and counts the bytes of all that a render makes and
writes against one budget. A violation is a `TemplateLimit` raised in the
template's own frame, which `environment.render_template` reports as
`template:line`.

Jinja has no bound of its own on `{% include %}`, `{% extends %}` and
`{% import %}`: a template that names itself nests until Python's recursion
limit. `BoundedSandbox` looks at the templates rendering on the stack each time
one asks for another, refuses one that is already among them (a
`TemplateCycle`, located in the user's file that closes the cycle) and any
nesting deeper than `MAX_NESTING`.
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from string import Formatter
from typing import Any

from jinja2 import Template, nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.environment import TemplateModule
from jinja2.filters import make_attrgetter
from jinja2.nodes import Concat
from jinja2.sandbox import SandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from jinja2.utils import generate_lorem_ipsum
from markupsafe import Markup

from .sizes import (CONTAINERS, FILTER_SIZES, MAX_INT_BITS, MAX_SIZE, STRUCTURAL, TemplateLimit,
                    as_int, as_text, check, check_value, measure, percent_size,
                    text_method_size)

__all__ = ["MAX_MADE", "MAX_NESTING", "MAX_SIZE", "BoundedSandbox", "Refused", "TemplateCycle",
           "TemplateLimit", "TemplateNesting", "check_value"]

#: bytes of all the strings and lists one render makes, and of what it writes
MAX_MADE = 100_000_000
#: templates that may be rendering inside one another (include, extends, import)
MAX_NESTING = 20
_VERBS: dict[type[nodes.Node], str] = {nodes.Extends: "extends", nodes.Include: "includes",
                                       nodes.Import: "imports", nodes.FromImport: "imports"}
_ITEM_BYTES = 40  # what one more item of a list costs: its slot and a small object
_DIGITS = re.compile(r"\d+")
_PASSED = frozenset({"context", "eval_ctx", "environment", "env"})



class _BoundedFormatting:
    """`str.format` that refuses a huge width and stops once its result is too big."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.made = 0

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        check_value(value, "`format`")
        return super().convert_field(value, conversion)  # type: ignore[misc]

    def format_field(self, value: Any, format_spec: str) -> Any:
        check(max((int(n) for n in _DIGITS.findall(format_spec)), default=0), "a format width")
        check_value(value, "`format`")
        piece = super().format_field(value, format_spec)  # type: ignore[misc]
        self.made += len(piece)
        check(self.made, "`format`")
        return piece


class _Formatter(_BoundedFormatting, SandboxedFormatter):
    pass


class _EscapeFormatter(_BoundedFormatting, SandboxedEscapeFormatter):
    pass


class _CodeGenerator(CodeGenerator):
    """Jinja's compiler, with `~` and output buffers (macros, blocks) counted."""

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.output_buffer()")

    @optimizeconst
    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"environment.bounded_concat({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _Buffer(list[str]):
    """A macro's or block's output, counted as it is written."""

    def __init__(self, env: BoundedSandbox) -> None:
        super().__init__()
        self.env = env

    def append(self, text: str) -> None:
        self.env.charge(sys.getsizeof(text) + 8)
        super().append(text)

    def extend(self, texts: Iterable[str]) -> None:
        texts = tuple(texts)
        self.env.charge(sum(sys.getsizeof(t) + 8 for t in texts))
        super().extend(texts)


class Refused(Exception):
    """A template refused where it names another: `where` is that file and line."""

    def __init__(self, message: str, where: tuple[str, int], name: str) -> None:
        super().__init__(message)
        self.where = where
        self.name = name  # the template that line names


class TemplateCycle(Refused):
    """A template that includes, extends or imports itself, directly or through others."""


class TemplateNesting(Refused, TemplateLimit):
    """Templates rendering inside one another more than `MAX_NESTING` deep."""


#: a template rendering on the stack: the template, the line it is at, whether it is its
#: top level (a `root` function) rather than one of its blocks or macros
_Rendering = tuple[Template, int, bool]


def _rendering() -> list[_Rendering]:
    """The template functions on the Python stack, outermost first."""
    found: list[_Rendering] = []
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if isinstance(template, Template):
            found.append((template, template.get_corresponding_lineno(frame.f_lineno),
                          frame.f_code.co_name == "root"))
        frame = frame.f_back
    return found[::-1]


class _Template(Template):
    """A template whose `{% import %}` counts what the imported template writes."""

    def make_module(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: Mapping[str, Any] | None = None) -> TemplateModule:
        context = self.new_context(vars, shared, locals)
        env = self.environment
        assert isinstance(env, BoundedSandbox)
        return TemplateModule(self, context, list(env.written(self.root_render_func(context))))


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox with a size bound on everything a template makes (see above)."""

    code_generator_class = _CodeGenerator
    template_class = _Template
    intercepted_binops = frozenset(["+", "*", "**", "%"])

    #: the directory of our own templates (a cycle is located in the user's file)
    builtin_dir: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.made = 0

    # ------------------------------------------------------------- the budget
    def begin(self) -> None:
        """Start a render: nothing made yet."""
        self.made = 0

    def charge(self, size: int) -> None:
        self.made += size
        if self.made > MAX_MADE:
            raise TemplateLimit(f"the template made more than {MAX_MADE // 1_000_000:,} MB "
                                "of text and lists in all")

    def result(self, value: Any, what: str) -> Any:
        """Check and count a value an operation made."""
        if isinstance(value, (str, bytes, bytearray, *CONTAINERS)):
            check(len(value), what)
            self.charge(sys.getsizeof(value))
        return value

    def output_buffer(self) -> _Buffer:
        return _Buffer(self)

    def written(self, stream: Generator[str, None, None]) -> Iterator[str]:
        """The pieces a template writes, counted; the one past the budget is refused
        inside the template, at the line that wrote it, so the error is located."""
        for piece in stream:
            try:
                self.charge(sys.getsizeof(piece) + 8)
            except TemplateLimit as exc:
                stream.throw(exc)
                raise
            yield piece

    def bound_filters(self) -> None:
        """Wrap every filter so that it is checked before and after it runs."""
        self.filters = {name: _bounded_filter(self, name, func)
                        for name, func in self.filters.items()}

    # ----------------------------------------------------------- nesting
    def _load_template(self, name: str, globals: Any) -> Template:
        """Every template an include, extends or import asks for (and the first) comes
        here: refuse one already rendering on the stack, or one nesting too deep."""
        template = super()._load_template(name, globals)
        stack = _rendering()
        for index, (outer, _, root) in enumerate(stack):
            if root and outer.name == template.name:
                raise self._cycle(stack[index:])
        if sum(root for _, _, root in stack) >= MAX_NESTING:
            raise TemplateNesting(
                f"templates nest more than {MAX_NESTING} levels deep (`include`, `extends` "
                "and `import` inside one another)", self._in_users_file(stack)[:2],
                str(template.name))
        return template

    def _in_users_file(self, stack: list[_Rendering]) -> tuple[str, int, str]:
        """The file, line and template name of the innermost of `stack` in a user's file
        (in ours, if none is)."""
        ours = self.builtin_dir
        places = [(template.filename or str(template.name), line, str(template.name))
                  for template, line, _ in stack]
        return next((place for place in reversed(places)
                     if ours is None or not place[0].startswith(ours)), places[-1])

    def _cycle(self, stack: list[_Rendering]) -> TemplateCycle:
        """`stack` starts and (with the template asked for) ends at the same template."""
        names: list[str] = []
        for template, _, _ in stack:
            if not names or names[-1] != template.name:
                names.append(str(template.name))
        if len(names) > 1 and names[-1] == names[0]:
            names.pop()
        file, line, here = self._in_users_file(stack)
        start = len(names) - 1 - names[::-1].index(here)
        cycle = names[start:] + names[:start]
        through = cycle[1:]
        message = f"`{here}` {self._verb(here, line)} itself"
        if through:
            message += " through " + ", ".join(f"`{n}`" for n in through[:-1]) + \
                (" and " if len(through) > 1 else "") + f"`{through[-1]}`"
        return TemplateCycle(message, (file, line), through[0] if through else here)

    def _verb(self, name: str, line: int) -> str:
        """How `name` names another template at `line`: extends, includes or imports."""
        try:
            source = self.loader.get_source(self, name)[0] if self.loader else ""
            tree = self.parse(source, name)
        except Exception:  # only for the message: the template did compile before
            return "includes"
        for node in tree.find_all(tuple(_VERBS)):
            if node.lineno == line:
                return _VERBS[type(node)]
        return "includes"

    # ------------------------------------------------------------ operations
    def bounded_concat(self, join: Callable[[Any], str], parts: tuple[Any, ...]) -> str:
        check(measure(parts)[0], "`~`")
        return self.result(join(parts), "`~`")

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        what = f"`{operator}`"
        if operator == "*":
            if isinstance(left, int) and not isinstance(right, int):
                left, right = right, left
            if isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                    raise TemplateLimit(f"`*` would make a number of more than "
                                        f"{MAX_INT_BITS:,} bits")
            elif isinstance(right, int):
                check(measure(left)[0] * max(0, right), what)
        elif operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise TemplateLimit("`**` with an exponent over 64 is not allowed in a template")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) \
                and left.bit_length() * right > MAX_INT_BITS:
            raise TemplateLimit(f"`**` would make a number of more than {MAX_INT_BITS:,} bits")
        elif operator == "%" and isinstance(left, str):
            check(percent_size(left, right), what)
        return self.result(super().call_binop(context, operator, left, right), what)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        receiver = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        what = f"`{name}`" if name else "a call"
        if isinstance(receiver, (str, bytes)):
            if name == "join" and args and not isinstance(args[0], (str, bytes)):
                args = (list(args[0]), *args[1:])
            check(text_method_size(receiver, name, args, kwargs), what)
        elif obj is generate_lorem_ipsum:
            bound = inspect.signature(obj).bind(*args, **kwargs)
            bound.apply_defaults()
            check(as_int(bound.arguments["n"]) * as_int(bound.arguments["max"]) * 16, what)
        before = len(receiver) if isinstance(receiver, (list, dict, set, bytearray)) else None
        value = self.result(super().call(context, obj, *args, **kwargs), what)
        if before is not None:
            check(len(receiver), what)
            self.charge(max(0, len(receiver) - before) * _ITEM_BYTES)
        return value

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja's sandboxed `str.format`, with a formatter that bounds what it makes."""
        if super().wrap_str_format(value) is None:
            return None
        text: str = value.__self__
        is_format_map = value.__name__ == "format_map"

        def wrapper(*args: Any, **kwargs: Any) -> str:
            formatter: Formatter = _EscapeFormatter(self, escape=text.escape) \
                if isinstance(text, Markup) else _Formatter(self)
            if is_format_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                kwargs, args = args[0], ()
            return self.result(type(text)(formatter.vformat(text, args, kwargs)), "`format`")

        return functools.update_wrapper(wrapper, value)


def _bounded_filter(env: BoundedSandbox, name: str, func: Callable[..., Any]) \
        -> Callable[..., Any]:
    """`func`, checked from its arguments before it runs and by its result after."""
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
    size_of = FILTER_SIZES.get(name)
    signature = inspect.signature(func) if size_of is not None else None
    # an async-variant filter is given the eval context its signature does not name
    offset = skip if signature is not None and skip and \
        next(iter(signature.parameters), "") not in _PASSED else 0
    what = f"`{name}`"

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        if name == "join" and len(args) > skip:
            args = _joined(env, args, skip, kwargs)
        if name not in STRUCTURAL:
            for value in (*args[skip:], *kwargs.values()):
                check_value(value, what)
        if signature is not None and size_of is not None:
            try:
                bound = signature.bind(*args[offset:], **kwargs)
            except TypeError:
                pass  # the filter itself will say what is wrong with its arguments
            else:
                bound.apply_defaults()
                check(size_of(bound.arguments), what)
        return env.result(func(*args, **kwargs), what)

    return run


def _joined(env: BoundedSandbox, args: tuple[Any, ...], skip: int,
            kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """`join`'s arguments with its items listed (and their attribute taken) and sized."""
    items = list(args[skip])
    attribute = kwargs.pop("attribute", args[skip + 2] if len(args) > skip + 2 else None)
    if attribute is not None:
        items = list(map(make_attrgetter(env, attribute), items))
    separator = kwargs.pop("d", args[skip + 1] if len(args) > skip + 1 else "")
    check(measure(items)[0] + len(as_text(separator)) * max(0, len(items) - 1), "`join`")
    return (*args[:skip], items, separator)
