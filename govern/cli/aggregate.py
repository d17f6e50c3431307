"""`govern aggregate`: billable usage of one meter over event files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click

from govern.catalog.catalog import Catalog
from govern.cli.options import (
    as_of_option,
    customers_option,
    events_argument,
    meter_option,
    project_option,
)
from govern.engines import DEFAULT_ENGINE, ENGINES
from govern.reference.exceptions import ExceptionRecord
from govern.reference.writers import FORMATS, jsonl_lines, render_rows


@click.command()
@events_argument
@meter_option
@click.option(
    "--engine",
    type=click.Choice(list(ENGINES)),
    default=DEFAULT_ENGINE,
    show_default=True,
    help="duckdb: the compiled SQL in-process (JSONL or Parquet); reference: the oracle.",
)
@as_of_option
@customers_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout.")
@click.option(
    "--exceptions",
    "exceptions_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every exception (invalid events, conflicting duplicates, unknown void "
    "targets, unmapped subjects) here as JSONL.",
)
@project_option
def aggregate(
    events: tuple[str, ...],
    meter: str,
    engine: str,
    as_of: str | None,
    customers: Path | None,
    fmt: str,
    out: Path | None,
    exceptions_file: Path | None,
    project: Path,
) -> None:
    """Usage and adjustment rows of METER over EVENTS (.jsonl, .jsonl.gz, - for stdin).

    A summary goes to stderr: events read = counted + excluded + ignored, by reason.
    Exit code 1 when there are exceptions, 2 on bad input.
    """
    catalog = Catalog.load(project)
    result = catalog.aggregate(meter, events, as_of=as_of, customers=customers, engine=engine)
    text = render_rows(result.rows, fmt, catalog.meter(meter).dimensions)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
    if exceptions_file is not None:
        exceptions_file.write_text(
            jsonl_lines(record.to_dict() for record in result.exceptions), encoding="utf-8"
        )
    click.echo(result.counts.summary(meter), err=True)
    click.echo(_exceptions_line(result.exceptions, exceptions_file), err=True)
    raise SystemExit(1 if result.exceptions else 0)


def _exceptions_line(exceptions: Sequence[ExceptionRecord], written_to: Path | None) -> str:
    if not exceptions:
        return "no exceptions"
    kinds = Counter(record.kind for record in exceptions)
    listed = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    where = f"written to {written_to}" if written_to else "see them with --exceptions FILE"
    return f"{len(exceptions)} exceptions ({listed}); {where}"
