"""The gate's rule table: every id `govern check` can report, with why it exists.

Two families:

- `GOV0xx` change rules compare the catalog with the one at the base ref: what was
  released stays as it was, and new meter versions only change periods still open.
- `CMP0xx` compatibility rules name the kind of field change that makes one contract
  version unreadable for consumers of another. Whether a change blocks depends on the
  contract's `compatibility` mode, so each rule carries a severity per mode: this table
  is what `docs/gate-rules.md` is generated from (`python -m govern.gate.docs`).
"""

from __future__ import annotations

from dataclasses import dataclass

from govern.issues import Severity

BACKWARD = "backward"
FORWARD = "forward"

MODE_DIRECTIONS: dict[str, tuple[str, ...]] = {
    "none": (),
    "backward": (BACKWARD,),
    "forward": (FORWARD,),
    "full": (BACKWARD, FORWARD),
}
"""What each mode checks: backward = consumers on the new version read events of the
previous one; forward = consumers on the previous version read events of the new one.
A `_transitive` mode checks the same directions against every earlier version."""

BASE_MODES = tuple(MODE_DIRECTIONS)


def base_mode(mode: str) -> str:
    """`full_transitive` -> `full`: the directions a mode checks."""
    return mode.removesuffix("_transitive")


def is_transitive(mode: str) -> bool:
    return mode.endswith("_transitive")


@dataclass(frozen=True)
class GateRule:
    """A change rule: a stable id, a title, one line of why, and its severity."""

    id: str
    title: str
    why: str
    severity: Severity = Severity.ERROR


@dataclass(frozen=True)
class CompatRule:
    """A kind of field change, and the directions in which it makes events unreadable.

    `strict_only` lists directions where it breaks only under the STRICT policy.
    """

    id: str
    title: str
    why: str
    breaks: tuple[str, ...]
    strict_only: tuple[str, ...] = ()

    def severity(self, mode: str, policy: str = "lenient") -> Severity | None:
        """The severity of this change under `mode` (None: compatible, not reported)."""
        directions = set(MODE_DIRECTIONS[base_mode(mode)])
        breaking = set(self.breaks) | (set(self.strict_only) if policy == "strict" else set())
        return Severity.ERROR if directions & breaking else None

    def cell(self, mode: str) -> str:
        """The docs table cell for `mode`: `error`, `error (strict)` or `-`."""
        directions = set(MODE_DIRECTIONS[mode])
        if directions & set(self.breaks):
            return "error"
        if directions & set(self.strict_only):
            return "error (strict)"
        return "-"


CHANGE_RULES: tuple[GateRule, ...] = (
    GateRule(
        "GOV000",
        "gate check crashed",
        "a bug in one check must not hide the findings of the others; please report it",
    ),
    GateRule(
        "GOV001",
        "released contract version changed",
        "consumers and meters rely on a released contract version; a change to what it "
        "accepts needs a new version (description, owner, pii and compatibility may change)",
    ),
    GateRule(
        "GOV002",
        "released meter version changed",
        "a released meter version has computed issued invoices; changing what it computes "
        "rewrites history (descriptions may change): add a version with a new effective_from",
    ),
    GateRule(
        "GOV003",
        "invoice mapping of a released meter changed",
        "unit, line_item and gl_account tie issued invoice lines to the meter; changing them "
        "breaks reconciliation of every period already billed",
    ),
    GateRule(
        "GOV004",
        "released contract version removed",
        "events and meters that name the version would lose their definition: deprecate it",
    ),
    GateRule(
        "GOV005",
        "released meter or meter version removed",
        "periods it computed could no longer be recomputed or explained: deprecate it",
    ),
    GateRule(
        "GOV006",
        "new meter version starts in a closed period",
        "a period whose invoice is issued (its end plus grace has passed) never changes; a "
        "new version may only take effect at the start of a period still open",
    ),
    GateRule(
        "GOV007",
        "contract change breaks a meter",
        "a meter that filters, sums or groups on a field the contract no longer has (or now "
        "types differently, or an enum value it compares with) silently bills something else",
    ),
    GateRule(
        "GOV008",
        "acknowledgement matches no finding",
        "a stale acknowledgement would silently accept a future change of the same kind: "
        "remove it once the change it covered has merged",
        Severity.WARNING,
    ),
)

_BOTH = (BACKWARD, FORWARD)

COMPAT_RULES: tuple[CompatRule, ...] = (
    CompatRule(
        "CMP000",
        "incompatible schema change",
        "the compiled JSON Schemas differ in a way that is not a field change (the "
        "message names the schema difference)",
        _BOTH,
    ),
    CompatRule(
        "CMP001",
        "required field removed",
        "events of the older version carry it, which the newer version does not accept; "
        "consumers on the older version require it",
        _BOTH,
    ),
    CompatRule(
        "CMP002",
        "optional field removed",
        "events of the older version may carry it, which the newer version does not accept",
        (BACKWARD,),
    ),
    CompatRule(
        "CMP003",
        "required field added",
        "events of the older version lack it; consumers on the older version do not accept it",
        _BOTH,
    ),
    CompatRule(
        "CMP004",
        "optional field added",
        "consumers on the older version do not accept events that carry it; under the "
        "STRICT policy an open older version could have carried it with any value",
        (FORWARD,),
        strict_only=(BACKWARD,),
    ),
    CompatRule(
        "CMP005",
        "field type changed",
        "no value of the old type is a value of the new one",
        _BOTH,
    ),
    CompatRule(
        "CMP006",
        "field type narrowed",
        "older events may hold values the narrower type rejects (number -> integer, "
        "string -> timestamp)",
        (BACKWARD,),
    ),
    CompatRule(
        "CMP007",
        "field type widened",
        "newer events may hold values older consumers reject (integer -> number, "
        "timestamp -> string)",
        (FORWARD,),
    ),
    CompatRule(
        "CMP008",
        "enum narrowed",
        "older events may carry a value the newer enum no longer allows",
        (BACKWARD,),
    ),
    CompatRule(
        "CMP009",
        "enum widened",
        "newer events may carry a value that older consumers reject",
        (FORWARD,),
    ),
    CompatRule(
        "CMP010",
        "range, length or pattern narrowed",
        "older events may hold values outside the newer constraint",
        (BACKWARD,),
    ),
    CompatRule(
        "CMP011",
        "range, length or pattern widened",
        "newer events may hold values outside the older constraint",
        (FORWARD,),
    ),
    CompatRule(
        "CMP012",
        "field made required",
        "older events may lack it",
        (BACKWARD,),
    ),
    CompatRule(
        "CMP013",
        "field made optional",
        "consumers on the older version require it, newer events may lack it",
        (FORWARD,),
    ),
)

GATE_RULES: tuple[GateRule | CompatRule, ...] = (*CHANGE_RULES, *COMPAT_RULES)
"""Every rule id the gate itself reports (lint rules come from `govern.lint.ALL_RULES`)."""

RULES_BY_ID: dict[str, GateRule | CompatRule] = {r.id: r for r in GATE_RULES}
COMPAT_BY_ID: dict[str, CompatRule] = {r.id: r for r in COMPAT_RULES}


def rule_title(rule_id: str) -> str | None:
    """The title of any rule govern reports (lint or gate), or None for an unknown id."""
    from govern.lint import ALL_RULES

    for known in (*ALL_RULES, *GATE_RULES):
        if known.id == rule_id:
            return known.title
    return None
