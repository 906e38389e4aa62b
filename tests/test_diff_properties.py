"""Property tests of the semantic diff on small generated policies.

Policies are generated as structured specs over a small fixed vocabulary
(fideslang and built-in terms only, no `define`), rendered to the policy
language, written to files and loaded with `load`, as a user's files would be.
A second version is made from the first by edits: rewrites that cannot change
any decision (reordering, renaming, splitting a clause, spelling a consent mode
as a condition, ...) and, sometimes, a real change (a field redrawn, a threshold
or a period moved by one, a clause added or dropped).

The properties:

(a) a policy compared with itself has no changes;
(b) when the diff reports no decision change, both versions decide random
    actions over the same vocabulary alike (effect, and obligations on allows);
    and, stronger, every random action they decide differently falls in a
    reported change (same class, kind, deciding clauses and obligations);
(c) every witness is really decided differently, as its class says, and by the
    clauses the change names;
(d) swapping old and new swaps the classes and nothing else;
(e) rewrites that cannot change a decision are reported as no decision change.
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from clausewise import model as m
from clausewise.diff.changes import MIRROR, Change, DiffResult, diff
from clausewise.engine import Action, CompiledPolicy, Decision, decide
from clausewise.engine.action import check_terms
from clausewise.engine.explain import obligation_text
from clausewise.loader import Loaded, load
from clausewise.model import DIMENSION

# ------------------------------------------------------------ the vocabulary
CATEGORIES = ("user", "user.contact", "user.contact.email", "user.name",
              "user.financial.credit_card")
PURPOSES = ("marketing", "marketing.communications", "essential.service")
RECIPIENTS = ("partner", "advertiser", "service_provider")
EVENTS = ("merger", "sign_up")
CHANNELS = ("email", "web_notice")
BOOL_FACTS = ("consent", "opted_out", "aggregated")
METHODS = ("provided", "automatic", "cookies", "third_party")
PROHIBITED_VERBS = ("collect", "use", "share", "sell", "keep", "notify")
#: the dimensions of language v2, by keyword: terms clauses name, and more for actions
V2 = {"by": ("actor", ("staff", "support", "automated"), ("other_users",)),
      "in": ("place", ("eea", "united_states"), ("eu", "worldwide", "canada")),
      "basis": ("basis", ("consent", "contract"), ("legitimate_interests",)),
      "through": ("source", ("web_site", "mobile_app"), ("other_sites",)),
      "under": ("mechanism", ("standard_contractual_clauses", "certification"),
                ("data_privacy_framework", "explicit_consent"))}
#: which clause kinds take each v2 keyword (as the model's table says)
V2_KINDS = {"by": ("sharing", "use", "collection", "retention", "prohibition", "notification"),
            "in": ("sharing", "use", "collection", "retention", "prohibition"),
            "basis": ("sharing", "use", "collection", "retention", "prohibition",
                      "notification"),
            "through": ("sharing", "use", "collection", "retention", "prohibition"),
            "under": ("sharing", "retention", "prohibition")}

#: random actions also use terms no clause names: children, parents and strangers
ACTION_CATEGORIES = CATEGORIES + ("user.contact.phone_number", "user.financial",
                                  "user.device.ip_address")
ACTION_PURPOSES = PURPOSES + ("marketing.communications.email",
                              "essential.service.payment_processing", "analytics")
ACTION_RECIPIENTS = RECIPIENTS + ("acquirer", "public")
ACTION_EVENTS = EVENTS + ("site_visit",)
ACTION_CHANNELS = CHANNELS + ("phone",)
ACTION_KINDS = ("collect", "use", "share", "sell", "retain", "notify", "exercise")
CONTEXT_BOOLS = BOOL_FACTS + ("notice_given", "encrypted", "linked")

SETTINGS = settings(max_examples=60, deadline=None)

# ----------------------------------------------------------------- the specs
# A condition is a tuple tree: ("fact", name), ("cmp", fact, op, value),
# ("not", c), ("and", a, b), ("or", a, b).
Cond = tuple


@dataclass(frozen=True)
class Spec:
    """One clause, as the generator sees it; `render` writes it in the language."""

    kind: str
    id: str
    data: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()          # prohibition verbs
    recipients: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    v2: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (keyword, terms) of V2 dimensions
    sells: bool = False                    # a sharing clause written `sell`
    when: Cond | None = None               # `if`
    unless: Cond | None = None             # `unless`
    consent: str | None = None             # opt-in, opt-out, none
    period: str | None = None              # the retention line, e.g. "for 30 days"
    timing: str | None = None              # before, after, within N days
    obligations: tuple[str, ...] = ()      # what follows `must`
    measure: str = "protect"               # security: encrypt or protect
    states: tuple[str, ...] = ()           # security: in transit, at rest
    text: str | None = None


def render_condition(cond: Cond) -> str:
    tag = cond[0]
    if tag == "fact":
        return cond[1]
    if tag == "cmp":
        _, fact, op, value = cond
        return f"{fact} {op} {str(value).lower() if isinstance(value, bool) else value}"
    if tag == "not":
        return f"not ({render_condition(cond[1])})"
    return f"({render_condition(cond[1])}) {tag} ({render_condition(cond[2])})"


def render_clause(spec: Spec) -> str:
    verb = {"sharing": "sell" if spec.sells else "share", "use": "use",
            "collection": "collect", "retention": "keep", "security": spec.measure}.get(spec.kind)
    lines = [f"{spec.kind} {spec.id}"]
    if spec.kind == "prohibition":
        lines.append(f"  never {', '.join(spec.actions)} {', '.join(spec.data)}")
    elif verb is not None:
        lines.append(f"  {verb} {', '.join(spec.data)}")
    for keyword, values in (("notify", spec.subjects), ("with", spec.recipients),
                            ("for", spec.purposes), ("on", spec.events),
                            ("via", spec.channels)):
        if values:
            lines.append(f"  {keyword} {', '.join(values)}")
    if spec.methods:
        lines.append(f"  method {', '.join(spec.methods)}")
    lines += [f"  {keyword} {', '.join(values)}" for keyword, values in spec.v2 if values]
    if spec.period:
        lines.append(f"  {spec.period}")
    if spec.timing:
        lines.append(f"  {spec.timing}")
    lines += [f"  {state}" for state in spec.states]
    if spec.when is not None:
        lines.append(f"  if {render_condition(spec.when)}")
    if spec.unless is not None:
        lines.append(f"  unless {render_condition(spec.unless)}")
    if spec.consent:
        lines.append(f"  consent {spec.consent}")
    lines += [f"  must {obligation}" for obligation in spec.obligations]
    if spec.text:
        lines.append(f'  text "{spec.text}"')
    lines.append("end")
    return "\n".join(lines)


def render(specs: list[Spec]) -> str:
    return "# generated\n\n" + "\n\n".join(render_clause(s) for s in specs) + "\n"


# ------------------------------------------------------------- the strategies
def subset(values: tuple[str, ...], min_size: int = 0, max_size: int = 2):
    return st.lists(st.sampled_from(values), min_size=min_size, max_size=max_size,
                    unique=True).map(tuple)


atoms = st.one_of(
    st.sampled_from(BOOL_FACTS).map(lambda f: ("fact", f)),
    st.tuples(st.just("cmp"), st.just("subject_age"),
              st.sampled_from(("<", "<=", ">", ">=", "==", "!=")), st.integers(10, 18)),
    st.tuples(st.just("cmp"), st.sampled_from(BOOL_FACTS), st.sampled_from(("==", "!=")),
              st.booleans()),
)
conditions = st.recursive(
    atoms, lambda inner: st.one_of(st.tuples(st.just("not"), inner),
                                   st.tuples(st.just("and"), inner, inner),
                                   st.tuples(st.just("or"), inner, inner)),
    max_leaves=3)
maybe_condition = st.one_of(st.none(), st.none(), conditions)
obligations = st.sampled_from((
    "encrypt in transit", "encrypt at rest", "notify before via email",
    "notify within 30 days via email, web_notice", "offer unsubscribe via email",
    '"keep a record of the disclosure"'))
periods = st.one_of(st.none(), st.just("indefinitely"),
                    st.integers(1, 400).map(lambda n: f"for {n} days"),
                    st.integers(1, 13).map(lambda n: f"for {n} months"),
                    st.sampled_from(EVENTS).map(lambda e: f"until {e}"),
                    st.tuples(st.integers(1, 60), st.sampled_from(EVENTS)).map(
                        lambda t: f"for {t[0]} days after {t[1]}"))
timings = st.one_of(st.none(), st.sampled_from(("before", "after")),
                    st.integers(1, 60).map(lambda n: f"within {n} days"))
consents = st.sampled_from((None, None, "opt-in", "opt-out", "none"))
texts = st.one_of(st.none(), st.sampled_from(("We may do this.", "As the law allows.")))


@st.composite
def v2_terms(draw, kind: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Now and then one or two of the v2 dimensions, with terms their clause kind takes."""
    keywords = [k for k in V2 if kind in V2_KINDS[k]]
    chosen = draw(st.lists(st.sampled_from(keywords), max_size=2, unique=True)) \
        if keywords and draw(st.integers(0, 2)) == 0 else []
    return tuple((k, tuple(draw(subset(V2[k][1], 1)))) for k in sorted(chosen))


