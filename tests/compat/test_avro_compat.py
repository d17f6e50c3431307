"""Avro compatibility: a table of hand-written pairs and a property test, both checked
against what fastavro actually does when it reads writer data with the reader schema."""

from __future__ import annotations

import copy
import datetime
import io
from decimal import Decimal

import fastavro
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from govern.compat.avro_compat import AvroIncompatibility, can_read, check_avro

PRIMITIVES = ["null", "boolean", "int", "long", "float", "double", "string", "bytes"]
SAMPLES = {
    "null": None,
    "boolean": True,
    "int": 7,
    "long": 2**40,
    "float": 1.5,
    "double": 2.25,
    "string": "s",
    "bytes": b"b",
}
MOMENT = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
LOGICAL_SAMPLES = {
    "timestamp-micros": MOMENT,
    "timestamp-millis": MOMENT,
    "date": MOMENT.date(),
}


# --- covering data: every union branch, enum symbol and collection item gets written ---


def _branch_tag(branch):
    if isinstance(branch, str):
        return branch
    return branch["name"] if branch["type"] in ("record", "enum", "fixed") else branch["type"]


def variants(node, names, stack=()):
    """Values for `node` that together exercise every branch and symbol in it; None when
    a recursive type cannot be cut short at this depth."""
    if isinstance(node, list):
        out = []
        for branch in node:
            out.extend((_branch_tag(branch), v) for v in variants(branch, names, stack) or [])
        return out or None
    if isinstance(node, str):
        return [SAMPLES[node]] if node in SAMPLES else variants(names[node], names, stack)
    kind = node["type"]
    if kind == "record":
        if stack.count(node["name"]) >= 2:
            return None
        inner = (*stack, node["name"])
        fields = [(f["name"], variants(f["type"], names, inner)) for f in node["fields"]]
        if any(values is None for _, values in fields):
            return None
        count = max([len(values) for _, values in fields], default=1)
        return [{name: values[i % len(values)] for name, values in fields} for i in range(count)]
    if kind == "enum":
        return list(node["symbols"])
    if kind == "array":
        return [variants(node["items"], names, stack) or []]
    if kind == "map":
        values = variants(node["values"], names, stack) or []
        return [{f"k{i}": value for i, value in enumerate(values)}]
    if node.get("logicalType") == "decimal":
        return [Decimal(1).scaleb(-node.get("scale", 0))]
    if kind == "fixed":
        return [bytes(node["size"])]
    if node.get("logicalType") in LOGICAL_SAMPLES:
        return [LOGICAL_SAMPLES[node["logicalType"]]]
    return [SAMPLES[kind]]


def fastavro_reads(writer, reader):
    """(True, None) when fastavro reads covering writer data with `reader`, else
    (False, error)."""
    names = {}
    parsed_writer = fastavro.parse_schema(writer, names)
    parsed_reader = fastavro.parse_schema(reader)
    records = variants(parsed_writer, names)
    assert records, "the generator must produce writer data"
    for record in records:
        buffer = io.BytesIO()
        fastavro.schemaless_writer(buffer, parsed_writer, record)
        buffer.seek(0)
        try:
            fastavro.schemaless_reader(buffer, parsed_writer, parsed_reader)
        except Exception as error:  # any failure to read counts
            return False, error
    return True, None


# --- hand-written table ---


def rec(name, *fields, **extra):
    return {"type": "record", "name": name, "fields": list(fields), **extra}


def fld(name, type_, **extra):
    return {"name": name, "type": type_, **extra}


def enum(name, *symbols, **extra):
    return {"type": "enum", "name": name, "symbols": list(symbols), **extra}


def fixed(name, size, **extra):
    return {"type": "fixed", "name": name, "size": size, **extra}


def decimal(precision, scale, base="bytes", **extra):
    return {"type": base, "logicalType": "decimal", "precision": precision, "scale": scale, **extra}


def one(type_, **extra):
    """A record with a single field `a` of the given type."""
    return rec("T", fld("a", type_, **extra))


