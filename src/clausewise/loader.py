"""Files -> `Policy`: read each file safely, follow includes, merge, then validate.

Reading is where raw input turns hostile: binary files, other encodings, huge
files, missing includes and include cycles all become located diagnostics here.
Includes stay inside the policy's own tree (the directory of the file the user
named, or `include_root`) and name `.policy` files that are regular files: anything
else is refused before it is opened, so an include can neither read nor quote a
file the user did not mean to give, nor block on a pipe or a device.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from . import model as m
from .errors import Diagnostic, PolicyError
from .grammar import recovery
from .validate import validate
from .vocabulary import Vocabulary, base_vocabulary

#: how many files deep includes may nest
MAX_INCLUDE_DEPTH = 64
#: the largest policy file we read; a policy of 10,000 clauses is about 2 MB
MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Loaded:
    """A validated policy with the vocabulary it speaks and the texts it came from."""

    policy: m.Policy
    vocabulary: Vocabulary
    sources: dict[str, str]


def read_source(path: str, data: bytes | None = None, *, regular_only: bool = False) -> str:
    """The text of a policy file, or a `PolicyError` that says what is wrong with it.

    The file the user names may be a device under /dev/ (`/dev/stdin`); with
    `regular_only` (includes) only a regular file is read, checked on the opened
    file so that it cannot be swapped for a pipe in between.
    """
    start = m.Span(file=path, line=1, column=1, end_line=1, end_column=1)
    if data is None:
        try:
            file = Path(path)
            if file.is_dir():
                raise PolicyError((Diagnostic("not-a-file", f"`{path}` is a directory, "
                                              "not a policy file", start),))
            if file.exists() and not file.is_file() and (regular_only or
                                                         not path.startswith("/dev/")):
                raise _not_regular(path, start)
            if file.stat().st_size > MAX_BYTES:
                raise _too_large(path, start)
            flags = os.O_RDONLY | (os.O_NONBLOCK if regular_only else 0)
            with os.fdopen(os.open(path, flags), "rb") as stream:
                if regular_only and not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                    raise _not_regular(path, start)
                data = stream.read(MAX_BYTES + 1)  # bounded: /dev/zero has size 0 and no end
        except FileNotFoundError:
            raise PolicyError((Diagnostic("no-such-file", f"no such file: `{path}`", start),)) \
                from None
        except PermissionError:
            raise PolicyError((Diagnostic("unreadable", f"cannot read `{path}`: permission "
                                          "denied", start),)) from None
        except OSError as exc:  # a loop of symbolic links, an I/O error, ...
            reason = (exc.strerror or str(exc)).lower()
            raise PolicyError((Diagnostic("unreadable", f"cannot read `{path}`: {reason}",
                                          start),)) from None
    if len(data) > MAX_BYTES:
        raise _too_large(path, start)
    if b"\0" in data:  # anywhere: a NUL past the start is as binary (and memchr is fast)
        raise PolicyError((Diagnostic("binary-file", f"`{path}` is a binary file, not a policy",
                                      start, "policy files are UTF-8 text"),))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1  # columns count characters
        column = len(data[line_start:exc.start].decode("utf-8", "replace")) + 1
        span = m.Span(file=path, line=line, column=column, end_line=line, end_column=column + 1)
        shown = data[:exc.start].decode("utf-8", "replace") + "?" + \
            data[exc.end:].decode("utf-8", "replace")
        raise PolicyError((Diagnostic(
            "encoding", f"byte 0x{data[exc.start]:02x} is not valid UTF-8", span,
            "save the file as UTF-8"),), {path: shown}) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac endings


def _not_regular(path: str, span: m.Span) -> PolicyError:
    return PolicyError((Diagnostic("not-a-file", f"`{path}` is not a regular file "
                                   "(a pipe or a device?)", span),))


def _too_large(path: str, span: m.Span) -> PolicyError:
    return PolicyError((Diagnostic(
        "file-too-large", f"`{path}` is larger than {MAX_BYTES // (1024 * 1024)} MB, the most a "
        "policy file may be", span, "split it into files joined with `include`"),))


def load(path: str | Path, *, reader=read_source, include_root: str | Path | None = None
         ) -> Loaded:
    """Parse `path` and all it includes, merge, validate. Raises `PolicyError`.

    Includes must resolve inside `include_root` (by default the directory of `path`).
    """
    root = str(path)
    tree = os.path.realpath(include_root if include_root is not None
                            else os.path.dirname(os.path.abspath(root)))
    sources: dict[str, str] = {}
    documents: list[m.Document] = []
    diagnostics: list[Diagnostic] = []
    lost = recovery.Lost()

    def visit(file: str, stack: tuple[str, ...], via: m.Include | None) -> None:
        key = os.path.realpath(file) if not file.startswith("<") else file
        if len(stack) > MAX_INCLUDE_DEPTH:
            diagnostics.append(Diagnostic("include-too-deep", "includes nest more than "
                                          f"{MAX_INCLUDE_DEPTH} files deep",
                                          via.span if via else None,
                                          "include the shared files from one place"))
            return
        if key in stack:
            chain = " -> ".join(Path(p).name for p in stack[stack.index(key):] + (key,))
            diagnostics.append(Diagnostic("include-cycle", f"include cycle: {chain}",
                                          via.span if via else None,
                                          "remove one of these includes"))
            return
        if any(os.path.realpath(d.path) == key for d in documents):
            return  # included twice along different paths: read once
        try:
            text = reader(file) if via is None else _read_include(reader, file)
        except PolicyError as exc:
            if via is not None and exc.codes == ("no-such-file",):
                diagnostics.append(Diagnostic("missing-include", f"included file `{via.path}` "
                                              "does not exist", via.span,
                                              f"looked for `{file}`"))
            elif via is not None and all(d.span is None or d.span.line == 1 and
                                         d.span.column == 1 for d in exc.diagnostics):
                # a file-level problem (binary, a directory, too large): say it at the include
                diagnostics.extend(Diagnostic(d.code, f"included file `{via.path}`: "
                                              f"{d.message}", via.span, d.help)
                                   for d in exc.diagnostics)
            else:
                diagnostics.extend(exc.diagnostics)
                sources.update(exc.sources)
            return
        sources[file] = text
        parsed = recovery.parse_file(text, file)  # what parses of it, and its errors
        diagnostics.extend(parsed.diagnostics)
        lost.add(parsed)
        if parsed.document is None:
            return
        document = parsed.document
        documents.append(document)
        for include in document.includes:
            target = str(Path(file).parent / include.path)
            refused = _refused_include(include, target, tree)
            if refused is not None:
                diagnostics.append(refused)
                continue
            visit(target, stack + (key,), include)

    visit(root, (), None)
    if diagnostics:  # and what validation finds in the parts that parsed
        raise PolicyError(tuple(diagnostics) + recovery.beside(
            lambda: _validated(root, documents)[2], lost, diagnostics), sources)
    policy, vocabulary, findings = _validated(root, documents)
    if findings:
        raise PolicyError(tuple(findings), sources)
    return Loaded(policy, vocabulary, sources)


def _validated(root: str, documents: list[m.Document]
               ) -> tuple[m.Policy, Vocabulary, list[Diagnostic]]:
    """The merged policy, its vocabulary and what validation finds in it."""
    policy = merge(root, documents)
    vocabulary = base_vocabulary().with_policy(policy.terms, policy.facts, policy.wordings,
                                                policy.clauses)
    findings = validate(policy, documents, vocabulary)
    return policy, vocabulary, findings


def _read_include(reader, file: str) -> str:
    """An included file through `reader`, regular files only when it reads the disk."""
    if reader is read_source:
        return read_source(file, regular_only=True)
    return reader(file)


def _refused_include(include: m.Include, target: str, tree: str) -> Diagnostic | None:
    """Why an include may not be read (outside the tree, not a policy file), or None."""
    resolved = os.path.realpath(target)
    if os.path.commonpath([tree, resolved]) != tree:
        return Diagnostic("include-outside-root", f"`{include.path}` is outside the policy's "
                          f"directory tree `{tree}`, so it is not read", include.span,
                          "keep included files beside the policy or below it, or widen the "
                          "tree with --include-root DIR")
    if not include.path.endswith(".policy"):
        return Diagnostic("include-not-policy", f"`{include.path}` is not a policy file: "
                          "an include names a file ending in `.policy`", include.span,
                          "rename the included file to end in `.policy`")
    return None


def merge(root: str, documents: list[m.Document]) -> m.Policy:
    """One policy from its files; the header is the first one found (validate checks for more)."""
    header = next((d.header for d in documents if d.header is not None), None)
    return m.Policy(
        root=root, header=header, documents=tuple(documents),
        terms=tuple(t for d in documents for t in d.terms),
        facts=tuple(f for d in documents for f in d.facts),
        clauses=tuple(c for d in documents for c in d.clauses),
        sections=tuple(s for d in documents for s in d.sections),
        wordings=tuple(w for d in documents for w in d.wordings))
