"""Load a catalog source into models, collecting every located problem on the way."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from govern.catalog.model import Contract, Meter, MeterTests, Node
from govern.catalog.sources import CatalogSource
from govern.catalog.yaml_source import YamlDocument, YamlError, load_yaml
from govern.issues import Issue, Location

CONTRACT_FILE = re.compile(r"^contracts/(?P<folder>[^/]+)/v(?P<version>[^/]*)\.ya?ml$")
METER_TESTS_FILE = re.compile(r"^meters/(?P<name>[^/]+)\.tests\.ya?ml$")
METER_FILE = re.compile(r"^meters/(?P<name>[^/.]+)\.ya?ml$")


@dataclass
class LoadResult:
    contracts: list[Contract] = field(default_factory=list)
    meters: list[Meter] = field(default_factory=list)
    tests: list[MeterTests] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def load_source(source: CatalogSource) -> LoadResult:
    """Parse every contract and meter file of `source`; problems become issues."""
    result = LoadResult()
    for relative_path in source.files():
        if CONTRACT_FILE.match(relative_path):
            model: type[Node] = Contract
        elif METER_TESTS_FILE.match(relative_path):
            model = MeterTests
        elif METER_FILE.match(relative_path):
            model = Meter
        else:
            continue
        node, issues = load_file(model, relative_path, source.read(relative_path))
        result.issues.extend(issues)
        if isinstance(node, Contract):
            result.contracts.append(node)
        elif isinstance(node, Meter):
            result.meters.append(node)
        elif isinstance(node, MeterTests):
            result.tests.append(node)
    return result


@functools.lru_cache(maxsize=8192)
def load_file(
    model: type[Node], relative_path: str, raw: bytes
) -> tuple[Node | None, tuple[Issue, ...]]:
    """The model in one file, or the issues that stop it loading.

    Memoized on the file's path and bytes: `govern check` loads the working tree and the
    base ref, and most files are the same in both. Models are frozen, so sharing is safe.
    """
    issues: list[Issue] = []
    try:
        doc = load_yaml(raw, relative_path)
    except YamlError as exc:
        return None, (exc.issue,)
    node = _validate(model, doc, issues)
    return node, tuple(issues)


def _validate(model: type[Node], doc: YamlDocument, issues: list[Issue]) -> Node | None:
    if not isinstance(doc.data, dict):
        kind = model.__name__.lower()
        issues.append(Issue("CAT008", f"a {kind} file must be a mapping of keys", doc.at(())))
        return None
    try:
        node = model.model_validate(doc.data)
    except ValidationError as exc:
        issues.extend(_issue_from_error(model, error, doc) for error in exc.errors())
        return None
    node.attach(doc)
    return node


def _doc_path(loc: tuple[Any, ...], doc: YamlDocument) -> tuple[Any, ...]:
    """Drop the parts pydantic adds to a location (union branch names and the like)."""
    path: tuple[Any, ...] = ()
    for part in loc:
        if (*path, part) in doc.values or (*path, part) in doc.keys:
            path = (*path, part)
    return path


def _known_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at `loc` (for "did you mean" hints)."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(part)
            if info is None:
                return []
            annotation = info.annotation
        elif get_origin(annotation) in (dict, list):
            annotation = get_args(annotation)[-1]
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """`X | None` -> X."""
    if get_origin(annotation) in (Union, UnionType):
        options = [arg for arg in get_args(annotation) if arg is not type(None)]
        return options[0] if len(options) == 1 else annotation
    return annotation


def _issue_from_error(model: type[Node], error: dict, doc: YamlDocument) -> Issue:
    loc = tuple(error["loc"])
    path = _doc_path(loc, doc)
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = _known_keys(model, loc[:-1])
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(known)}"
        return Issue("CAT007", f"unknown key '{key}'", doc.key_at(path), hint=hint)
    if kind == "missing":
        key = str(loc[-1])
        return Issue("CAT009", f"missing required key '{key}'", doc.at(path))
    where = ".".join(str(part) for part in loc) or "document"
    return Issue("CAT008", f"invalid value for '{where}': {error['msg']}", doc.at(path))


def missing_catalog_issue(label: str) -> Issue:
    return Issue(
        "CAT010",
        "no catalog here: expected a contracts/ or meters/ folder",
        Location(label),
        hint="run `govern init` to create one, or pass --project DIR",
    )
