"""One example per lint rule: a small edit of the starter catalog that the rule reports.

The reference page runs each example through govern at build time and shows the finding
govern really prints, so an example cannot drift from the rule: if an edit stops
triggering its rule, building the docs fails (`ExampleDidNotTrigger`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from govern.catalog.catalog import Catalog
from govern.errors import CatalogLoadError
from govern.issues import Issue
from govern.scaffold import STARTER_FILES

CONTRACT = "contracts/page_view/v1.yaml"
METER = "meters/page_views.yaml"

_SECOND_VERSION = """\
  - version: {version}
    status: draft
    effective_from: {effective_from}
    contract: page_view
    aggregation: count
    period: {{every: month, timezone: UTC}}
"""


@dataclass(frozen=True)
class Edit:
    """Replace `old` by `new` in `path`; with `old=None`, write `new` as a new file; with
    both None, remove the file."""

    path: str
    old: str | None
    new: str | bytes | None

    def apply(self, files: dict[str, str | bytes]) -> None:
        if self.old is None:
            if self.new is None:
                del files[self.path]
            else:
                files[self.path] = self.new
            return
        current = files[self.path]
        if not isinstance(current, str) or self.old not in current:
            raise ValueError(f"{self.path} has no {self.old!r} to replace")
        files[self.path] = current.replace(self.old, str(self.new), 1)


@dataclass(frozen=True)
class RuleExample:
    rule: str
    edits: tuple[Edit, ...]
    start_empty: bool = False
    """Start from an empty folder instead of the starter catalog."""


class ExampleDidNotTrigger(AssertionError):
    """A rule example no longer produces its rule: the example or the rule changed."""


def _meter(old: str, new: str) -> tuple[Edit, ...]:
    return (Edit(METER, old, new),)


def _contract(old: str, new: str) -> tuple[Edit, ...]:
    return (Edit(CONTRACT, old, new),)


def _second_version(version: int, effective_from: str) -> tuple[Edit, ...]:
    text = _SECOND_VERSION.format(version=version, effective_from=effective_from)
    return (Edit(METER, "    late: {grace: P2D}\n", "    late: {grace: P2D}\n" + text),)


_DURATION = "duration_ms: {type: number, minimum: 0, required: true}"

EXAMPLES: tuple[RuleExample, ...] = (
    RuleExample("CAT001", _meter("unit: view", "unit: [view")),
    RuleExample("CAT002", _meter("unit: view\n", "unit: view\nunit: page\n")),
    RuleExample(
        "CAT003",
        _meter(
            "owner: web-team\nfinance_owner: finance", "owner: &team web-team\nfinance_owner: *team"
        ),
    ),
    RuleExample("CAT004", (Edit("meters/clicks.yaml", None, ""),)),
    RuleExample("CAT005", (Edit("meters/clicks.yaml", None, "# " + "x" * 1_100_000 + "\n"),)),
    RuleExample("CAT006", (Edit("meters/clicks.yaml", None, b"meter: caf\xe9\n"),)),
    RuleExample("CAT007", _meter("unit: view", "units: view")),
    RuleExample("CAT008", _meter("aggregation: count", "aggregation: total")),
    RuleExample("CAT009", _meter("unit: view\n", "")),
    RuleExample("CAT010", (), start_empty=True),
    RuleExample(
        "CAT012",
        (Edit("meters/page_views_copy.yaml", None, STARTER_FILES[METER]),),
    ),
    RuleExample("CON001", _contract("version: 1", "version: 2")),
    RuleExample("CON002", _contract("owner: web-team\n", "")),
    RuleExample("CON003", _contract(_DURATION, _DURATION[:-1] + ", pattern: '^[0-9]+$'}")),
    RuleExample(
        "CON004", _contract("path:     {type: string,", "path:     {type: string, pattern: '([',")
    ),
    RuleExample("CON005", _contract("minimum: 0,", "minimum: 5, maximum: 1,")),
    RuleExample("CON006", (Edit(CONTRACT, "fields:\n", "dedup_key: [source, ticket]\nfields:\n"),)),
    RuleExample("CON007", (Edit(CONTRACT, "fields:\n", "clock_skew: 5 minutes\nfields:\n"),)),
    RuleExample(
        "CON008", (Edit(CONTRACT, "fields:\n", "fields:\n  User-Agent: {type: string}\n"),)
    ),
    RuleExample("MTR001", _meter("contract: page_view", "contract: page_click")),
    RuleExample("MTR002", _meter("path <> '/status'", "route <> '/status'")),
    RuleExample("MTR003", _meter("path <> '/status'", "lower(path) <> '/status'")),
    RuleExample("MTR004", _meter("path <> '/status'", "duration_ms = 'long'")),
    RuleExample("MTR005", _meter("aggregation: count", "aggregation: sum")),
    RuleExample("MTR006", _meter("aggregation: count", "aggregation: sum\n    value: path")),
    RuleExample(
        "MTR007",
        (
            Edit(CONTRACT, "fields:\n", "fields:\n  device: {type: string, enum: [web, ios]}\n"),
            Edit(METER, "path <> '/status'", "device = 'android'"),
        ),
    ),
    RuleExample("MTR008", _meter("timezone: UTC", "timezone: Mars/Olympus")),
    RuleExample("MTR009", _meter("grace: P2D", "grace: P1M")),
    RuleExample("MTR010", _second_version(1, "2026-03-01")),
    RuleExample("MTR011", _second_version(2, "2025-12-01")),
    RuleExample("MTR012", _second_version(2, "2026-03-15")),
    RuleExample(
        "MTR013",
        (
            Edit(
                "meters/page_views_eu.yaml",
                None,
                str(STARTER_FILES[METER]).replace("meter: page_views", "meter: page_views_eu"),
            ),
        ),
    ),
    RuleExample("MTR014", _meter("owner: web-team\n", "")),
    RuleExample("MTR015", _meter("meter: page_views", "meter: page_hits")),
    RuleExample(
        "MTR016",
        (
            Edit(
                "meters/page_hits.tests.yaml",
                None,
                "meter: page_hits\ntests:\n  - name: no events, no rows\n    expect: []\n",
            ),
        ),
    ),
    RuleExample(
        "MTR017",
        _meter(
            "versions:\n",
            "checks:\n"
            "  - {kind: spike, window: 3}\n"
            "  - {kind: drop_to_zero, max_factor: 3}\n"
            "versions:\n",
        ),
    ),
)
"""Every lint rule's example, in registry order (a test checks none is missing)."""


