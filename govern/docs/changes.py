"""What changed between two consecutive versions, in words Product and Finance can read.

One sentence per changed key, in the order a reader cares about: what is counted
(contract, filter), how (aggregation, value, group_by), when (period, grace), and how it
is rounded. Keys that only document (description, status) are not changes in billing and
are not listed; the versions table shows them.
"""

from __future__ import annotations

from collections.abc import Callable

from govern.catalog.model import Contract, FieldSpec, MeterVersion
from govern.docs.markdown import code
from govern.explain import describe_duration, explain_filter

_PERIOD_WORDS = {"hour": "hourly", "day": "daily", "month": "monthly"}


def _filter_words(text: str | None) -> str:
    if not text:
        return "no filter (every event counts)"
    return f"{code(text)} ({explain_filter(text)})"


def _period_words(version: MeterVersion) -> str:
    return f"{_PERIOD_WORDS[version.period.every]} in {version.period.timezone}"


def _precision_words(version: MeterVersion) -> str:
    precision = version.precision
    places = f"{precision.scale} decimal place{'s' if precision.scale != 1 else ''}"
    return f"{places}, rounding {precision.rounding.replace('_', ' ')}"


def _value_words(version: MeterVersion) -> str:
    if version.value is None:
        return version.aggregation
    return f"{version.aggregation} of {code(version.value)}"


def _split_words(names: list[str]) -> str:
    return ", ".join(code(name) for name in names)


def _group_by_change(old: MeterVersion, new: MeterVersion) -> str | None:
    added = [name for name in new.group_by if name not in old.group_by]
    removed = [name for name in old.group_by if name not in new.group_by]
    if not added and not removed:
        if old.group_by != new.group_by:
            return f"Usage rows are now ordered by {_split_words(new.group_by)}."
        return None
    parts = []
    if added:
        parts.append(f"now also split by {_split_words(added)}")
    if removed:
        parts.append(f"no longer split by {_split_words(removed)}")
    return f"Usage is {' and '.join(parts)}."


_MeterRule = Callable[[MeterVersion, MeterVersion], str | None]


def _changed(
    read: Callable[[MeterVersion], object],
    describe: Callable[[MeterVersion], str],
    sentence: str,
) -> _MeterRule:
    def rule(old: MeterVersion, new: MeterVersion) -> str | None:
        if read(old) == read(new):
            return None
        return sentence.format(old=describe(old), new=describe(new))

    return rule


METER_VERSION_CHANGES: tuple[_MeterRule, ...] = (
    _changed(lambda v: v.contract, lambda v: code(v.contract), "Reads {new} instead of {old}."),
    _changed(
        lambda v: v.filter,
        lambda v: _filter_words(v.filter),
        "The filter changed from {old} to {new}.",
    ),
    _changed(
        lambda v: (v.aggregation, v.value),
        _value_words,
        "The quantity changed from the {old} to the {new}.",
    ),
    _group_by_change,
    _changed(
        lambda v: (v.period.every, v.period.timezone),
        _period_words,
        "Usage is now billed {new} instead of {old}.",
    ),
    _changed(
        lambda v: v.late.grace_delta,
        lambda v: describe_duration(v.late.grace_delta),
        "The late-arrival window (grace) changed from {old} to {new}.",
    ),
    _changed(
        lambda v: (v.precision.scale, v.precision.rounding),
        _precision_words,
        "Quantities are now rounded to {new} instead of {old}.",
    ),
)
"""Each rule compares one aspect of two meter versions; the docs list them in this order."""


def meter_version_changes(old: MeterVersion, new: MeterVersion) -> list[str]:
    """Sentences saying how `new` bills differently from `old` (empty: same computation)."""
    return [sentence for rule in METER_VERSION_CHANGES if (sentence := rule(old, new))]


# ---------------------------------------------------------------- contracts

_CONSTRAINTS = ("enum", "minimum", "maximum", "min_length", "max_length", "pattern")


def _constraint_value(spec: FieldSpec, key: str) -> str:
    value = getattr(spec, key)
    if value is None:
        return "none"
    if isinstance(value, list):
        return ", ".join(code(item) for item in value)
    return code(value)


def _field_changes(name: str, old: FieldSpec, new: FieldSpec) -> list[str]:
    field = code(name)
    sentences = []
    if old.type != new.type:
        sentences.append(f"{field} changed type from {old.type} to {new.type}.")
    if old.required != new.required:
        state = "required" if new.required else "optional"
        sentences.append(f"{field} is now {state}.")
    for key in _CONSTRAINTS:
        if getattr(old, key) != getattr(new, key):
            label = key.replace("_", " ")
            before, after = _constraint_value(old, key), _constraint_value(new, key)
            sentences.append(f"{field}: {label} changed from {before} to {after}.")
    if old.pii != new.pii:
        sentences.append(f"{field} is {'now' if new.pii else 'no longer'} marked as PII.")
    if old.description != new.description:
        sentences.append(f"{field}: description changed.")
    return sentences


def contract_version_changes(old: Contract, new: Contract) -> list[str]:
    """Sentences saying how the fields and rules of `new` differ from `old`."""
    sentences = []
    for name, spec in new.fields.items():
        if name not in old.fields:
            state = "required" if spec.required else "optional"
            sentences.append(f"Added {state} field {code(name)} ({spec.type}).")
    for name in old.fields:
        if name not in new.fields:
            sentences.append(f"Removed field {code(name)}.")
    for name, spec in new.fields.items():
        if name in old.fields:
            sentences.extend(_field_changes(name, old.fields[name], spec))
    if old.compatibility != new.compatibility:
        sentences.append(
            f"Compatibility mode changed from {old.compatibility} to {new.compatibility}."
        )
    if old.dedup_key != new.dedup_key:
        sentences.append(
            f"Deduplication key changed from {_split_words(old.dedup_key)} "
            f"to {_split_words(new.dedup_key)}."
        )
    if old.clock_skew_delta != new.clock_skew_delta:
        sentences.append(
            f"Allowed clock skew changed from {describe_duration(old.clock_skew_delta)} "
            f"to {describe_duration(new.clock_skew_delta)}."
        )
    if old.envelope.model_dump() != new.envelope.model_dump():
        sentences.append("The envelope mapping (where id, time, subject... live) changed.")
    if old.description != new.description:
        sentences.append("The description changed.")
    return sentences
