"""Sample events of a contract (`contracts/<name>/samples/*.jsonl`), as the docs show them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from govern.catalog.dataschema import parse_dataschema
from govern.events.reader import RawLine, decode_event, read_lines


@dataclass(frozen=True)
class Samples:
    """The sample files of one contract, their lines in load order, and each line decoded."""

    files: tuple[Path, ...]
    lines: tuple[RawLine, ...]
    events: tuple[Any, ...]

    def relative_files(self, project: Path) -> list[str]:
        return [path.relative_to(project).as_posix() for path in self.files]


def sample_files(project: Path, contract: str) -> list[Path]:
    folder = project / "contracts" / contract / "samples"
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def load_samples(project: Path, contract: str) -> Samples:
    """Every sample line of `contract`; a line that is not JSON decodes to None."""
    files = sample_files(project, contract)
    # Lines are named by their path in the project, so pages do not depend on where it is.
    names = {str(path): path.relative_to(project).as_posix() for path in files}
    lines = tuple(
        RawLine(line.seq, names[line.file], line.line, line.text) for line in read_lines(files)
    )
    events = []
    for line in lines:
        try:
            events.append(decode_event(line.text))
        except ValueError:
            events.append(None)
    return Samples(tuple(files), lines, tuple(events))


def sample_event(samples: Samples, contract: str, version: int) -> str | None:
    """A sample of `contract` version `version` (else the first with data), as indented JSON.

    The JSON is re-indented from the line as written, so numbers keep their exact text.
    """
    candidates = [
        (line, event)
        for line, event in zip(samples.lines, samples.events, strict=True)
        if isinstance(event, dict) and isinstance(event.get("data"), dict)
    ]
    chosen = next(
        (
            line
            for line, event in candidates
            if parse_dataschema(event.get("dataschema", "")) == (contract, version)
        ),
        candidates[0][0] if candidates else None,
    )
    return msgspec.json.format(chosen.text, indent=2).decode() if chosen else None
