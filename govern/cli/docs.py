"""`govern docs`: generate the docs site's catalog pages (then build with mkdocs)."""

from __future__ import annotations

from pathlib import Path

import click

from govern.cli.options import project_option
from govern.docs import build_docs
from govern.docs.site import DEFAULT_OUT


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"The generated folder, replaced on every run. Default: PROJECT/{DEFAULT_OUT.as_posix()}.",
)
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="Mark the catalog commits not in REF (e.g. origin/main) as new in the changelog.",
)
@project_option
def docs(out: Path | None, base: str | None, project: Path) -> None:
    """Generate the docs pages of the catalog for mkdocs-material.

    A page per meter and per contract, the reference pages (rules, billing semantics,
    glossary), the changelog from git, and the navigation. Then run `mkdocs build
    --strict` (or `make docs`, which does both).
    """
    written = build_docs(project, out, base)
    folder = out if out is not None else project / DEFAULT_OUT
    click.echo(f"wrote {len(written)} files to {folder}")
