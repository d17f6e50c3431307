"""`govern compile`: write the artifacts of one compile target."""

from __future__ import annotations

from pathlib import Path

import click

from govern.catalog.catalog import Catalog
from govern.cli.options import project_option
from govern.compile import TARGETS, write_artifacts
from govern.sql.dialects import DIALECTS


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
@click.option(
    "--dialect",
    type=click.Choice(list(DIALECTS)),
    default=None,
    help="sql, dbt: the warehouse dialect.  [default: sql: every dialect, a folder each; "
    "dbt: duckdb]",
)
@project_option
def compile_(target: str, out: Path | None, dialect: str | None, project: Path) -> None:
    """Compile the catalog into TARGET artifacts: one file per contract version (jsonschema,
    avro) or per meter version (sql, dbt)."""
    catalog = Catalog.load(project)
    folder = out if out is not None else Path("build") / target
    chosen = TARGETS[target]
    if dialect is not None and chosen.build_dialect is None:
        raise click.UsageError(f"--dialect applies to sql and dbt, not {target}")
    artifacts = chosen.build(catalog) if dialect is None else chosen.build_dialect(catalog, dialect)
    written = write_artifacts(artifacts, folder)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"{len(written)} {target} file{'s' if len(written) != 1 else ''} in {folder}")