TS_MICROS = {"type": "long", "logicalType": "timestamp-micros"}
NODE = rec("Node", fld("v", "int"), fld("next", ["null", "Node"]))
A_B = rec("A", fld("b", ["null", rec("B", fld("a", ["null", "A"]), fld("n", "int"))]))

# (id, writer, reader, expected [(kind, location)], fastavro reads too)
CASES = [
    ("same-int", "int", "int", [], True),
    ("int-long", "int", "long", [], True),
    ("int-float", "int", "float", [], True),
    ("int-double", "int", "double", [], True),
    ("long-float", "long", "float", [], True),
    ("long-double", "long", "double", [], True),
    ("float-double", "float", "double", [], True),
    ("string-bytes", "string", "bytes", [], True),
    ("bytes-string", "bytes", "string", [], True),
    ("long-int", "long", "int", [("TYPE_MISMATCH", "/")], False),
    ("double-float", "double", "float", [("TYPE_MISMATCH", "/")], False),
    ("float-long", "float", "long", [("TYPE_MISMATCH", "/")], False),
    ("boolean-int", "boolean", "int", [("TYPE_MISMATCH", "/")], False),
    ("null-string", "null", "string", [("TYPE_MISMATCH", "/")], False),
    ("record-int", one("int"), "int", [("TYPE_MISMATCH", "/")], False),
    ("field-promoted", one("int"), one("long"), [], True),
    ("field-retyped", one("long"), one("int"), [("TYPE_MISMATCH", "/fields/a/type")], False),
    (
        "field-added-with-default",
        one("int"),
        rec("T", fld("a", "int"), fld("b", "string", default="")),
        [],
        True,
    ),
    (
        "field-added-null-default",
        one("int"),
        rec("T", fld("a", "int"), fld("b", ["null", "string"], default=None)),
        [],
        True,
    ),
    (
        "field-added-without-default",
        one("int"),
        rec("T", fld("a", "int"), fld("b", "string")),
        [("READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/b")],
        False,
    ),
    ("field-removed", rec("T", fld("a", "int"), fld("b", "string")), one("int"), [], True),
    ("field-renamed-alias", one("int"), rec("T", fld("z", "long", aliases=["a"])), [], True),
    (
        "field-renamed",
        one("int"),
        rec("T", fld("z", "int")),
        [("READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/z")],
        False,
    ),
    (
        "field-alias-conflict",
        rec("T", fld("a", "int"), fld("x", "int")),
        rec("T", fld("a", "int", aliases=["x"])),
        [("FIELD_ALIAS_CONFLICT", "/fields/a")],
        False,
    ),
    (
        "field-alias-order",  # fastavro: `x` fills `a`, the writer's own `a` is skipped
        rec("T", fld("x", "int"), fld("a", "int")),
        rec("T", fld("a", "int", aliases=["x"])),
        [],
        True,
    ),
    (
        "enum-field-without-field-default",  # an enum default does not stand in for it
        one("int"),
        rec("T", fld("a", "int"), fld("e", enum("E", "X", default="X"))),
        [("READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/e")],
        False,
    ),
    ("record-renamed", rec("T"), rec("U"), [("NAME_MISMATCH", "/name")], False),
    ("record-renamed-alias", rec("T"), rec("U", aliases=["T"]), [], True),
    ("record-namespace-changed", rec("T", namespace="a"), rec("T", namespace="b"), [], True),
    (
        "record-alias-full-name",
        rec("T", namespace="a"),
        rec("U", namespace="b", aliases=["a.T"]),
        [],
        True,
    ),
    (  # spec: alias "T" means "b.T" in namespace b; fastavro compares it unqualified
        "record-alias-unqualified",
        rec("T", namespace="a"),
        rec("U", namespace="b", aliases=["T"]),
        [],
        True,
    ),
    ("enum-symbol-added", one(enum("E", "A")), one(enum("E", "A", "B")), [], True),
    (
        "enum-symbol-removed",
        one(enum("E", "A", "B")),
        one(enum("E", "A")),
        [("MISSING_ENUM_SYMBOLS", "/fields/a/type/symbols")],
        False,
    ),
    (
        "enum-symbol-removed-default",
        one(enum("E", "A", "B")),
        one(enum("E", "A", default="A")),
        [],
        True,
    ),
    (
        "enum-renamed",
        one(enum("E", "A")),
        one(enum("F", "A")),
        [("NAME_MISMATCH", "/fields/a/type/name")],
        False,
    ),
    (
        "fixed-resized",
        one(fixed("F", 2)),
        one(fixed("F", 3)),
        [("FIXED_SIZE_MISMATCH", "/fields/a/type/size")],
        False,
    ),
    (
        "fixed-renamed",
        one(fixed("F", 2)),
        one(fixed("G", 2)),
        [("NAME_MISMATCH", "/fields/a/type/name")],
        False,
    ),
    (  # fastavro reads the raw bytes into the enum; the checker refuses (documented)
        "fixed-as-enum",
        one(fixed("X", 2)),
        one(enum("X", "A")),
        [("TYPE_MISMATCH", "/fields/a/type")],
        True,
    ),
    (
        "enum-as-fixed",
        one(enum("X", "A")),
        one(fixed("X", 2)),
        [("TYPE_MISMATCH", "/fields/a/type")],
        False,
    ),
    (
        "record-as-fixed",
        one(rec("X", fld("v", "int"))),
        one(fixed("X", 2)),
        [("TYPE_MISMATCH", "/fields/a/type")],
        False,
    ),
    (
        "enum-renamed-alias-namespaced",
        one(enum("E", "A", namespace="a")),
        one(enum("F", "A", namespace="b", aliases=["a.E"])),
        [],
        True,
    ),
    (
        "array-items-promoted",
        {"type": "array", "items": "int"},
        {"type": "array", "items": "double"},
        [],
        True,
    ),
    (
        "array-items-retyped",
        {"type": "array", "items": "int"},
        {"type": "array", "items": "string"},
        [("TYPE_MISMATCH", "/items")],
        False,
    ),
    (
        "map-values-retyped",
        {"type": "map", "values": enum("E", "A", "B")},
        {"type": "map", "values": enum("E", "A")},
        [("MISSING_ENUM_SYMBOLS", "/values/symbols")],
        False,
    ),
    (
        "array-as-map",
        {"type": "array", "items": "int"},
        {"type": "map", "values": "int"},
        [("TYPE_MISMATCH", "/")],
        False,
    ),
    ("wrapped-in-union", one("int"), one(["null", "int"]), [], True),
    ("union-promoted", one("int"), one(["null", "string", "long"]), [], True),
    (
        "union-unwrapped",
        one(["null", "int"]),
        one("int"),
        [("TYPE_MISMATCH", "/fields/a/type")],
        False,
    ),
    (
        "union-branch-dropped",
        one(["int", "string"]),
        one(["long"]),
        [("MISSING_UNION_BRANCH", "/fields/a/type")],
        False,
    ),
    ("union-branches-promoted", one(["int", "string"]), one(["bytes", "long"]), [], True),
    (
        "union-missing-writer-type",
        one("int"),
        one(["null", "string"]),
        [("MISSING_UNION_BRANCH", "/fields/a/type")],
        False,
    ),
    (  # the first matching reader branch is resolved, even if a later one would work
        "union-first-match",
        one(rec("R", fld("x", "int"), namespace="a")),
        one(
            [rec("R", fld("x", "string"), namespace="b"), rec("R", fld("x", "int"), namespace="c")]
        ),
        [("TYPE_MISMATCH", "/fields/a/type/0/fields/x/type")],
        False,
    ),
    (
        "union-deep-mismatch",
        one(rec("R", fld("x", "int"))),
        one(["null", rec("R", fld("x", "int"), fld("y", "int"))]),
        [("READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/a/type/1/fields/y")],
        False,
    ),
    (  # fastavro bug: a by-name writer reference against an inline reader union branch
        "reference-to-inline-union-branch",
        rec("T", fld("a", rec("R", fld("x", "int"))), fld("b", "R")),
        rec("T", fld("b", ["null", rec("R", fld("x", "long"))])),
        [("FASTAVRO_UNSUPPORTED", "/fields/b/type/1")],
        False,
    ),
    (
        "reference-in-writer-union",
        rec("T", fld("a", rec("R", fld("x", "int"))), fld("b", ["null", "R"])),
        rec("T", fld("b", ["null", rec("R", fld("x", "long"))])),
        [],
        True,
    ),
    (
        "reference-to-inline",
        rec("T", fld("a", rec("R", fld("x", "int"))), fld("b", "R")),
        rec("T", fld("b", rec("R", fld("x", "long")))),
        [],
        True,
    ),
    ("decimal-rescaled", one(decimal(6, 2)), one(decimal(4, 3)), [], True),
    ("decimal-to-bytes", one(decimal(6, 2)), one("bytes"), [], True),
    (
        "decimal-bytes-to-fixed",
        one(decimal(6, 2)),
        one(decimal(6, 2, "fixed", name="D", size=4)),
        [("TYPE_MISMATCH", "/fields/a/type")],
        False,
    ),
    ("timestamp-to-long", one(TS_MICROS), one("long"), [], True),
    ("long-to-timestamp", one("long"), one(TS_MICROS), [], True),
    ("timestamp-to-double", one(TS_MICROS), one("double"), [], True),
    ("recursive-same", NODE, NODE, [], True),
    (
        "recursive-promoted",
        NODE,
        rec("Node", fld("v", "long"), fld("next", ["null", "Node"])),
        [],
        True,
    ),
    (
        "recursive-retyped",
        NODE,
        rec("Node", fld("v", "string"), fld("next", ["null", "Node"])),
        [("TYPE_MISMATCH", "/fields/v/type")],
        False,
    ),
    (
        "recursive-field-added",
        NODE,
        rec("Node", fld("v", "int"), fld("next", ["null", "Node"]), fld("w", "int")),
        [("READER_FIELD_MISSING_DEFAULT_VALUE", "/fields/w")],
        False,
    ),
    ("mutual-recursion", A_B, A_B, [], True),
    (
        "mutual-recursion-retyped",
        A_B,
        rec("A", fld("b", ["null", rec("B", fld("a", ["null", "A"]), fld("n", "string"))])),
        [("TYPE_MISMATCH", "/fields/b/type/1/fields/n/type")],
        False,
    ),
    ("top-level-unions", ["null", "int"], ["long", "null"], [], True),
]