@st.composite
def clauses(draw, clause_id: str, kind: str | None = None) -> Spec:
    if kind is None:
        kind = draw(st.sampled_from(("sharing", "sharing", "use", "collection", "retention",
                                     "prohibition", "prohibition", "notification", "security")))
    common = dict(kind=kind, id=clause_id, text=draw(texts),
                  purposes=draw(subset(PURPOSES)), events=draw(subset(EVENTS, max_size=1)))
    if kind != "security":
        common["v2"] = draw(v2_terms(kind))
    if kind == "security":
        return Spec(kind=kind, id=clause_id, data=draw(subset(CATEGORIES, 1)),
                    measure=draw(st.sampled_from(("encrypt", "protect"))),
                    states=draw(subset(("in transit", "at rest"), 1)), text=common["text"])
    if kind == "prohibition":
        return Spec(**common, actions=draw(subset(PROHIBITED_VERBS, 1)),
                    data=draw(subset(CATEGORIES, 1)), recipients=draw(subset(RECIPIENTS)),
                    when=draw(maybe_condition), unless=draw(maybe_condition))
    permission = dict(common, when=draw(maybe_condition), unless=draw(maybe_condition),
                      consent=draw(consents), obligations=draw(st.lists(obligations,
                                                                        max_size=2).map(tuple)))
    if kind == "notification":
        return Spec(**permission, subjects=draw(subset(("customer",), max_size=1)),
                    channels=draw(subset(CHANNELS, 1)), timing=draw(timings))
    data = draw(subset(CATEGORIES, 1))
    if kind == "sharing":
        return Spec(**permission, data=data, recipients=draw(subset(RECIPIENTS)),
                    sells=draw(st.integers(0, 4)) == 0)
    if kind == "collection":
        return Spec(**permission, data=data, methods=draw(subset(METHODS)))
    if kind == "retention":
        return Spec(**permission, data=data, period=draw(periods))
    return Spec(**permission, data=data)


