"""A meter's worked example: its contract's sample events, and the rows they produce.

The rows are computed at build time by the reference aggregator (the executable
definition of billable usage), as of a fixed instant (the latest `recordedtime` among
the samples), so a page is the same on every build and cannot disagree with the engines.

`WorkedExample` is what the page shows; `ExampleRunner` is how one is computed. The page
renders any runner's result, so the aggregator is wired in one place (`site.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from govern.catalog.catalog import Catalog
from govern.catalog.filters import parse_filter, referenced_fields
from govern.catalog.model import ENVELOPE_ROLES, Meter
from govern.docs.markdown import bullets, cell, code, page, table, text
from govern.docs.samples import Samples


@dataclass(frozen=True)
class ExampleEvent:
    """One sample line: when it happened and was recorded, whose it is, what the meter reads,
    and what became of it (counted into which row, or why not)."""

    line: int
    id: str
    time: str
    recorded: str
    subject: str
    values: tuple[str, ...]
    outcome: str


@dataclass(frozen=True)
class ExampleRow:
    """One output row: billed usage of a period, or an adjustment of one posted later."""

    customer: str
    period: str
    dimensions: tuple[str, ...]
    quantity: str
    kind: str
    version: int


@dataclass(frozen=True)
class WorkedExample:
    as_of: str
    sources: tuple[str, ...]
    fields: tuple[str, ...]
    dimensions: tuple[str, ...]
    events: tuple[ExampleEvent, ...]
    rows: tuple[ExampleRow, ...]
    notes: tuple[str, ...] = ()


ExampleRunner = Callable[[Catalog, Meter, Samples], WorkedExample]
"""Computes a meter's worked example from its contract's samples."""


def fields_read(meter: Meter) -> tuple[str, ...]:
    """The data fields any version of `meter` reads (filter, value, group_by), in that order."""
    names: list[str] = []

    def add(name: str) -> None:
        if name not in names and name not in ENVELOPE_ROLES:
            names.append(name)

    for version in meter.versions:
        if version.filter:
            for name in referenced_fields(parse_filter(version.filter)):
                add(name)
        if version.value:
            add(version.value)
        for name in version.group_by:
            add(name)
    return tuple(names)


def example_tables(meter: Meter, example: WorkedExample) -> str:
    """The events with what became of each, then the usage rows they produce."""
    event_table = table(
        ["line", "id", "time", "recorded", "subject", *map(code, example.fields), "outcome"],
        (
            [
                str(event.line),
                code(event.id),
                code(event.time),
                code(event.recorded),
                cell(event.subject),
                *(cell(value) for value in event.values),
                text(event.outcome),
            ]
            for event in example.events
        ),
    )
    if example.rows:
        row_table = table(
            [
                "customer",
                "period",
                *map(code, example.dimensions),
                f"{meter.unit}s",
                "row",
                "version",
            ],
            (
                [
                    cell(row.customer),
                    cell(row.period),
                    *(cell(value) for value in row.dimensions),
                    f"**{text(row.quantity)}**",
                    text(row.kind),
                    str(row.version),
                ]
                for row in example.rows
            ),
        )
    else:
        row_table = "No usage rows: none of these events is billable under this meter."
    notes = bullets(text(note) for note in example.notes) if example.notes else None
    return page(
        f"**Events**, as of {code(example.as_of)}:",
        event_table,
        "**Usage rows:**",
        row_table,
        notes and "**Reported** while computing:",
        notes,
    )


def render_worked_example(meter: Meter, example: WorkedExample | None, missing: str) -> str:
    """The "Worked example" section; `missing` says why there is none when `example` is None."""
    heading = "## Worked example"
    if example is None:
        return page(heading, missing)
    sources = ", ".join(code(source) for source in example.sources)
    intro = (
        f"The sample events in {sources}, run through the reference aggregator as of the "
        "latest recorded time among them. Nothing here is typed by hand: the page is "
        "rebuilt from the same definitions and samples every time."
    )
    return page(heading, intro, example_tables(meter, example))
