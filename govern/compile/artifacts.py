"""Generated files: where each goes, its text, and how they are written."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import msgspec

from govern.catalog.model import Contract

if TYPE_CHECKING:
    from govern.catalog.catalog import Catalog

_encoder = msgspec.json.Encoder(decimal_format="number")


@dataclass(frozen=True)
class Artifact:
    """One generated file: `path` relative to the output folder, and its full text."""

    path: PurePosixPath
    text: str


def render_json(data: Any) -> str:
    """Deterministic, indented JSON with exact decimals, ending in a newline."""
    return msgspec.json.format(_encoder.encode(data), indent=2).decode() + "\n"


def contract_path(contract: Contract, suffix: str) -> PurePosixPath:
    """`<name>/v<N><suffix>`: one file per contract version."""
    return PurePosixPath(contract.contract, f"v{contract.version}{suffix}")


def write_artifacts(artifacts: Iterable[Artifact], out: Path) -> list[Path]:
    """Write every artifact under `out` (creating folders); return the paths written."""
    written = []
    for artifact in artifacts:
        target = out.joinpath(*artifact.path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(artifact.text, encoding="utf-8")
        written.append(target)
    return written


@dataclass(frozen=True)
class Target:
    """A compile target: its name on the command line and how it builds its artifacts."""

    name: str
    help: str
    build: Callable[[Catalog], Iterator[Artifact]]
    build_dialect: Callable[[Catalog, str], Iterator[Artifact]] | None = None
    """For targets with a SQL dialect (`--dialect`): the artifacts of one dialect."""
