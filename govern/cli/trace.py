"""`govern trace`: the events behind a customer's rows for one period, and the rest."""

from __future__ import annotations

from pathlib import Path

import click
import orjson

from govern.catalog.catalog import Catalog
from govern.cli.options import (
    as_of_option,
    customers_option,
    events_argument,
    meter_option,
    project_option,
)
from govern.errors import InputError
from govern.reference import evaluate
from govern.reference.trace import trace as trace_rows
from govern.timestamps import parse_rfc3339


@click.command()
@events_argument
@meter_option
@click.option("--customer", required=True, help="The customer (or an unmapped subject).")
@click.option(
    "--period-start",
    required=True,
    metavar="TIMESTAMP",
    help="The period's start in UTC, as the usage rows show it.",
)
@as_of_option
@customers_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@project_option
def trace(
    events: tuple[str, ...],
    meter: str,
    customer: str,
    period_start: str,
    as_of: str | None,
    customers: Path | None,
    fmt: str,
    project: Path,
) -> None:
    """The (source, id) of the events behind each row of CUSTOMER for one period of
    METER, and why every other event of that customer in that period does not count."""
    try:
        start = parse_rfc3339(period_start)
    except ValueError as exc:
        raise InputError(f"--period-start: {exc}") from None
    evaluation = evaluate(Catalog.load(project), meter, events, as_of=as_of, customers=customers)
    traced = trace_rows(evaluation, customer, start)
    if fmt == "json":
        click.echo(orjson.dumps(traced.to_dict(), option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(traced.text(), nl=False)
