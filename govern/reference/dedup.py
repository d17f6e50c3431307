"""Deduplication: one winner per key, the copy recorded first (ties: lowest seq).

Every other copy is a duplicate; one whose payload differs from the winner's (ignoring
its recorded time) is a conflicting duplicate, reported with the differing paths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import compress
from operator import attrgetter, is_not
from typing import Any

import msgspec

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
    """The winners, and every losing copy; `strip` removes what payloads may differ in.

    One `setdefault` per event keeps the first copy of each key; only the later copies
    (few) are ranked against the copy held."""
    events = list(events)
    winners: dict[tuple, Event] = {}
    held = list(map(winners.setdefault, map(_KEY, events), events))
    losers: list[Event] = []
    for event in compress(events, map(is_not, held, events)):
        winner = winners[event.key]
        if (event.recorded, event.seq) < (winner.recorded, winner.seq):
            winners[event.key] = event
            losers.append(winner)
        else:
            losers.append(event)
    duplicates = []
    for loser in losers:
        winner = winners[loser.key]
        duplicates.append(Duplicate(loser, winner, _differences(strip, winner, loser)))
    return list(winners.values()), duplicates


_KEY = attrgetter("key")


def _differences(strip: Callable[[dict], dict], winner: Event, loser: Event) -> tuple[str, ...]:
    """`differences` of the stripped payloads; none when they encode alike (the usual
    retry), as JSON text holds every difference `differences` sees."""
    a, b = strip(decode_event(winner.line.text)), strip(decode_event(loser.line.text))
    return () if _encode(a) == _encode(b) else tuple(differences(a, b))


_encode = msgspec.json.Encoder(decimal_format="number").encode


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
