"""The quarantine file: one JSON object a line per rejected item, the item kept exactly.

`{"file", "line", "seq", "reasons", "raw"}`; `raw` is the line as read (without its line
break). A line that is not UTF-8 is kept as `raw_base64` instead; an Avro record as `event`.
"""

from __future__ import annotations

import base64
from typing import IO, Any

import msgspec

from govern.validation.stream import Rejection

_encoder = msgspec.json.Encoder(decimal_format="number")


def quarantine_record(rejection: Rejection) -> dict[str, Any]:
    record: dict[str, Any] = {
        "file": rejection.file,
        "line": rejection.line,
        "seq": rejection.seq,
        "reasons": rejection.reasons,
    }
    if rejection.raw is not None:
        try:
            record["raw"] = rejection.raw.decode("utf-8")
        except UnicodeDecodeError:
            record["raw_base64"] = base64.b64encode(rejection.raw).decode("ascii")
    if rejection.event is not None:
        record["event"] = rejection.event
    return record


def raw_line(record: dict[str, Any]) -> bytes | None:
    """The exact bytes of a quarantined line (the inverse of `quarantine_record`)."""
    if "raw" in record:
        return record["raw"].encode("utf-8")
    if "raw_base64" in record:
        return base64.b64decode(record["raw_base64"])
    return None


class QuarantineWriter:
    """Appends rejections to an open binary stream, one JSON line each."""

    def __init__(self, stream: IO[bytes]):
        self.stream = stream

    def __call__(self, rejection: Rejection) -> None:
        self.stream.write(_encoder.encode(quarantine_record(rejection)) + b"\n")
