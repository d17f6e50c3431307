"""The reference aggregator: SEMANTICS.md made executable, the oracle for every engine.

from govern import Catalog
from govern.reference import aggregate
result = aggregate(Catalog.load("."), "api_calls", ["events.jsonl"], as_of=...)
for row in result.rows:
    print(row.to_dict())
"""

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from govern.catalog.catalog import Catalog
from govern.reference.engine import (
    AggregateResult,
    Evaluation,
    Events,
    collector_paused,
    evaluate,
    raw_batches,
    raw_lines,
)
from govern.reference.exceptions import ExceptionRecord
from govern.reference.rows import UsageRow

__all__ = [
    "AggregateResult",
    "Evaluation",
    "ExceptionRecord",
    "UsageRow",
    "aggregate",
    "evaluate",
    "raw_batches",
    "raw_lines",
]


@collector_paused()  # until the evaluation is gone: the collector need not scan it
def aggregate(
    catalog: Catalog,
    meter_name: str,
    events: Events,
    *,
    as_of: datetime | str | None = None,
    customers: Mapping[str, str] | str | Path | None = None,
) -> AggregateResult:
    """Usage and adjustment rows of meter `meter_name` over `events` (RawLines or paths).

    `as_of`: an aware datetime or RFC 3339 text (default: everything ever recorded).
    `customers`: a `{subject: customer}` mapping or the path of a `subject,customer` CSV.
    """
    return evaluate(catalog, meter_name, events, as_of=as_of, customers=customers).result()
