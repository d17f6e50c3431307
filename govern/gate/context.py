"""What every gate step is given besides the two catalogs, and what it may hand back."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal, NamedTuple

from govern.issues import Issue, Location

if TYPE_CHECKING:
    from govern.catalog.catalog import Catalog

Policy = Literal["lenient", "strict"]
POLICIES: tuple[str, ...] = ("lenient", "strict")
DEFAULT_POLICY: Policy = "strict"
"""Confluent's STRICT verdicts on govern's compiled schemas, whose `data` is closed: adding
an optional field passes `backward` (OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL), and
removing a field that older events carry does not. LENIENT also accepts that removal and
fields added under `forward`, for consumers that ignore what they do not know."""


class Subject(NamedTuple):
    """What a finding is about, for acknowledgements: a contract or meter (version)."""

    kind: Literal["contract", "meter"]
    name: str
    version: int | None = None


@dataclass(frozen=True)
class ReportSection:
    """A block a gate step adds to the report besides its findings (e.g. a billing-impact
    table): Markdown for the pull-request comment, plain text for the terminal."""

    title: str
    markdown: str
    text: str


@dataclass
class CheckContext:
    """Settings of one `govern check` run, shared by every gate step.

    `today` is the date the check runs on (periods closed by its start are closed).
    A step whose finding cannot be located in the working tree (something removed) tags it
    with its `Subject`, so an acknowledgement can still name it.
    """

    today: date
    policy: Policy = DEFAULT_POLICY
    base_ref: str | None = None
    subjects: dict[Issue, Subject] = field(default_factory=dict)
    sections: list[ReportSection] = field(default_factory=list)
    """Report sections added by gate steps, in the order the steps ran."""

    def tag(self, issue: Issue, subject: Subject) -> Issue:
        self.subjects[issue] = subject
        return issue


GateStep = Callable[["Catalog | None", "Catalog", CheckContext], Iterable[Issue]]
"""One stage of the gate: (catalog at the base ref or None, working tree, context) -> issues."""


def guarded(name: str, produce: Callable[[], Iterable[Issue]], where: Location) -> list[Issue]:
    """The issues `produce` yields; if it crashes, a GOV000 issue naming `name` instead."""
    try:
        return list(produce())
    except Exception as exc:  # a bug in one check must not hide the others' findings
        return [Issue("GOV000", f"gate check {name} crashed: {exc!r}", where)]


def released(status: str) -> bool:
    """Released and deprecated versions are immutable; drafts may change freely."""
    return status in ("released", "deprecated")
