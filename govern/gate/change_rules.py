"""Change rules (`GOV0xx`): compare the working tree with the catalog at the base ref.

A file whose bytes are the same at the base and in the working tree loads into the very same
object (the loader memoizes on bytes), so `before is after` skips it without a comparison.

Released (and deprecated) contract versions and meter versions are immutable: only the
keys in `EDITABLE_*` may change in place. Nothing released may disappear. A newly released
meter version may only take effect at the start of a period still open on `--today`, and a
contract change must not pull a field out from under a meter that reads it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from govern.catalog.catalog import Catalog, field_type
from govern.catalog.durations import format_duration
from govern.catalog.filters import compared_literals, parse_filter_or_none, referenced_fields
from govern.catalog.model import Contract, MeterVersion
from govern.gate.context import CheckContext, Subject, guarded, released
from govern.issues import Issue, Location
from govern.reference.periods import Grid, first_instant

ChangeCheck = Callable[[Catalog, Catalog, CheckContext], Iterator[Issue]]

EDITABLE_CONTRACT_KEYS = frozenset({"description", "owner", "compatibility", "acknowledge"})
"""Keys of a released contract version that may change in place (status: see below)."""
EDITABLE_FIELD_KEYS = frozenset({"description", "pii"})
"""Keys of a field of a released contract version that may change in place."""
EDITABLE_METER_VERSION_KEYS = frozenset({"description"})
"""Keys of a released meter version that may change in place (status: see below)."""
INVOICE_MAPPING_KEYS = ("unit", "line_item", "gl_account")
"""Keys of a meter that tie it to issued invoices once one of its versions is released."""


# ---------------------------------------------------------------- immutability


def contract_content(contract: Contract) -> dict[str, Any]:
    """What a contract version accepts: its dump without the keys that may change in place."""
    data = contract.model_dump(mode="json", exclude=EDITABLE_CONTRACT_KEYS | {"status"})
    for spec in data["fields"].values():
        for key in EDITABLE_FIELD_KEYS:
            spec.pop(key, None)
    return data


def _meter_version_content(version: MeterVersion) -> dict[str, Any]:
    return version.model_dump(mode="json", exclude=EDITABLE_METER_VERSION_KEYS | {"status"})


def differences(old: Any, new: Any, path: tuple[str, ...] = ()) -> Iterator[tuple]:
    """(path, old, new) for every leaf that differs; `_MISSING` marks an absent key."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            yield from differences(old.get(key, _MISSING), new.get(key, _MISSING), (*path, key))
    elif old != new:
        yield path, old, new


_MISSING = object()


def _show(value: Any) -> str:
    if value is _MISSING:
        return "(absent)"
    if value is None:
        return "(unset)"
    if isinstance(value, list):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    if isinstance(value, dict):
        shown = (f"{k}: {_show(v)}" for k, v in value.items() if v is not None)
        return "{" + ", ".join(shown) + "}"
    return str(value)


def _change_phrase(path: tuple[str, ...], old: Any, new: Any) -> str:
    where = ".".join(path)
    if old is _MISSING:
        return f"`{where}` added ({_show(new)})"
    if new is _MISSING:
        return f"`{where}` removed (was {_show(old)})"
    return f"`{where}` changed from {_show(old)} to {_show(new)}"


def _status_change(old: str, new: str) -> tuple[tuple[str, ...], str, str] | None:
    """A released version may become deprecated (and back), never a draft again."""
    if released(new) or not released(old):
        return None
    return ("status",), old, new


def released_contracts_unchanged(base: Catalog, head: Catalog, ctx: CheckContext):
    """GOV001: a released contract version accepts exactly what it accepted."""
    for name, versions in base.contracts.items():
        for number, before in versions.items():
            after = head.contracts.get(name, {}).get(number)
            if after is None or after is before or not released(before.status):
                continue
            changes = list(differences(contract_content(before), contract_content(after)))
            status = _status_change(before.status, after.status)
            changes += [status] if status else []
            for path, old, new in changes:
                yield Issue(
                    "GOV001",
                    f"contract {after.ref} is {before.status}, so it cannot change in place: "
                    f"{_change_phrase(path, old, new)}",
                    after.location_of(*path),
                    hint=f"add contracts/{name}/v{max(head.contracts[name]) + 1}.yaml with the "
                    "change; only description, owner, pii and compatibility may be edited",
                )