@st.composite
def policies(draw, min_size: int = 1, max_size: int = 6) -> list[Spec]:
    size = draw(st.integers(min_size, max_size))
    return [draw(clauses(f"c{i}")) for i in range(size)]


# -------------------------------------------------------------------- edits
def _fresh_id(specs: list[Spec], stem: str) -> str:
    taken = {s.id for s in specs}
    n = 0
    while f"{stem}{n}" in taken:
        n += 1
    return f"{stem}{n}"


def _join(a: Cond | None, b: Cond) -> Cond:
    return b if a is None else ("and", a, b)


def neutral_rewrite(draw, specs: list[Spec]) -> list[Spec]:
    """One rewrite that leaves every decision and every obligation as it was."""
    specs = list(specs)
    index = draw(st.integers(0, len(specs) - 1))
    spec = specs[index]
    how = draw(st.sampled_from(("reorder", "rename", "text", "consent", "unless", "split",
                                "duplicate", "shuffle-lists", "negate-twice", "period",
                                "threshold")))
    if how == "reorder":
        return draw(st.permutations(specs))
    if how == "rename":
        specs[index] = replace(spec, id=_fresh_id(specs, "renamed"))
    elif how == "text":
        specs[index] = replace(spec, text="Reworded: " + (spec.text or "nothing said before"))
    elif how == "consent" and spec.consent in ("opt-in", "opt-out"):
        implied = ("fact", "consent") if spec.consent == "opt-in" else \
            ("not", ("fact", "opted_out"))
        specs[index] = replace(spec, consent=None, when=_join(spec.when, implied))
    elif how == "consent" and spec.consent == "none":
        specs[index] = replace(spec, consent=None)
    elif how == "unless" and spec.unless is not None and spec.kind != "prohibition":
        # (a prohibition's `unless` is an exception that lifts it only when known to hold,
        # so it is not `if not ...` there)
        specs[index] = replace(spec, unless=None,
                               when=_join(spec.when, ("not", spec.unless)))
    elif how == "split" and len(spec.data) > 1 and spec.kind != "notification":
        cut = draw(st.integers(1, len(spec.data) - 1))
        first = replace(spec, data=spec.data[:cut])
        second = replace(spec, data=spec.data[cut:], id=_fresh_id(specs, "split"))
        specs[index:index + 1] = [first, second]
    elif how == "split" and spec.kind == "prohibition" and len(spec.actions) > 1:
        second = replace(spec, actions=spec.actions[1:], id=_fresh_id(specs, "split"))
        specs[index:index + 1] = [replace(spec, actions=spec.actions[:1]), second]
    elif how == "duplicate":
        specs.insert(draw(st.integers(0, len(specs))),
                     replace(spec, id=_fresh_id(specs, "copy")))
    elif how == "shuffle-lists":
        specs[index] = replace(spec, data=tuple(draw(st.permutations(spec.data))),
                               purposes=tuple(draw(st.permutations(spec.purposes))),
                               recipients=tuple(draw(st.permutations(spec.recipients))))
    elif how == "negate-twice" and spec.when is not None:
        specs[index] = replace(spec, when=("not", ("not", spec.when)))
    elif how == "period" and spec.kind == "retention" and spec.period in (None, "indefinitely"):
        specs[index] = replace(spec, period="indefinitely" if spec.period is None else None)
    elif how == "threshold" and spec.when is not None and spec.when[0] == "cmp" \
            and spec.when[2] == "<" and spec.when[1] == "subject_age":
        specs[index] = replace(spec, when=("cmp", "subject_age", "<=", spec.when[3] - 1))
    return specs


