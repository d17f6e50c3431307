"""`govern show`: the resolved definition of a meter or contract, with a plain-English summary."""

from __future__ import annotations

from pathlib import Path

import click
import orjson
import yaml

from govern.catalog.catalog import Catalog
from govern.cli.options import project_option
from govern.explain import describe_version

_format = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@click.group()
def show() -> None:
    """Show a meter or a contract as govern understands it."""


@show.command("meter")
@click.argument("name")
@project_option
@_format
def show_meter(name: str, project: Path, fmt: str) -> None:
    """The meter NAME, every version with what it bills."""
    meter = Catalog.load(project).meter(name)
    data = meter.model_dump(mode="json")
    for version, dumped in zip(meter.versions, data["versions"], strict=True):
        dumped["bills"] = describe_version(meter, version)
    _echo(data, fmt, f"# {meter.file}")


@show.command("contract")
@click.argument("name")
@click.option("--version", "version", type=int, help="Default: the latest released version.")
@project_option
@_format
def show_contract(name: str, version: int | None, project: Path, fmt: str) -> None:
    """The contract NAME (one version) with every default filled in."""
    contract = Catalog.load(project).contract(name, version)
    _echo(contract.model_dump(mode="json"), fmt, f"# {contract.file}")


def _echo(data: dict, fmt: str, header: str) -> None:
    if fmt == "json":
        click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
        return
    click.echo(header)
    click.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100).rstrip())
