"""How the compatibility engine sees a JSON Schema: as shapes, the way Confluent's loader does.

A schema object is split by the keywords it uses: `enum`, each of `allOf`/`anyOf`/`oneOf`,
`not`, `const`, the declared `type`, and the keywords implying a type that the declared one
does not cover (`maxLength` implies a string, `properties` an object...). One part is the
schema's shape; several parts form an implicit `allOf` whose members keep the schema's
location. `true` and `{}` accept anything; `false` accepts nothing. Local `$ref`s are followed,
and their asserting siblings make one more part (unless `$schema` names a draft before
2019-09, where siblings are ignored); other references are refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any
from urllib.parse import unquote


class Kind(Enum):
    """What a shape accepts, before its constraints."""

    EMPTY = "empty"
    FALSE = "false"
    STRING = "string"
    NUMBER = "number"
    BOOLEAN = "boolean"
    NULL = "null"
    OBJECT = "object"
    ARRAY = "array"
    ENUM = "enum"
    CONST = "const"
    COMBINED = "combined"
    NOT = "not"


COMBINATORS = ("allOf", "anyOf", "oneOf")

_TYPE_KINDS = {
    "string": Kind.STRING,
    "integer": Kind.NUMBER,
    "number": Kind.NUMBER,
    "boolean": Kind.BOOLEAN,
    "null": Kind.NULL,
    "object": Kind.OBJECT,
    "array": Kind.ARRAY,
}

# Keywords that imply a type when `type` does not declare it, in the loader's order.
_IMPLYING_KEYWORDS = {
    Kind.ARRAY: (
        "items",
        "prefixItems",
        "additionalItems",
        "unevaluatedItems",
        "minItems",
        "maxItems",
        "uniqueItems",
        "contains",
        "minContains",
        "maxContains",
    ),
    Kind.OBJECT: (
        "properties",
        "required",
        "minProperties",
        "maxProperties",
        "dependencies",
        "dependentRequired",
        "dependentSchemas",
        "patternProperties",
        "additionalProperties",
        "unevaluatedProperties",
        "propertyNames",
    ),
    Kind.NUMBER: ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    Kind.STRING: ("minLength", "maxLength", "pattern", "format"),
}

_NO_KEYWORDS: Mapping[str, Any] = {}


@dataclass(frozen=True, eq=False)
class Shape:
    """One part of a schema object, read from `raw` (resolved from `document`)."""

    kind: Kind
    raw: Mapping[str, Any]
    document: Document
    part: str
    annotated: bool = True

    @property
    def key(self) -> tuple[int, str]:
        """Identity of this part of this schema object, for cycle detection and memoizing."""
        return id(self.raw), self.part

    @property
    def integer(self) -> bool:
        return self.part == "integer"

    @property
    def criterion(self) -> str:
        """For a combined shape: `allOf`, `anyOf` or `oneOf`."""
        return (
            self.part if self.part in COMBINATORS else "anyOf" if self.part == "type" else "allOf"
        )

    def members(self) -> list[tuple[tuple[str, ...], Shape]]:
        """For a combined shape: each subschema with the pointer segments leading to it."""
        if self.part in COMBINATORS:
            subschemas = self.raw[self.part]
            return [((self.part, str(i)), self.document.load(s)) for i, s in enumerate(subschemas)]
        if self.part == "type":
            return [((), self.document.typed(self.raw, name)) for name in self.raw["type"]]
        return [((), part) for part in self.document.parts(self.raw)]

    def child(self, value: Any) -> Shape:
        """The shape of a subschema found in this one."""
        return self.document.load(value)

    def schema_at(self, keyword: str) -> Shape | None:
        """The shape of the subschema under `keyword`, or None when the keyword is absent."""
        return self.document.load(self.raw[keyword]) if keyword in self.raw else None

    def annotation(self, name: str) -> str | None:
        """The canonical value of an annotation (`$id`, `title`...) this shape carries."""
        if name == "$id" and "$id" not in self.raw:
            name = "id"  # draft 4 spelling
        return canonical(self.raw[name]) if self.annotated and name in self.raw else None

    def fingerprint(self) -> tuple[str, str]:
        """Equal for shapes that are the same part of equal schema objects."""
        return self.part, canonical(self.raw)


class Document:
    """A root schema, against which its local `$ref`s resolve."""

    def __init__(self, root: Any) -> None:
        self.root = root
        dialect = root.get("$schema", "") if isinstance(root, Mapping) else ""
        # Before draft 2019-09, the siblings of a `$ref` are ignored.
        self.ref_siblings_apply = not any(f"draft-0{n}" in str(dialect) for n in (3, 4, 6, 7))

    def load(self, value: Any) -> Shape:
        """The shape of `value`, a subschema of this document (or the root itself)."""
        value = self._dereference(value)
        if value is True:
            return Shape(Kind.EMPTY, _NO_KEYWORDS, self, "true")
        if value is False:
            return Shape(Kind.FALSE, _NO_KEYWORDS, self, "false")
        if not isinstance(value, Mapping):
            raise ValueError(f"not a JSON Schema: {value!r}")
        parts = self._own_parts(value)
        if "$ref" in value:  # with asserting siblings: the target is one more part
            return Shape(Kind.COMBINED, value, self, "implicit")
        if not parts:
            return Shape(Kind.EMPTY, value, self, "")
        if len(parts) == 1:
            return Shape(parts[0].kind, value, self, parts[0].part)
        return Shape(Kind.COMBINED, value, self, "implicit")

    def parts(self, schema: Mapping[str, Any]) -> list[Shape]:
        """The parts of a schema object (a `$ref` target first), unannotated, in a stable order."""
        if "$ref" in schema:
            return [self.load(self._pointed(schema["$ref"])), *self._own_parts(schema)]
        return self._own_parts(schema)

    def typed(self, schema: Mapping[str, Any], type_name: str) -> Shape:
        """The part of `schema` that a declared type stands for."""
        return Shape(_type_kind(type_name), schema, self, type_name, False)

    def _own_parts(self, schema: Mapping[str, Any]) -> list[Shape]:
        found = [Shape(Kind.ENUM, schema, self, "enum", False)] if "enum" in schema else []
        found += [Shape(Kind.COMBINED, schema, self, c, False) for c in COMBINATORS if c in schema]
        found += [Shape(Kind.NOT, schema, self, "not", False)] if "not" in schema else []
        found += [Shape(Kind.CONST, schema, self, "const", False)] if "const" in schema else []
        declared = schema.get("type")
        names = [declared] if isinstance(declared, str) else list(declared or ())
        if isinstance(declared, str):
            found.append(self.typed(schema, declared))
        elif declared is not None:
            found.append(Shape(Kind.COMBINED, schema, self, "type", False))
        declared_kinds = {_type_kind(name) for name in names}
        for kind, keywords in _IMPLYING_KEYWORDS.items():
            if kind not in declared_kinds and any(k in schema for k in keywords):
                found.append(Shape(kind, schema, self, f"implied {kind.value}", False))
        return found

    def _dereference(self, value: Any) -> Any:
        """Follow `$ref`s whose siblings assert nothing (or are ignored)."""
        seen: list[str] = []
        while isinstance(value, Mapping) and "$ref" in value:
            if self.ref_siblings_apply and self._own_parts(value):
                break
            reference = value["$ref"]
            if reference in seen:
                raise ValueError(f"$ref cycle without a schema in between: {seen}")
            seen.append(reference)
            value = self._pointed(reference)
        return value

    def _pointed(self, reference: Any) -> Any:
        if not isinstance(reference, str):
            raise ValueError(f"$ref must be a string, not {reference!r}")
        if not reference.startswith("#") or (len(reference) > 1 and reference[1] != "/"):
            raise ValueError(f"only local JSON pointer $refs are supported, not {reference!r}")
        value = self.root
        for token in reference[2:].split("/") if len(reference) > 1 else ():
            token = unquote(token).replace("~1", "/").replace("~0", "~")
            try:
                value = value[int(token)] if isinstance(value, list) else value[token]
            except (KeyError, IndexError, ValueError, TypeError):
                raise ValueError(f"$ref {reference!r} points to nothing") from None
        return value


def _type_kind(name: str) -> Kind:
    try:
        return _TYPE_KINDS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown JSON Schema type {name!r}") from None


def canonical(value: Any) -> str:
    """A text equal for equal JSON values (so 1 and 1.0 agree, and key order does not matter)."""
    return json.dumps(_normalized(value), sort_keys=True, separators=(",", ":"))


def _normalized(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        integral = number.is_finite() and number == number.to_integral_value()
        return int(number) if integral else float(number)
    if isinstance(value, Mapping):
        return {str(k): _normalized(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalized(v) for v in value]
    return str(value)