def semantic_edit(draw, specs: list[Spec]) -> list[Spec]:
    """One edit that may change decisions (and may, by chance, not)."""
    specs = list(specs)
    how = draw(st.sampled_from(("drop", "add", "redraw", "redraw", "redraw", "nudge", "flip",
                                "obligation", "retime", "measure")))
    index = draw(st.integers(0, len(specs) - 1))
    spec = specs[index]
    if how == "flip" and (spec.when is not None or spec.unless is not None):
        specs[index] = replace(spec, when=spec.unless, unless=spec.when)  # if A <-> unless A
        return specs
    if how == "obligation" and spec.kind not in ("prohibition", "security"):
        if spec.obligations and draw(st.booleans()):
            specs[index] = replace(spec, obligations=spec.obligations[1:])
        else:
            specs[index] = replace(spec, obligations=spec.obligations + (draw(obligations),))
        return specs
    if how == "retime" and spec.kind == "notification":
        timing = draw(timings.filter(lambda t: t != spec.timing))
        specs[index] = replace(spec, timing=timing)
        return specs
    if how == "measure" and spec.kind == "security":
        specs[index] = replace(spec, measure="protect" if spec.measure == "encrypt"
                               else "encrypt")
        return specs
    if how == "drop" and len(specs) > 1:
        del specs[draw(st.integers(0, len(specs) - 1))]
        return specs
    if how == "add" or how == "drop":
        specs.insert(draw(st.integers(0, len(specs))),
                     draw(clauses(_fresh_id(specs, "added"))))
        return specs
    if how == "nudge":
        delta = draw(st.sampled_from((-1, 1)))
        if spec.period and spec.period.startswith("for "):
            days = max(1, int(spec.period.split()[1]) + delta)
            specs[index] = replace(spec, period=f"for {days} days")
            return specs
        if spec.when is not None and spec.when[0] == "cmp" and spec.when[1] == "subject_age":
            specs[index] = replace(spec, when=spec.when[:3] + (spec.when[3] + delta,))
            return specs
    # redraw one field of the clause from a clause of the same kind
    other = draw(clauses(spec.id, spec.kind))
    fields = [name for name in Spec.__dataclass_fields__ if name not in ("kind", "id", "text")
              and getattr(other, name) != getattr(spec, name)]
    if fields:
        name = draw(st.sampled_from(fields))
        specs[index] = replace(spec, **{name: getattr(other, name)})
    return specs


