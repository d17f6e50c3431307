"""Objects and arrays: properties, tuple items and their open, closed or partially open models.

A content model is *open* when anything is accepted beyond the declared properties (or tuple
items), *closed* when nothing is (`additionalProperties: false`), and *partially open* when
what is beyond must match a schema (`additionalProperties: {...}`, a matching
`patternProperties` entry, or `unevaluatedProperties: {...}` when `additionalProperties` is
absent). A property removed from, or added to, a schema is judged against that model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from govern.compat.jsonschema_shapes import Kind, Shape
from govern.compat.jsonschema_types import DifferenceType, bound_changes

if TYPE_CHECKING:
    from govern.compat.jsonschema_diff import Comparer, Found

_T = DifferenceType


def compare_object(comparer: Comparer, original: Shape, update: Shape) -> list[Found]:
    """Properties, required names, dependencies, content model and property counts."""
    return [
        *_compare_properties(comparer, original, update),
        *_compare_required(original, update),
        *_compare_dependency_arrays(original, update),
        *_compare_dependency_schemas(comparer, original, update),
        *_compare_pattern_properties(comparer, original, update),
        *_content_model_change(
            comparer,
            original.schema_at("additionalProperties"),
            update.schema_at("additionalProperties"),
            "additionalProperties",
            "ADDITIONAL_PROPERTIES",
        ),
        *_content_model_change(
            comparer,
            original.schema_at("unevaluatedProperties"),
            update.schema_at("unevaluatedProperties"),
            "unevaluatedProperties",
            "UNEVALUATED_PROPERTIES",
        ),
        *bound_changes(
            original.raw,
            update.raw,
            {"maxProperties": "MAX_PROPERTIES", "minProperties": "MIN_PROPERTIES"},
        ),
    ]


def compare_array(comparer: Comparer, original: Shape, update: Shape) -> list[Found]:
    """The all-items schema, tuple items, content model, counts and `uniqueItems`."""
    found = comparer.compare(_all_items(original), _all_items(update), ("items",))
    found += _compare_tuple_items(comparer, original, update)
    uses_prefix_items = "prefixItems" in original.raw or "prefixItems" in update.raw
    found += _content_model_change(
        comparer,
        _items_after_tuple(original),
        _items_after_tuple(update),
        "items" if uses_prefix_items else "additionalItems",
        "ADDITIONAL_ITEMS",
    )
    found += _content_model_change(
        comparer,
        original.schema_at("unevaluatedItems"),
        update.schema_at("unevaluatedItems"),
        "unevaluatedItems",
        "UNEVALUATED_ITEMS",
    )
    found += comparer.compare(
        original.schema_at("contains"),
        update.schema_at("contains"),
        ("contains",),
    )
    counts = {
        "maxItems": "MAX_ITEMS",
        "minItems": "MIN_ITEMS",
        "maxContains": "MAX_CONTAINS",
        "minContains": "MIN_CONTAINS",
    }
    found += bound_changes(original.raw, update.raw, counts)
    unique_before = original.raw.get("uniqueItems") is True
    if unique_before != (update.raw.get("uniqueItems") is True):
        found.append(
            (("uniqueItems",), _T.UNIQUE_ITEMS_REMOVED if unique_before else _T.UNIQUE_ITEMS_ADDED)
        )
    return found


def _content_model_change(
    comparer: Comparer, before: Shape | None, after: Shape | None, keyword: str, stem: str
) -> list[Found]:
    """A change to what a content model accepts beyond its declared properties or items.

    An absent keyword accepts anything, like `true`; `_ADDED` opens a closed model,
    `_REMOVED` closes it, `_NARROWED` and `_EXTENDED` move between open and a schema.
    """
    old, new = _kind_or_open(before), _kind_or_open(after)
    if (old is Kind.FALSE) != (new is Kind.FALSE):
        suffix = "REMOVED" if new is Kind.FALSE else "ADDED"
    elif (old is Kind.EMPTY) != (new is Kind.EMPTY):
        suffix = "EXTENDED" if new is Kind.EMPTY else "NARROWED"
    elif before is not None and after is not None:
        return comparer.compare(before, after, (keyword,))
    else:
        return []
    return [((keyword,), DifferenceType[f"{stem}_{suffix}"])]


def _compare_properties(comparer: Comparer, original: Shape, update: Shape) -> list[Found]:
    before, after = _mapping(original.raw, "properties"), _mapping(update.raw, "properties")
    found: list[Found] = []
    for name in sorted(before.keys() | after.keys()):
        at = ("properties", name)
        if name in before and name in after:
            found += comparer.compare(original.child(before[name]), update.child(after[name]), at)
        elif name in before:
            found += _property_removed(comparer, original.child(before[name]), update, name, at)
        else:
            found += _property_added(comparer, original, update, name, at)
    return found


def _property_removed(
    comparer: Comparer, removed: Shape, update: Shape, name: str, at: tuple[str, ...]
) -> list[Found]:
    """Judged by the update's content model: can it still read the property?"""
    if _object_model_is_open(update):
        return [(at, _T.PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL)]
    cover = _property_cover(update, name)
    if cover is not None:
        return _judged_by_cover(comparer, removed, cover, at, "PROPERTY_REMOVED")
    if removed.kind is Kind.FALSE:
        return [(at, _T.PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL)]
    return [(at, _T.PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL)]


