"""What a lint rule is, and the table of rules checked while loading files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from govern.issues import Issue, Severity

if TYPE_CHECKING:
    from govern.catalog.catalog import Catalog


@dataclass(frozen=True)
class Rule:
    """One lint rule: a stable id, a title, one line of why, and the check itself."""

    id: str
    title: str
    why: str
    check: Callable[[Catalog], Iterable[Issue]] | None = None
    severity: Severity = Severity.ERROR


def rule(id: str, title: str, why: str, severity: Severity = Severity.ERROR):
    """Decorate a check function `(catalog) -> issues` into a `Rule`."""

    def wrap(check: Callable[[Catalog], Iterable[Issue]]) -> Rule:
        return Rule(id, title, why, check, severity)

    return wrap


LOAD_RULES = (
    Rule("CAT001", "YAML syntax error", "a file that does not parse cannot define anything"),
    Rule("CAT002", "duplicate key", "YAML keeps the last of two equal keys silently"),
    Rule("CAT003", "anchors, aliases or merge keys", "they hide values and can blow up memory"),
    Rule("CAT004", "empty file", "an empty definition is almost always a mistake"),
    Rule("CAT005", "file too large", "catalog files are hand-written; 1 MB is a safe ceiling"),
    Rule("CAT006", "not UTF-8", "definitions must read the same on every machine"),
    Rule("CAT007", "unknown key", "a misspelt key would otherwise be ignored"),
    Rule("CAT008", "invalid value", "a value of the wrong type or outside its allowed set"),
    Rule("CAT009", "missing required key", "the definition is incomplete without it"),
    Rule("CAT010", "no catalog", "the folder has neither contracts/ nor meters/"),
    Rule("CAT012", "defined twice", "two files define the same contract version or meter"),
)
"""Problems found while reading files: they stop loading and exit with code 2."""