@st.composite
def neutral_pairs(draw) -> tuple[list[Spec], list[Spec]]:
    old = draw(policies())
    new = old
    for _ in range(draw(st.integers(1, 3))):
        new = neutral_rewrite(draw, new)
    return old, new


@st.composite
def edited_pairs(draw) -> tuple[list[Spec], list[Spec]]:
    """A policy and a version of it: rewritten, and half of the time really edited."""
    old = draw(policies())
    new = old
    for _ in range(draw(st.integers(0, 2))):
        new = neutral_rewrite(draw, new)
    if draw(st.booleans()):
        new = semantic_edit(draw, new)
    return old, new


# -------------------------------------------------------- pinned examples
# Pairs whose only difference shows on one value of one fact, or on one category
# that no clause names: the enumeration must try exactly these values. Every
# property runs on them as well as on generated pairs.
_SHARE_ALL = Spec(kind="sharing", id="everything", data=("user",))
PINNED: tuple[tuple[list[Spec], list[Spec]], ...] = (
    # only consent=false tells `if consent` from `unless consent` apart from narrowing
    ([Spec(kind="use", id="c0", data=("user",), when=("fact", "consent"))],
     [Spec(kind="use", id="c0", data=("user",), unless=("fact", "consent"))]),
    # a notice before the merger becomes a notice after it: notice_given=true shows the duty
    ([_SHARE_ALL, Spec(kind="notification", id="n", events=("merger",), channels=("email",),
                       timing="before")],
     [_SHARE_ALL, Spec(kind="notification", id="n", events=("merger",), channels=("email",),
                       timing="after")]),
    # encrypt -> protect: only encrypted=false is denied before and allowed now
    ([_SHARE_ALL, Spec(kind="security", id="s", data=("user.contact",), measure="encrypt",
                       states=("in transit",))],
     [_SHARE_ALL, Spec(kind="security", id="s", data=("user.contact",), measure="protect",
                       states=("in transit",))]),
    # a condition that holds whenever consent is known: only a missing fact tells
    ([Spec(kind="use", id="c0", data=("user",),
           when=("or", ("fact", "consent"), ("not", ("fact", "consent"))))],
     [Spec(kind="use", id="c0", data=("user",))]),
    # a prohibition on a child category also forbids actions on its parent (user.contact
    # here; the email itself is decided by other clauses)
    ([_SHARE_ALL, Spec(kind="prohibition", id="p", actions=("share",),
                       data=("user.contact.email",)),
      Spec(kind="sharing", id="email", data=("user.contact.email",), obligations=('"log"',))],
     [_SHARE_ALL,
      Spec(kind="sharing", id="email", data=("user.contact.email",), obligations=('"log"',))]),
    # the change shows only on a category no clause names (user.contact.phone_number)
    ([_SHARE_ALL, Spec(kind="prohibition", id="p", actions=("share",),
                       data=("user.contact.email",))],
     [_SHARE_ALL, Spec(kind="prohibition", id="p", actions=("share",),
                       data=("user.contact",))]),
    # every method listed: only an action that names no method is decided differently
    ([Spec(kind="collection", id="c", data=("user",), methods=METHODS)],
     [Spec(kind="collection", id="c", data=("user",))]),
    # a share that names no recipient escapes no prohibition: only it meets both
    ([_SHARE_ALL],
     [_SHARE_ALL, Spec(kind="prohibition", id="p", actions=("share",), data=("user",),
                       recipients=("partner",)),
      Spec(kind="prohibition", id="q", actions=("share",), data=("user",),
           recipients=("advertiser",))]),
    # an exception's fact: only consent=true shows the new prohibition alone
    ([_SHARE_ALL, Spec(kind="prohibition", id="p", actions=("share",), data=("user",),
                       unless=("fact", "consent"))],
     [_SHARE_ALL, Spec(kind="prohibition", id="p", actions=("share",), data=("user",),
                       unless=("fact", "consent")),
      Spec(kind="prohibition", id="q", actions=("share",), data=("user.name",),
           unless=("fact", "aggregated"))]),
    # an age limit dropped: only ages below it tell
    ([Spec(kind="prohibition", id="p", actions=("use",), data=("user",),
           when=("cmp", "subject_age", "<", 13)), Spec(kind="use", id="u", data=("user",))],
     [Spec(kind="use", id="u", data=("user",))]),
    # thresholds and periods moved by one
    ([Spec(kind="prohibition", id="p", actions=("use",), data=("user",),
           when=("cmp", "subject_age", "<", 13)), Spec(kind="use", id="u", data=("user",))],
     [Spec(kind="prohibition", id="p", actions=("use",), data=("user",),
           when=("cmp", "subject_age", "<", 14)), Spec(kind="use", id="u", data=("user",))]),
    ([Spec(kind="retention", id="r", data=("user.name",), period="for 30 days"),
      Spec(kind="retention", id="q", data=("user",), period="until merger")],
     [Spec(kind="retention", id="r", data=("user.name",), period="for 31 days"),
      Spec(kind="retention", id="q", data=("user",), period="indefinitely")]),
    # an obligation added, nothing else
    ([Spec(kind="use", id="c0", data=("user",))],
     [Spec(kind="use", id="c0", data=("user",), obligations=('"keep a log"',))]),
)


