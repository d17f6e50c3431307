"""What changed in one field between two contract versions, in the words of the CMP rules.

The JSON Schema engine decides *whether* a change breaks a direction; this module says
*what* the change is, in field terms, so a finding reads "v3 removes required field
`region`" rather than "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL at #/properties/region".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from govern.catalog.model import FieldSpec

NARROWER_TYPES = {("number", "integer"), ("string", "timestamp")}
"""(old, new) type pairs where the new type accepts a subset of the old one's values."""


@dataclass(frozen=True)
class FieldChange:
    """One change to field `field`: the CMP rule it falls under and what it does."""

    rule: str
    field: str
    what: str


def _value(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value)


def _values(values: object) -> str:
    return ", ".join(_value(v) for v in sorted(values, key=str))  # type: ignore[call-overload]


def field_changes(name: str, old: FieldSpec | None, new: FieldSpec | None) -> list[FieldChange]:
    """Every change to field `name` going from `old` to `new` (None: absent)."""
    if old is None and new is None:
        return []
    if new is None:
        assert old is not None
        required = "required " if old.required else ""
        return [
            FieldChange(
                "CMP001" if old.required else "CMP002", name, f"removes {required}field `{name}`"
            )
        ]
    if old is None:
        required = "required " if new.required else ""
        return [
            FieldChange(
                "CMP003" if new.required else "CMP004", name, f"adds {required}field `{name}`"
            )
        ]
    changes: list[FieldChange] = []
    if old.required != new.required:
        rule, now = ("CMP012", "required") if new.required else ("CMP013", "optional")
        changes.append(FieldChange(rule, name, f"makes `{name}` {now}"))
    if old.type != new.type:
        if (old.type, new.type) in NARROWER_TYPES:
            rule = "CMP006"
        elif (new.type, old.type) in NARROWER_TYPES:
            rule = "CMP007"
        else:
            rule = "CMP005"
        changes.append(FieldChange(rule, name, f"changes `{name}` from {old.type} to {new.type}"))
        return changes  # the old constraints say nothing about values of another type
    changes += _enum_changes(name, old, new)
    changes += _bound_changes(name, old, new)
    changes += _pattern_changes(name, old.pattern, new.pattern)
    return changes


def _enum_changes(name: str, old: FieldSpec, new: FieldSpec) -> list[FieldChange]:
    if old.enum is None and new.enum is None:
        return []
    if old.enum is None:
        return [FieldChange("CMP008", name, f"restricts `{name}` to {_values(new.enum)}")]
    if new.enum is None:
        return [FieldChange("CMP009", name, f"lifts the enum of `{name}`")]
    before, after = {str(v): v for v in old.enum}, {str(v): v for v in new.enum}
    changes = []
    removed = [before[k] for k in before.keys() - after.keys()]
    added = [after[k] for k in after.keys() - before.keys()]
    if removed:
        changes.append(
            FieldChange("CMP008", name, f"removes {_values(removed)} from the enum of `{name}`")
        )
    if added:
        changes.append(
            FieldChange("CMP009", name, f"adds {_values(added)} to the enum of `{name}`")
        )
    return changes


_BOUNDS = (
    # (attribute, words, a higher value narrows the field)
    ("minimum", "minimum", True),
    ("maximum", "maximum", False),
    ("min_length", "minimum length", True),
    ("max_length", "maximum length", False),
)


def _bound_changes(name: str, old: FieldSpec, new: FieldSpec) -> list[FieldChange]:
    changes = []
    for attribute, words, higher_narrows in _BOUNDS:
        before: Decimal | int | None = getattr(old, attribute)
        after: Decimal | int | None = getattr(new, attribute)
        if before == after:
            continue
        if before is None:
            narrows, what = True, f"adds a {words} of {after} to `{name}`"
        elif after is None:
            narrows, what = False, f"drops the {words} of `{name}` (was {before})"
        else:
            narrows = (after > before) == higher_narrows
            verb = "raises" if after > before else "lowers"
            what = f"{verb} the {words} of `{name}` from {before} to {after}"
        changes.append(FieldChange("CMP010" if narrows else "CMP011", name, what))
    return changes


def _pattern_changes(name: str, before: str | None, after: str | None) -> list[FieldChange]:
    if before == after:
        return []
    if before is None:
        return [FieldChange("CMP010", name, f"adds the pattern `{after}` to `{name}`")]
    if after is None:
        return [FieldChange("CMP011", name, f"drops the pattern of `{name}` (was `{before}`)")]
    what = f"changes the pattern of `{name}` from `{before}` to `{after}`"
    return [FieldChange("CMP010", name, what), FieldChange("CMP011", name, what)]
