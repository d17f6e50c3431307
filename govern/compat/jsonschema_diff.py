"""Compatibility of two JSON Schemas, with Confluent Schema Registry's vocabulary and verdicts.

`compare(original, update)` lists what changed going from `original` to `update`. The change
is backward compatible (a reader using `update` accepts every document `original` accepted)
when every difference is in the policy's compatible set: see `is_compatible`. `check_mode`
applies a registry compatibility mode (backward, forward, full, their transitive variants, none)
to a new schema and the versions before it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from govern.catalog.compatibility import (
    BACKWARD,
    COMPATIBILITY_MODES,
    MODE_DIRECTIONS,
    base_mode,
    is_transitive,
)
from govern.compat.jsonschema_containers import compare_array, compare_object
from govern.compat.jsonschema_shapes import Document, Kind, Shape, canonical
from govern.compat.jsonschema_types import (
    Difference,
    DifferenceType,
    Policy,
    bound_changes,
    compatible_changes,
    numeric,
)

__all__ = [
    "Difference",
    "DifferenceType",
    "Incompatibility",
    "Policy",
    "check_mode",
    "compare",
    "is_compatible",
]

_T = DifferenceType

# A difference as (pointer segments relative to the pair compared, type).
Found = tuple[tuple[str, ...], DifferenceType]


def compare(original: Any, update: Any, policy: Policy = Policy.STRICT) -> list[Difference]:
    """The differences going from `original` to `update`, sorted by (pointer, type).

    The policy matters only where the engine looks for a compatible counterpart (a member of
    a oneOf/anyOf/allOf, a partially open content model covering a property or an item).
    """
    found = Comparer(compatible_changes(policy)).compare(
        Document(original).load(original), Document(update).load(update)
    )
    differences = {Difference(kind, _pointer(path)) for path, kind in found}
    return sorted(differences, key=lambda d: (d.pointer, d.type.value))


def is_compatible(differences: Iterable[Difference], policy: Policy = Policy.STRICT) -> bool:
    """Whether every difference is a compatible change under `policy`."""
    allowed = compatible_changes(policy)
    return all(difference.type in allowed for difference in differences)


@dataclass(frozen=True)
class Incompatibility:
    """A difference that breaks a compatibility mode, with the check that found it."""

    difference: Difference
    direction: str  # "backward": new reads old data; "forward": old reads new data
    against: int  # index in `previous` of the version checked against

    @property
    def message(self) -> str:
        return f"{self.direction} check against version #{self.against}: {self.difference.message}"


def check_mode(
    mode: str, previous: Sequence[Any], new: Any, policy: Policy = Policy.STRICT
) -> list[Incompatibility]:
    """What makes `new` break `mode` given the `previous` versions (oldest first).

    Non-transitive modes check against the latest previous version only; an empty result
    means `new` may be registered.
    """
    name = mode.lower()
    if name not in COMPATIBILITY_MODES:
        raise ValueError(
            f"unknown compatibility mode {mode!r}; expected one of {COMPATIBILITY_MODES}"
        )
    if name == "none" or not previous:
        return []
    indices = range(len(previous)) if is_transitive(name) else [len(previous) - 1]
    allowed = compatible_changes(policy)
    found = []
    for index in indices:
        for direction in MODE_DIRECTIONS[base_mode(name)]:
            pair = (previous[index], new) if direction == BACKWARD else (new, previous[index])
            found += [
                Incompatibility(difference, direction, index)
                for difference in compare(*pair, policy)
                if difference.type not in allowed
            ]
    return found


class Comparer:
    """Compares shapes pair by pair, memoizing results and cutting recursive cycles.

    A pair met again while it is being compared is assumed compatible (the greatest fixed
    point); results computed under such an assumption about an enclosing pair are not
    memoized, so that a real difference is never masked by a cached guess.
    """

    def __init__(self, compatible: frozenset[DifferenceType]) -> None:
        self._compatible = compatible
        self._memo: dict[tuple[Any, Any], tuple[Found, ...]] = {}
        self._active: dict[tuple[Any, Any], int] = {}
        self._assumed_depth = math.inf

    def acceptable(self, found: Iterable[Found]) -> bool:
        """Whether every difference found is compatible under the policy."""
        return all(kind in self._compatible for _, kind in found)

    def compare(
        self, original: Shape | None, update: Shape | None, at: tuple[str, ...] = ()
    ) -> list[Found]:
        """The differences between two shapes, located under the segments `at`."""
        if original is None or update is None:
            if original is update:
                return []
            return [(at, _T.SCHEMA_ADDED if original is None else _T.SCHEMA_REMOVED)]
        return [(at + path, kind) for path, kind in self._memoized(original, update)]

    def _memoized(self, original: Shape, update: Shape) -> tuple[Found, ...]:
        key = (original.key, update.key)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            self._assumed_depth = min(self._assumed_depth, self._active[key])
            return ()
        depth = len(self._active)
        self._active[key] = depth
        enclosing_assumption, self._assumed_depth = self._assumed_depth, math.inf
        try:
            found = tuple(self._compare_shapes(original, update))
        finally:
            del self._active[key]
        if self._assumed_depth >= depth:
            self._memo[key] = found
            self._assumed_depth = math.inf
        self._assumed_depth = min(enclosing_assumption, self._assumed_depth)
        return found

    def _compare_shapes(self, original: Shape, update: Shape) -> list[Found]:
        across = self._across_combination(original, update)
        if across is not None:
            return across
        if original.kind is not update.kind:
            if original.kind is Kind.FALSE or update.kind is Kind.EMPTY:
                return []
            return [((), _T.TYPE_CHANGED)]
        found = [
            ((), kind)
            for name, kind in _ANNOTATIONS
            if original.annotation(name) != update.annotation(name)
        ]
        compare_kind = _BY_KIND.get(original.kind)
        return found + (compare_kind(self, original, update) if compare_kind else [])

    def _across_combination(self, original: Shape, update: Shape) -> list[Found] | None:
        """A plain schema matched with a member of a combined one, when one fits."""
        if original.kind is not Kind.COMBINED and update.kind is Kind.COMBINED:
            members = [member for _, member in update.members()]
            if len(members) == 1:
                return self._if_acceptable(self.compare(original, members[0]))
            if update.criterion != "allOf":
                return self._first_acceptable(
                    (self.compare(original, m) for m in members), _T.SUM_TYPE_EXTENDED
                )
        if original.kind is Kind.COMBINED and update.kind is not Kind.COMBINED:
            members = [member for _, member in original.members()]
            if len(members) == 1:
                return self._if_acceptable(self.compare(members[0], update))
            if original.criterion == "allOf":
                return self._first_acceptable(
                    (self.compare(m, update) for m in members), _T.PRODUCT_TYPE_NARROWED
                )
        return None

    def _if_acceptable(self, found: list[Found]) -> list[Found] | None:
        return found if self.acceptable(found) else None

    def _first_acceptable(
        self, candidates: Iterable[list[Found]], verdict: DifferenceType
    ) -> list[Found] | None:
        for found in candidates:
            if self.acceptable(found):
                return [*found, ((), verdict)]
        return None


_ANNOTATIONS = (
    ("$id", _T.ID_CHANGED),
    ("title", _T.TITLE_CHANGED),
    ("description", _T.DESCRIPTION_CHANGED),
    ("default", _T.DEFAULT_CHANGED),
)


def _compare_string(_: Comparer, original: Shape, update: Shape) -> list[Found]:
    found: list[Found] = bound_changes(
        original.raw, update.raw, {"maxLength": "MAX_LENGTH", "minLength": "MIN_LENGTH"}
    )
    before, after = original.raw.get("pattern"), update.raw.get("pattern")
    if before != after:
        kind = "ADDED" if before is None else "REMOVED" if after is None else "CHANGED"
        found.append((("pattern",), DifferenceType[f"PATTERN_{kind}"]))
    return found


_NUMBER_BOUNDS = {
    "maximum": "MAXIMUM",
    "minimum": "MINIMUM",
    "exclusiveMaximum": "EXCLUSIVE_MAXIMUM",
    "exclusiveMinimum": "EXCLUSIVE_MINIMUM",
}


def _compare_number(_: Comparer, original: Shape, update: Shape) -> list[Found]:
    found: list[Found] = bound_changes(_limits(original.raw), _limits(update.raw), _NUMBER_BOUNDS)
    multiple = _multiple_of_change(original.raw.get("multipleOf"), update.raw.get("multipleOf"))
    if multiple:
        found.append((("multipleOf",), multiple))
    if original.integer != update.integer:
        found.append(((), _T.TYPE_EXTENDED if original.integer else _T.TYPE_NARROWED))
    return found


def _limits(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The numeric bounds, with draft 4's boolean `exclusiveMaximum` read as a limit."""
    limits = {keyword: numeric(schema.get(keyword)) for keyword in _NUMBER_BOUNDS}
    for inclusive, exclusive in (("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum")):
        if schema.get(exclusive) is True:
            limits[exclusive], limits[inclusive] = limits[inclusive], None
    return limits


