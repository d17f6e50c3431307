"""Validating streams of events in constant memory: `.jsonl`, `.jsonl.gz`, `.avro`, stdin.

Every input item is counted exactly once: read = valid + invalid + unknown type. Each
rejected item goes to `on_reject` with its reasons; nothing else is kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fastavro

from govern.compile.avro_records import avro_record_to_event
from govern.errors import InputError
from govern.events.reader import read_lines
from govern.validation.selection import ValidatorSet
from govern.validation.verdict import Verdict


@dataclass(frozen=True)
class Rejection:
    """One rejected input item: where it was, why, and the item itself (a raw line, or the
    event of an Avro record)."""

    file: str
    line: int
    seq: int
    reasons: list[str]
    raw: bytes | None = None
    event: dict | None = None


@dataclass
class Summary:
    """Counts of one run: every item read is valid, invalid or of unknown type.

    `invalid_by_reason` counts each reason once per event (an event may have several)."""

    valid: int = 0
    invalid: int = 0
    unknown_type: int = 0
    invalid_by_reason: Counter[str] = field(default_factory=Counter)

    @property
    def read(self) -> int:
        return self.valid + self.invalid + self.unknown_type

    def count_rejected(self, verdict: Verdict) -> bool:
        """Count a verdict that is not valid; True when the item is rejected (invalid)."""
        if not verdict.problems:
            self.unknown_type += 1
            return False
        self.invalid += 1
        self.invalid_by_reason.update({found.reason for found in verdict.problems})
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "valid": self.valid,
            "invalid": self.invalid,
            "unknown_type": self.unknown_type,
            "invalid_by_reason": dict(sorted(self.invalid_by_reason.items())),
        }


OnReject = Callable[[Rejection], None]


def validate_inputs(
    inputs: Sequence[str], validators: ValidatorSet, on_reject: OnReject
) -> Summary:
    """Check every item of `inputs` (files in order; `-` is stdin) and count the verdicts."""
    summary = Summary()
    for name in inputs:
        check = _check_avro if name.endswith(".avro") else _check_lines
        check(name, validators, summary, on_reject)
    return summary


def _check_lines(
    name: str, validators: ValidatorSet, summary: Summary, on_reject: OnReject
) -> None:
    check = validators.check_json
    valid = 0
    for raw in read_lines([name], start_seq=summary.read):
        verdict = check(raw.text)
        if verdict.contract is not None and not verdict.problems:
            valid += 1
        elif summary.count_rejected(verdict):
            on_reject(Rejection(name, raw.line, raw.seq, verdict.errors, raw=raw.text))
    summary.valid += valid


def _check_avro(name: str, validators: ValidatorSet, summary: Summary, on_reject: OnReject) -> None:
    path = Path(name)
    if not path.is_file():
        raise InputError(f"{name}: no such file")
    with path.open("rb") as stream:
        try:
            records = fastavro.reader(stream)
        except ValueError as exc:
            raise InputError(f"{name}: not an Avro file ({exc})") from None
        for index, record in enumerate(records, start=1):
            event = avro_record_to_event(record)
            verdict = validators.check(event)
            if verdict.contract is not None and not verdict.problems:
                summary.valid += 1
                continue
            seq = summary.read
            if summary.count_rejected(verdict):
                on_reject(Rejection(name, index, seq, verdict.errors, event=event))
