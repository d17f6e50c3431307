"""Options shared by several commands."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from govern.cli.output import ISSUE_FORMATS
from govern.errors import InputError
from govern.gate.context import DEFAULT_POLICY, POLICIES
from govern.timestamps import parse_rfc3339

project_option = click.option(
    "--project",
    "-p",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The folder holding contracts/ and meters/.",
)

ISSUE_FORMAT_KEY = "govern.issue_format"


def _remember_format(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Keep the format where the error handler can find it (loading errors use it too)."""
    ctx.meta[ISSUE_FORMAT_KEY] = value
    return value


def format_option(
    formats: tuple[str, ...], *, help: str = "How findings are printed.", remember: bool = True
):
    """`--format` with `formats` (the first is the default).

    `remember`: loading errors are printed in the chosen format too; leave it on only where
    the formats are ones that issues can be printed in.
    """
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(formats),
        default=formats[0],
        show_default=True,
        help=help,
        callback=_remember_format if remember else None,
    )


issue_format_option = format_option(ISSUE_FORMATS)


policy_option = click.option(
    "--policy",
    type=click.Choice(POLICIES),
    default=DEFAULT_POLICY,
    show_default=True,
    help="JSON Schema compatibility policy: strict or lenient, as in Confluent Schema Registry.",
)

# ---------------------------------------------------------------- meters over event files
# (aggregate, trace)

events_argument = click.argument("events", nargs=-1, required=True)
meter_option = click.option("--meter", required=True, help="The meter to aggregate.")
as_of_option = click.option(
    "--as-of",
    metavar="TIMESTAMP",
    help="Evaluate as of this RFC 3339 time: later-recorded events do not exist yet. "
    "Default: everything ever recorded.",
)
customers_option = click.option(
    "--customers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with the header subject,customer. Default: customer = subject.",
)

# ---------------------------------------------------------------- usage rows or events
# (checks, reconcile)

customers_of_events_option = click.option(
    "--customers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With events: CSV with the header subject,customer.  [default: customer = subject]",
)
"""`--customers` for commands that read usage rows or events: it maps the events' subjects."""


def parse_as_of(value: str | None) -> datetime | None:
    """The `--as-of` time of a command, or None; a bad one is an input error (exit 2)."""
    if value is None:
        return None
    try:
        return parse_rfc3339(value)
    except ValueError as exc:
        raise InputError(f"--as-of: {exc}") from None