def _multiple_of_change(before: Any, after: Any) -> DifferenceType | None:
    old, new = _fraction(before), _fraction(after)
    if old == new:
        return None
    if old is None or new is None:
        return _T.MULTIPLE_OF_ADDED if old is None else _T.MULTIPLE_OF_REMOVED
    if old and new % old == 0:
        return _T.MULTIPLE_OF_EXPANDED
    if new and old % new == 0:
        return _T.MULTIPLE_OF_REDUCED
    return _T.MULTIPLE_OF_CHANGED


def _compare_enum(_: Comparer, original: Shape, update: Shape) -> list[Found]:
    before = {canonical(value) for value in original.raw["enum"]}
    after = {canonical(value) for value in update.raw["enum"]}
    if before == after:
        return []
    kind = "EXTENDED" if after > before else "NARROWED" if before > after else "CHANGED"
    return [(("enum",), DifferenceType[f"ENUM_ARRAY_{kind}"])]


def _compare_const(_: Comparer, original: Shape, update: Shape) -> list[Found]:
    if canonical(original.raw["const"]) == canonical(update.raw["const"]):
        return []
    return [(("const",), _T.ENUM_ARRAY_CHANGED)]


def _compare_not(comparer: Comparer, original: Shape, update: Shape) -> list[Found]:
    """`not A` to `not B` widens exactly when B to A would (so the pair is compared reversed)."""
    reversed_found = comparer.compare(
        update.child(update.raw["not"]), original.child(original.raw["not"])
    )
    if not reversed_found:
        return []
    narrowed = comparer.acceptable(reversed_found)
    return [(("not",), _T.NOT_TYPE_NARROWED if narrowed else _T.NOT_TYPE_EXTENDED)]


