"""Replay a project against a git ref: what `govern replay` and the gate step call."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from govern.catalog.catalog import Catalog
from govern.replay.events import latest_recorded, load_events, sample_files
from govern.replay.impact import ReplayReport, replay


def replay_catalogs(
    base: Catalog,
    head: Catalog,
    project: str | Path,
    events: Sequence[str | Path] = (),
    as_of: datetime | None = None,
    base_label: str = "base",
) -> ReplayReport:
    """Replay the samples of `project` (and `events`) through `base` and `head`.

    Without `as_of`, the latest recorded time among the events: the same on every machine.
    """
    files = [*sample_files(project), *(Path(f) for f in events)]
    lines = load_events(files)
    if as_of is None:
        as_of = latest_recorded(lines, [head, base])
    root = Path(project)
    shown = [_relative(f, root) for f in files]
    return replay(base, head, lines, as_of, base_label=base_label, event_files=shown)


def replay_project(
    project: str | Path = ".",
    base: str = "HEAD",
    events: Sequence[str | Path] = (),
    as_of: datetime | None = None,
) -> ReplayReport:
    """The working tree of `project` against the catalog committed at git ref `base`."""
    head = Catalog.load(project)
    base_catalog = Catalog.load(project, ref=base)
    return replay_catalogs(base_catalog, head, project, events, as_of, base_label=base)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
