"""Voids: a void with `voids = X` cancels the usage event (same source, id X) from the
moment the void is recorded. The earliest-recorded void of a target is the one that
counts; a void whose target is not among the usage events is unknown."""

from __future__ import annotations

from collections.abc import Sequence

from govern.reference.envelope import Event


def apply_voids(usage: Sequence[Event], voids: Sequence[Event]) -> list[Event]:
    """Set `voided_by` on every voided usage event; return the voids with unknown targets."""
    first: dict[tuple[str, str], Event] = {}
    for void in sorted(voids, key=lambda v: (v.recorded, v.seq)):
        first.setdefault((void.source, void.voids), void)
    if not first:
        return []
    found = set()
    for event in usage:
        void = first.get((event.source, event.id))
        if void is not None:
            event.voided_by = void
            found.add((event.source, event.id))
    return [void for void in voids if (void.source, void.voids) not in found]
