"""User templates to fuzz `render --templates DIR` with: Jinja from a small grammar.

Expressions combine the render context (`doc`, `trace`, `matrix`), literals and
`range`, with Jinja's operators, its filters and str methods that take a size
(`center`, `ljust`, `zfill`, `format`, `expandtabs`, ...), the sizes drawn up to
`BIG` (a profile setting: 2*10**8 in CI, so that an unbounded filter allocates a
few hundred MB, not gigabytes; 10**10 in the long run, whose process has a memory
limit). Statements are `{{ }}`, `set`, `for` over small ranges, the `~` doubling
loop, `if`, macros, includes of the built-in templates and of itself, and
sometimes a token dropped so that syntax errors are reached as well.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .harness import MODE

BIG = 10**10 if MODE == "long" else 2 * 10**8

FILTERS = ("upper", "lower", "title", "capitalize", "trim", "striptags", "e", "safe", "list",
           "length", "first", "last", "reverse", "sort", "unique", "sum", "string", "int",
           "float", "abs", "round", "tojson", "pprint", "wordcount", "urlencode", "md",
           "linkify", "wrap", "underline", "dictsort", "items", "join", "count", "min",
           "max", "random", "filesizeformat", "xmlattr", "urlize", "batch(3)", "slice(2)",
           "map('upper')", "select('odd')", "reject", "selectattr('title')", "attr('title')",
           "groupby('title')", "default('x')", "replace('a', 'bb')", "truncate(5)",
           "indent(4)", "wordwrap(3)", "format(1)", "join(', ')", "map(attribute='title')")
SIZED_FILTERS = ("center", "indent", "wordwrap", "truncate", "wrap", "underline", "batch",
                 "slice", "format", "round", "filesizeformat")
SIZED_METHODS = ("center", "ljust", "rjust", "zfill", "expandtabs")
OPERATORS = ("+", "-", "*", "/", "//", "%", "**", "~", "==", "!=", "<", ">", "and", "or", "in",
             "not in", "is", "is not")
TESTS = ("defined", "odd", "even", "divisibleby(0)", "divisibleby(3)", "string", "number",
         "sameas(1)", "iterable", "mapping", "none")
ATOMS = ("doc", "doc.title", "doc.sections", "doc.sections[0]", "doc.sections[0].blocks",
         "trace", "matrix", "matrix.tables", "none", "true", "1", "-1", "0", "2.5", "'a'",
         "'\\t'", "'%s'", "'{}'", "'{:>9}'", "'x' * 3", "[1, 2, 3]", "{'a': 1}", "(1, 2)",
         "range(5)", "range(100000)", "lipsum", "cycler", "namespace", "self", "loop",
         "varargs", "doc.__class__", "''.__class__.__mro__", "doc.title.__len__", "undefined_x",
         "'%0*d'", "10 ** 64", "2 ** 65")


def sizes() -> st.SearchStrategy[int]:
    return st.one_of(st.integers(-5, 100), st.integers(0, BIG), st.sampled_from((BIG, -BIG)))


def expressions() -> st.SearchStrategy[str]:
    sized = st.one_of(
        st.builds(lambda f, n: f"{f}({n})", st.sampled_from(SIZED_FILTERS), sizes()),
        st.builds(lambda n: f"center({n}, '\u2603')", sizes()))
    method = st.builds(lambda m, n: f".{m}({n})", st.sampled_from(SIZED_METHODS), sizes())
    fmt = st.one_of(
        sizes().map(lambda n: f"'{{:>{n}}}'.format(1)"),
        sizes().map(lambda n: f"'%0{n}d' % 1"),
        sizes().map(lambda n: f"'%-{n}s' % 'x'"),
        sizes().map(lambda n: f"'%0*d' % ({n}, 1)"),
        sizes().map(lambda n: f"'x'.replace('', 'yy', {n})"),
        sizes().map(lambda n: f"'a' * {n}"), sizes().map(lambda n: f"[0] * {n}"),
        sizes().map(lambda n: f"range({n})|list|length"),
        sizes().map(lambda n: f"lipsum({n})"))
    atom = st.one_of(st.sampled_from(ATOMS), fmt, st.integers().map(str))
    return st.recursive(atom, lambda inner: st.one_of(
        st.builds(lambda e, f: f"{e} | {f}", inner, st.sampled_from(FILTERS) | sized),
        st.builds(lambda e, mt: f"({e}){mt}", inner, method),
        st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(OPERATORS), inner),
        st.builds(lambda e, t: f"({e} is {t})", inner, st.sampled_from(TESTS)),
        st.builds(lambda e: f"not {e}", inner),
        st.builds(lambda c, a, b: f"({a} if {c} else {b})", inner, inner, inner),
        st.builds(lambda e, i: f"{e}[{i}]", inner, st.sampled_from(("0", "-1", "'a'", "1:3",
                                                                    "::-1", "10**20")))),
        max_leaves=6)


def statements() -> st.SearchStrategy[str]:
    expr = expressions()
    return st.recursive(
        st.one_of(
            expr.map(lambda e: f"{{{{ {e} }}}}"),
            expr.map(lambda e: f"{{% set v = {e} %}}{{{{ v }}}}"),
            st.text(max_size=10).map(lambda t: t.replace("{", "(")),
            st.sampled_from(("{% include 'policy.md.j2' %}", "{% include 'policy.txt.j2' %}",
                             "{% include 'matrix.html.j2' %}", "{% extends 'policy.txt.j2' %}",
                             "{% raw %}{{ x }}{% endraw %}", "{# a comment #}", "{{ super() }}",
                             "{% import 'policy.txt.j2' as p %}{{ p.mark }}")),
            st.builds(lambda n: "{% set ns = namespace(s='xy') %}{% for i in range(" + str(n)
                      + ") %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
                      st.integers(0, 40 if MODE == "long" else 26))),
        lambda inner: st.one_of(
            st.builds(lambda e, body: f"{{% for x in {e} %}}{body}{{% endfor %}}",
                      st.sampled_from(("range(3)", "doc.sections", "matrix.tables", "'abc'",
                                       "range(30)")), inner),
            st.builds(lambda c, a, b: f"{{% if {c} %}}{a}{{% else %}}{b}{{% endif %}}", expr,
                      inner, inner),
            st.builds(lambda body: f"{{% macro m(a) %}}{body}{{% endmacro %}}{{{{ m(1) }}}}",
                      inner),
            st.lists(inner, min_size=2, max_size=4).map("\n".join)),
        max_leaves=6)


def _drop(text: str, at: int) -> str:
    """Remove one character: an unclosed tag, a missing operand."""
    if not text:
        return text
    i = at % len(text)
    return text[:i] + text[i + 1:]


def templates() -> st.SearchStrategy[tuple[str, str]]:
    """(template name, text): a user template replacing one of ours (or its own include)."""
    name = st.sampled_from(("policy.txt.j2", "policy.md.j2", "policy.html.j2"))
    text = statements()
    damaged = st.builds(_drop, text, st.integers(0, 10**6))
    self_include = name.map(lambda n: f"{{% include '{n}' %}}")
    return st.tuples(name, st.one_of(text, text, text, damaged, self_include))