@pytest.mark.parametrize(
    ("writer", "reader", "expected", "fastavro_ok"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_table(writer, reader, expected, fastavro_ok):
    issues = can_read(reader, writer)
    assert [(issue.kind, issue.location) for issue in issues] == expected
    assert fastavro_reads(writer, reader)[0] is fastavro_ok


# --- check_avro ---

V1 = one("int")
V2 = rec("T", fld("a", "long"), fld("b", "string", default=""))
V3 = rec("T", fld("a", "long"))


def test_check_avro_backward_uses_latest_only():
    assert check_avro("backward", [V2, V1], V3) == []


def test_check_avro_forward():
    [(direction, index, issue)] = check_avro("forward", [V1], V3)
    assert (direction, index, issue.kind, issue.location) == (
        "forward",
        0,
        "TYPE_MISMATCH",
        "/fields/a/type",
    )


def test_check_avro_full_transitive():
    result = check_avro("full_transitive", [V1, V2], V3)
    assert [(d, i, issue.kind) for d, i, issue in result] == [("forward", 0, "TYPE_MISMATCH")]
    assert check_avro("full", [V1, V2], V3) == []


def test_check_avro_backward_transitive():
    new = rec("T", fld("a", "long"), fld("b", "string"))
    result = check_avro("backward_transitive", [V1, V2], new)
    assert [(d, i, issue.location) for d, i, issue in result] == [("backward", 0, "/fields/b")]
    assert check_avro("backward", [V1, V2], new) == []


def test_check_avro_none_and_empty_history():
    assert check_avro("none", [V1], "string") == []
    assert check_avro("full_transitive", [], V1) == []


@pytest.mark.parametrize("mode", ["sideways", "none_transitive", "BACKWARD"])
def test_check_avro_rejects_unknown_modes(mode):
    with pytest.raises(ValueError, match="unknown Avro compatibility mode"):
        check_avro(mode, [V1], V1)


def test_issues_are_sorted_and_frozen():
    writer = rec("T", fld("a", "long"), fld("b", enum("E", "A", "B")))
    reader = rec("T", fld("b", enum("E", "A")), fld("a", "int"), fld("c", "int"))
    issues = can_read(reader, writer)
    assert [issue.location for issue in issues] == [
        "/fields/a/type",
        "/fields/b/type/symbols",
        "/fields/c",
    ]
    assert issues == can_read(copy.deepcopy(reader), copy.deepcopy(writer))
    with pytest.raises(AttributeError):
        issues[0].kind = "OTHER"  # type: ignore[misc]
    assert isinstance(issues[0], AvroIncompatibility)


def test_invalid_schema_raises():
    with pytest.raises(fastavro.schema.UnknownType):
        can_read("Missing", "int")


# --- generated pairs: the verdict must match what fastavro does ---

NAMED = ("record", "enum", "fixed")
LOGICAL_TYPES = [
    {"type": "long", "logicalType": "timestamp-micros"},
    {"type": "long", "logicalType": "timestamp-millis"},
    {"type": "int", "logicalType": "date"},
]
FIELD_NAMES = "abcdefgh"
PROMOTIONS = {
    "int": ["long", "float", "double"],
    "long": ["float", "double"],
    "float": ["double"],
    "string": ["bytes"],
    "bytes": ["string"],
}


def _category(type_):
    if isinstance(type_, dict) and type_["type"] in NAMED:
        return str(id(type_))
    return type_["type"] if isinstance(type_, dict) else type_


LEAVES = st.one_of(
    st.sampled_from(PRIMITIVES),
    st.sampled_from(LOGICAL_TYPES).map(dict),
    st.builds(decimal, st.integers(1, 6), st.integers(0, 1)),
    st.lists(st.sampled_from("ABCD"), min_size=1, max_size=3, unique=True).map(
        lambda symbols: enum("?", *symbols)
    ),
    st.integers(1, 3).map(lambda size: fixed("?", size)),
)


def _compound(inner):
    not_union = inner.filter(lambda t: not isinstance(t, list))
    return st.one_of(
        inner.map(lambda t: {"type": "array", "items": t}),
        inner.map(lambda t: {"type": "map", "values": t}),
        st.lists(not_union, min_size=1, max_size=3, unique_by=_category),
        st.dictionaries(st.sampled_from("abcd"), inner, max_size=3).map(
            lambda fields: rec("?", *(fld(k, v) for k, v in fields.items()))
        ),
    )


TYPES = st.recursive(LEAVES, _compound, max_leaves=6)


def sites(node, parent=None, key=None):
    """(parent, key, node) for every type position, in fastavro's parse order."""
    yield parent, key, node
    if isinstance(node, list):
        for index, branch in enumerate(node):
            yield from sites(branch, node, index)
    elif isinstance(node, dict) and node["type"] == "record":
        for field in node["fields"]:
            yield from sites(field["type"], field, "type")
    elif isinstance(node, dict) and node["type"] in ("array", "map"):
        key = "items" if node["type"] == "array" else "values"
        yield from sites(node[key], node, key)


def _definitions(root):
    return {
        node["name"]: node
        for _, _, node in sites(root)
        if isinstance(node, dict) and node["type"] in NAMED
    }


def _fresh_name(root):
    taken = set(_definitions(root))
    return next(f"M{i}" for i in range(100) if f"M{i}" not in taken)


def _rename_references(root, old, new):
    for parent, key, node in list(sites(root)):
        if node == old and parent is not None:
            parent[key] = new


def _repair(root, definitions):
    """Inline a definition at the first use left without one (its field was dropped)."""
    defined = set()
    for parent, key, node in sites(root):
        if isinstance(node, dict) and node["type"] in NAMED:
            defined.add(node["name"])
        elif isinstance(node, str) and node not in PRIMITIVES and node not in defined:
            parent[key] = copy.deepcopy(definitions[node])
            _repair(root, definitions)
            return


PLAIN_DEFAULTS = {
    "null": None,
    "boolean": False,
    "int": 0,
    "long": 0,
    "float": 0.0,
    "double": 0.0,
    "string": "",
    "bytes": "",
    "array": [],
    "map": {},
}


def _default_for(type_, definitions, depth=0):
    """A JSON default valid for `type_` (None past a depth, to stop on recursion)."""
    if depth > 8:
        return None
    if isinstance(type_, list):
        return _default_for(type_[0], definitions, depth + 1)
    if isinstance(type_, str) and type_ in definitions:
        return _default_for(definitions[type_], definitions, depth + 1)
    kind = type_["type"] if isinstance(type_, dict) else type_
    if kind == "record":
        fields = type_["fields"]
        return {f["name"]: _default_for(f["type"], definitions, depth + 1) for f in fields}
    if kind == "enum":
        return type_["symbols"][0]
    if kind == "fixed":
        return "\u0000" * type_["size"]
    return PLAIN_DEFAULTS[kind]


def _fix_defaults(root):
    definitions = _definitions(root)
    for _, _, node in list(sites(root)):
        if isinstance(node, dict) and node["type"] == "record":
            for field in node["fields"]:
                if "default" in field:
                    field["default"] = _default_for(field["type"], definitions)


def _unused_field_name(record):
    taken = {f["name"] for f in record["fields"]} | {
        alias for f in record["fields"] for alias in f.get("aliases", [])
    }
    return next(name for name in FIELD_NAMES if name not in taken)


def _mutations(parent, node):
    """Names of the mutations that apply at this site."""
    ops = []
    if parent is not None:
        ops.append("retype")
        if not isinstance(node, list) and not isinstance(parent, list) and node != "null":
            ops.append("wrap")
    if isinstance(node, list):
        ops += ["unwrap", "add_branch"] + (["drop_branch"] if len(node) > 1 else [])
    if isinstance(node, dict):
        kind = node["type"]
        if kind in NAMED:
            ops += ["rename_alias"] if parent is None else ["rename", "rename_alias"]
        if kind == "record":
            ops += ["add_field", "add_field_default"]
            if node["fields"]:
                ops += ["drop_field", "rename_field", "rename_field_alias", "toggle_default"]
        if kind == "enum":
            ops += ["add_symbol", "toggle_enum_default", "namespace"]
            if len(node["symbols"]) > 1:
                ops.append("drop_symbol")
        if kind == "fixed":
            ops += ["resize", "namespace"]
        if node.get("logicalType") == "decimal":
            ops.append("rescale")
        if "logicalType" in node:
            ops.append("drop_logical")
    if node == "long":
        ops.append("add_timestamp")
    return ops


def _mutate(draw, root, parent, key, node, op):
    if op == "retype":  # half of the time to a type the current one promotes to
        taken = {_category(b) for b in parent} if isinstance(parent, list) else set()
        choices = [p for p in PRIMITIVES if p not in taken] or ["string"]
        targets = PROMOTIONS.get(node, ()) if isinstance(node, str) else ()
        promoted = [p for p in targets if p in choices]
        parent[key] = draw(
            st.sampled_from(promoted if promoted and draw(st.booleans()) else choices)
        )
    elif op == "wrap":
        parent[key] = ["null", node]
    elif op == "add_timestamp":
        parent[key] = {"type": "long", "logicalType": "timestamp-micros"}
    elif op == "unwrap":
        parent[key] = draw(st.sampled_from(node))
    elif op == "add_branch":
        taken = {_category(b) for b in node}
        choices = [p for p in PRIMITIVES if p not in taken]
        if choices:
            node.append(draw(st.sampled_from(choices)))
    elif op == "drop_branch":
        node.pop(draw(st.integers(0, len(node) - 1)))
    elif op in ("rename", "rename_alias", "namespace"):
        old = node["name"]
        node["name"] = "ns." + old.rsplit(".", 1)[-1] if op == "namespace" else _fresh_name(root)
        if op == "rename_alias":
            node["aliases"] = [old]
        _rename_references(root, old, node["name"])
    elif op in ("add_field", "add_field_default"):
        field = fld(_unused_field_name(node), draw(st.sampled_from(PRIMITIVES)))
        if op == "add_field_default":
            field["default"] = None
        node["fields"].insert(draw(st.integers(0, len(node["fields"]))), field)
    else:
        _mutate_member(draw, node, op)


def _mutate_member(draw, node, op):
    if op in ("drop_field", "rename_field", "rename_field_alias", "toggle_default"):
        field = draw(st.sampled_from(node["fields"]))
        if op == "drop_field":
            node["fields"].remove(field)
        elif op == "toggle_default":
            if field.pop("default", "absent") == "absent":
                field["default"] = None
        else:
            old, field["name"] = field["name"], _unused_field_name(node)
            if op == "rename_field_alias":
                field["aliases"] = [old]
    elif op == "add_symbol":
        node["symbols"].append(next(s for s in "ABCDE" if s not in node["symbols"]))
    elif op == "drop_symbol":
        node["symbols"].remove(draw(st.sampled_from(node["symbols"])))
        node.pop("default", None)
    elif op == "toggle_enum_default":
        if node.pop("default", None) is None:
            node["default"] = draw(st.sampled_from(node["symbols"]))
    elif op == "resize":
        node["size"] = draw(st.integers(1, 4))
    elif op == "rescale":
        node["precision"] = draw(st.integers(2, 6))
        node["scale"] = draw(st.integers(0, 2))
    elif op == "drop_logical":
        del node["logicalType"]


@st.composite
def schema_pairs(draw):
    fields = draw(st.dictionaries(st.sampled_from("abcd"), TYPES, min_size=1, max_size=4))
    writer = copy.deepcopy(rec("Root", *(fld(k, v) for k, v in fields.items())))
    counter = iter(range(1000))
    for _, _, node in sites(writer):
        if isinstance(node, dict) and node["type"] in NAMED and node["name"] == "?":
            node["name"] = f"N{next(counter)}"
    named = sorted(set(_definitions(writer)) - {"Root"})
    if named and draw(st.booleans()):
        writer["fields"].append(fld("r", draw(st.sampled_from(named))))
    if draw(st.booleans()):
        writer["fields"].append(fld("next", ["null", "Root"]))
    reader = copy.deepcopy(writer)
    definitions = {}
    for _ in range(draw(st.integers(1, 2))):
        definitions.update(copy.deepcopy(_definitions(reader)))
        parent, key, node = draw(st.sampled_from(list(sites(reader))))
        ops = _mutations(parent, node)
        if not ops:
            continue
        _mutate(draw, reader, parent, key, node, draw(st.sampled_from(ops)))
        _repair(reader, definitions)
    _fix_defaults(reader)
    return writer, reader


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema_pairs())
def test_verdict_matches_fastavro(pair):
    first, second = pair
    for writer, reader in ((first, second), (second, first)):
        names = {}
        assume(variants(fastavro.parse_schema(writer, names), names))
        issues = can_read(reader, writer)
        reads, error = fastavro_reads(writer, reader)
        assert (issues == []) is reads, (issues, error, writer, reader)
