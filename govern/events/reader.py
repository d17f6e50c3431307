"""Stream raw event lines from `.jsonl`, `.jsonl.gz` and stdin, in load order.

Every line read gets a load sequence number `seq` (0, 1, 2, ... across all inputs, in the
order given): the tie-breaker SEMANTICS.md defines. Lines are kept as bytes so that a
rejected line can be quarantined exactly as it came.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import count, repeat
from pathlib import Path
from typing import Any, BinaryIO

import msgspec

from govern.errors import InputError

STDIN = "-"


class RawLine(msgspec.Struct, frozen=True, gc=False):
    """One input line: where it came from, its load order, and its bytes (no newline).

    A frozen Struct rather than a dataclass or named tuple: one is made per event, and it
    is the cheapest to make, and not tracked by the cyclic garbage collector."""

    seq: int
    file: str
    line: int
    text: bytes


sys.set_int_max_str_digits(0)
"""RFC 8259 sets no limit on the digits of a number: Python's limit on converting integers
to and from text (4300 digits) is lifted for the process, so that an event's integers can
be decoded, validated (`jsonschema_rs` reads large integers through their text) and shown."""

_decoder = msgspec.json.Decoder(float_hook=Decimal)
_syntax = msgspec.json.Decoder(msgspec.Raw)


def decode_event(text: bytes) -> Any:
    """Decode one JSON event; integers of any length become ints, other numbers exact
    `Decimal`s, never floats.

    Raises `msgspec.DecodeError` on malformed JSON, bytes that are not UTF-8 and nesting too
    deep to decode, so that every caller quarantines such a line instead of crashing.
    """
    try:
        try:
            return _decoder.decode(text)
        except msgspec.ValidationError:  # an integer msgspec does not read: over 4300 chars
            return _decode_long_integers(text)
    except UnicodeDecodeError as exc:
        raise msgspec.DecodeError(f"not UTF-8: {exc.reason} at byte {exc.start}") from None
    except RecursionError:
        raise msgspec.DecodeError("JSON nested too deeply") from None


def _decode_long_integers(text: bytes) -> Any:
    """`decode_event` of a line holding an integer too long for msgspec: its syntax checked
    by msgspec, as every other line's is; its value read by the standard library, which
    reads integers of any length."""
    _syntax.decode(text)
    return json.loads(text.decode("utf-8"), parse_float=Decimal)


def _open(name: str) -> BinaryIO:
    if name == STDIN:
        return sys.stdin.buffer
    path = Path(name)
    if not path.is_file():
        raise InputError(f"{name}: no such file")
    if name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


CHUNK_BYTES = 1 << 18
"""How much of a file `read_batches` reads at a time (whole lines; at least one): small
enough that a batch, and all that is made of it, stays in a core's cache while each step
passes over it (1 MiB cost the reference aggregator a tenth more CPU time per event)."""


def read_batches(inputs: Sequence[str | Path], start_seq: int = 0) -> Iterator[list[RawLine]]:
    """Every non-blank line of `inputs` in order (`-` is standard input), in batches of
    about `CHUNK_BYTES`: one RawLine a line, made by builtins rather than a Python loop."""
    seq = start_seq
    for item in inputs:
        name = str(item)
        stream = _open(name)
        number = 1
        try:
            while chunk := stream.readlines(CHUNK_BYTES):
                texts = list(map(bytes.rstrip, chunk, repeat(b"\r\n")))
                numbers: Iterable[int] = range(number, number + len(texts))
                number += len(texts)
                if not all(map(bytes.strip, texts)):
                    numbers, texts = _non_blank(numbers, texts)
                yield list(map(RawLine, count(seq), repeat(name), numbers, texts))
                seq += len(texts)
        except (OSError, EOFError) as exc:
            raise InputError(f"{name}: cannot read: {exc}") from None
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()


def _non_blank(numbers: Iterable[int], texts: list[bytes]) -> tuple[list[int], list[bytes]]:
    kept = [(number, text) for number, text in zip(numbers, texts, strict=True) if text.strip()]
    return [number for number, _ in kept], [text for _, text in kept]


def read_lines(inputs: Sequence[str | Path], start_seq: int = 0) -> Iterator[RawLine]:
    """Yield every non-blank line of `inputs` in order; `-` is standard input."""
    for batch in read_batches(inputs, start_seq):
        yield from batch
