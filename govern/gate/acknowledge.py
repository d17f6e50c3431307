"""Acknowledgements: accept a finding on purpose, in the YAML, with a reason.

```yaml
# meters/api_calls.yaml
acknowledge:
  - rule: GOV002
    version: 1
    reason: "Fixes a filter typo agreed with finance (FIN-123); no invoice changes."
```

An acknowledged finding is still reported, with its reason, but no longer blocks.
An acknowledgement covers the findings of its rule about the object whose file holds it:
a contract version (or, with `version`, another version of that contract, e.g. a removed
one), a meter, or one of the meter's versions (with `version`). One that covers nothing
is reported as `GOV008` so that it does not linger and silently accept a later change.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterator, Sequence

from govern.catalog.catalog import Catalog
from govern.catalog.model import Acknowledgement
from govern.gate.context import CheckContext, Subject
from govern.issues import Issue, Location, Severity


class _Index:
    """Which object each file (and each meter version's lines) defines, and its acks."""

    def __init__(self, head: Catalog):
        self.head = head
        self.files: dict[str, Subject] = {}
        self.version_lines: dict[str, tuple[list[int], list[int]]] = {}
        for contract in head.all_contracts():
            self.files[contract.file] = Subject("contract", contract.contract, contract.version)
        for meter in head.meters.values():
            self.files[meter.file] = Subject("meter", meter.meter)
            lines = [v.location.line for v in meter.versions]
            self.version_lines[meter.file] = (lines, [v.version for v in meter.versions])

    def subject_at(self, location: Location) -> Subject | None:
        """The contract version, meter or meter version that `location` falls in."""
        subject = self.files.get(location.path)
        if subject is None or subject.kind == "contract":
            return subject
        lines, numbers = self.version_lines[location.path]
        position = bisect.bisect_right(lines, location.line)
        return subject._replace(version=numbers[position - 1]) if position else subject

    def candidates(self, subject: Subject) -> Iterator[Acknowledgement]:
        """The acknowledgements that may cover a finding about `subject`."""
        if subject.kind == "meter":
            meter = self.head.meters.get(subject.name)
            for ack in meter.acknowledge if meter else ():
                if ack.version is None or ack.version == subject.version:
                    yield ack
            return
        for number, contract in self.head.contracts.get(subject.name, {}).items():
            for ack in contract.acknowledge:
                covers = ack.version if ack.version is not None else number
                if covers == subject.version:
                    yield ack

    def all(self) -> Iterator[Acknowledgement]:
        for contract in self.head.all_contracts():
            yield from contract.acknowledge
        for meter in self.head.meters.values():
            yield from meter.acknowledge


def apply_acknowledgements(
    issues: Sequence[Issue], head: Catalog, context: CheckContext, report_unused: bool = True
) -> list[Issue]:
    """`issues` with `acknowledged` set where an acknowledgement covers them.

    With `report_unused`, every acknowledgement that covered nothing adds a GOV008 warning.
    """
    index = _Index(head)
    used: set[int] = set()
    result: list[Issue] = []
    for issue in issues:
        subject = context.subjects.get(issue) or index.subject_at(issue.location)
        ack = None
        if subject is not None:
            ack = next((a for a in index.candidates(subject) if a.rule == issue.rule), None)
        if ack is None:
            result.append(issue)
            continue
        used.add(id(ack))
        result.append(dataclasses.replace(issue, acknowledged=ack.reason))
    if report_unused:
        for ack in index.all():
            if id(ack) not in used:
                result.append(_unused(ack))
    return result


def _unused(ack: Acknowledgement) -> Issue:
    scope = f" for version {ack.version}" if ack.version is not None else ""
    return Issue(
        "GOV008",
        f"acknowledgement of {ack.rule}{scope} matches no finding",
        ack.location,
        Severity.WARNING,
        hint="remove it once the change it covered has merged",
    )
