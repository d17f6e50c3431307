"""Stream raw event lines from `.jsonl`, `.jsonl.gz` and stdin, in load order.

Every line read gets a load sequence number `seq` (0, 1, 2, ... across all inputs, in the
order given): the tie-breaker SEMANTICS.md defines. Lines are kept as bytes so that a
rejected line can be quarantined exactly as it came.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterator, Sequence
from decimal import Decimal
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


_decoder = msgspec.json.Decoder(float_hook=Decimal)


def decode_event(text: bytes) -> Any:
    """Decode one JSON event; non-integer numbers become exact `Decimal`s, never floats.

    Raises `msgspec.DecodeError` on malformed JSON, bytes that are not UTF-8 and nesting too
    deep to decode, so that every caller quarantines such a line instead of crashing.
    """
    try:
        return _decoder.decode(text)
    except UnicodeDecodeError as exc:
        raise msgspec.DecodeError(f"not UTF-8: {exc.reason} at byte {exc.start}") from None
    except RecursionError:
        raise msgspec.DecodeError("JSON nested too deeply") from None


def _open(name: str) -> BinaryIO:
    if name == STDIN:
        return sys.stdin.buffer
    path = Path(name)
    if not path.is_file():
        raise InputError(f"{name}: no such file")
    if name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_lines(inputs: Sequence[str | Path], start_seq: int = 0) -> Iterator[RawLine]:
    """Yield every non-blank line of `inputs` in order; `-` is standard input."""
    seq = start_seq
    for item in inputs:
        name = str(item)
        stream = _open(name)
        try:
            for number, text in enumerate(stream, start=1):
                stripped = text.rstrip(b"\r\n")
                if not stripped.strip():
                    continue
                yield RawLine(seq, name, number, stripped)
                seq += 1
        except (OSError, EOFError) as exc:
            raise InputError(f"{name}: cannot read: {exc}") from None
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
