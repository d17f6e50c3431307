"""`govern validate`: check event files against their contracts, quarantine what fails."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path

import click
import orjson

from govern.catalog.catalog import Catalog
from govern.cli.options import project_option
from govern.errors import InputError
from govern.validation import ValidatorSet
from govern.validation.quarantine import QuarantineWriter
from govern.validation.stream import OnReject, Rejection, Summary, validate_inputs


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option(
    "--contract",
    "contract_ref",
    metavar="NAME[@VERSION]",
    help="Check every event against this contract (and version), whatever its type.",
)
@click.option(
    "--quarantine",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every rejected line, unchanged, with its reasons, to this JSONL file.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: rejected lines on stdout, counts on stderr; json: a summary on stdout.",
)
@project_option
def validate(
    files: tuple[str, ...],
    contract_ref: str | None,
    quarantine: Path | None,
    fmt: str,
    project: Path,
) -> None:
    """Validate events in FILES (.jsonl, .jsonl.gz, .avro; `-` or none: stdin).

    Each event is checked against the contract its `type` names, at the version its
    `dataschema` names, else the latest released. Exit 1 if any event is invalid.
    """
    name, version = _parse_ref(contract_ref)
    validators = ValidatorSet(Catalog.load(project), name, version)
    with ExitStack() as stack:
        writers = []
        if quarantine is not None:
            writers.append(QuarantineWriter(stack.enter_context(quarantine.open("wb"))))
        if fmt == "text":
            writers.append(_echo_rejection)
        summary = validate_inputs(list(files) or ["-"], validators, _fan_out(writers))
    if fmt == "json":
        data = {**summary.to_dict(), "quarantine": str(quarantine) if quarantine else None}
        click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(_summary_text(summary), err=True)
    sys.exit(1 if summary.invalid else 0)


def _parse_ref(ref: str | None) -> tuple[str | None, int | None]:
    if ref is None:
        return None, None
    name, _, version = ref.partition("@")
    if version and not version.isdigit():
        raise InputError(f"--contract {ref}: the version must be a number, e.g. {name}@2")
    return name, int(version) if version else None


def _fan_out(writers: list[OnReject]) -> OnReject:
    def on_reject(rejection: Rejection) -> None:
        for writer in writers:
            writer(rejection)

    return on_reject


def _echo_rejection(rejection: Rejection) -> None:
    for reason in rejection.reasons:
        click.echo(f"{rejection.file}:{rejection.line}: {reason}")


def _summary_text(summary: Summary) -> str:
    lines = [
        f"read {summary.read}: {summary.valid} valid, {summary.invalid} invalid, "
        f"{summary.unknown_type} of unknown type"
    ]
    if summary.invalid_by_reason:
        lines.append("invalid by reason (an event may have several):")
        width = max(len(reason) for reason in summary.invalid_by_reason)
        for reason, count in sorted(summary.invalid_by_reason.items()):
            lines.append(f"  {reason:<{width}}  {count}")
    return "\n".join(lines)
