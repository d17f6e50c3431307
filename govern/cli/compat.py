"""`govern compat`: is one schema file compatible with another? (JSON Schema or Avro)."""

from __future__ import annotations

from pathlib import Path

import click
import orjson

from govern.catalog.compatibility import COMPATIBILITY_MODES
from govern.cli.options import policy_option
from govern.compat.avro_compat import check_avro
from govern.compat.jsonschema_diff import Policy, check_mode
from govern.errors import InputError
from govern.gate.contract_compat import DATA, DATA_POINTER, ENVELOPE, event_documents


def _read(path: Path) -> object:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable JSON document ({exc})") from None


def compat_findings(old: Path, new: Path, mode: str, policy: str) -> list[dict]:
    """The incompatibilities of NEW with OLD under `mode`, as plain records."""
    avro = [path.suffix == ".avsc" for path in (old, new)]
    if avro[0] != avro[1]:
        raise InputError("compare two Avro schemas (.avsc) or two JSON Schemas, not one of each")
    before, after = _read(old), _read(new)
    try:
        if avro[0]:
            return [
                {"direction": d, "kind": i.kind, "at": i.location, "message": i.message}
                for d, _, i in check_avro(mode, [before], after)
            ]
        return _json_schema_findings(before, after, mode, policy)
    except InputError:
        raise
    except Exception as exc:  # an invalid schema is an input error, not a crash
        raise InputError(f"cannot compare {old} and {new}: {exc}") from None


def _json_schema_findings(before: object, after: object, mode: str, policy: str) -> list[dict]:
    """A schema govern compiled is compared as the gate does: the event, then its `data`
    object (checked through `if`/`else`, which the engine does not descend into)."""
    if not (isinstance(before, dict) and isinstance(after, dict)):
        documents = [("", before, after)]
    else:
        old, new = event_documents(before), event_documents(after)
        documents = [("", old[ENVELOPE], new[ENVELOPE])]
        if DATA in old and DATA in new:
            documents.append((DATA_POINTER, old[DATA], new[DATA]))
    findings = []
    for inside, old_document, new_document in documents:
        for found in check_mode(mode, [old_document], new_document, Policy(policy)):
            pointer = found.difference.pointer
            if inside:  # a pointer into the data document, made a pointer into the file
                pointer = inside + pointer.removeprefix("#").rstrip("/")
            findings.append(
                {
                    "direction": found.direction,
                    "kind": found.difference.type.value,
                    "at": pointer,
                    "message": found.difference.message,
                }
            )
    return findings


@click.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mode", type=click.Choice(COMPATIBILITY_MODES), default="backward", show_default=True
)
@policy_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def compat(old: Path, new: Path, mode: str, policy: str, fmt: str) -> None:
    """Check schema file NEW against OLD (JSON Schema files, or .avsc for Avro).

    backward: readers using NEW read data written with OLD; forward: readers using OLD
    read data written with NEW; full: both. --policy applies to JSON Schema only.
    Exit 1 when incompatible, 2 when a file cannot be read.
    """
    findings = compat_findings(old, new, mode, policy)
    if fmt == "json":
        click.echo(orjson.dumps(findings, option=orjson.OPT_INDENT_2).decode())
    else:
        for finding in findings:
            click.echo(f"{finding['direction']}: {finding['kind']} at {finding['at']}")
        verdict = "incompatible" if findings else "compatible"
        kind = "Avro" if new.suffix == ".avsc" else f"JSON Schema, {policy} policy"
        click.echo(f"{new} is {verdict} with {old} ({mode}; {kind})")
    raise SystemExit(1 if findings else 0)