def _property_added(
    comparer: Comparer, original: Shape, update: Shape, name: str, at: tuple[str, ...]
) -> list[Found]:
    """Judged by the original's content model: could the property already be there?"""
    added = update.child(update.raw["properties"][name])
    required = name in _required(update.raw)
    with_default = "WITH_DEFAULT_" if "default" in added.raw else ""
    if _object_model_is_open(original):
        if added.kind is Kind.EMPTY:
            return [(at, _T.PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL)]
        if required:
            return [
                (at, DifferenceType[f"REQUIRED_PROPERTY_{with_default}ADDED_TO_OPEN_CONTENT_MODEL"])
            ]
        return [(at, _T.OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL)]
    found: list[Found] = []
    cover = _property_cover(original, name)
    if cover is not None:
        found = _judged_by_cover(comparer, cover, added, at, "PROPERTY_ADDED")
    if required:
        found.append(
            (at, DifferenceType[f"REQUIRED_PROPERTY_{with_default}ADDED_TO_UNOPEN_CONTENT_MODEL"])
        )
    else:
        found.append((at, _T.OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL))
    return found


def _judged_by_cover(
    comparer: Comparer, old: Shape, new: Shape, at: tuple[str, ...], change: str
) -> list[Found]:
    """`change` (`PROPERTY_ADDED`, `ITEM_REMOVED`, ...) in a partially open content model:
    the differences between what was there and what the model lets be there (`old` ->
    `new`), then whether the model's schema covers the change."""
    found = comparer.compare(old, new, at)
    verdict = "IS_COVERED" if comparer.acceptable(found) else "NOT_COVERED"
    return [*found, (at, DifferenceType[f"{change}_{verdict}_BY_PARTIALLY_OPEN_CONTENT_MODEL"])]


def _object_model_is_open(schema: Shape) -> bool:
    return (
        _is_open(schema.schema_at("additionalProperties"))
        and not _mapping(schema.raw, "patternProperties")
        and _is_open(schema.schema_at("unevaluatedProperties"))
    )


def _property_cover(schema: Shape, name: str) -> Shape | None:
    """The schema a property not declared in `schema` must match, if it may appear at all."""
    for pattern, subschema in _mapping(schema.raw, "patternProperties").items():
        if _matches(pattern, name):
            return schema.child(subschema)
    additional = schema.schema_at("additionalProperties")
    if not _is_open(additional):
        return additional if _restricts(additional) else None
    unevaluated = schema.schema_at("unevaluatedProperties")
    return unevaluated if _restricts(unevaluated) else None


def _compare_required(original: Shape, update: Shape) -> list[Found]:
    """Required names, for properties declared on both sides."""
    before, after = _mapping(original.raw, "properties"), _mapping(update.raw, "properties")
    was, now = _required(original.raw), _required(update.raw)
    found: list[Found] = []
    for name in sorted(before.keys() & after.keys() & (was ^ now)):
        if name in was:
            found.append((("required", name), _T.REQUIRED_ATTRIBUTE_REMOVED))
        elif "default" in update.child(after[name]).raw:
            found.append((("required", name), _T.REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED))
        else:
            found.append((("required", name), _T.REQUIRED_ATTRIBUTE_ADDED))
    return found


def _compare_dependency_arrays(original: Shape, update: Shape) -> list[Found]:
    """`dependentRequired` (or array-valued `dependencies`) entries."""
    before, after = _dependencies(original.raw, arrays=True), _dependencies(update.raw, arrays=True)
    found: list[Found] = []
    for name in sorted(before.keys() | after.keys()):
        keyword = (before.get(name) or after[name])[0]
        if name not in after or name not in before:
            kind = "REMOVED" if name not in after else "ADDED"
        else:
            old, new = set(before[name][1]), set(after[name][1])
            if old == new:
                continue
            kind = "EXTENDED" if new > old else "NARROWED" if new < old else "CHANGED"
        found.append(((keyword, name), DifferenceType[f"DEPENDENCY_ARRAY_{kind}"]))
    return found


def _compare_dependency_schemas(comparer: Comparer, original: Shape, update: Shape) -> list[Found]:
    """`dependentSchemas` (or schema-valued `dependencies`) entries."""
    before, after = (
        _dependencies(original.raw, arrays=False),
        _dependencies(update.raw, arrays=False),
    )
    found: list[Found] = []
    for name in sorted(before.keys() | after.keys()):
        keyword = (before.get(name) or after[name])[0]
        if name not in after or name not in before:
            kind = _T.DEPENDENCY_SCHEMA_REMOVED if name not in after else _T.DEPENDENCY_SCHEMA_ADDED
            found.append(((keyword, name), kind))
        else:
            old, new = original.child(before[name][1]), update.child(after[name][1])
            found += comparer.compare(old, new, (keyword, name))
    return found


