"""Avro schema compatibility: can a reader schema read data written with a writer schema?

The rules are the Avro specification's "Schema Resolution" rules as fastavro applies them
when it reads (fastavro has no checker of its own). Where fastavro departs from the
specification the checker follows fastavro, with one deliberate exception (named types of
different kinds); docs/compatibility-avro.md lists every rule, its kind and the departures.

Logical types are resolved on their underlying Avro type: fastavro decodes with the
writer's logical type and ignores the reader's, so decimal precision/scale and
timestamp-micros/millis changes never make a read fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import fastavro

from govern.catalog.compatibility import (
    BACKWARD,
    COMPATIBILITY_MODES,
    MODE_DIRECTIONS,
    base_mode,
    is_transitive,
)

_PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
_NAMED = frozenset({"record", "enum", "fixed"})
_PROMOTIONS = {
    "int": frozenset({"long", "float", "double"}),
    "long": frozenset({"float", "double"}),
    "float": frozenset({"double"}),
    "string": frozenset({"bytes"}),
    "bytes": frozenset({"string"}),
}


@dataclass(frozen=True)
class AvroIncompatibility:
    """One reason why a reader schema cannot read some data written with a writer schema."""

    kind: str
    location: str
    message: str


def can_read(reader: dict | list | str, writer: dict | list | str) -> list[AvroIncompatibility]:
    """Incompatibilities preventing `reader` from reading data written with `writer`.

    An empty list means fastavro reads every datum valid for `writer` with `reader`.
    Locations are JSON-pointer-like paths into the reader schema. Invalid schemas raise
    fastavro's SchemaParseException (or UnknownType for undefined names).
    """
    resolution = _Resolution(reader, writer)
    return sorted(resolution.found, key=lambda i: (i.location, i.kind, i.message))


def check_avro(
    mode: str, previous: list, new: dict | list | str
) -> list[tuple[str, int, AvroIncompatibility]]:
    """Check `new` against `previous` (oldest first) under a compatibility mode.

    Modes: none, backward, forward, full and their `_transitive` forms. Backward means
    `new` reads data written with a previous schema; forward means a previous schema reads
    data written with `new`. Plain modes compare with the last previous schema only.
    Returns (direction, index into `previous`, incompatibility) triples, ordered by index,
    then direction, then incompatibility.
    """
    if mode not in COMPATIBILITY_MODES:
        raise ValueError(f"unknown Avro compatibility mode: {mode!r}")
    indexes = range(len(previous)) if is_transitive(mode) else range(len(previous))[-1:]
    results = []
    for index in indexes:
        for direction in MODE_DIRECTIONS[base_mode(mode)]:
            if direction == BACKWARD:
                issues = can_read(new, previous[index])
            else:
                issues = can_read(previous[index], new)
            results.extend((direction, index, issue) for issue in issues)
    return results


def _type(node: Any) -> str:
    return node["type"] if isinstance(node, dict) else node


def _short(fullname: str) -> str:
    return fullname.rsplit(".", 1)[-1]


def _names_match(writer: dict, reader: dict) -> bool:
    """fastavro: unqualified names equal, or a reader alias equals the writer's full or
    unqualified name (aliases are not qualified with the reader's namespace)."""
    aliases = reader.get("aliases", [])
    short = _short(writer["name"])
    return short == _short(reader["name"]) or writer["name"] in aliases or short in aliases


def _describe(node: Any) -> str:
    if isinstance(node, dict) and node["type"] in _NAMED:
        return f"{node['type']} {node['name']}"
    return _type(node)


class _Resolution:
    """Walks a writer/reader pair the way fastavro's reader does, collecting issues."""

    def __init__(self, reader: Any, writer: Any) -> None:
        self.reader_names: dict[str, dict] = {}
        self.writer_names: dict[str, dict] = {}
        parsed_reader = fastavro.parse_schema(reader, self.reader_names)
        parsed_writer = fastavro.parse_schema(writer, self.writer_names)
        self.visited: set[tuple[str, str]] = set()
        self.found: list[AvroIncompatibility] = []
        self.check(parsed_writer, parsed_reader, "")

    def add(self, kind: str, location: str, message: str) -> None:
        self.found.append(AvroIncompatibility(kind, location or "/", message))

    def writer_node(self, node: Any) -> Any:
        if isinstance(node, str) and node not in _PRIMITIVES:
            return self.writer_names[node]
        return node

    def reader_node(self, node: Any) -> Any:
        if isinstance(node, str) and node not in _PRIMITIVES:
            return self.reader_names[node]
        return node

    def matches(self, writer: Any, reader: Any) -> bool:
        """fastavro's shallow test used to pick a reader union branch (`match_types`)."""
        if isinstance(writer, list) or isinstance(reader, list):
            return True
        if isinstance(writer, str) and writer == reader:
            return True
        writer, reader = self.writer_node(writer), self.reader_node(reader)
        w_type, r_type = _type(writer), _type(reader)
        if w_type in _NAMED and r_type in _NAMED:
            if w_type == r_type == "fixed" and writer["size"] != reader["size"]:
                return False
            return _names_match(writer, reader)
        if w_type == r_type == "array":
            return self.matches(writer["items"], reader["items"])
        if w_type == r_type == "map":
            return self.matches(writer["values"], reader["values"])
        return w_type == r_type or r_type in _PROMOTIONS.get(w_type, ())

    def check(self, writer: Any, reader: Any, location: str, note: str = "") -> None:
        if isinstance(reader, list):
            if isinstance(writer, list):
                for index, branch in enumerate(writer):
                    branch_note = f" (writer union branch {index})"
                    self.pick_branch(branch, reader, location, branch_note, writer_union=True)
            else:
                self.pick_branch(writer, reader, location, note, writer_union=False)
        elif isinstance(writer, list):
            for index, branch in enumerate(writer):
                self.check(branch, reader, location, f" (writer union branch {index})")
        else:
            self.check_pair(writer, reader, location, note)

    def pick_branch(
        self, writer: Any, reader: list, location: str, note: str, writer_union: bool
    ) -> None:
        """Resolve against the first reader union branch that matches, as fastavro does.

        fastavro cannot resolve a writer's by-name reference against an inline definition
        picked from a reader union, unless the writer side is itself a union branch."""
        for index, branch in enumerate(reader):
            if not self.matches(writer, branch):
                continue
            by_reference = isinstance(writer, str) and writer not in _PRIMITIVES
            if by_reference and isinstance(branch, dict) and not writer_union:
                self.add(
                    "FASTAVRO_UNSUPPORTED",
                    f"{location}/{index}",
                    f"the writer refers to {writer} by name here but the chosen reader union "
                    f"branch defines it inline; fastavro fails on this (TypeError)",
                )
            else:
                self.check(writer, branch, f"{location}/{index}")
            return
        self.add(
            "MISSING_UNION_BRANCH",
            location,
            f"no reader union branch accepts writer type {_describe(self.writer_node(writer))}"
            f"{note}",
        )

    def check_pair(self, writer: Any, reader: Any, location: str, note: str) -> None:
        writer, reader = self.writer_node(writer), self.reader_node(reader)
        w_type, r_type = _type(writer), _type(reader)
        if w_type in _NAMED and w_type == r_type:
            self.check_named(writer, reader, location, note)
        elif w_type == r_type == "array":
            self.check(writer["items"], reader["items"], f"{location}/items")
        elif w_type == r_type == "map":
            self.check(writer["values"], reader["values"], f"{location}/values")
        elif w_type != r_type and r_type not in _PROMOTIONS.get(w_type, ()):
            self.add(
                "TYPE_MISMATCH",
                location,
                f"reader type {_describe(reader)} cannot read writer type "
                f"{_describe(writer)}{note}",
            )

    def check_named(self, writer: dict, reader: dict, location: str, note: str) -> None:
        if not _names_match(writer, reader):
            self.add(
                "NAME_MISMATCH",
                f"{location}/name",
                f"reader {reader['type']} {reader['name']} does not match writer name "
                f"{writer['name']} (by unqualified name or reader alias){note}",
            )
            return
        pair = (writer["name"], reader["name"])
        if pair in self.visited:
            return
        self.visited.add(pair)
        if writer["type"] == "fixed" and writer["size"] != reader["size"]:
            self.add(
                "FIXED_SIZE_MISMATCH",
                f"{location}/size",
                f"reader fixed {reader['name']} has size {reader['size']}, writer has "
                f"{writer['size']}{note}",
            )
        elif writer["type"] == "enum":
            self.check_symbols(writer, reader, location, note)
        elif writer["type"] == "record":
            self.check_fields(writer, reader, location)

    def check_symbols(self, writer: dict, reader: dict, location: str, note: str) -> None:
        missing = [symbol for symbol in writer["symbols"] if symbol not in reader["symbols"]]
        if missing and "default" not in reader:
            self.add(
                "MISSING_ENUM_SYMBOLS",
                f"{location}/symbols",
                f"reader enum {reader['name']} lacks writer symbols {', '.join(missing)} "
                f"and has no default{note}",
            )

    def check_fields(self, writer: dict, reader: dict, location: str) -> None:
        """Match writer fields to reader fields by name, then by reader field alias, in the
        writer's field order, exactly as fastavro's read_record does."""
        unfilled = {field["name"]: field for field in reader["fields"]}
        by_alias = {
            alias: field for field in reader["fields"] for alias in field.get("aliases", [])
        }
        for w_field in writer["fields"]:
            r_field = unfilled.get(w_field["name"]) or by_alias.get(w_field["name"])
            if r_field is None:
                continue
            field_location = f"{location}/fields/{r_field['name']}"
            if r_field["name"] not in unfilled:
                self.add(
                    "FIELD_ALIAS_CONFLICT",
                    field_location,
                    f"writer field {w_field['name']} maps through an alias to reader field "
                    f"{r_field['name']}, which another writer field already filled; "
                    f"fastavro fails with KeyError",
                )
                continue
            del unfilled[r_field["name"]]
            self.check(w_field["type"], r_field["type"], f"{field_location}/type")
        for name, r_field in unfilled.items():
            if "default" not in r_field:
                self.add(
                    "READER_FIELD_MISSING_DEFAULT_VALUE",
                    f"{location}/fields/{name}",
                    f"reader field {name} of {reader['name']} is absent from the writer "
                    f"record and has no default",
                )
