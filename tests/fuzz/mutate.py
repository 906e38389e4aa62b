"""Byte-level mutation of real inputs, as a hypothesis strategy (AFL's usual moves)."""

from __future__ import annotations

from hypothesis import strategies as st

#: bytes worth inserting: delimiters, NUL, bad UTF-8, a BOM, line ends, escapes
INTERESTING = (b"\0", b"\xff", b"\xc3", b"\xef\xbb\xbf", b"\r", b"\r\n", b"\n" * 3, b'"', b"\\",
               b"#", b"end\n", b"(", b")", b",", b"[", b"]", b"{", b"}", b":", b"- ", b"&a ",
               b"*a", b"!!", b"\t", b"\x1b[2J", b"\xe2\x80\xae", b"9" * 400, b"-1", b"1e999",
               b"{{", b"}}", b"{%", b"%}", b'include "x"\n', b"\xed\xa0\x80")


def _apply(data: bytes, moves: list[tuple[int, int, int, bytes]]) -> bytes:
    buf = bytearray(data)
    for op, at, size, chunk in moves:
        n = len(buf)
        i = at % (n + 1)
        if op == 0 and n:  # flip a bit
            i %= n
            buf[i] ^= 1 << (size % 8)
        elif op == 1:  # insert bytes
            buf[i:i] = chunk
        elif op == 2:  # delete a range
            del buf[i:i + size % 64 + 1]
        elif op == 3 and n:  # repeat a range
            piece = buf[i:i + size % 64 + 1]
            buf[i:i] = piece * (1 + size % 4)
        elif op == 4:  # overwrite with bytes
            buf[i:i + len(chunk)] = chunk
        elif op == 5 and n:  # cut the file short
            del buf[i:]
        elif op == 6 and n:  # splice a range from elsewhere
            j = size % n
            buf[i:i] = buf[j:j + 40]
    return bytes(buf)


def mutated(data: bytes, max_moves: int = 6) -> st.SearchStrategy[bytes]:
    chunk = st.one_of(st.sampled_from(INTERESTING), st.binary(min_size=1, max_size=8))
    move = st.tuples(st.integers(0, 6), st.integers(0, 2**32), st.integers(0, 2**16), chunk)
    return st.lists(move, min_size=1, max_size=max_moves).map(lambda ms: _apply(data, ms))
