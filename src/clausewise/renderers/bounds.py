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
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from string import Formatter
from typing import Any

from jinja2 import Template
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

__all__ = ["MAX_MADE", "MAX_SIZE", "BoundedSandbox", "TemplateLimit", "check_value"]

#: bytes of all the strings and lists one render makes, and of what it writes
MAX_MADE = 100_000_000
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
