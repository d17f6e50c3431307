"""The billing semantics page: each rule of billable usage in words, with a worked example
computed at build time by the reference aggregator on a handful of events.

Every scenario uses the same small catalog (a `request` contract, a monthly `requests`
meter with 3 days of grace), so the reader only has to follow the events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from govern.catalog.catalog import Catalog
from govern.docs.markdown import fenced, generated_note, page
from govern.docs.memory import MemorySource
from govern.docs.samples import Samples
from govern.docs.worked_example import ExampleRunner, example_tables
from govern.events.reader import RawLine, decode_event
from govern.explain import describe_version

CONTRACT = """\
contract: request
version: 1
status: released
owner: platform-team
description: One API request.
fields:
  status: {type: integer, description: HTTP status; absent when the request was cut off}
  region: {type: string}
"""

METER = """\
meter: requests
owner: platform-team
unit: request
line_item: REQUESTS
versions:
  - version: 1
    status: released
    effective_from: 2026-01-01
    description: Requests answered without a server error.
    contract: request
    filter: "status < 500"
    aggregation: count
    period: {every: month, timezone: UTC}
    late: {grace: P3D}
"""


def scenario_catalog() -> Catalog:
    files = {"contracts/request/v1.yaml": CONTRACT, "meters/requests.yaml": METER}
    return Catalog.from_source(
        MemorySource({path: text.encode() for path, text in files.items()}, label="semantics")
    )


def _event(
    id: str, time: str, recorded: str, status: int | None = 200, subject: str = "acme", **extra
) -> dict:
    data = {} if status is None else {"status": status}
    data.update(extra.pop("data", {}))
    event = {
        "specversion": "1.0",
        "id": id,
        "source": "gateway",
        "type": "request",
        "subject": subject,
        "time": time,
        "recordedtime": recorded,
        "data": data,
    }
    event.update(extra)
    if "voids" in event:
        del event["data"]
    return event


@dataclass(frozen=True)
class Scenario:
    title: str
    explanation: str
    events: tuple[dict, ...]

    def samples(self) -> Samples:
        lines = tuple(
            RawLine(seq, "events.jsonl", seq + 1, json.dumps(event, separators=(",", ":")).encode())
            for seq, event in enumerate(self.events)
        )
        return Samples((), lines, tuple(decode_event(line.text) for line in lines))


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "Periods",
        "Usage belongs to the period its **event time** falls in, in the meter's time zone. "
        "Periods are half-open, `[start, end)`: an event at exactly midnight on the 1st "
        "belongs to the new month, one a millisecond earlier to the old one. Period bounds "
        "are shown in UTC. A day in a time zone with daylight saving can last 23 or 25 hours.",
        (
            _event("r-1", "2026-09-30T23:59:59.999Z", "2026-10-01T00:00:01Z"),
            _event("r-2", "2026-10-01T00:00:00Z", "2026-10-01T00:00:01Z"),
            _event("r-3", "2026-10-15T12:00:00Z", "2026-10-15T12:00:01Z"),
        ),
    ),
    Scenario(
        "Duplicates",
        "Emitters retry, so an event can arrive twice. Copies with the same `source` and "
        "`id` count once: the copy recorded first wins (ties: the one read first). A copy "
        "whose content differs from the winner is reported as a conflicting duplicate, and "
        "still does not count. Sending the whole input twice changes nothing.",
        (
            _event("r-1", "2026-10-08T10:00:00Z", "2026-10-08T10:00:02Z"),
            _event("r-1", "2026-10-08T10:00:00Z", "2026-10-08T10:00:09Z"),
            _event("r-2", "2026-10-08T11:00:00Z", "2026-10-08T11:00:02Z"),
            _event("r-2", "2026-10-08T11:00:00Z", "2026-10-08T11:00:05Z", status=503),
        ),
    ),
    Scenario(
        "Late usage and adjustments",
        "A period **closes** at its end plus the meter's grace (here 3 days: October closes "
        "at midnight UTC on November 4). Usage recorded by then is **billed** on October's "
        "invoice, which never changes afterwards. Usage recorded later is an "
        "**adjustment** of October, posted to the first invoice still open when it was "
        "recorded (November's). Billed plus adjustments always equals everything recorded.",
        (
            _event("r-1", "2026-10-20T09:00:00Z", "2026-10-20T09:00:02Z"),
            _event("r-2", "2026-10-31T23:00:00Z", "2026-11-02T07:00:00Z"),
            _event("r-3", "2026-10-30T12:00:00Z", "2026-11-05T09:00:00Z"),
            _event("r-4", "2026-11-05T10:00:00Z", "2026-11-05T10:00:02Z"),
        ),
    ),
    Scenario(
        "Voids",
        "An event with `voids` cancels an earlier event of the same source from the moment "
        "the void is recorded; the void itself is never usage. Before the period closes "
        "the usage simply disappears; after, the cancellation is a negative adjustment. A "
        "void whose target never arrives is reported.",
        (
            _event("r-1", "2026-10-07T09:00:00Z", "2026-10-07T09:00:02Z"),
            _event("r-2", "2026-10-20T09:00:00Z", "2026-10-20T09:00:02Z"),
            _event("r-3", "2026-10-21T09:00:00Z", "2026-10-21T09:00:02Z"),
            _event("v-1", "2026-10-07T09:05:00Z", "2026-10-07T09:05:00Z", voids="r-1"),
            _event("v-2", "2026-11-10T08:00:00Z", "2026-11-10T08:00:00Z", voids="r-2"),
            _event("v-3", "2026-10-22T08:00:00Z", "2026-10-22T08:00:00Z", voids="r-9"),
        ),
    ),
    Scenario(
        "Filters and missing fields",
        "The filter is SQL with three-valued logic. A comparison with a field the event "
        "does not carry is *unknown*, and unknown excludes the event, exactly as a `WHERE` "
        "clause does in every warehouse. An event that breaks its contract is excluded and "
        "reported with the reason, never dropped silently.",
        (
            _event("r-1", "2026-10-03T14:00:00Z", "2026-10-03T14:00:02Z", status=200),
            _event("r-2", "2026-10-03T14:01:00Z", "2026-10-03T14:01:02Z", status=503),
            _event("r-3", "2026-10-03T14:02:00Z", "2026-10-03T14:02:02Z", status=None),
            _event(
                "r-4",
                "2026-10-03T14:03:00Z",
                "2026-10-03T14:03:02Z",
                status=None,
                data={"status": "ok"},
            ),
        ),
    ),
)


def semantics_page(runner: ExampleRunner) -> str:
    """The page, with each scenario's events evaluated by `runner`."""
    catalog = scenario_catalog()
    meter = catalog.meter("requests")
    blocks = [
        generated_note("govern/docs/semantics_page.py", "the reference aggregator"),
        "# Billing semantics",
        "What billable usage means, rule by rule. Every example below is computed when the "
        "site is built, by the reference aggregator: the same code every warehouse engine "
        "is tested against. The examples share one small meter:",
        fenced(METER, "yaml"),
        f"> {describe_version(meter, meter.latest)}",
        "Each example is a small `events.jsonl`, evaluated as of the latest recorded time "
        "among its events: a period that has not closed by then is shown as open "
        "(provisional).",
    ]
    for scenario in SCENARIOS:
        example = runner(catalog, meter, scenario.samples())
        blocks += [f"## {scenario.title}", scenario.explanation, example_tables(meter, example)]
    return page(*blocks)
