"""The exceptions report: every event or usage that is not billed and needs a look.

Kinds: `invalid_event` (breaks its contract), `conflicting_duplicate` (same key, other
payload), `unknown_void_target` (a void whose target never arrived), `unmapped_subject`
(usage of a subject the customer mapping does not know, with its quantity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govern.events.reader import RawLine

KINDS = ("invalid_event", "conflicting_duplicate", "unknown_void_target", "unmapped_subject")


@dataclass(frozen=True)
class ExceptionRecord:
    """One exception; `line` locates the event (None for aggregated unmapped usage)."""

    kind: str
    reasons: tuple[str, ...]
    line: RawLine | None = None
    source: str | None = None
    id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {"kind": self.kind}
        if self.line is not None:
            record.update(file=self.line.file, line=self.line.line, seq=self.line.seq)
            record.update(source=self.source, id=self.id)
        record.update(self.details)
        record["reasons"] = list(self.reasons)
        return record

    def sort_key(self) -> tuple:
        """Events in input order, then aggregated records by their details."""
        if self.line is not None:
            return (0, self.line.seq, KINDS.index(self.kind))
        return (1, KINDS.index(self.kind), repr(sorted(self.details.items())))