def _compare_combined(comparer: Comparer, original: Shape, update: Shape) -> list[Found]:
    """Criteria, member counts, then a maximum matching of compatible member pairs."""
    found: list[Found] = []
    before, after = original.members(), update.members()
    if original.criterion != update.criterion:
        if not _criterion_widens(original.criterion, len(before), update.criterion, len(after)):
            return [((), _T.COMBINED_TYPE_CHANGED)]
        found.append(((), _T.COMBINED_TYPE_EXTENDED))
    before, after = _distinct(before), _distinct(after)
    if len(before) < len(after):
        extended = _T.PRODUCT_TYPE_EXTENDED if update.criterion == "allOf" else _T.SUM_TYPE_EXTENDED
        found.append(((), extended))
    elif len(before) > len(after):
        narrowed = (
            _T.PRODUCT_TYPE_NARROWED if original.criterion == "allOf" else _T.SUM_TYPE_NARROWED
        )
        found.append(((), narrowed))
    candidates = []  # for each original member: the update members it fits, with differences
    for at, old in before:
        pairs = [(j, comparer.compare(old, new, at)) for j, (_, new) in enumerate(after)]
        candidates.append([(j, pair) for j, pair in pairs if comparer.acceptable(pair)])
    matching = _maximum_matching(candidates)
    for pair_found in matching.values():
        found += pair_found
    if len(matching) < min(len(before), len(after)):
        found.append(((), _T.COMBINED_TYPE_SUBSCHEMAS_CHANGED))
    return found


def _criterion_widens(before: str, before_count: int, after: str, after_count: int) -> bool:
    return (
        after == "anyOf"
        or (before_count == 1 and (after_count == 1 or after == "oneOf"))
        or (after_count == 1 and before == "allOf")
    )


def _distinct(members: list[tuple[tuple[str, ...], Shape]]) -> list[tuple[tuple[str, ...], Shape]]:
    """Members without repeats, each kept at its first position."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for at, member in members:
        if member.fingerprint() not in seen:
            seen.add(member.fingerprint())
            kept.append((at, member))
    return kept


def _maximum_matching(candidates: list[list[tuple[int, list[Found]]]]) -> dict[int, list[Found]]:
    """Left index -> differences of the pair it is matched in.

    Cheapest pairs are taken first (fewest differences, then nearest positions); Kuhn's
    augmenting paths then match as many members as can be.
    """
    owner: dict[int, int] = {}
    ranked = sorted(
        (len(found), abs(left - right), left, right)
        for left, row in enumerate(candidates)
        for right, found in row
    )
    for _, _, left, right in ranked:
        if right not in owner and left not in owner.values():
            owner[right] = left

    def augment(left: int, visited: set[int]) -> bool:
        for right, _ in candidates[left]:
            if right not in visited:
                visited.add(right)
                if right not in owner or augment(owner[right], visited):
                    owner[right] = left
                    return True
        return False

    for left in range(len(candidates)):
        if left not in owner.values():
            augment(left, set())
    found_by_pair = {
        (left, right): found for left, row in enumerate(candidates) for right, found in row
    }
    return {left: found_by_pair[left, right] for right, left in owner.items()}


_BY_KIND: dict[Kind, Callable[[Comparer, Shape, Shape], list[Found]]] = {
    Kind.STRING: _compare_string,
    Kind.NUMBER: _compare_number,
    Kind.ENUM: _compare_enum,
    Kind.CONST: _compare_const,
    Kind.NOT: _compare_not,
    Kind.COMBINED: _compare_combined,
    Kind.OBJECT: compare_object,
    Kind.ARRAY: compare_array,
}


def _fraction(value: Any) -> Fraction | None:
    return None if numeric(value) is None else Fraction(str(value))


def _pointer(path: tuple[str, ...]) -> str:
    return "#/" + "/".join(segment.replace("~", "~0").replace("/", "~1") for segment in path)
