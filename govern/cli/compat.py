"""`govern compat`: is one schema file compatible with another? (JSON Schema or Avro)."""

from __future__ import annotations

from pathlib import Path

import click
import orjson

from govern.compat.avro_compat import check_avro
from govern.compat.jsonschema_diff import MODES, Policy, check_mode
from govern.errors import InputError
from govern.gate.context import DEFAULT_POLICY, POLICIES


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
        return [
            {
                "direction": i.direction,
                "kind": i.difference.type.value,
                "at": i.difference.pointer,
                "message": i.difference.message,
            }
            for i in check_mode(mode, [before], after, Policy(policy))
        ]
    except InputError:
        raise
    except Exception as exc:  # an invalid schema is an input error, not a crash
        raise InputError(f"cannot compare {old} and {new}: {exc}") from None


@click.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mode", type=click.Choice(MODES), default="backward", show_default=True)
@click.option(
    "--policy",
    type=click.Choice(POLICIES),
    default=DEFAULT_POLICY,
    show_default=True,
    help="JSON Schema only; strict is Confluent Schema Registry's STRICT.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def compat(old: Path, new: Path, mode: str, policy: str, fmt: str) -> None:
    """Check schema file NEW against OLD (JSON Schema files, or .avsc for Avro).

    backward: readers using NEW read data written with OLD; forward: readers using OLD
    read data written with NEW; full: both. Exit 1 when incompatible.
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
