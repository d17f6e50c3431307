"""The reference aggregator: SEMANTICS.md made executable, the oracle for every engine.

    from govern import Catalog
    from govern.reference import aggregate
    result = aggregate(Catalog.load("."), "api_calls", ["events.jsonl"], as_of=...)
    for row in result.rows:
        print(row.to_dict())
"""

from govern.reference.engine import AggregateResult, Evaluation, evaluate, raw_lines
from govern.reference.exceptions import ExceptionRecord
from govern.reference.rows import UsageRow

__all__ = [
    "AggregateResult",
    "Evaluation",
    "ExceptionRecord",
    "UsageRow",
    "aggregate",
    "evaluate",
    "raw_lines",
]


def aggregate(catalog, meter_name, events, *, as_of=None, customers=None) -> AggregateResult:
    """Usage and adjustment rows of meter `meter_name` over `events` (RawLines or paths).

    `as_of`: evaluate as of this aware datetime (default: everything ever recorded).
    `customers`: a `{subject: customer}` mapping or the path of a `subject,customer` CSV.
    """
    return evaluate(catalog, meter_name, events, as_of=as_of, customers=customers).result()
