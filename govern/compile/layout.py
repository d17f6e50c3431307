"""Where each envelope role lives in an event: the dotted paths of `contract.envelope`.

The JSON Schema and Avro targets both nest along these paths, so a contract that maps
`time` to `meta.occurred_at` gets an object (or record) `meta` with a field `occurred_at`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from govern.catalog.model import Contract, Envelope
from govern.compile.errors import CompileError

Path = tuple[str, ...]

ROLE_ORDER = (
    "specversion",
    "id",
    "source",
    "type",
    "subject",
    "time",
    "recordedtime",
    "dataschema",
    "voids",
    "data",
)
REQUIRED_ROLES = frozenset({"specversion", "id", "source", "type", "subject", "time"})
"""Roles every event carries; `data` is required unless `voids` is set."""
ROLE_DOCS = {
    "specversion": "CloudEvents version, always 1.0.",
    "id": "Event id, unique within source.",
    "source": "The emitter of the event.",
    "type": "The event contract's name.",
    "subject": "The customer, as the product knows it.",
    "time": "When the usage happened (event time).",
    "recordedtime": "When the pipeline recorded the event; absent means recorded at time.",
    "dataschema": "The contract version the event follows; absent means the latest released.",
    "voids": "Id (same source) of an earlier event that this event cancels.",
    "data": "The properties, as the contract defines them; not needed on a void.",
}


@dataclass(frozen=True)
class Layout:
    """Role name -> path in the event, in CloudEvents order."""

    roles: dict[str, Path]
    cloudevents: bool

    def path(self, role: str) -> Path:
        return self.roles[role]


def event_layout(contract: Contract) -> Layout:
    """The layout of `contract`'s events; raises `CompileError` for paths that clash.

    `specversion` is a role only for CloudEvents, that is when the contract keeps the
    default envelope: a contract that remaps roles describes events of another format.
    """
    envelope = contract.envelope.model_dump()
    cloudevents = envelope == Envelope().model_dump()
    roles: dict[str, Path] = {}
    for role in ROLE_ORDER:
        if role == "specversion":
            if cloudevents:
                roles[role] = ("specversion",)
            continue
        text = envelope[role]
        path = tuple(text.split("."))
        if not all(path):
            raise CompileError(f"{contract.ref}: envelope.{role} '{text}' is not a dotted path")
        roles[role] = path
    _check_disjoint(contract, roles)
    return Layout(roles, cloudevents)


def _check_disjoint(contract: Contract, roles: dict[str, Path]) -> None:
    """No two roles at one path, and no role inside another (e.g. inside `data`)."""
    items = list(roles.items())
    for index, (role, path) in enumerate(items):
        for other, other_path in items[index + 1 :]:
            if _is_prefix(path, other_path) or _is_prefix(other_path, path):
                raise CompileError(
                    f"{contract.ref}: envelope roles '{role}' ({'.'.join(path)}) and "
                    f"'{other}' ({'.'.join(other_path)}) overlap; each role needs its own path"
                )


def _is_prefix(short: Sequence[str], long: Sequence[str]) -> bool:
    return len(short) <= len(long) and tuple(long[: len(short)]) == tuple(short)
