"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

from govern.cli.output import ISSUE_FORMATS

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


def format_option(formats: tuple[str, ...]):
    """`--format` with `formats` (the first is the default), remembered for error output."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(formats),
        default=formats[0],
        show_default=True,
        help="How findings are printed.",
        callback=_remember_format,
    )


issue_format_option = format_option(ISSUE_FORMATS)
