"""`govern checks`: the drift and anomaly checks declared on meters, over usage or events."""

from __future__ import annotations

from pathlib import Path

import click

from govern.catalog.catalog import Catalog
from govern.checks import FORMATS, exit_code, render, run_checks
from govern.cli.options import (
    customers_of_events_option,
    format_option,
    parse_as_of,
    project_option,
)
from govern.reconcile import usage_from_paths


@click.command()
@click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--meter",
    "meters",
    multiple=True,
    help="Only the checks of this meter. Repeatable.  [default: every meter]",
)
@click.option(
    "--include-open",
    is_flag=True,
    help="Also check open (provisional) periods; by default only closed ones.",
)
@click.option(
    "--as-of",
    help="Evaluate as of this RFC 3339 time: events recorded later do not exist, and "
    "periods closed by then are checked even if nobody has usage in them.",
)
@customers_of_events_option
@format_option(FORMATS, remember=False)
@project_option
def checks(
    inputs: tuple[Path, ...],
    meters: tuple[str, ...],
    include_open: bool,
    as_of: str | None,
    customers: Path | None,
    fmt: str,
    project: Path,
) -> None:
    """Run the meters' `checks:` over INPUTS (usage rows, or events to aggregate).

    Exit 1 when a check finds drift or an anomaly, 2 on unreadable input.
    """
    catalog = Catalog.load(project)
    moment = parse_as_of(as_of)
    rows, _ = usage_from_paths(inputs, catalog, as_of=moment, customers=customers)
    findings = run_checks(
        catalog, rows, include_open=include_open, meters=meters or None, as_of=moment
    )
    click.echo(render(findings, fmt))
    raise SystemExit(exit_code(findings))
