"""`govern init`: scaffold a working catalog."""

from __future__ import annotations

from pathlib import Path

import click

from govern.scaffold import init_catalog


@click.command()
@click.argument(
    "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."), required=False
)
def init(folder: Path) -> None:
    """Create contracts/ and meters/ with a starter contract, meter and sample events."""
    for path in init_catalog(folder):
        click.echo(f"created {path}")
    click.echo("next: govern lint" + (f" --project {folder}" if folder != Path(".") else ""))
