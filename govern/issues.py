"""Findings as values: every problem govern reports is an `Issue` with a stable rule id."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, order=True)
class Location:
    """A position in a source file; line and column are 1-based."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"

    def shifted(self, columns: int) -> Location:
        """The same line, `columns` further right (for a position inside a scalar)."""
        return Location(self.path, self.line, self.col + columns)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Issue:
    """One finding: `path:line:col: RULE-ID message`, with an optional hint."""

    rule: str
    message: str
    location: Location
    severity: Severity = Severity.ERROR
    hint: str | None = None
    acknowledged: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        text = f"{self.location}: {self.rule} {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        if self.acknowledged:
            text += f" [acknowledged: {self.acknowledged}]"
        return text

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.line, loc.col, self.rule, self.message)

    def to_dict(self) -> dict:
        loc = self.location
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "path": loc.path,
            "line": loc.line,
            "col": loc.col,
            "hint": self.hint,
            **({"acknowledged": self.acknowledged} if self.acknowledged else {}),
        }
