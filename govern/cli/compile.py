"""`govern compile`: write the artifacts of one compile target."""

from __future__ import annotations

from pathlib import Path

import click

from govern.catalog.catalog import Catalog
from govern.cli.options import project_option
from govern.compile import TARGETS, write_artifacts


@click.command("compile")
@click.option(
    "--target",
    type=click.Choice(list(TARGETS)),
    required=True,
    help="What to generate: " + "; ".join(f"{t.name}: {t.help}" for t in TARGETS.values()),
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder.  [default: build/TARGET]",
)
@project_option
def compile_(target: str, out: Path | None, project: Path) -> None:
    """Compile the catalog's contracts into TARGET artifacts, one file per contract version."""
    catalog = Catalog.load(project)
    folder = out if out is not None else Path("build") / target
    written = write_artifacts(TARGETS[target].build(catalog), folder)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"{len(written)} {target} file{'s' if len(written) != 1 else ''} in {folder}")
