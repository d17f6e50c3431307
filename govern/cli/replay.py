"""`govern replay`: what a change to meters or contracts does to what customers are billed."""

from __future__ import annotations

from pathlib import Path

import click

from govern.cli.options import format_option, project_option
from govern.replay import replay_project
from govern.replay.render import RENDERERS
from govern.timestamps import parse_rfc3339


def _instant(_ctx: click.Context, _param: click.Parameter, value: str | None):
    if value is None:
        return None
    try:
        return parse_rfc3339(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@project_option
@click.option(
    "--base",
    metavar="REF",
    default="HEAD",
    show_default=True,
    help="Compare the working tree with the catalog committed at this git ref.",
)
@click.option(
    "--events",
    "events",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="More event files (.jsonl, .jsonl.gz) to replay besides the samples; repeatable.",
)
@click.argument("more_events", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--as-of",
    metavar="TIMESTAMP",
    callback=_instant,
    help="Evaluate as of this RFC 3339 time  [default: the latest recorded time in the events]",
)
@format_option(tuple(RENDERERS))
def replay(
    project: Path,
    base: str,
    events: tuple[str, ...],
    more_events: tuple[str, ...],
    as_of,
    fmt: str,
) -> None:
    """Replay events through the meters at --base and in the working tree.

    Every meter whose definition (or contract) differs is run with both definitions over
    the sample events (contracts/*/samples/*.jsonl) and any event files given; the report
    shows, per meter, customer and period, the old and new quantity, the difference and
    the percentage, largest impact first. Unchanged meters are listed with their totals.
    Exit 0 (the report is information; `govern check` decides what blocks), 2 on bad input.
    """
    report = replay_project(project, base, [*events, *more_events], as_of)
    click.echo(RENDERERS[fmt](report).rstrip("\n"))
