"""The events a replay runs over, and the as-of time that makes it reproducible.

Sample events are `contracts/<type>/samples/*.jsonl` in the working tree, in path order,
then any files given. Without an explicit as-of time a replay is evaluated as of the
latest recorded time among them (`recordedtime`, else `time`), never as of the clock, so
every machine reports the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import msgspec

from govern.catalog.catalog import Catalog
from govern.events.reader import RawLine, decode_event, read_lines
from govern.timestamps import parse_rfc3339

SAMPLES_GLOB = "contracts/*/samples/*.jsonl"


def sample_files(project: str | Path) -> list[Path]:
    """The sample event files of the catalog in `project`, in path order."""
    return sorted(Path(project).glob(SAMPLES_GLOB))


def load_events(files: Iterable[str | Path]) -> list[RawLine]:
    """Every line of `files`, read once (a replay runs them through many meters)."""
    return list(read_lines([str(f) for f in files]))


def _dig(obj: object, dotted: str) -> object:
    for key in dotted.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def latest_recorded(lines: Sequence[RawLine], catalogs: Sequence[Catalog]) -> datetime | None:
    """The latest recording time among `lines`: `recordedtime`, else `time`, read where
    the event's contract says (CloudEvents by default). Unreadable lines are skipped."""
    envelopes = {}
    for catalog in catalogs:
        for contract in catalog.all_contracts():
            envelopes.setdefault(contract.envelope.type, {})[contract.contract] = contract.envelope
    latest: datetime | None = None
    for line in lines:
        try:
            event = decode_event(line.text)
        except msgspec.DecodeError:
            continue
        recorded_path, time_path = "recordedtime", "time"
        for type_path, by_name in envelopes.items():
            kind = _dig(event, type_path)
            envelope = by_name.get(kind) if isinstance(kind, str) else None
            if envelope is not None:
                recorded_path, time_path = envelope.recordedtime, envelope.time
                break
        text = _dig(event, recorded_path) or _dig(event, time_path)
        try:
            moment = parse_rfc3339(text)  # type: ignore[arg-type]
        except (ValueError, TypeError):
            continue
        if latest is None or moment > latest:
            latest = moment
    return latest