def pinned(*extra: object):
    """Run a property on every pinned pair too (`extra`: values for further arguments)."""
    def decorate(test):
        for pair in reversed(PINNED):
            test = example(pair, *extra)(test)
        return test
    return decorate


# ------------------------------------------------------------------- helpers
def load_pair(old: list[Spec], new: list[Spec]) -> tuple[Loaded, Loaded]:
    """Write both versions to files and load them as the CLI would."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "old.policy").write_text(render(old), encoding="utf-8")
        (Path(tmp) / "new.policy").write_text(render(new), encoding="utf-8")
        return load(Path(tmp) / "old.policy"), load(Path(tmp) / "new.policy")


def compiled(loaded: Loaded) -> CompiledPolicy:
    return CompiledPolicy(loaded.policy, loaded.vocabulary)


def obligation_set(decision: Decision) -> frozenset:
    return frozenset(duty.obligation for duty in decision.obligations)


def random_action(rng: random.Random) -> Action:
    kind = rng.choice(ACTION_KINDS)
    fields: dict[str, object] = {"action": kind}
    if kind in ("collect", "use", "share", "sell", "retain") or rng.random() < 0.3:
        fields["data"] = tuple(rng.sample(ACTION_CATEGORIES, rng.choice((1, 1, 1, 2, 3))))

    def maybe(name: str, values: tuple[str, ...], p: float = 0.6) -> None:
        if rng.random() < p:
            fields[name] = rng.choice(values)

    maybe("purpose", ACTION_PURPOSES)
    maybe("event", ACTION_EVENTS, 0.5)
    maybe("subject", ("customer", "employee"), 0.2)
    if kind in ("share", "sell"):
        maybe("recipient", ACTION_RECIPIENTS, 0.8)
    for keyword, (name, named, others) in V2.items():
        if kind in DIMENSION[name].actions:  # only the fields the kind is decided on
            maybe(name, named + others, 0.3)
    if kind == "collect":
        maybe("method", METHODS)
    if kind in ("notify", "exercise"):
        maybe("channel", ACTION_CHANNELS)
    if kind == "exercise":
        fields["right"] = rng.choice(("opt_out", "access", "unsubscribe"))
    if kind == "retain":
        roll = rng.random()
        if roll < 0.45:
            fields["days"] = rng.choice((0, 1, rng.randint(0, 450), 29, 30, 31, 365))
        elif roll < 0.75:
            fields["until"] = rng.choice(ACTION_EVENTS)
            if rng.random() < 0.5:  # days after the event
                fields["days"] = rng.choice((0, 1, 29, 30, 31, rng.randint(0, 90)))
    context: dict[str, bool | int] = {}
    for fact in CONTEXT_BOOLS:
        if rng.random() < 0.5:
            context[fact] = rng.random() < 0.5
    if rng.random() < 0.5:
        context["subject_age"] = rng.randint(8, 20)
    fields["context"] = context
    return Action(**fields)


def moved_duties(before: Decision, after: Decision) -> tuple[set, set]:
    """The duties (on allows) or remedies (on denials) lost and gained."""
    if before.allowed:
        was, now = obligation_set(before), obligation_set(after)
    else:
        was = {d.obligation for d in before.remedies}
        now = {d.obligation for d in after.remedies}
    return was - now, now - was


def expected_class(removed: set, added: set) -> str | None:
    """A duty only lost weakens the promise, one only gained makes it stricter; when
    some are lost and others gained, the diff weighs them (None: any class but text), as
    it does a notice, which one version may make a condition (due before) instead."""
    if any(isinstance(o, m.NotifyDuty) for o in removed | added):
        return None
    if removed and not added:
        return "widening"
    if added and not removed:
        return "narrowing"
    return None


def change_keys(action: Action, before: Decision, after: Decision, vocabulary) -> list[tuple]:
    """The groups an action decided `before` and `after` belongs to, as the diff keys them
    (the class None where the oracle leaves it to the diff)."""
    common = (action.action, before.clause_ids, after.clause_ids)
    if before.effect != after.effect:  # a request newly allowed widens rights: a narrowing
        gained = after.allowed != (action.action == "exercise")
        return [("widening" if gained else "narrowing",) + common + (frozenset(),)]
    removed, added = moved_duties(before, after)
    if not removed and not added:
        return []
    return [(expected_class(removed, added),) + common +
            (frozenset(obligation_text(o, vocabulary) for o in removed | added),)]


def covered(key: tuple, reported: set[tuple]) -> bool:
    if key[0] is not None:
        return key in reported
    return any(r[1:] == key[1:] and r[0] in ("widening", "narrowing", "both") for r in reported)


def mirrored(change: Change) -> tuple:
    return (MIRROR[change.cls], change.kind, change.new_clauses, change.old_clauses,
            change.count, change.obligations)


def straight(change: Change) -> tuple:
    return (change.cls, change.kind, change.old_clauses, change.new_clauses, change.count,
            change.obligations)


def text_key(change: Change, swapped: bool) -> tuple:
    """A text change as both directions say it: what it is about, before the colon that
    opens its old -> new wording; a move of clauses as a move, whichever clause the
    two directions name as the one that moved."""
    detail = change.detail
    if "moved in the published policy" in detail:
        return (change.cls, "order")
    if " renamed " in detail:  # `a` renamed `b` one way, `b` renamed `a` the other
        return (change.cls, "rename", frozenset(detail.split("`")[1:4:2]))
    head = detail.split(":", 1)[0]
    if swapped:
        head = head.replace(" added", " @@").replace(" removed", " added") \
            .replace(" @@", " removed")
    return (change.cls, change.clause, head)


# ---------------------------------------------------------------- properties
@SETTINGS
@given(policies())
def test_a_policy_compared_with_itself_has_no_changes(specs: list[Spec]) -> None:
    old, new = load_pair(specs, specs)
    result = diff(old, new)
    assert result.changes == ()


@SETTINGS
@given(edited_pairs(), st.randoms(use_true_random=True))
@pinned(random.Random(0))
def test_no_reported_decision_change_means_random_actions_decide_alike(
        pair: tuple[list[Spec], list[Spec]], rng: random.Random) -> None:
    old, new = load_pair(*pair)
    result = diff(old, new)
    if result.decision_changes:
        return  # (c) checks what is reported; this property is about silence
    sides = compiled(old), compiled(new)
    for _ in range(400):
        action = random_action(rng)
        assert check_terms(action, old.vocabulary) == []
        before, after = decide(sides[0], action), decide(sides[1], action)
        assert before.effect == after.effect, (action, render(pair[0]), render(pair[1]))
        if before.allowed:
            assert obligation_set(before) == obligation_set(after), action


@SETTINGS
@given(edited_pairs(), st.randoms(use_true_random=True))
@pinned(random.Random(0))
def test_every_action_decided_differently_is_covered_by_a_reported_change(
        pair: tuple[list[Spec], list[Spec]], rng: random.Random) -> None:
    """The diff is exact: a random action the versions disagree on belongs to a reported group.

    A one-category action falls in the group of its class, kind and deciding clauses
    on each side (and, for obligation changes, the obligations gained or lost). An
    action on several categories is decided as the conjunction of its categories, so
    one of them alone must be decided differently too.
    """
    old, new = load_pair(*pair)
    result = diff(old, new)
    sides = compiled(old), compiled(new)
    vocabulary = sides[1].vocabulary
    reported = {(c.cls, c.kind, c.old_clauses, c.new_clauses, frozenset(c.obligations))
                for c in result.decision_changes}
    for _ in range(400):
        action = random_action(rng)
        before, after = decide(sides[0], action), decide(sides[1], action)
        keys = set(change_keys(action, before, after, vocabulary))
        if not keys:
            continue
        if len(action.data) > 1:
            singles = [action.model_copy(update={"data": (c,)}) for c in action.data]
            split = [set(change_keys(a, decide(sides[0], a), decide(sides[1], a), vocabulary))
                     for a in singles]
            assert any(split), action
            keys = set().union(*split)
        assert all(covered(k, reported) for k in keys), \
            (action, [k for k in keys if not covered(k, reported)])


@SETTINGS
@given(edited_pairs())
@pinned()
def test_every_witness_is_decided_differently_as_its_class_says(
        pair: tuple[list[Spec], list[Spec]]) -> None:
    old, new = load_pair(*pair)
    result = diff(old, new)
    sides = compiled(old), compiled(new)
    for change in result.decision_changes:
        witness = change.witness
        assert witness is not None
        # the witness as reports print it is a valid action of both versions
        reparsed = Action.model_validate(witness.model_dump(mode="json"))
        assert check_terms(reparsed, old.vocabulary) == []
        assert check_terms(reparsed, new.vocabulary) == []
        before, after = decide(sides[0], reparsed), decide(sides[1], reparsed)
        if before.effect != after.effect:
            gained = after.allowed != (reparsed.action == "exercise")
            assert change.cls == ("widening" if gained else "narrowing")
            assert change.obligations == ()
        else:
            removed, added = moved_duties(before, after)
            assert removed or added
            assert change.cls in ("widening", "narrowing", "both")
            assert expected_class(removed, added) in (None, change.cls)
            assert set(change.obligations) == {obligation_text(o, sides[1].vocabulary)
                                               for o in removed | added}
        assert before.clause_ids == change.old_clauses
        assert after.clause_ids == change.new_clauses
        assert change.count >= 1


@SETTINGS
@given(edited_pairs())
@pinned()
def test_swapping_old_and_new_mirrors_every_change(
        pair: tuple[list[Spec], list[Spec]]) -> None:
    a, b = load_pair(*pair)
    forward, backward = diff(a, b), diff(b, a)
    assert sorted(map(mirrored, forward.decision_changes)) == \
        sorted(map(straight, backward.decision_changes))
    texts = ("text", "drift")
    assert {text_key(c, True) for c in forward.changes if c.cls in texts} == \
        {text_key(c, False) for c in backward.changes if c.cls in texts}


@SETTINGS
@given(neutral_pairs())
def test_rewrites_that_keep_every_decision_report_no_decision_change(
        pair: tuple[list[Spec], list[Spec]]) -> None:
    old, new = load_pair(*pair)
    result: DiffResult = diff(old, new)
    assert result.decision_changes == (), [(c.cls, c.witness) for c in result.changes]


def test_the_generator_reaches_every_clause_kind_and_edit() -> None:
    """Guard against a strategy that silently stops producing what the properties need."""
    seen: Counter[str] = Counter()

    @settings(max_examples=100, deadline=None)
    @given(edited_pairs())
    def collect(pair: tuple[list[Spec], list[Spec]]) -> None:
        old, new = pair
        seen.update(s.kind for s in old)
        seen["changed" if old != new else "same"] += 1

    collect()
    for kind in ("sharing", "use", "collection", "retention", "prohibition", "notification",
                 "security", "changed"):
        assert seen[kind] > 0, seen