def _dependencies(schema: Mapping[str, Any], *, arrays: bool) -> dict[str, tuple[str, Any]]:
    """name -> (keyword, value) for property dependencies (`arrays`) or schema dependencies."""
    own_keyword = "dependentRequired" if arrays else "dependentSchemas"
    entries = {
        name: ("dependencies", value)
        for name, value in _mapping(schema, "dependencies").items()
        if isinstance(value, list) == arrays
    }
    entries.update({name: (own_keyword, v) for name, v in _mapping(schema, own_keyword).items()})
    return entries


def _compare_pattern_properties(comparer: Comparer, original: Shape, update: Shape) -> list[Found]:
    """Schemas of the patterns kept on both sides (added or removed ones change the model)."""
    before, after = (
        _mapping(original.raw, "patternProperties"),
        _mapping(update.raw, "patternProperties"),
    )
    found: list[Found] = []
    for pattern in sorted(before.keys() & after.keys()):
        old, new = original.child(before[pattern]), update.child(after[pattern])
        found += comparer.compare(old, new, ("patternProperties", pattern))
    return found


def _compare_tuple_items(comparer: Comparer, original: Shape, update: Shape) -> list[Found]:
    (old_keyword, before), (new_keyword, after) = _tuple(original), _tuple(update)
    found: list[Found] = []
    for index in range(max(len(before), len(after))):
        if index < len(before) and index < len(after):
            old, new = original.child(before[index]), update.child(after[index])
            found += comparer.compare(old, new, (old_keyword, str(index)))
        elif index < len(before):
            removed = original.child(before[index])
            found += _item_removed(comparer, removed, update, (old_keyword, str(index)))
        else:
            added = update.child(after[index])
            found += _item_added(comparer, original, added, (new_keyword, str(index)))
    return found


def _item_removed(
    comparer: Comparer, removed: Shape, update: Shape, at: tuple[str, ...]
) -> list[Found]:
    if _array_model_is_open(update):
        return [(at, _T.ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL)]
    cover = _item_cover(update)
    if cover is not None:
        return _judged_by_cover(comparer, removed, cover, at, "ITEM_REMOVED")
    if removed.kind is Kind.FALSE:
        return [(at, _T.ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL)]
    return [(at, _T.ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL)]


def _item_added(
    comparer: Comparer, original: Shape, added: Shape, at: tuple[str, ...]
) -> list[Found]:
    if _array_model_is_open(original):
        if added.kind is Kind.EMPTY:
            return [(at, _T.ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL)]
        return [(at, _T.ITEM_ADDED_TO_OPEN_CONTENT_MODEL)]
    cover = _item_cover(original)
    if cover is None:
        return [(at, _T.ITEM_ADDED_TO_CLOSED_CONTENT_MODEL)]
    return _judged_by_cover(comparer, cover, added, at, "ITEM_ADDED")


def _array_model_is_open(schema: Shape) -> bool:
    return _is_open(_items_after_tuple(schema)) and _is_open(schema.schema_at("unevaluatedItems"))


def _item_cover(schema: Shape) -> Shape | None:
    """The schema items after the tuple must match, if they may appear at all."""
    after_tuple = _items_after_tuple(schema)
    if not _is_open(after_tuple):
        return after_tuple if _restricts(after_tuple) else None
    unevaluated = schema.schema_at("unevaluatedItems")
    return unevaluated if _restricts(unevaluated) else None


def _tuple(schema: Shape) -> tuple[str, list[Any]]:
    """The keyword holding tuple items (`prefixItems`, or draft 7's array `items`) and them."""
    keyword = "prefixItems" if "prefixItems" in schema.raw else "items"
    items = schema.raw.get(keyword)
    return keyword, items if isinstance(items, list) else []


def _all_items(schema: Shape) -> Shape | None:
    """The schema every item must match, when `items` is not a tuple nor what follows one."""
    if "prefixItems" in schema.raw or isinstance(schema.raw.get("items"), list):
        return None
    return schema.schema_at("items")


def _items_after_tuple(schema: Shape) -> Shape | None:
    return schema.schema_at("items" if "prefixItems" in schema.raw else "additionalItems")


def _kind_or_open(schema: Shape | None) -> Kind:
    return Kind.EMPTY if schema is None else schema.kind


def _is_open(schema: Shape | None) -> bool:
    """Accepts anything: absent, `true` or `{}`."""
    return _kind_or_open(schema) is Kind.EMPTY


def _restricts(schema: Shape | None) -> bool:
    """Is a schema that accepts some values but not all (as far as its shape tells)."""
    return _kind_or_open(schema) not in (Kind.EMPTY, Kind.FALSE)


def _mapping(schema: Mapping[str, Any], keyword: str) -> Mapping[str, Any]:
    value = schema.get(keyword)
    return value if isinstance(value, Mapping) else {}


def _required(schema: Mapping[str, Any]) -> set[str]:
    value = schema.get("required")
    return set(value) if isinstance(value, list) else set()


def _matches(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error as error:
        raise ValueError(
            f"patternProperties key {pattern!r} is not a usable regex: {error}"
        ) from None
