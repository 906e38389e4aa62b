"""Policy text to fuzz the parser and loader with: generated from the grammar, and mutated.

`policies()` follows the shapes of `grammar/policy.lark` (header, include, define,
clauses with every field, nested conditions) over a pool of real and made-up terms,
then sometimes damages the token stream (a token dropped, repeated, swapped, or
replaced by another keyword), which is where a parser's error paths are. `mutants()`
takes the real policies (rules/, tests/data/bad/) and damages their bytes.

Includes name files of a fixed sandbox (see `Sandbox`), among them files outside
the including file's directory: one of them holds `SECRET`, which no error message
may ever show (issue 8, finding 2).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import strategies as st

from .harness import ROOT
from .mutate import mutated

SECRET = "CLAUSEWISE-FUZZ-SECRET-7f3a"

CATEGORIES = ("user", "user.contact", "user.contact.email", "user.name", "user.financial",
              "user.financial.credit_card", "user.health_and_medical", "system",
              "user.device.ip_address", "user.contact.emial", "user.workplace")
PURPOSES = ("marketing", "marketing.communications", "essential.service", "analytics",
            "essential.service.payment_processing", "marketing.advertising")
SUBJECTS = ("customer", "employee", "anonymous_user", "visitor")
RECIPIENTS = ("partner", "advertiser", "service_provider", "acquirer", "public", "authority")
EVENTS = ("merger", "sign_up", "site_visit", "policy_change", "paid_subscription")
CHANNELS = ("email", "web_notice", "phone", "email_link")
RIGHTS = ("access", "correction", "deletion", "unsubscribe", "opt_out")
FACTS = ("consent", "opted_out", "aggregated", "legal_requirement", "notice_given",
         "encrypted", "linked", "subject_age", "terms_violation", "age")
VOCABS = ("category", "purpose", "subject", "recipient", "event", "channel", "right")
KINDS = ("collection", "use", "sharing", "retention", "notification", "prohibition",
         "security", "right", "disclaimer")
KEYWORDS = ("policy", "end", "include", "define", "fact", "under", "bool", "int", "never",
            "of", "from", "notify", "with", "to", "for", "on", "via", "grants", "about",
            "method", "if", "unless", "consent", "required", "optional", "before", "after",
            "within", "days", "until", "indefinitely", "in", "transit", "at", "rest", "using",
            "must", "text", "encrypt", "offer", "and", "or", "not", "(", ")", ",", "true",
            "false", "<", "<=", "==", "!=", ">=", ">", "#", '"', "\\", "\n") + KINDS

#: include targets, relative to the sandbox's `root/` directory
INCLUDES = ("part.policy", "sub/part.policy", "missing.policy", "root.policy", "sub",
            "../outside.policy", "../secret.txt", "sub/../part.policy", "/dev/null", "",
            "part.policy\\u0000", "../../../../../../etc/hostname", "binary.policy")


class Sandbox:
    """A directory tree for loading generated files, with a few files to include.

        base/secret.txt         SECRET: must never be shown
        base/outside.policy     a valid policy outside root/
        base/root/part.policy   valid, and sub/part.policy, binary.policy (NUL bytes)
        base/root/rules/...     copies of rules/ and tests/data/bad/ (mutation seeds)
    """

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="clausewise-fuzz-"))
        self.root = self.base / "root"
        (self.root / "sub").mkdir(parents=True)
        (self.base / "secret.txt").write_text(f"{SECRET} password=hunter2\n")
        part = 'define purpose fuzz_purpose "a fuzz purpose" under marketing\n'
        (self.base / "outside.policy").write_text(part.replace("fuzz_", "outside_"))
        (self.root / "part.policy").write_text(part)
        (self.root / "sub" / "part.policy").write_text(part.replace("fuzz_", "sub_"))
        (self.root / "binary.policy").write_bytes(b"define\0\1\2")
        shutil.copytree(ROOT / "rules", self.root / "rules")
        shutil.copytree(ROOT / "tests" / "data" / "bad", self.root / "bad")
        self.counter = 0

    def write(self, data: bytes, directory: str = "", suffix: str = ".policy") -> Path:
        """A new file in root/ (or a directory under it) holding `data`."""
        self.counter += 1
        path = self.root / directory / f"fuzz-{self.counter}{suffix}"
        path.write_bytes(data)
        return path

    def close(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)


def seed_files() -> list[tuple[str, Path]]:
    """The real policy files whose bytes `mutants()` damages, each with the sandbox
    directory its copy sits in (so that its includes resolve as in the tree)."""
    bad = ROOT / "tests" / "data" / "bad"
    found = [("rules", p) for p in sorted((ROOT / "rules").glob("*.policy"))]
    found += [(str(Path("bad") / p.parent.relative_to(bad)), p)
              for p in sorted(bad.rglob("*.policy"))]
    return [(d, p) for d, p in found if p.stat().st_size < 200_000]


# ------------------------------------------------------------------ tokens

def _ident() -> st.SearchStrategy[str]:
    return st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True)


def terms(pool: tuple[str, ...]) -> st.SearchStrategy[str]:
    dotted = st.lists(_ident(), min_size=1, max_size=4).map(".".join)
    return st.one_of(st.sampled_from(pool), st.sampled_from(pool), dotted)


def term_list(pool: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.lists(terms(pool), min_size=1, max_size=4).map(", ".join)


_STRING_CHARS = st.characters(blacklist_characters='"\\\n', blacklist_categories=("Cs",))


def strings() -> st.SearchStrategy[str]:
    plain = st.text(_STRING_CHARS, max_size=40)
    escaped = st.lists(st.sampled_from(("\\n", '\\"', "\\\\", "\\t", "\\u00e9", "\\x", "\\")),
                       max_size=3).map("".join)
    controls = st.sampled_from(("\x1b[31m", "\x07", "\u202e", "\t", "\x00", "\u2028", "\f"))
    body = st.lists(st.one_of(plain, plain, escaped, controls), max_size=4).map("".join)
    quoted = body.map(lambda s: f'"{s}"')
    return st.lists(quoted, min_size=1, max_size=2).map(" ".join)


def ints() -> st.SearchStrategy[str]:
    return st.one_of(st.integers(0, 400).map(str), st.integers(0, 10**30).map(str),
                     st.integers(4200, 5000).map(lambda n: "9" * n), st.just("007"))


def dates() -> st.SearchStrategy[str]:
    return st.one_of(st.dates().map(lambda d: d.isoformat()),
                     st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True))


# -------------------------------------------------------------- conditions

def conditions() -> st.SearchStrategy[str]:
    atom = st.one_of(
        terms(FACTS),
        st.builds(lambda f, op, v: f"{f} {op} {v}", terms(FACTS),
                  st.sampled_from(("<", "<=", "==", "!=", ">=", ">")),
                  st.one_of(ints(), st.sampled_from(("true", "false")))))
    return st.recursive(atom, lambda inner: st.one_of(
        inner.map(lambda c: f"not {c}"),
        inner.map(lambda c: f"({c})"),
        st.builds(lambda a, op, b: f"{a} {op} {b}", inner, st.sampled_from(("and", "or")),
                  inner)), max_leaves=12)


# ------------------------------------------------------------------ fields

def fields() -> st.SearchStrategy[str]:
    timing = st.one_of(st.just("before"), st.just("after"), ints().map(lambda n: f"within {n} days"))
    state = st.sampled_from(("in transit", "at rest"))
    obligation = st.one_of(
        state.map(lambda s: f"encrypt {s}"),
        st.builds(lambda t, c: f"notify {t} via {c}", timing, term_list(CHANNELS)),
        st.builds(lambda r, c: f"offer {r} via {c}", terms(RIGHTS), term_list(CHANNELS)),
        strings())
    verbs = st.lists(st.sampled_from(("collect", "use", "share", "keep", "notify")),
                     min_size=1, max_size=5).map(", ".join)
    return st.one_of(
        st.builds(lambda v, d: f"{v} {d}", st.sampled_from(("collect", "use", "share", "keep",
                                                           "encrypt", "protect")),
                  term_list(CATEGORIES)),
        st.builds(lambda v, d: f"never {v} {d}", verbs, term_list(CATEGORIES)),
        st.builds(lambda k, t: f"{k} {t}", st.sampled_from(("of", "from", "notify")),
                  term_list(SUBJECTS)),
        st.builds(lambda k, t: f"{k} {t}", st.sampled_from(("with", "to")),
                  term_list(RECIPIENTS)),
        term_list(PURPOSES).map(lambda t: f"for {t}"),
        term_list(EVENTS).map(lambda t: f"on {t}"),
        term_list(CHANNELS).map(lambda t: f"via {t}"),
        term_list(RIGHTS).map(lambda t: f"grants {t}"),
        term_list(CATEGORIES).map(lambda t: f"about {t}"),
        st.lists(st.sampled_from(("provided", "automatic", "cookies", "third_party")),
                 min_size=1, max_size=3).map(lambda ms: "method " + ", ".join(ms)),
        conditions().map(lambda c: f"if {c}"),
        conditions().map(lambda c: f"unless {c}"),
        st.sampled_from(("opt-in", "opt-out", "none", "optin")).map(lambda c: f"consent {c}"),
        st.sampled_from(("required", "optional", "indefinitely")),
        timing,
        ints().map(lambda n: f"for {n} days"),
        terms(EVENTS).map(lambda e: f"until {e}"),
        state,
        strings().map(lambda s: f"using {s}"),
        obligation.map(lambda o: f"must {o}"),
        strings().map(lambda s: f"text {s}"))


def clause_ids() -> st.SearchStrategy[str]:
    return st.one_of(st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,5}){0,2}", fullmatch=True),
                     st.sampled_from(("a", "dup", "dup", "Bad_Id", "x--y")))


# ------------------------------------------------------------------- items

def header() -> st.SearchStrategy[str]:
    field = st.one_of(
        st.builds(lambda k, s: f"{k} {s}", st.sampled_from(("organization", "version", "scope",
                                                           "certification", "text")),
                  strings()),
        st.builds(lambda k, d: f"{k} {d}", st.sampled_from(("updated", "effective")), dates()),
        st.builds(lambda c, s: f"contact {c} {s}", terms(CHANNELS), strings()),
        st.builds(lambda a, b: f"complaints {a} at {b}", strings(), strings()))
    return st.builds(lambda name, fs: "policy " + name + "\n" + "".join(f"  {f}\n" for f in fs)
                     + "end\n", strings(), st.lists(field, max_size=8))


def items() -> st.SearchStrategy[str]:
    clause = st.builds(lambda k, i, fs: f"{k} {i}\n" + "".join(f"  {f}\n" for f in fs) + "end\n",
                       st.sampled_from(KINDS), clause_ids(), st.lists(fields(), max_size=8))
    term_def = st.builds(
        lambda v, t, s, u: f"define {v} {t} {s}" + (f" under {u}" if u else "") + "\n",
        st.sampled_from(VOCABS), terms(CATEGORIES + PURPOSES + RECIPIENTS), strings(),
        st.none() | terms(CATEGORIES + PURPOSES + RECIPIENTS + EVENTS))
    fact_def = st.builds(lambda t, ty, s: f"define fact {t} {ty} {s}\n", terms(FACTS),
                         st.sampled_from(("bool", "int", "str")), strings())
    include = st.sampled_from(INCLUDES).map(lambda p: f'include "{p}"\n')
    comment = st.text(st.characters(blacklist_characters="\n"), max_size=30).map(
        lambda c: f"# {c}\n")
    return st.one_of(clause, clause, clause, term_def, fact_def, include, header(), comment)


def _damage(text: str, edits: list[tuple[int, int, int]]) -> str:
    """Token-level damage: each edit drops, repeats, swaps or replaces one token."""
    tokens = text.replace("\n", " \n ").split(" ")
    for op, at, pick in edits:
        if not tokens:
            break
        i = at % len(tokens)
        if op == 0:
            del tokens[i]
        elif op == 1:
            tokens.insert(i, tokens[i])
        elif op == 2:
            j = pick % len(tokens)
            tokens[i], tokens[j] = tokens[j], tokens[i]
        else:
            tokens[i] = KEYWORDS[pick % len(KEYWORDS)]
    return " ".join(tokens).replace(" \n ", "\n")


def policies() -> st.SearchStrategy[str]:
    """Policy text shaped by the grammar, valid or nearly so."""
    text = st.one_of(st.lists(items(), min_size=0, max_size=10).map("".join), valid_policies())
    edit = st.tuples(st.integers(0, 3), st.integers(0, 10**6), st.integers(0, 10**6))
    return st.one_of(text, text, st.builds(_damage, text, st.lists(edit, min_size=1,
                                                                    max_size=4)))


def mutants(seeds: list[tuple[str, Path]]) -> st.SearchStrategy[tuple[str, bytes]]:
    """(sandbox directory, bytes): a real policy file with its bytes damaged."""
    contents = [(d, p.read_bytes()) for d, p in seeds]
    return st.sampled_from(contents).flatmap(
        lambda seed: mutated(seed[1]).map(lambda data: (seed[0], data)))


# --------------------------------------------------- policies that validate

REAL = {"data": ("user", "user.contact", "user.contact.email", "user.name", "user.financial",
                 "user.financial.credit_card", "user.health_and_medical", "system",
                 "user.device.ip_address", "fuzz.defined"),
        "of": SUBJECTS[:3], "with": RECIPIENTS, "for": PURPOSES, "on": EVENTS,
        "via": CHANNELS, "grants": RIGHTS}
#: the fields each kind takes besides its data line (as build.py allows them)
KIND_FIELDS = {"collection": ("of", "for", "on", "if", "consent", "method", "required", "must"),
               "use": ("of", "for", "on", "if", "consent", "must"),
               "sharing": ("of", "with", "for", "on", "if", "consent", "must"),
               "retention": ("of", "for", "on", "if", "period"),
               "notification": ("of", "on", "via", "timing"),
               "right": ("of", "grants", "via"),
               "prohibition": ("of", "with", "for", "on", "if", "unless"),
               "security": ("state", "using"),
               "disclaimer": ()}
DATA_VERB = {"collection": "collect", "use": "use", "sharing": "share", "retention": "keep",
             "security": "encrypt"}


def _real_condition() -> st.SearchStrategy[str]:
    atom = st.one_of(st.sampled_from(("consent", "opted_out", "aggregated", "legal_requirement",
                                      "linked", "not consent", "fuzz_flag")),
                     st.builds(lambda op, n: f"subject_age {op} {n}",
                               st.sampled_from(("<", "<=", "==", "!=", ">=", ">")),
                               st.integers(0, 200)))
    return st.recursive(atom, lambda inner: st.builds(
        lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(("and", "or")), inner),
        max_leaves=6)


def _real_field(name: str) -> st.SearchStrategy[str]:
    if name in REAL:
        return st.lists(st.sampled_from(REAL[name]), min_size=1, max_size=3, unique=True).map(
            lambda ts: f"{name} " + ", ".join(ts))
    return {"if": _real_condition().map(lambda c: f"if {c}"),
            "unless": _real_condition().map(lambda c: f"unless {c}"),
            "consent": st.sampled_from(("consent opt-in", "consent opt-out", "consent none")),
            "method": st.sampled_from(("method provided", "method cookies, automatic")),
            "required": st.sampled_from(("required", "optional")),
            "must": st.sampled_from(("must encrypt in transit", "must notify before via email",
                                     "must offer unsubscribe via email_link", 'must "a duty"')),
            "period": st.one_of(st.integers(0, 10**6).map(lambda n: f"for {n} days"),
                                st.sampled_from(("until merger", "indefinitely"))),
            "timing": st.one_of(st.sampled_from(("before", "after")),
                                st.integers(0, 999).map(lambda n: f"within {n} days")),
            "state": st.sampled_from(("in transit", "at rest")),
            "using": _clean_strings().map(lambda s: f"using {s}")}[name]


def _clean_strings() -> st.SearchStrategy[str]:
    return st.text(st.characters(blacklist_characters='"\\\n', blacklist_categories=("Cs", "Cc")),
                   max_size=30).map(lambda s: f'"{s}"')


@st.composite
def valid_policies(draw: st.DrawFn) -> str:
    """A policy over known terms with only the fields each kind allows: most load."""
    out = ['policy "Fuzz"\n  updated 2020-02-29\n  text "a text"\nend\n',
           'define category fuzz.defined "fuzz data" under user\n'
           'define fact fuzz_flag bool "a fuzz flag"\n']
    for index in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(KINDS))
        lines = [f"{kind} c{index}"]
        if kind == "prohibition":
            verbs = draw(st.lists(st.sampled_from(("collect", "use", "share", "keep")),
                                  min_size=1, max_size=4, unique=True))
            lines.append(f"  never {', '.join(verbs)} " + draw(_real_field("data")).split(" ", 1)[1])
        elif kind in DATA_VERB:
            lines.append(f"  {DATA_VERB[kind]} " + draw(_real_field("data")).split(" ", 1)[1])
        names = draw(st.lists(st.sampled_from(KIND_FIELDS[kind]), unique=True, max_size=5)) \
            if KIND_FIELDS[kind] else []
        if kind == "right" and "grants" not in names:
            names.append("grants")
        if kind == "security" and "state" not in names:
            names.append("state")
        lines += [f"  {draw(_real_field(n))}" for n in names]
        if draw(st.booleans()):
            lines.append(f"  text {draw(_clean_strings())}")
        out.append("\n".join(lines) + "\nend\n")
    return "".join(out)
