"""Contract compatibility (`CMP0xx`): each released version against the ones before it.

Every released (or deprecated) contract version is compiled to JSON Schema
(`contract_to_jsonschema`, the artifact producers and consumers validate with) and checked
by the JSON Schema engine (`govern.compat.jsonschema_diff.check_mode`) against the earlier
released versions, under the newer version's `compatibility` mode. Drafts may change
freely and are not checked. Each incompatibility the engine finds is explained in field
terms (`field_changes`) and located at the field in the newer version's YAML.

The engine compares two documents per version: the closed `data` object (with the
schema's `$defs`, so references resolve), where the fields live, and the whole event, for
the envelope. (The whole event alone would hide `data`: it is checked through `if`/`else`,
which Confluent's comparison, and so the engine's, does not descend into.)

The default policy is STRICT (`DEFAULT_POLICY`): on a closed `data` object it accepts an
added optional field under `backward` and refuses a removed one; `--policy lenient` accepts
more (see the rule table).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from govern.catalog.catalog import Catalog
from govern.catalog.compatibility import BACKWARD
from govern.catalog.model import Contract
from govern.compat.jsonschema_diff import Difference, Policy, check_mode
from govern.compile.jsonschema import contract_to_jsonschema
from govern.gate.change_rules import contract_content
from govern.gate.context import DEFAULT_POLICY, CheckContext, guarded, released
from govern.gate.field_changes import FieldChange, field_changes
from govern.gate.rules import COMPAT_BY_ID
from govern.issues import Issue, Location, Severity

ENVELOPE, DATA = "envelope", "data"


def event_documents(event: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The documents to compare for an event schema: the whole event (`envelope`) and, for a
    schema govern compiled (`x-govern`), its `data` object with the `$defs` it refers to."""
    documents = {ENVELOPE: event}
    defs = event.get("$defs")
    if "x-govern" in event and isinstance(defs, dict) and isinstance(defs.get("data"), dict):
        documents[DATA] = {**defs["data"], "$defs": defs}
    return documents


DATA_POINTER = "#/$defs/data"
"""Where the `data` document sits in the compiled event schema."""


def compiled_documents(contract: Contract) -> dict[str, dict[str, Any]]:
    """The two documents compared for `contract`: the whole event and its `data` object."""
    return event_documents(contract_to_jsonschema(contract))


def contract_compatibility(
    base: Catalog | None, head: Catalog, context: CheckContext
) -> list[Issue]:
    """The gate step: every contract whose released versions are new or changed since base.

    Without a base every released version is checked; with one, only the versions from
    the first one that is new, newly released or changed (so an incompatibility merged
    long ago does not block every later pull request).
    """
    issues: list[Issue] = []
    compiled: dict[int, dict[str, dict[str, Any]]] = {}
    for name, versions in head.contracts.items():
        line = [c for c in versions.values() if released(c.status)]
        first = _first_changed(line, base.contracts.get(name, {}) if base else None)
        for position in range(max(first, 1), len(line)):
            new, previous = line[position], line[:position]
            issues += guarded(
                f"compatibility of {new.ref}",
                lambda new=new, previous=previous: check_version(
                    new, previous, context.policy, compiled
                ),
                new.location,
            )
    return issues


def _first_changed(line: Sequence[Contract], before: dict[int, Contract] | None) -> int:
    """Index of the first released version that is new, newly released or changed since
    the base, or that follows a different earlier version there (len(line): none)."""
    if before is None:
        return 0
    before_line = [c for c in before.values() if released(c.status)]
    for position, contract in enumerate(line):
        if position >= len(before_line) or before_line[position].version != contract.version:
            return position
        old = before_line[position]
        if old is not contract and _checked_content(old) != _checked_content(contract):
            return position  # (the same object means the same file bytes at the base)
    return len(line)


def _checked_content(contract: Contract) -> tuple[dict[str, Any], str]:
    """What the check of a version depends on: what it accepts, and its mode."""
    return contract_content(contract), contract.compatibility


def check_version(
    new: Contract,
    previous: Sequence[Contract],
    policy: str = DEFAULT_POLICY,
    compiled: dict[int, dict[str, dict[str, Any]]] | None = None,
) -> list[Issue]:
    """Findings for `new` under its compatibility mode, against `previous` (oldest first).

    `compiled` memoizes documents by contract object across calls of one run.
    """
    mode = new.compatibility
    if mode == "none" or not previous:
        return []
    memo = compiled if compiled is not None else {}
    for contract in (*previous, new):
        if id(contract) not in memo:
            memo[id(contract)] = compiled_documents(contract)
    issues: list[Issue] = []
    for part in (DATA, ENVELOPE):
        found = check_mode(
            mode,
            [memo[id(c)][part] for c in previous],
            memo[id(new)][part],
            Policy(policy),
        )
        by_pair: dict[tuple[int, str], list[Difference]] = defaultdict(list)
        for incompatibility in found:
            key = (incompatibility.against, incompatibility.direction)
            by_pair[key].append(incompatibility.difference)
        for (against, direction), differences in sorted(by_pair.items()):
            issues += _explain(previous[against], new, direction, differences, part, policy)
    return issues


def _field_of(pointer: str, old: Contract, new: Contract) -> str | None:
    """The data field a JSON pointer points into, if it points into one."""
    segments = [
        s.replace("~1", "/").replace("~0", "~") for s in pointer.removeprefix("#/").split("/")
    ]
    for index in range(len(segments) - 2, -1, -1):
        if segments[index] in ("properties", "required"):
            name = segments[index + 1]
            return name if name in old.fields or name in new.fields else None
    return None


