"""The JSON Schema compatibility engine, case by case.

The cases re-express, with our own schemas, the behaviours of Confluent Schema Registry's
JSON Schema diff examples (plain, combined, and draft 2020-12 spellings), plus the places
where this engine deliberately goes further (see docs/compatibility-jsonschema.md).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govern.compat.jsonschema_diff import (
    Difference,
    DifferenceType,
    Incompatibility,
    Policy,
    check_mode,
    compare,
    is_compatible,
)
from govern.compat.jsonschema_types import COMPATIBLE_LENIENT, COMPATIBLE_STRICT

# Verdicts as (compatible under STRICT, compatible under LENIENT).
OK = (True, True)
BREAKS = (False, False)
LENIENT_OK = (False, True)


def case(name: str, original: Any, update: Any, *changes: str, verdict: tuple[bool, bool]) -> Any:
    """One row: the differences expected, as "TYPE #/pointer", and the verdicts."""
    return pytest.param(original, update, sorted(changes), *verdict, id=name)


def bound(
    schema: dict[str, Any], keyword: str, old: Any, new: Any, kind: str, verdict: tuple[bool, bool]
) -> Any:
    """A row for one keyword whose value goes from `old` to `new` (None: absent)."""
    before = schema if old is None else {**schema, keyword: old}
    after = schema if new is None else {**schema, keyword: new}
    name = f"{keyword}-{old}-to-{new}".replace("None", "absent")
    return case(name, before, after, f"{kind} #/{keyword}", verdict=verdict)


def described(differences: list[Difference]) -> list[str]:
    return [f"{d.type.value} {d.pointer}" for d in differences]


STR = {"type": "string"}
NUM = {"type": "number"}
INT = {"type": "integer"}
ARR = {"type": "array"}
NULLABLE_STR = {"oneOf": [{"type": "null"}, STR]}
P = "properties"

ANNOTATIONS = [
    case("empty-update-accepts-all", {P: {"meter": STR}}, {}, verdict=OK),
    case("id-changed", {"$id": "urn:m:1"}, {"$id": "urn:m:2"}, "ID_CHANGED #/", verdict=OK),
    case("draft4-id-changed", {"id": "m-1"}, {"id": "m-2"}, "ID_CHANGED #/", verdict=OK),
    case("title-changed", {"title": "Usage"}, {"title": "Use"}, "TITLE_CHANGED #/", verdict=OK),
    case(
        "description-changed",
        {"description": "one call"},
        {"description": "one API call"},
        "DESCRIPTION_CHANGED #/",
        verdict=OK,
    ),
    case(
        "default-changed",
        {**STR, "default": "eu"},
        {**STR, "default": "us"},
        "DEFAULT_CHANGED #/",
        verdict=OK,
    ),
    case("type-changed", ARR, {"type": "object"}, "TYPE_CHANGED #/", verdict=BREAKS),
    case("empty-to-typed", {}, {"type": "object"}, "TYPE_CHANGED #/", verdict=BREAKS),
    case("false-to-anything", False, STR, verdict=OK),
    case("true-to-false", True, False, "TYPE_CHANGED #/", verdict=BREAKS),
    case(
        "format-is-an-annotation", {**STR, "format": "date"}, {**STR, "format": "uuid"}, verdict=OK
    ),
]

STRINGS = [
    bound(STR, "minLength", 3, 4, "MIN_LENGTH_INCREASED", BREAKS),
    bound(STR, "minLength", 4, 1, "MIN_LENGTH_DECREASED", OK),
    bound(STR, "minLength", None, 1, "MIN_LENGTH_ADDED", BREAKS),
    bound(STR, "minLength", 1, None, "MIN_LENGTH_REMOVED", OK),
    bound(STR, "maxLength", 64, 128, "MAX_LENGTH_INCREASED", OK),
    bound(STR, "maxLength", 128, 64, "MAX_LENGTH_DECREASED", BREAKS),
    bound(STR, "maxLength", None, 8, "MAX_LENGTH_ADDED", BREAKS),
    bound(STR, "maxLength", 8, None, "MAX_LENGTH_REMOVED", OK),
    bound(STR, "pattern", None, "^[a-z]+$", "PATTERN_ADDED", BREAKS),
    bound(STR, "pattern", "^r-", None, "PATTERN_REMOVED", OK),
    bound(STR, "pattern", "^r-", "^route-", "PATTERN_CHANGED", BREAKS),
    case("pattern-unchanged", {**STR, "pattern": "^r-"}, {**STR, "pattern": "^r-"}, verdict=OK),
]

NUMBERS = [
    bound(NUM, "maximum", 100, None, "MAXIMUM_REMOVED", OK),
    bound(NUM, "maximum", None, 100, "MAXIMUM_ADDED", BREAKS),
    bound(NUM, "maximum", 100, 1000, "MAXIMUM_INCREASED", OK),
    bound(NUM, "maximum", 1000, 100, "MAXIMUM_DECREASED", BREAKS),
    bound(NUM, "minimum", 0, None, "MINIMUM_REMOVED", OK),
    bound(NUM, "minimum", 0, 1, "MINIMUM_INCREASED", BREAKS),
    bound(NUM, "minimum", 1, -1.5, "MINIMUM_DECREASED", OK),
    bound(NUM, "exclusiveMaximum", 10, 20, "EXCLUSIVE_MAXIMUM_INCREASED", OK),
    bound(NUM, "exclusiveMaximum", 20, 10, "EXCLUSIVE_MAXIMUM_DECREASED", BREAKS),
    bound(NUM, "exclusiveMinimum", None, 0, "EXCLUSIVE_MINIMUM_ADDED", BREAKS),
    bound(NUM, "exclusiveMinimum", 0, None, "EXCLUSIVE_MINIMUM_REMOVED", OK),
    case(
        "draft4-exclusive-flag-dropped",
        {**NUM, "minimum": 0, "exclusiveMinimum": True},
        NUM,
        "EXCLUSIVE_MINIMUM_REMOVED #/exclusiveMinimum",
        verdict=OK,
    ),
    bound(NUM, "multipleOf", 5, None, "MULTIPLE_OF_REMOVED", OK),
    bound(NUM, "multipleOf", None, 5, "MULTIPLE_OF_ADDED", BREAKS),
    bound(NUM, "multipleOf", 6, 3, "MULTIPLE_OF_REDUCED", OK),
    bound(NUM, "multipleOf", 3, 6, "MULTIPLE_OF_EXPANDED", BREAKS),
    bound(NUM, "multipleOf", 0.25, 5, "MULTIPLE_OF_EXPANDED", BREAKS),
    bound(NUM, "multipleOf", 0.1, 0.05, "MULTIPLE_OF_REDUCED", OK),
    bound(NUM, "multipleOf", 4, 6, "MULTIPLE_OF_CHANGED", BREAKS),
    case(
        "multiple-of-same-value", {**NUM, "multipleOf": 2}, {**NUM, "multipleOf": 2.0}, verdict=OK
    ),
    case("number-narrowed-to-integer", NUM, INT, "TYPE_NARROWED #/", verdict=BREAKS),
    case("integer-widened-to-number", INT, NUM, "TYPE_EXTENDED #/", verdict=OK),
]

NOT_ENUM_CONST = [
    case("not-narrowed", {"not": NUM}, {"not": INT}, "NOT_TYPE_NARROWED #/not", verdict=OK),
    case("not-extended", {"not": INT}, {"not": NUM}, "NOT_TYPE_EXTENDED #/not", verdict=BREAKS),
    case("not-unchanged", {"not": STR}, {"not": STR}, verdict=OK),
    case(
        "typed-enum-dropped", {**STR, "enum": ["eu"]}, STR, "PRODUCT_TYPE_NARROWED #/", verdict=OK
    ),
    case(
        "typed-enum-extended",
        {**STR, "enum": ["eu", "us"]},
        {**STR, "enum": ["eu", "us", "ap"]},
        "ENUM_ARRAY_EXTENDED #/enum",
        verdict=OK,
    ),
    bound({}, "enum", ["eu", "us"], ["eu"], "ENUM_ARRAY_NARROWED", BREAKS),
    bound({}, "enum", ["eu", "us"], ["eu", "ap"], "ENUM_ARRAY_CHANGED", BREAKS),
    case("enum-reordered", {"enum": [1, "one", None]}, {"enum": [None, 1.0, "one"]}, verdict=OK),
    case(
        "const-changed",
        {P: {"unit": {"const": "ms"}}},
        {P: {"unit": {"const": "s"}}},
        "ENUM_ARRAY_CHANGED #/properties/unit/const",
        verdict=BREAKS,
    ),
    case(
        "explicit-all-of-enum-changed",
        {"allOf": [STR, {"enum": ["gb"]}]},
        {"allOf": [STR, {"enum": ["tb"]}]},
        "COMBINED_TYPE_SUBSCHEMAS_CHANGED #/",
        verdict=BREAKS,
    ),
    case(
        "explicit-all-of-enum-extended-and-reordered",
        {"allOf": [STR, {"enum": ["gb"]}]},
        {"allOf": [{"enum": ["gb", "tb"]}, STR]},
        "ENUM_ARRAY_EXTENDED #/allOf/1/enum",
        verdict=OK,
    ),
]

TYPE_ARRAYS = [
    case(
        "type-array-extended",
        {"type": ["string"]},
        {"type": ["string", "null"]},
        "SUM_TYPE_EXTENDED #/",
        verdict=OK,
    ),
    case(
        "type-array-to-single", {"type": ["string", "null"]}, STR, "TYPE_CHANGED #/", verdict=BREAKS
    ),
    case(
        "integer-to-nullable-number",
        INT,
        {"type": ["number", "null"]},
        "SUM_TYPE_EXTENDED #/",
        "TYPE_EXTENDED #/",
        verdict=OK,
    ),
    case(
        "type-array-keeps-keyword-pointers",
        {"type": ["string", "null"], "maxLength": 16},
        {"type": ["string", "null"], "maxLength": 32},
        "MAX_LENGTH_INCREASED #/maxLength",
        verdict=OK,
    ),
]


def union(criterion: str, *members: Any) -> dict[str, Any]:
    return {criterion: list(members)}


COMBINED = [
    case(
        "one-of-member-changed",
        union("oneOf", STR),
        union("oneOf", NUM),
        "COMBINED_TYPE_SUBSCHEMAS_CHANGED #/",
        verdict=BREAKS,
    ),
    case(
        "one-of-member-added",
        union("oneOf", STR),
        union("oneOf", NUM, STR),
        "SUM_TYPE_EXTENDED #/",
        verdict=OK,
    ),
    case(
        "one-of-two-members-added",
        union("oneOf", STR),
        union("oneOf", {"type": "boolean"}, NUM, STR),
        "SUM_TYPE_EXTENDED #/",
        verdict=OK,
    ),
    case(
        "matched-member-changes-reported-at-original-index",
        union("oneOf", {**STR, "maxLength": 4}),
        union("oneOf", {"type": "boolean"}, NUM, {**STR, "title": "code", "maxLength": 6}),
        "SUM_TYPE_EXTENDED #/",
        "TITLE_CHANGED #/oneOf/0",
        "MAX_LENGTH_INCREASED #/oneOf/0/maxLength",
        verdict=OK,
    ),
    case(
        "one-of-member-removed",
        union("oneOf", NUM, STR),
        union("oneOf", STR),
        "SUM_TYPE_NARROWED #/",
        verdict=BREAKS,
    ),
    case(
        "one-of-nested-object-changed",
        union("oneOf", {P: {"quantity": STR}}),
        union("oneOf", {P: {"quantity": NUM}}),
        "COMBINED_TYPE_SUBSCHEMAS_CHANGED #/",
        verdict=BREAKS,
    ),
    case(
        "all-of-member-dropped",
        union("allOf", {"enum": ["kb", "mb"]}, STR),
        union("allOf", STR),
        "PRODUCT_TYPE_NARROWED #/",
        verdict=OK,
    ),
    case(
        "all-of-member-added",
        union("allOf", STR),
        union("allOf", {"enum": ["kb", "mb"]}, STR),
        "PRODUCT_TYPE_EXTENDED #/",
        verdict=BREAKS,
    ),
    case(
        "all-of-same-members-reordered",
        union("allOf", {"enum": ["a", "b"]}, STR, {"maxLength": 3}),
        union("allOf", {"maxLength": 3}, {"enum": ["a", "b"]}, STR),
        verdict=OK,
    ),
    case(
        "all-of-member-type-changed",
        union("allOf", {"enum": ["a", "b"]}, STR, {"maxLength": 3}),
        union("allOf", {"maxLength": 3}, {"enum": ["a", "b"]}, NUM),
        "COMBINED_TYPE_SUBSCHEMAS_CHANGED #/",
        verdict=BREAKS,
    ),
    case("duplicates-in-original", union("allOf", STR, STR), union("allOf", STR), verdict=OK),
    case("duplicates-in-update", union("allOf", STR), union("allOf", STR, STR), verdict=OK),
    *[
        case(
            f"singleton-{before}-to-{after}",
            union(before, STR),
            union(after, STR),
            "COMBINED_TYPE_EXTENDED #/",
            verdict=OK,
        )
        for before, after in [
            ("oneOf", "allOf"),
            ("oneOf", "anyOf"),
            ("allOf", "anyOf"),
            ("anyOf", "allOf"),
        ]
    ],
    case(
        "one-of-to-smaller-all-of",
        union("oneOf", STR, INT),
        union("allOf", STR),
        "COMBINED_TYPE_CHANGED #/",
        verdict=BREAKS,
    ),
    case(
        "one-of-to-wider-any-of",
        union("oneOf", STR),
        union("anyOf", NUM, STR),
        "COMBINED_TYPE_EXTENDED #/",
        "SUM_TYPE_EXTENDED #/",
        verdict=OK,
    ),
    case(
        "one-of-to-narrower-any-of",
        union("oneOf", NUM, STR),
        union("anyOf", STR),
        "COMBINED_TYPE_EXTENDED #/",
        "SUM_TYPE_NARROWED #/",
        verdict=BREAKS,
    ),
    case(
        "all-of-to-wider-any-of",
        union("allOf", STR),
        union("anyOf", NUM, STR),
        "COMBINED_TYPE_EXTENDED #/",
        "SUM_TYPE_EXTENDED #/",
        verdict=OK,
    ),
    case(
        "all-of-to-narrower-any-of",
        union("allOf", NUM, STR),
        union("anyOf", STR),
        "COMBINED_TYPE_EXTENDED #/",
        "PRODUCT_TYPE_NARROWED #/",
        verdict=OK,
    ),
    case(
        "any-of-to-wider-one-of",
        union("anyOf", STR),
        union("oneOf", NUM, STR),
        "COMBINED_TYPE_EXTENDED #/",
        "SUM_TYPE_EXTENDED #/",
        verdict=OK,
    ),
    case(
        "any-of-to-narrower-one-of",
        union("anyOf", NUM, STR),
        union("oneOf", STR),
        "COMBINED_TYPE_CHANGED #/",
        verdict=BREAKS,
    ),
    case(
        "all-of-to-wider-one-of",
        union("allOf", NUM),
        union("oneOf", NUM, STR),
        "COMBINED_TYPE_EXTENDED #/",
        "SUM_TYPE_EXTENDED #/",
        verdict=OK,
    ),
    case(
        "all-of-to-narrower-one-of",
        union("allOf", NUM, STR),
        union("oneOf", STR),
        "COMBINED_TYPE_EXTENDED #/",
        "PRODUCT_TYPE_NARROWED #/",
        verdict=OK,
    ),
    case(
        "any-of-to-larger-all-of",
        union("anyOf", STR),
        union("allOf", NUM, STR),
        "COMBINED_TYPE_CHANGED #/",
        verdict=BREAKS,
    ),
    case(
        "one-of-to-larger-all-of",
        union("oneOf", STR),
        union("allOf", NUM, STR),
        "COMBINED_TYPE_CHANGED #/",
        verdict=BREAKS,
    ),
    case("plain-to-any-of", STR, union("anyOf", NUM, STR), "SUM_TYPE_EXTENDED #/", verdict=OK),
    case("plain-to-one-of", STR, union("oneOf", NUM, STR), "SUM_TYPE_EXTENDED #/", verdict=OK),
    case(
        "null-to-nullable-one-of",
        {"type": "null"},
        union("oneOf", NUM, {"type": "null"}),
        "SUM_TYPE_EXTENDED #/",
        verdict=OK,
    ),
    case(
        "plain-with-constraint-to-one-of",
        {**STR, "maxLength": 2},
        union("oneOf", NUM, STR),
        "MAX_LENGTH_REMOVED #/maxLength",
        "SUM_TYPE_EXTENDED #/",
        verdict=OK,
    ),
    case("plain-to-singleton-all-of", STR, union("allOf", STR), verdict=OK),
    case("singleton-all-of-to-plain", union("allOf", STR), STR, verdict=OK),
    case(
        "plain-to-larger-all-of", STR, union("allOf", NUM, STR), "TYPE_CHANGED #/", verdict=BREAKS
    ),
    case(
        "combined-under-a-property",
        {"type": "object", P: {"size": union("oneOf", STR)}},
        {"type": "object", P: {"size": union("oneOf", NUM, STR)}},
        "SUM_TYPE_EXTENDED #/properties/size",
        verdict=OK,
    ),
]

CLOSED = {"additionalProperties": False}
OBJECTS = [
    case(
        "property-renamed-in-open-model",
        {P: {"route": STR}},
        {P: {"path": STR}},
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/path",
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL #/properties/route",
        verdict=LENIENT_OK,
    ),
    case(
        "property-type-changed",
        {P: {"route": STR}},
        {P: {"route": NUM}},
        "TYPE_CHANGED #/properties/route",
        verdict=BREAKS,
    ),
    case(
        "property-name-escaped-in-pointer",
        {P: {"a/b~c": STR}},
        {P: {"a/b~c": NUM}},
        "TYPE_CHANGED #/properties/a~1b~0c",
        verdict=BREAKS,
    ),
    case(
        "optional-property-added-to-open-model",
        {P: {"route": STR}},
        {P: {"route": STR, "region": STR}},
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/region",
        verdict=LENIENT_OK,
    ),
    case(
        "required-property-added-to-open-model",
        {P: {"route": STR}},
        {P: {"route": STR, "region": STR}, "required": ["region"]},
        "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/region",
        verdict=BREAKS,
    ),
    case(
        "required-property-with-default-added-to-open-model",
        {P: {"route": STR}},
        {P: {"route": STR, "region": {**STR, "default": "eu"}}, "required": ["region"]},
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL #/properties/region",
        verdict=LENIENT_OK,
    ),
    case(
        "empty-schema-property-added-to-open-model",
        {"additionalProperties": True},
        {"additionalProperties": True, P: {"labels": True}},
        "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL #/properties/labels",
        verdict=OK,
    ),
    case(
        "property-removed-from-open-model",
        {"additionalProperties": True, P: {"labels": True}},
        {"additionalProperties": True},
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL #/properties/labels",
        verdict=OK,
    ),
    case(
        "optional-property-added-to-closed-model",
        {P: {"route": STR}, **CLOSED},
        {P: {"route": STR, "quantity": NUM}, **CLOSED},
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/quantity",
        verdict=OK,
    ),
    case(
        "required-property-added-to-closed-model",
        {P: {"route": STR}, **CLOSED},
        {P: {"route": STR, "quantity": NUM}, "required": ["quantity"], **CLOSED},
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/quantity",
        verdict=BREAKS,
    ),
    case(
        "required-property-with-default-added-to-closed-model",
        {P: {"route": STR}, **CLOSED},
        {P: {"route": STR, "quantity": {**NUM, "default": 1}}, "required": ["quantity"], **CLOSED},
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/quantity",
        verdict=OK,
    ),
    case(
        "false-property-added-to-closed-model",
        CLOSED,
        {**CLOSED, P: {"legacy": False}},
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/legacy",
        verdict=OK,
    ),
    case(
        "false-property-removed-from-closed-model",
        {**CLOSED, P: {"legacy": False}},
        CLOSED,
        "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/legacy",
        verdict=OK,
    ),
    case(
        "property-removed-from-closed-model",
        {P: {"route": STR, "region": STR}, **CLOSED},
        {P: {"route": STR}, **CLOSED},
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/region",
        verdict=LENIENT_OK,
    ),
    case(
        "added-property-covered-by-pattern",
        {P: {"route": STR}, **CLOSED, "patternProperties": {"^n_": INT, "^s_": STR}},
        {
            P: {"route": STR, "n_calls": NUM},
            **CLOSED,
            "patternProperties": {"^n_": INT, "^s_": STR},
        },
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/n_calls",
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/n_calls",
        "TYPE_EXTENDED #/properties/n_calls",
        verdict=OK,
    ),
    case(
        "added-property-covered-by-additional-schema",
        {P: {"route": STR}, "additionalProperties": STR},
        {P: {"route": STR, "region": STR}, "additionalProperties": STR},
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/region",
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/region",
        verdict=OK,
    ),
    case(
        "added-property-not-covered-by-additional-schema",
        {P: {"route": STR}, "additionalProperties": STR},
        {P: {"route": STR, "quantity": NUM}, "additionalProperties": STR},
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/quantity",
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/quantity",
        "TYPE_CHANGED #/properties/quantity",
        verdict=BREAKS,
    ),
    case(
        "required-property-added-covered-by-additional-schema",
        {P: {"route": STR}, "additionalProperties": STR},
        {P: {"route": STR, "region": STR}, "required": ["region"], "additionalProperties": STR},
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/region",
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/region",
        verdict=BREAKS,
    ),
    case(
        "removed-property-covered-by-pattern",
        {P: {"route": STR, "n_calls": INT}, **CLOSED},
        {P: {"route": STR}, **CLOSED, "patternProperties": {"^n_": NUM}},
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/n_calls",
        "TYPE_EXTENDED #/properties/n_calls",
        verdict=OK,
    ),
    case(
        "removed-property-covered-by-additional-schema",
        {P: {"route": STR, "region": STR}, **CLOSED},
        {P: {"route": STR}, "additionalProperties": STR},
        "ADDITIONAL_PROPERTIES_ADDED #/additionalProperties",
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/region",
        verdict=OK,
    ),
    case(
        "removed-property-not-covered",
        {P: {"route": STR, "quantity": NUM}, **CLOSED},
        {P: {"route": STR}, "additionalProperties": STR},
        "ADDITIONAL_PROPERTIES_ADDED #/additionalProperties",
        "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/quantity",
        "TYPE_CHANGED #/properties/quantity",
        verdict=BREAKS,
    ),
    case(
        "removed-nullable-property-covered-by-same-union",
        {P: {"route": STR, "note": NULLABLE_STR}, **CLOSED},
        {P: {"route": STR}, "additionalProperties": NULLABLE_STR},
        "ADDITIONAL_PROPERTIES_ADDED #/additionalProperties",
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/note",
        verdict=OK,
    ),
    case(
        "removed-property-covered-by-wider-union",
        {P: {"route": STR, "note": STR}, **CLOSED},
        {P: {"route": STR}, "additionalProperties": NULLABLE_STR},
        "ADDITIONAL_PROPERTIES_ADDED #/additionalProperties",
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/note",
        "SUM_TYPE_EXTENDED #/properties/note",
        verdict=OK,
    ),
    case(
        "additional-properties-reopened",
        {P: {}, **CLOSED},
        {P: {}},
        "ADDITIONAL_PROPERTIES_ADDED #/additionalProperties",
        verdict=OK,
    ),
    bound({}, "additionalProperties", True, False, "ADDITIONAL_PROPERTIES_REMOVED", LENIENT_OK),
    bound({}, "additionalProperties", True, NUM, "ADDITIONAL_PROPERTIES_NARROWED", LENIENT_OK),
    bound({}, "additionalProperties", NUM, {}, "ADDITIONAL_PROPERTIES_EXTENDED", OK),
    case(
        "additional-properties-schema-changed",
        {"additionalProperties": STR},
        {"additionalProperties": NUM},
        "TYPE_CHANGED #/additionalProperties",
        verdict=BREAKS,
    ),
    case(
        "required-removed",
        {P: {"route": STR}, "required": ["route"]},
        {P: {"route": STR}},
        "REQUIRED_ATTRIBUTE_REMOVED #/required/route",
        verdict=OK,
    ),
    case(
        "required-added",
        {P: {"route": STR}},
        {P: {"route": STR}, "required": ["route"]},
        "REQUIRED_ATTRIBUTE_ADDED #/required/route",
        verdict=BREAKS,
    ),
    case(
        "required-with-default-added",
        {P: {"route": STR}},
        {P: {"route": {**STR, "default": "/"}}, "required": ["route"]},
        "DEFAULT_CHANGED #/properties/route",
        "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED #/required/route",
        verdict=OK,
    ),
    case(
        "required-moved-to-undeclared-name",
        {P: {"route": STR}, "required": ["route"]},
        {P: {"route": STR}, "required": ["path"]},
        "REQUIRED_ATTRIBUTE_REMOVED #/required/route",
        verdict=OK,
    ),
    bound({P: {}}, "maxProperties", 3, None, "MAX_PROPERTIES_REMOVED", OK),
    bound({}, "maxProperties", 3, 4, "MAX_PROPERTIES_INCREASED", OK),
    bound({}, "maxProperties", 4, 3, "MAX_PROPERTIES_DECREASED", BREAKS),
    bound({P: {}}, "minProperties", 1, None, "MIN_PROPERTIES_REMOVED", OK),
    bound({}, "minProperties", 1, 2, "MIN_PROPERTIES_INCREASED", BREAKS),
    bound({}, "minProperties", 2, 1, "MIN_PROPERTIES_DECREASED", OK),
    case(
        "pattern-property-schema-changed",
        {"patternProperties": {"^x-": STR}},
        {"patternProperties": {"^x-": NUM}},
        "TYPE_CHANGED #/patternProperties/^x-",
        verdict=BREAKS,
    ),
]

WITH_UNIT = {P: {"quantity": NUM, "unit": STR}}
DEPENDENCIES = [
    case(
        "dependency-arrays-swapped",
        {**WITH_UNIT, "dependencies": {"quantity": ["unit"]}},
        {**WITH_UNIT, "dependencies": {"unit": ["quantity"]}},
        "DEPENDENCY_ARRAY_ADDED #/dependencies/unit",
        "DEPENDENCY_ARRAY_REMOVED #/dependencies/quantity",
        verdict=BREAKS,
    ),
    case(
        "dependency-array-extended",
        {"dependencies": {"quantity": ["unit"]}},
        {"dependencies": {"quantity": ["unit", "window"]}},
        "DEPENDENCY_ARRAY_EXTENDED #/dependencies/quantity",
        verdict=BREAKS,
    ),
    case(
        "dependency-array-narrowed",
        {"dependentRequired": {"quantity": ["unit", "window"]}},
        {"dependentRequired": {"quantity": ["unit"]}},
        "DEPENDENCY_ARRAY_NARROWED #/dependentRequired/quantity",
        verdict=OK,
    ),
    case(
        "dependency-array-changed",
        {"dependentRequired": {"quantity": ["unit"]}},
        {"dependentRequired": {"quantity": ["window"]}},
        "DEPENDENCY_ARRAY_CHANGED #/dependentRequired/quantity",
        verdict=BREAKS,
    ),
    case(
        "dependency-respelled-is-no-change",
        {"dependencies": {"quantity": ["unit"]}},
        {"dependentRequired": {"quantity": ["unit"]}},
        verdict=OK,
    ),
    case(
        "dependency-schema-removed",
        {"dependencies": {"quantity": STR, "unit": STR}},
        {"dependencies": {"quantity": STR}},
        "DEPENDENCY_SCHEMA_REMOVED #/dependencies/unit",
        verdict=OK,
    ),
    case(
        "last-dependency-schema-removed",
        {"dependentSchemas": {"quantity": {"required": ["unit"]}}},
        {"dependentSchemas": {}},
        "DEPENDENCY_SCHEMA_REMOVED #/dependentSchemas/quantity",
        verdict=OK,
    ),
    case(
        "dependency-schema-changed",
        {"dependentSchemas": {"quantity": STR}},
        {"dependentSchemas": {"quantity": NUM}},
        "TYPE_CHANGED #/dependentSchemas/quantity",
        verdict=BREAKS,
    ),
    case(
        "dependency-schema-moved",
        {"dependencies": {"quantity": STR}},
        {"dependencies": {"unit": STR}},
        "DEPENDENCY_SCHEMA_ADDED #/dependencies/unit",
        "DEPENDENCY_SCHEMA_REMOVED #/dependencies/quantity",
        verdict=BREAKS,
    ),
]


def tuple_of(*items: Any, **keywords: Any) -> dict[str, Any]:
    """A draft 7 tuple array: `items` is a list, `additionalItems` what follows."""
    return {**ARR, "items": list(items), **keywords}


BOOL = {"type": "boolean"}
ARRAYS = [
    case("items-schema-added", ARR, {**ARR, "items": STR}, "SCHEMA_ADDED #/items", verdict=BREAKS),
    case("items-schema-removed", {**ARR, "items": STR}, ARR, "SCHEMA_REMOVED #/items", verdict=OK),
    case(
        "items-schema-changed",
        {"items": STR},
        {"items": NUM},
        "TYPE_CHANGED #/items",
        verdict=BREAKS,
    ),
    case(
        "tuple-dropped-to-open-array",
        tuple_of(STR, NUM),
        ARR,
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL #/items/0",
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL #/items/1",
        verdict=OK,
    ),
    case(
        "tuple-item-changed", tuple_of(STR), tuple_of(NUM), "TYPE_CHANGED #/items/0", verdict=BREAKS
    ),
    case(
        "tuple-item-added-covered",
        tuple_of(STR, NUM, additionalItems=STR),
        tuple_of(STR, NUM, STR, additionalItems=STR),
        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/2",
        verdict=OK,
    ),
    case(
        "tuple-item-added-not-covered",
        tuple_of(STR, NUM, additionalItems=STR),
        tuple_of(STR, NUM, NUM, additionalItems=STR),
        "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/2",
        "TYPE_CHANGED #/items/2",
        verdict=BREAKS,
    ),
    case(
        "tuple-item-removed-covered",
        tuple_of(STR, NUM, STR, additionalItems=STR),
        tuple_of(STR, NUM, additionalItems=STR),
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/2",
        verdict=OK,
    ),
    case(
        "tuple-nullable-item-removed-covered",
        tuple_of(STR, NULLABLE_STR, additionalItems=NULLABLE_STR),
        tuple_of(STR, additionalItems=NULLABLE_STR),
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1",
        verdict=OK,
    ),
    case(
        "tuple-item-removed-not-covered",
        tuple_of(STR, NUM, NUM, additionalItems=STR),
        tuple_of(STR, NUM, additionalItems=STR),
        "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/2",
        "TYPE_CHANGED #/items/2",
        verdict=BREAKS,
    ),
    case(
        "empty-item-added-to-open-tuple",
        tuple_of(NUM, additionalItems=True),
        tuple_of(NUM, True, additionalItems=True),
        "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL #/items/1",
        verdict=OK,
    ),
    case(
        "typed-item-added-to-open-tuple",
        tuple_of(NUM),
        tuple_of(NUM, STR),
        "ITEM_ADDED_TO_OPEN_CONTENT_MODEL #/items/1",
        verdict=BREAKS,
    ),
    case(
        "item-removed-from-open-tuple",
        tuple_of(NUM, True, additionalItems=True),
        tuple_of(NUM, additionalItems=True),
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL #/items/1",
        verdict=OK,
    ),
    case(
        "false-item-added-to-closed-tuple",
        tuple_of(NUM, additionalItems=False),
        tuple_of(NUM, False, additionalItems=False),
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL #/items/1",
        verdict=OK,
    ),
    case(
        "false-item-removed-from-closed-tuple",
        tuple_of(NUM, False, additionalItems=False),
        tuple_of(NUM, additionalItems=False),
        "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL #/items/1",
        verdict=OK,
    ),
    case(
        "item-removed-from-closed-tuple",
        tuple_of(NUM, STR, additionalItems=False),
        tuple_of(NUM, additionalItems=False),
        "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL #/items/1",
        verdict=BREAKS,
    ),
    case(
        "closed-tuple-grown-and-opened",
        tuple_of(STR, NUM, additionalItems=False),
        tuple_of(STR, NUM, BOOL, additionalItems=True),
        "ADDITIONAL_ITEMS_ADDED #/additionalItems",
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL #/items/2",
        verdict=OK,
    ),
    case(
        "closed-tuple-shrunk-and-opened",
        tuple_of(STR, NUM, BOOL, additionalItems=False),
        tuple_of(STR, NUM, additionalItems=True),
        "ADDITIONAL_ITEMS_ADDED #/additionalItems",
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL #/items/2",
        verdict=OK,
    ),
    case(
        "closed-tuple-shrunk-into-additional-schema",
        tuple_of(STR, NUM, additionalItems=False),
        tuple_of(STR, additionalItems=NUM),
        "ADDITIONAL_ITEMS_ADDED #/additionalItems",
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1",
        verdict=OK,
    ),
    case(
        "partially-open-tuple-grown-and-opened",
        tuple_of(STR, additionalItems=NUM),
        tuple_of(STR, NUM, additionalItems=True),
        "ADDITIONAL_ITEMS_EXTENDED #/additionalItems",
        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/items/1",
        verdict=OK,
    ),
    bound({}, "additionalItems", True, False, "ADDITIONAL_ITEMS_REMOVED", BREAKS),
    bound(tuple_of(STR), "additionalItems", None, STR, "ADDITIONAL_ITEMS_NARROWED", BREAKS),
    case(
        "additional-items-schema-changed",
        {"additionalItems": STR},
        {"additionalItems": NUM},
        "TYPE_CHANGED #/additionalItems",
        verdict=BREAKS,
    ),
    bound(ARR, "maxItems", 10, 5, "MAX_ITEMS_DECREASED", BREAKS),
    bound(ARR, "maxItems", 5, 10, "MAX_ITEMS_INCREASED", OK),
    bound(ARR, "minItems", 1, None, "MIN_ITEMS_REMOVED", OK),
    bound(ARR, "minItems", 1, 3, "MIN_ITEMS_INCREASED", BREAKS),
    bound(ARR, "minItems", 3, 1, "MIN_ITEMS_DECREASED", OK),
    bound(ARR, "uniqueItems", True, None, "UNIQUE_ITEMS_REMOVED", OK),
    bound(ARR, "uniqueItems", None, True, "UNIQUE_ITEMS_ADDED", BREAKS),
    bound({**ARR, "contains": NUM}, "minContains", 1, 2, "MIN_CONTAINS_INCREASED", BREAKS),
    bound({**ARR, "contains": NUM}, "minContains", 2, 1, "MIN_CONTAINS_DECREASED", OK),
    bound({**ARR, "contains": NUM}, "maxContains", None, 3, "MAX_CONTAINS_ADDED", BREAKS),
    bound(ARR, "contains", NUM, INT, "TYPE_NARROWED", BREAKS),
]


def prefixed(*items: Any, **keywords: Any) -> dict[str, Any]:
    """A draft 2020-12 tuple array: `prefixItems`, then `items` for what follows."""
    return {**ARR, "prefixItems": list(items), **keywords}


DRAFT_2020_12 = [
    case(
        "prefix-items-dropped-to-open-array",
        prefixed(STR, NUM),
        ARR,
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL #/prefixItems/0",
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL #/prefixItems/1",
        verdict=OK,
    ),
    case(
        "prefix-item-added-covered-by-items",
        prefixed(STR, NUM, items=STR),
        prefixed(STR, NUM, STR, items=STR),
        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/prefixItems/2",
        verdict=OK,
    ),
    case(
        "prefix-item-added-not-covered-by-unevaluated-items",
        prefixed(STR, NUM, unevaluatedItems=STR),
        prefixed(STR, NUM, NUM, unevaluatedItems=STR),
        "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/prefixItems/2",
        "TYPE_CHANGED #/prefixItems/2",
        verdict=BREAKS,
    ),
    case(
        "prefix-item-removed-covered-by-unevaluated-items",
        prefixed(STR, NUM, NULLABLE_STR, unevaluatedItems=NULLABLE_STR),
        prefixed(STR, NUM, unevaluatedItems=NULLABLE_STR),
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/prefixItems/2",
        verdict=OK,
    ),
    case(
        "prefix-item-removed-not-covered-by-items",
        prefixed(STR, NUM, NUM, items=STR),
        prefixed(STR, NUM, items=STR),
        "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/prefixItems/2",
        "TYPE_CHANGED #/prefixItems/2",
        verdict=BREAKS,
    ),
    case(
        "closed-prefix-grown-and-opened",
        prefixed(STR, items=False),
        prefixed(STR, NUM, items=True),
        "ADDITIONAL_ITEMS_ADDED #/items",
        "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL #/prefixItems/1",
        verdict=OK,
    ),
    case(
        "partially-open-prefix-grown-and-opened",
        prefixed(STR, items=NUM),
        prefixed(STR, NUM, items=True),
        "ADDITIONAL_ITEMS_EXTENDED #/items",
        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/prefixItems/1",
        verdict=OK,
    ),
    case(
        "optional-property-added-unevaluated-closed",
        {P: {"route": STR}, "unevaluatedProperties": False},
        {P: {"route": STR, "region": STR}, "unevaluatedProperties": False},
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/region",
        verdict=OK,
    ),
    case(
        "property-added-covered-by-unevaluated-schema",
        {P: {"route": STR}, "unevaluatedProperties": STR},
        {P: {"route": STR, "region": STR}, "unevaluatedProperties": STR},
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/region",
        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/region",
        verdict=OK,
    ),
    case(
        "property-added-not-covered-by-unevaluated-schema",
        {P: {"route": STR}, "unevaluatedProperties": STR},
        {P: {"route": STR, "quantity": NUM}, "unevaluatedProperties": STR},
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/quantity",
        "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/quantity",
        "TYPE_CHANGED #/properties/quantity",
        verdict=BREAKS,
    ),
    bound(
        {P: {}}, "unevaluatedProperties", None, False, "UNEVALUATED_PROPERTIES_REMOVED", LENIENT_OK
    ),
    bound({P: {}}, "unevaluatedProperties", False, None, "UNEVALUATED_PROPERTIES_ADDED", OK),
    bound(
        {P: {}}, "unevaluatedProperties", None, STR, "UNEVALUATED_PROPERTIES_NARROWED", LENIENT_OK
    ),
    bound({P: {}}, "unevaluatedProperties", STR, True, "UNEVALUATED_PROPERTIES_EXTENDED", OK),
    bound(prefixed(STR), "unevaluatedItems", None, False, "UNEVALUATED_ITEMS_REMOVED", BREAKS),
    bound(prefixed(STR), "unevaluatedItems", False, True, "UNEVALUATED_ITEMS_ADDED", OK),
    bound(ARR, "unevaluatedItems", True, STR, "UNEVALUATED_ITEMS_NARROWED", BREAKS),
    case(
        "unevaluated-items-schema-changed",
        {**ARR, "unevaluatedItems": STR},
        {**ARR, "unevaluatedItems": NUM},
        "TYPE_CHANGED #/unevaluatedItems",
        verdict=BREAKS,
    ),
]

DRAFT_7 = "http://json-schema.org/draft-07/schema#"
REFS = [
    case(
        "ref-target-changed",
        {**ARR, "items": {"$ref": "#/definitions/route"}, "definitions": {"route": STR}},
        {**ARR, "items": {"$ref": "#/definitions/route"}, "definitions": {"route": NUM}},
        "TYPE_CHANGED #/items",
        verdict=BREAKS,
    ),
    case("moved-into-ref", STR, {"$ref": "#/$defs/route", "$defs": {"route": STR}}, verdict=OK),
    case("moved-out-of-ref", {"$ref": "#/$defs/route", "$defs": {"route": STR}}, STR, verdict=OK),
    case(
        "ref-chain-and-escaped-names",
        {
            "$ref": "#/$defs/a~1b",
            "$defs": {"a/b": {"$ref": "#/$defs/c"}, "c": {**STR, "maxLength": 3}},
        },
        {**STR, "maxLength": 4},
        "MAX_LENGTH_INCREASED #/maxLength",
        verdict=OK,
    ),
    case(
        "ref-siblings-apply-from-2019-09",
        {"$defs": {"base": {P: {"route": STR}}}, "$ref": "#/$defs/base", "required": ["route"]},
        {"$defs": {"base": {P: {"route": STR}}}, "$ref": "#/$defs/base"},
        "PRODUCT_TYPE_NARROWED #/",
        verdict=OK,
    ),
    case(
        "ref-siblings-ignored-in-draft-7",
        {
            "$schema": DRAFT_7,
            "definitions": {"id": STR},
            "$ref": "#/definitions/id",
            "maxLength": 3,
        },
        {"$schema": DRAFT_7, "definitions": {"id": STR}, "$ref": "#/definitions/id"},
        verdict=OK,
    ),
]

ALL_CASES = (
    ANNOTATIONS
    + STRINGS
    + NUMBERS
    + NOT_ENUM_CONST
    + TYPE_ARRAYS
    + COMBINED
    + OBJECTS
    + DEPENDENCIES
    + ARRAYS
    + DRAFT_2020_12
    + REFS
)


@pytest.mark.parametrize(("original", "update", "changes", "strict", "lenient"), ALL_CASES)
def test_differences_and_verdicts(
    original: Any, update: Any, changes: list[str], strict: bool, lenient: bool
) -> None:
    differences = compare(original, update)
    assert sorted(described(differences)) == sorted(changes)
    assert is_compatible(differences, Policy.STRICT) is strict
    lenient_differences = compare(original, update, Policy.LENIENT)
    assert lenient_differences == differences
    assert is_compatible(lenient_differences, Policy.LENIENT) is lenient


OPEN_MEMBER = {P: {"route": STR}}
GROWN_MEMBER = {P: {"route": STR, "region": STR}}


@pytest.mark.parametrize(
    ("original", "update", "strict_changes", "lenient_changes"),
    [
        pytest.param(
            {"allOf": [{"required": ["route"]}, OPEN_MEMBER]},
            {"allOf": [{"required": ["route"]}, GROWN_MEMBER]},
            ["COMBINED_TYPE_SUBSCHEMAS_CHANGED #/"],
            ["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/allOf/1/properties/region"],
            id="all-of-member-matches-only-when-lenient",
        ),
        pytest.param(
            OPEN_MEMBER,
            {"oneOf": [{"type": "null"}, GROWN_MEMBER]},
            ["TYPE_CHANGED #/"],
            [
                "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/region",
                "SUM_TYPE_EXTENDED #/",
            ],
            id="one-of-member-fits-only-when-lenient",
        ),
        pytest.param(
            {P: {"route": STR, "meta": OPEN_MEMBER}, "additionalProperties": False},
            {P: {"route": STR}, "additionalProperties": GROWN_MEMBER},
            [
                "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/meta/properties/region",
                "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/meta",
                "ADDITIONAL_PROPERTIES_ADDED #/additionalProperties",
            ],
            [
                "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/meta/properties/region",
                "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/meta",
                "ADDITIONAL_PROPERTIES_ADDED #/additionalProperties",
            ],
            id="cover-judged-by-policy",
        ),
    ],
)
def test_policy_steers_matching(
    original: Any, update: Any, strict_changes: list[str], lenient_changes: list[str]
) -> None:
    strict = compare(original, update, Policy.STRICT)
    lenient = compare(original, update, Policy.LENIENT)
    assert sorted(described(strict)) == sorted(strict_changes)
    assert sorted(described(lenient)) == sorted(lenient_changes)
    assert not is_compatible(strict, Policy.STRICT)
    assert is_compatible(lenient, Policy.LENIENT)


def recursive_tree(leaf_type: str) -> dict[str, Any]:
    """A tree of nodes whose children are nodes again, through a oneOf and a $ref."""
    return {
        "$ref": "#/$defs/node",
        "$defs": {
            "node": {
                "type": "object",
                P: {
                    "value": {"type": leaf_type},
                    "children": {"type": "array", "items": {"oneOf": [{"$ref": "#/$defs/node"}]}},
                },
            }
        },
    }


def mutually_recursive(first_id: str, second_id: str) -> dict[str, Any]:
    """Two unions that reach each other; a change hides behind the cycle T0 -> T2 -> T0."""

    def node(id_type: str, target: str) -> dict[str, Any]:
        return {
            "type": "object",
            P: {"id": {"type": id_type}, "next": {"oneOf": [{"$ref": f"#/$defs/{target}"}]}},
        }

    return {
        "type": "object",
        "$defs": {
            "T0": node(first_id, "T2"),
            "T1": node(second_id, "T2"),
            "T2": node("integer", "T0"),
        },
        P: {"root": {"oneOf": [{"$ref": "#/$defs/T0"}, {"$ref": "#/$defs/T1"}]}},
    }


def product_catalog(branches: int, links: int) -> dict[str, Any]:
    """A oneOf of product types whose properties point back to the union (2020-12 `$ref`s)."""
    defs: dict[str, Any] = {
        "Id": {"type": "object", P: {"id": STR}, "required": ["id"]},
        "Base": {"type": "object", P: {"name": STR}},
        "ProductOrId": {"oneOf": [{"$ref": "#/$defs/Id"}, {"$ref": "#/$defs/Product"}]},
        "Product": {"oneOf": [{"$ref": f"#/$defs/T{i}"} for i in range(branches)]},
    }
    for i in range(branches):
        properties = {f"link{j}": {"$ref": "#/$defs/ProductOrId"} for j in range(links)}
        defs[f"T{i}"] = {
            "$ref": "#/$defs/Base",
            "type": "object",
            P: {**properties, "tag": {**STR, "const": f"t{i}"}},
            "required": ["link0", "tag"],
        }
    return {"$defs": defs, "$ref": "#/$defs/Product"}


def test_wide_recursive_union_is_compared_quickly() -> None:
    assert compare(product_catalog(12, 5), product_catalog(12, 5)) == []


def test_recursive_schema_equals_itself() -> None:
    assert compare(recursive_tree("string"), recursive_tree("string")) == []


def test_recursive_schema_change_is_found() -> None:
    differences = compare(recursive_tree("integer"), recursive_tree("number"))
    assert described(differences) == ["TYPE_EXTENDED #/properties/value"]


def test_change_behind_a_cycle_is_not_masked() -> None:
    differences = compare(
        mutually_recursive("integer", "boolean"), mutually_recursive("boolean", "number")
    )
    assert not is_compatible(differences)


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        pytest.param({"$ref": "#/$defs/missing"}, "points to nothing", id="dangling"),
        pytest.param({"$ref": "other.json#/x"}, "only local", id="remote"),
        pytest.param({"$ref": "#anchor"}, "only local", id="anchor"),
        pytest.param(
            {"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}, "cycle", id="cycle"
        ),
        pytest.param({"type": "decimal"}, "unknown JSON Schema type", id="unknown-type"),
        pytest.param({P: {"route": None}}, "not a JSON Schema", id="not-a-schema"),
    ],
)
def test_unusable_schemas_are_refused(schema: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compare(schema, {"type": "object", P: {"route": STR}})


def test_output_is_sorted_by_pointer_then_type_and_has_messages() -> None:
    differences = compare(
        {P: {"b": STR, "a": {**NUM, "maximum": 3}}, "title": "x"},
        {P: {"a": {**NUM, "maximum": 2}}, "title": "y"},
    )
    assert differences == sorted(differences, key=lambda d: (d.pointer, d.type.value))
    assert described(differences) == [
        "TITLE_CHANGED #/",
        "MAXIMUM_DECREASED #/properties/a/maximum",
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL #/properties/b",
    ]
    assert differences[1].message == "Maximum decreased at #/properties/a/maximum"


def test_lenient_accepts_everything_strict_accepts() -> None:
    assert COMPATIBLE_STRICT < COMPATIBLE_LENIENT
    assert is_compatible([])


# Versions of a closed usage event: V1 adds an optional `region` (backward compatible only:
# V0 readers reject it), V2 requires it with a default, V3 drops it again.
EVENT = {"type": "object", "additionalProperties": False}
V0 = {**EVENT, P: {"route": STR}}
V1 = {**EVENT, P: {"route": STR, "region": STR}}
V2 = {**EVENT, P: {"route": STR, "region": {**STR, "default": "eu"}}, "required": ["region"]}
V3_DROPS_REGION = {**EVENT, P: {"route": STR}}


def checked(mode: str, previous: list[Any], new: Any, policy: Policy = Policy.STRICT) -> list[str]:
    return [
        f"{i.direction}@{i.against} {i.difference.type.value} {i.difference.pointer}"
        for i in check_mode(mode, previous, new, policy)
    ]


@pytest.mark.parametrize(
    ("mode", "previous", "new", "expected"),
    [
        pytest.param("none", [V1], V3_DROPS_REGION, [], id="none"),
        pytest.param("backward", [], V0, [], id="first-version"),
        pytest.param("backward", [V0], V1, [], id="backward-ok"),
        pytest.param(
            "backward",
            [V0, V1],
            V3_DROPS_REGION,
            ["backward@1 PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/region"],
            id="backward-latest-only",
        ),
        pytest.param("backward", [V1, V0], V3_DROPS_REGION, [], id="backward-ignores-older"),
        pytest.param(
            "backward_transitive",
            [V1, V0],
            V3_DROPS_REGION,
            ["backward@0 PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/region"],
            id="backward-transitive-checks-all",
        ),
        pytest.param(
            "forward",
            [V0],
            V1,
            ["forward@0 PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/region"],
            id="forward-is-reverse-direction",
        ),
        pytest.param("forward", [V1], V3_DROPS_REGION, [], id="forward-ok"),
        pytest.param(
            "full",
            [V0, V1],
            V2,
            [],
            id="full-ok-with-default",
        ),
        pytest.param(
            "full",
            [V1],
            V0,
            ["backward@0 PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/region"],
            id="full-checks-backward",
        ),
        pytest.param(
            "FULL_TRANSITIVE",
            [V0, V1],
            V2,
            ["forward@0 PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/region"],
            id="full-transitive-any-case",
        ),
        pytest.param("forward_transitive", [V1, V2], V1, [], id="forward-transitive-ok"),
    ],
)
def test_check_mode(mode: str, previous: list[Any], new: Any, expected: list[str]) -> None:
    assert checked(mode, previous, new) == expected


def test_check_mode_passes_the_policy_on() -> None:
    open_v0 = {"type": "object", P: {"route": STR}}
    open_v1 = {"type": "object", P: {"route": STR, "region": STR}}
    assert checked("backward", [open_v0], open_v1) == [
        "backward@0 OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/region"
    ]
    assert checked("backward", [open_v0], open_v1, Policy.LENIENT) == []


def test_check_mode_rejects_unknown_modes() -> None:
    with pytest.raises(ValueError, match="unknown compatibility mode"):
        check_mode("sideways", [V0], V1)


def test_incompatibility_message() -> None:
    [found] = check_mode("forward", [V0], V1)
    assert found == Incompatibility(
        Difference(
            DifferenceType.PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL, "#/properties/region"
        ),
        "forward",
        0,
    )
    assert found.message.startswith("forward check against version #0: Property removed")


# Generated schemas: compare(s, s) must find nothing, whichever way the schema is built.
SCALAR_SCHEMAS = st.one_of(
    st.booleans(),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["string", "integer", "number", "boolean", "null"])},
        optional={
            "maxLength": st.integers(0, 9),
            "minimum": st.integers(-5, 5),
            "multipleOf": st.sampled_from([0.5, 2, 3]),
            "pattern": st.sampled_from(["^a", "b$"]),
            "title": st.text(max_size=3),
            "default": st.integers(),
        },
    ),
    st.builds(
        lambda values: {"enum": values}, st.lists(st.integers() | st.text(max_size=2), min_size=1)
    ),
    st.builds(lambda value: {"const": value}, st.integers() | st.none()),
    st.builds(
        lambda types: {"type": types},
        st.lists(st.sampled_from(["string", "null", "integer"]), min_size=1, unique=True),
    ),
)

NAMES = st.sampled_from(["route", "region", "quantity", "n_calls"])


def composite(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.fixed_dictionaries(
            {"properties": st.dictionaries(NAMES, children, max_size=3)},
            optional={
                "type": st.just("object"),
                "required": st.lists(NAMES, unique=True, max_size=2),
                "additionalProperties": st.booleans() | children,
                "patternProperties": st.dictionaries(st.just("^n_"), children, max_size=1),
                "dependentRequired": st.dictionaries(
                    NAMES, st.lists(NAMES, max_size=2), max_size=1
                ),
            },
        ),
        st.fixed_dictionaries(
            {"type": st.just("array")},
            optional={
                "items": children,
                "prefixItems": st.lists(children, max_size=3),
                "minItems": st.integers(0, 3),
                "uniqueItems": st.booleans(),
            },
        ),
        st.builds(
            lambda keyword, members: {keyword: members},
            st.sampled_from(["allOf", "anyOf", "oneOf"]),
            st.lists(children, min_size=1, max_size=3),
        ),
        st.builds(lambda negated: {"not": negated}, children),
    )


SCHEMAS = st.recursive(SCALAR_SCHEMAS, composite, max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(SCHEMAS)
def test_a_schema_has_no_difference_with_itself(schema: Any) -> None:
    assert compare(schema, schema) == []
    assert compare(schema, copy.deepcopy(schema)) == []
    assert compare(schema, schema, Policy.LENIENT) == []


@settings(max_examples=150, deadline=None)
@given(SCHEMAS, SCHEMAS)
def test_any_two_schemas_compare_deterministically(original: Any, update: Any) -> None:
    differences = compare(original, update)
    assert differences == compare(copy.deepcopy(original), copy.deepcopy(update))
    assert differences == sorted(set(differences), key=lambda d: (d.pointer, d.type.value))
    if is_compatible(differences, Policy.STRICT):
        assert is_compatible(compare(original, update, Policy.LENIENT), Policy.LENIENT)
