"""Read a YAML file into plain data plus the source position of every node.

The loader is strict on purpose: catalog files are small, hand-written and reviewed, so
anything surprising (duplicate keys, anchors, tabs, huge files, bad bytes) is a located
error rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from govern.issues import Issue, Location

MAX_FILE_BYTES = 1_000_000

NodePath = tuple[str | int, ...]


Position = tuple[int, int]
"""(line, column), 1-based: kept as a tuple, made a `Location` only when asked for."""


@dataclass
class YamlDocument:
    """Plain data from one file, with the position of every value and every key."""

    path: str
    data: Any
    values: dict[NodePath, Position] = field(default_factory=dict)
    keys: dict[NodePath, Position] = field(default_factory=dict)
    quoted: set[NodePath] = field(default_factory=set)

    def at(self, node_path: NodePath) -> Location:
        """The location of the value at `node_path`, or of its nearest ancestor."""
        for end in range(len(node_path), -1, -1):
            found = self.values.get(node_path[:end])
            if found is not None:
                return Location(self.path, *found)
        return Location(self.path, 1, 1)

    def inside(self, node_path: NodePath, offset: int | None) -> Location:
        """The location of character `offset` of the scalar at `node_path` (one-line scalars)."""
        start = self.at(node_path)
        if offset is None:
            return start
        return start.shifted(offset + (1 if node_path in self.quoted else 0))

    def key_at(self, node_path: NodePath) -> Location:
        """The location of the key that holds `node_path` (falls back to the value)."""
        found = self.keys.get(node_path)
        return Location(self.path, *found) if found else self.at(node_path)


class YamlError(Exception):
    def __init__(self, issue: Issue):
        self.issue = issue
        super().__init__(str(issue))


def _mark(path: str, mark: yaml.Mark | None) -> Location:
    return Location(path, *_position(mark))


def _position(mark: yaml.Mark | None) -> Position:
    return (1, 1) if mark is None else (mark.line + 1, mark.column + 1)


def load_yaml(raw: bytes, display_path: str) -> YamlDocument:
    """Parse the bytes of one file; raise `YamlError` with a located issue on any problem."""
    size = len(raw)
    if size > MAX_FILE_BYTES:
        raise YamlError(
            Issue(
                "CAT005",
                f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit for catalog files",
                Location(display_path, 1, 1),
            )
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlError(
            Issue(
                "CAT006",
                f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                Location(display_path, line, col),
            )
        ) from None
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise YamlError(Issue("CAT004", "file is empty", Location(display_path, 1, 1)))
    try:
        node = _compose(text, display_path)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "invalid YAML"
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(
            Issue("CAT001", f"YAML syntax error: {problem}", _mark(display_path, mark))
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(
            Issue("CAT001", f"YAML syntax error: {exc}", Location(display_path, 1, 1))
        ) from None
    if node is None:
        raise YamlError(Issue("CAT004", "file is empty", Location(display_path, 1, 1)))
    doc = YamlDocument(display_path, None)
    doc.data = _Builder(doc).build(node, ())
    return doc


_LIBYAML_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(text: str, display_path: str) -> yaml.Node | None:
    """The node tree of `text`, composed by libyaml when PyYAML has it (15x faster).

    A file libyaml refuses is parsed again by the pure-Python loader, so that error
    messages and positions are the same with or without libyaml; positions of a valid
    file are the same in both.
    """
    if _LIBYAML_LOADER is not None:
        try:
            _refuse_aliases(text, display_path, _LIBYAML_LOADER)
            return yaml.compose(text, Loader=_LIBYAML_LOADER)
        except yaml.YAMLError:
            pass
    _refuse_aliases(text, display_path, yaml.SafeLoader)
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _refuse_aliases(text: str, display_path: str, loader: type = yaml.SafeLoader) -> None:
    """Anchors and aliases hide values and can expand into gigabytes (billion laughs)."""
    if "&" not in text and "*" not in text:
        return  # neither an anchor nor an alias can be written without one of them
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlError(
                Issue(
                    "CAT003",
                    "YAML anchors and aliases are not allowed in catalog files",
                    _mark(display_path, event.start_mark),
                    hint="write the value out in full",
                )
            )


_STR = "tag:yaml.org,2002:str"


class _Builder:
    """Turns a composed node tree into plain data, recording positions on the way."""

    def __init__(self, doc: YamlDocument):
        self.doc = doc
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, node_path: NodePath) -> Any:
        self.doc.values[node_path] = _position(node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, node_path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*node_path, i)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:merge":
            raise YamlError(
                Issue("CAT003", "YAML merge keys are not allowed", self.doc.at(node_path))
            )
        if node.style in ("'", '"'):
            self.doc.quoted.add(node_path)
        if node.tag == _STR:
            return node.value  # what SafeConstructor returns for a string, without the detour
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            location = self.doc.at(node_path)
            raise YamlError(Issue("CAT001", f"YAML value error: {exc}", location)) from None

    def _mapping(self, node: yaml.MappingNode, node_path: NodePath) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            key_position = _position(key_node.start_mark)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(
                    Issue(
                        "CAT003",
                        "YAML merge keys (<<) are not allowed",
                        Location(self.doc.path, *key_position),
                    )
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(
                    Issue(
                        "CAT001",
                        "mapping keys must be plain text",
                        Location(self.doc.path, *key_position),
                    )
                )
            key = str(key_node.value)
            if key in result:
                first_line = self.doc.keys[(*node_path, key)][0]
                raise YamlError(
                    Issue(
                        "CAT002",
                        f"duplicate key '{key}' (first defined at line {first_line})",
                        Location(self.doc.path, *key_position),
                    )
                )
            self.doc.keys[(*node_path, key)] = key_position
            result[key] = self.build(value_node, (*node_path, key))
        return result
