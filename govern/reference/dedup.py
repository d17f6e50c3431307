"""Deduplication: one winner per key, the copy recorded first (ties: lowest seq).

Every other copy is a duplicate; one whose payload differs from the winner's (ignoring
its recorded time) is a conflicting duplicate, reported with the differing paths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from govern.events.reader import decode_event
from govern.reference.envelope import Event


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A copy that lost to `winner`; `differences` is empty for an identical retry."""

    event: Event
    winner: Event
    differences: tuple[str, ...]


def deduplicate(
    events: Iterable[Event], strip: Callable[[dict], dict]
) -> tuple[list[Event], list[Duplicate]]:
    """The winners, and every losing copy; `strip` removes what payloads may differ in."""
    winners: dict[tuple, Event] = {}
    losers: list[Event] = []
    for event in events:
        held = winners.setdefault(event.key, event)
        if held is event:
            continue
        if (event.recorded, event.seq) < (held.recorded, held.seq):
            winners[event.key] = event
            losers.append(held)
        else:
            losers.append(event)
    duplicates = []
    for loser in losers:
        winner = winners[loser.key]
        found = differences(strip(_payload(winner)), strip(_payload(loser)))
        duplicates.append(Duplicate(loser, winner, tuple(found)))
    return list(winners.values()), duplicates


def _payload(event: Event) -> Any:
    return decode_event(event.line.text)


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """The paths at which two decoded JSON values differ (numbers compare by value)."""
    if isinstance(a, dict) and isinstance(b, dict):
        found = []
        for key in sorted(a.keys() | b.keys()):
            where = f"{path}.{key}" if path else key
            if key not in a or key not in b:
                found.append(where)
            else:
                found.extend(differences(a[key], b[key], where))
        return found
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        found = []
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found.extend(differences(x, y, f"{path}[{index}]"))
        return found
    return [] if _same(a, b) else [path or "(event)"]


def _same(a: Any, b: Any) -> bool:
    numbers = (int, Decimal)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, numbers) and isinstance(b, numbers):
        return a == b
    return type(a) is type(b) and a == b