def starter_catalog() -> dict[str, str | bytes]:
    """The starter catalog's definition files (what `govern init` writes, samples aside)."""
    return {path: text for path, text in STARTER_FILES.items() if path.endswith(".yaml")}


def edited(files: dict[str, str | bytes], example: RuleExample) -> dict[str, str | bytes]:
    """A copy of `files` with the example's edits applied."""
    files = dict(files)
    for edit in example.edits:
        edit.apply(files)
    return files


@contextmanager
def example_folder(files: dict[str, str | bytes]) -> Iterator[Path]:
    """A temporary project folder holding `files`, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="govern-rule-example-") as folder:
        root = Path(folder)
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        yield root


class _Finding(Protocol):
    @property
    def rule(self) -> str: ...


F = TypeVar("F", bound=_Finding)


def findings_of(rule: str, findings: Iterable[F]) -> list[F]:
    """The findings of `rule`; none is `ExampleDidNotTrigger` (the docs build fails)."""
    found = [finding for finding in findings if finding.rule == rule]
    if not found:
        raise ExampleDidNotTrigger(f"the example of {rule} no longer reports it")
    return found


def run_example(example: RuleExample) -> list[Issue]:
    """The findings of `example.rule` that govern reports on the edited starter catalog."""
    files = edited({} if example.start_empty else starter_catalog(), example)
    with example_folder(files) as root:
        try:
            issues = Catalog.load(root).lint()
        except CatalogLoadError as exc:
            issues = list(exc.issues)
        return [_relative(issue, str(root)) for issue in findings_of(example.rule, issues)]


def _relative(issue: Issue, folder: str) -> Issue:
    """The finding with the temporary folder's name replaced by `.` (pages are reproducible)."""
    if not issue.location.path.startswith(folder):
        return issue
    path = "." + issue.location.path[len(folder) :]
    location = type(issue.location)(path, issue.location.line, issue.location.col)
    return Issue(issue.rule, issue.message, location, issue.severity, issue.hint)
