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
        payloads = strip(_payload(winner)), strip(_payload(loser))
        duplicates.append(Duplicate(loser, winner, copy_differences(*payloads)))
    return list(winners.values()), duplicates


_KEY = attrgetter("key")


def _payload(event: Event) -> Any:
    return decode_event(event.line.text)


def copy_differences(a: Any, b: Any) -> tuple[str, ...]:
    """`differences` of two decoded payloads; none without a look when they encode alike
    (the usual retry): equal JSON texts hold nothing `differences` tells apart."""
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