def released_meter_versions_unchanged(base: Catalog, head: Catalog, ctx: CheckContext):
    """GOV002: a released meter version computes exactly what it computed."""
    for name, before_meter in base.meters.items():
        after_meter = head.meters.get(name)
        if after_meter is None or after_meter is before_meter:
            continue
        after_versions = {v.version: v for v in after_meter.versions}
        for before in before_meter.versions:
            after = after_versions.get(before.version)
            if after is None or not released(before.status):
                continue
            changes = list(
                differences(_meter_version_content(before), _meter_version_content(after))
            )
            status = _status_change(before.status, after.status)
            changes += [status] if status else []
            index = after_meter.versions.index(after)
            for path, old, new in changes:
                yield Issue(
                    "GOV002",
                    f"meter {name} v{after.version} is {before.status}, so it cannot change in "
                    f"place: {_change_phrase(path, old, new)}",
                    after_meter.location_of("versions", index, *path),
                    hint=f"add version {max(after_versions) + 1} with an effective_from at the "
                    "start of an open period; only the description may be edited",
                )


def invoice_mapping_unchanged(base: Catalog, head: Catalog, ctx: CheckContext):
    """GOV003: unit, line item and GL account of a meter that has billed stay put."""
    for name, before in base.meters.items():
        after = head.meters.get(name)
        if after is None or after is before or not any(released(v.status) for v in before.versions):
            continue
        for key in INVOICE_MAPPING_KEYS:
            old, new = getattr(before, key), getattr(after, key)
            if old != new:
                yield Issue(
                    "GOV003",
                    f"meter {name} has released versions, so its {key} cannot change "
                    f"(from {_show(old)} to {_show(new)}): issued invoice lines carry it",
                    after.location_of(key),
                    hint="keep it, or bill under a new meter and deprecate this one",
                )


# ---------------------------------------------------------------- removal


def released_contracts_kept(base: Catalog, head: Catalog, ctx: CheckContext):
    """GOV004: a released contract version stays in the catalog."""
    for name, versions in base.contracts.items():
        for number, before in versions.items():
            if released(before.status) and number not in head.contracts.get(name, {}):
                issue = Issue(
                    "GOV004",
                    f"contract {before.ref} is {before.status} and was removed: events and "
                    "meters that name it would lose their definition",
                    Location(before.file),
                    hint="restore the file and set `status: deprecated` instead",
                )
                yield ctx.tag(issue, Subject("contract", name, number))


def released_meters_kept(base: Catalog, head: Catalog, ctx: CheckContext):
    """GOV005: a released meter, and each of its released versions, stays in the catalog."""
    for name, before_meter in base.meters.items():
        kept = [v for v in before_meter.versions if released(v.status)]
        after_meter = head.meters.get(name)
        if after_meter is None:
            if kept:
                issue = Issue(
                    "GOV005",
                    f"meter {name} has released versions and was removed: the periods it "
                    "billed could no longer be recomputed or explained",
                    Location(before_meter.file),
                    hint="restore the file and set `status: deprecated` on its versions",
                )
                yield ctx.tag(issue, Subject("meter", name))
            continue
        numbers = {v.version for v in after_meter.versions}
        for before in kept:
            if before.version not in numbers:
                issue = Issue(
                    "GOV005",
                    f"meter {name} v{before.version} is {before.status} and was removed: the "
                    "periods it billed could no longer be recomputed or explained",
                    after_meter.location_of("versions"),
                    hint="restore it and set `status: deprecated` instead",
                )
                yield ctx.tag(issue, Subject("meter", name, before.version))


# ---------------------------------------------------------------- effective_from