def _explain(
    old: Contract,
    new: Contract,
    direction: str,
    found: list[Difference],
    part: str,
    policy: str,
) -> Iterator[Issue]:
    by_field: dict[str | None, list[Difference]] = defaultdict(list)
    for difference in found:
        name = _field_of(difference.pointer, old, new) if part == DATA else None
        by_field[name].append(difference)
    for name in sorted(by_field, key=lambda n: (n is None, n or "")):
        differences = by_field[name]
        changes = [] if name is None else _breaking(name, old, new, direction, policy)
        if changes:
            for change in changes:
                yield _issue(change, old, new, direction, policy)
            continue
        kinds = ", ".join(sorted({f"{d.type.value} at {d.pointer}" for d in differences}))
        subject = f"`{name}`" if name else f"the event {'envelope' if part == ENVELOPE else 'data'}"
        yield Issue(
            "CMP000",
            f"{new.contract} v{new.version} changes {subject} incompatibly ({kinds})"
            f"{_consequence(old, new, direction)}",
            new.location_of("envelope") if part == ENVELOPE else _field_location(new, name),
            Severity.ERROR,
            hint=f"compare the compiled schemas: govern compat OLD NEW --mode {new.compatibility}",
        )


def _breaking(
    name: str, old: Contract, new: Contract, direction: str, policy: str
) -> list[FieldChange]:
    """The changes to field `name` that break `direction` under `policy`."""
    changes = field_changes(name, old.fields.get(name), new.fields.get(name))
    return [c for c in changes if COMPAT_BY_ID[c.rule].breaks(direction, policy)]


_WHY = {
    # rule -> (why, backward; why, forward): {old} and {new} are version numbers
    "CMP001": (
        ", which v{old} events carry: consumers on v{new} cannot read them",
        ", which consumers on v{old} require: they cannot read v{new} events",
    ),
    "CMP002": (", which v{old} events may carry: consumers on v{new} cannot read those", ""),
    "CMP003": (
        ", which v{old} events lack: consumers on v{new} cannot read them",
        ", which consumers on v{old} do not accept: they cannot read v{new} events",
    ),
    "CMP004": (
        ", which v{old} could already carry with any value (STRICT policy, open content "
        "model): consumers on v{new} may not read v{old} events",
        ", which consumers on v{old} do not accept: they cannot read v{new} events that carry it",
    ),
    "CMP005": (
        ": consumers on v{new} cannot read v{old} events",
        ": consumers on v{old} cannot read v{new} events",
    ),
    "CMP006": (": v{old} events may hold values consumers on v{new} reject", ""),
    "CMP007": ("", ": v{new} events may hold values consumers on v{old} reject"),
    "CMP008": (": v{old} events may carry it, which consumers on v{new} reject", ""),
    "CMP009": ("", ": consumers on v{old} reject v{new} events that carry it"),
    "CMP010": (": v{old} events may fall outside it, which consumers on v{new} reject", ""),
    "CMP011": ("", ": v{new} events may fall outside what consumers on v{old} accept"),
    "CMP012": (": v{old} events may lack it, which consumers on v{new} reject", ""),
    "CMP013": ("", ": consumers on v{old} require it and reject v{new} events without it"),
}

_HINT = {
    "CMP001": "keep `{field}` (mark it deprecated in its description)",
    "CMP002": "keep `{field}` (mark it deprecated in its description)",
    "CMP003": "add `{field}` as optional",
    "CMP004": "older consumers must accept it first: a forward mode needs them upgraded",
    "CMP005": "add a field with the new type and keep `{field}` as it was",
    "CMP006": "add a field with the new type and keep `{field}` as it was",
    "CMP007": "add a field with the new type and keep `{field}` as it was",
    "CMP008": "keep the enum values of `{field}`",
    "CMP009": "consumers on the older version reject the new values: upgrade them first",
    "CMP010": "keep the constraint of `{field}` as it was",
    "CMP011": "keep the constraint of `{field}` as it was",
    "CMP012": "keep `{field}` optional",
    "CMP013": "keep `{field}` required",
}


def _consequence(old: Contract, new: Contract, direction: str) -> str:
    if direction == BACKWARD:
        return f": consumers on v{new.version} cannot read v{old.version} events"
    return f": consumers on v{old.version} cannot read v{new.version} events"


def _issue(change: FieldChange, old: Contract, new: Contract, direction: str, policy: str) -> Issue:
    backward, forward = _WHY[change.rule]
    why = (backward if direction == BACKWARD else forward).format(old=old.version, new=new.version)
    why = why or _consequence(old, new, direction)
    mode = new.compatibility
    return Issue(
        change.rule,
        f"{new.contract} v{new.version} {change.what}{why} ({direction} check of "
        f"v{new.version} against v{old.version})",
        _field_location(new, change.field),
        COMPAT_BY_ID[change.rule].severity(mode, policy) or Severity.ERROR,
        hint=f"{_HINT[change.rule].format(field=change.field)}; compatibility is {mode}",
    )


def _field_location(contract: Contract, name: str | None) -> Location:
    if name is not None and name in contract.fields:
        return contract.location_of("fields", name)
    return contract.location_of("fields")