def first_period(version: MeterVersion, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first period a version computes, the one holding its `effective_from` (UTC)."""
    grid = Grid(version.period.every, zone)
    return grid.bounds(first_instant(datetime.combine(version.effective_from, time()), zone))


def closes_at(end: datetime, grace: timedelta) -> datetime:
    """`close(P) = P.end + grace` in UTC, grace counted in elapsed time (SEMANTICS.md §4)."""
    return end.astimezone(UTC) + grace


def _next_open_start(version: MeterVersion, zone: ZoneInfo, now: datetime) -> date:
    grid = Grid(version.period.every, zone)
    start, end = first_period(version, zone)
    grace = version.late.grace_delta
    while closes_at(end, grace) <= now:
        start, end = grid.bounds(end)
    return start.astimezone(zone).date()


def new_versions_start_in_open_periods(base: Catalog, head: Catalog, ctx: CheckContext):
    """GOV006: a newly released meter version only computes periods still open."""
    for name, meter in head.meters.items():
        if meter is base.meters.get(name):
            continue
        before = {v.version: v for v in base.meters[name].versions} if name in base.meters else {}
        for index, version in enumerate(meter.versions):
            previous = before.get(version.version)
            if not released(version.status) or (previous and released(previous.status)):
                continue
            try:
                zone = ZoneInfo(version.period.timezone)
                grace = version.late.grace_delta
            except (ZoneInfoNotFoundError, ValueError):
                continue  # MTR008 / MTR009 report these
            now = datetime.combine(ctx.today, time.min, zone).astimezone(UTC)
            start, end = first_period(version, zone)
            close = closes_at(end, grace)
            if close > now:
                continue
            yield Issue(
                "GOV006",
                f"meter {name} v{version.version} takes effect {version.effective_from}, but "
                f"its first {version.period.every} ({_local(start, zone)} to {_local(end, zone)} "
                f"{version.period.timezone}) closed at {_local(close, zone)} (grace "
                f"{format_duration(grace)}), before {ctx.today}: its invoice is issued",
                meter.location_of("versions", index, "effective_from"),
                hint=f"take effect {_next_open_start(version, zone, now)} or later; closed "
                "periods are corrected by adjustments, never by a new version",
            )


def _local(moment: datetime, zone: ZoneInfo) -> str:
    moment = moment.astimezone(zone)
    if moment.hour == moment.minute == 0:
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------- meters and contracts


def _read_fields(version: MeterVersion) -> Iterator[tuple[str, str, tuple]]:
    """(field, how the meter reads it, location path) for every field a version reads."""
    expression = parse_filter_or_none(version.filter)
    if expression is not None:
        for name in referenced_fields(expression):
            yield name, "filters on", ("filter",)
    if version.value:
        yield version.value, f"aggregates ({version.aggregation})", ("value",)
    for index, name in enumerate(version.group_by):
        yield name, "groups by", ("group_by", index)


def _enum_literals(version: MeterVersion) -> dict[str, set[str]]:
    expression = parse_filter_or_none(version.filter)
    return compared_literals(expression) if expression is not None else {}


def _breaks(version: MeterVersion, old: Contract, new: Contract) -> Iterator[tuple[str, tuple]]:
    """(what the contract change does to the meter, location path) for each break."""
    for name, how, path in _read_fields(version):
        before, after = field_type(old, name), field_type(new, name)
        if before is None or before == after:
            continue
        change = "removes" if after is None else f"retypes ({before} -> {after})"
        yield f"{change} field `{name}`, which the meter {how}", path
    for name, literals in sorted(_enum_literals(version).items()):
        old_spec, new_spec = old.fields.get(name), new.fields.get(name)
        if new_spec is None or new_spec.enum is None or old_spec is None:
            continue
        was = {str(v) for v in old_spec.enum} if old_spec.enum is not None else literals
        gone = sorted((literals & was) - {str(v) for v in new_spec.enum})
        if gone:
            values = ", ".join(f"'{v}'" for v in gone)
            yield (
                f"drops {values} from the enum of `{name}`, which the filter compares with",
                ("filter",),
            )


def contract_changes_keep_meters(base: Catalog, head: Catalog, ctx: CheckContext):
    """GOV007: a contract change never removes what a released meter version reads."""
    for name, meter in head.meters.items():
        if name not in base.meters:
            continue
        before_versions = {v.version: v for v in base.meters[name].versions}
        for index, version in enumerate(meter.versions):
            before = before_versions.get(version.version)
            if before is None or not released(version.status):
                continue
            old, new = base.contract_for(before), head.contract_for(version)
            if old is None or new is None:
                continue  # MTR001 reports an unknown contract
            if old is new or (
                old.ref == new.ref and contract_content(old) == contract_content(new)
            ):
                continue
            for what, path in _breaks(version, old, new):
                via = "" if old.ref == new.ref else f" (it read {old.ref} at the base)"
                yield Issue(
                    "GOV007",
                    f"contract {new.ref} {what}: meter {name} v{version.version} reads "
                    f"{new.ref}{via}",
                    meter.location_of("versions", index, *path),
                    hint=f"pin the meter to the version it was built for "
                    f"(contract: {old.ref}), or add a meter version for {new.ref}",
                )


CHANGE_CHECKS: tuple[ChangeCheck, ...] = (
    released_contracts_unchanged,
    released_meter_versions_unchanged,
    invoice_mapping_unchanged,
    released_contracts_kept,
    released_meters_kept,
    new_versions_start_in_open_periods,
    contract_changes_keep_meters,
)
"""Every change rule, in rule-id order; each runs alone as `check(base, head, context)`."""


def change_rules(base: Catalog | None, head: Catalog, context: CheckContext) -> list[Issue]:
    """The gate step running every change rule.

    None runs without a base to compare with, nor against a base without a catalog: the
    commit that brings a catalog in records its history, it does not rewrite it.
    """
    if base is None or not (base.contracts or base.meters):
        return []
    issues: list[Issue] = []
    for check in CHANGE_CHECKS:
        run = functools.partial(check, base, head, context)
        issues += guarded(check.__name__, run, Location(head.label))
    return issues
