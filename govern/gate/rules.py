"""The gate's rule table: every id `govern check` can report, with why it exists.

Two families:

- `GOV0xx` change rules compare the catalog with the one at the base ref: what was
  released stays as it was, and new meter versions only change periods still open.
- `CMP0xx` compatibility rules name the kind of field change that makes one contract
  version unreadable for consumers of another. Whether a change blocks depends on the
  contract's `compatibility` mode (and the policy), so each rule carries a severity per
  mode: `docs/gate-rules.md` is generated from this table (`rules_markdown`; regenerate
  with `GOVERN_REGEN=1 python -m pytest tests/gate`).
"""

from __future__ import annotations

from dataclasses import dataclass

from govern.catalog.compatibility import BACKWARD, FORWARD, MODE_DIRECTIONS, base_mode
from govern.issues import Severity

BASE_MODES = tuple(MODE_DIRECTIONS)
"""The columns of the compatibility rules table (`_transitive` modes read like these)."""


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

    `strict` and `lenient` list the directions the JSON Schema engine finds it breaking
    under each policy, for govern's compiled schemas (whose `data` object is closed).
    `tests/gate/test_compat_table.py` checks every row against the engine.
    """

    id: str
    title: str
    why: str
    strict: tuple[str, ...]
    lenient: tuple[str, ...]

    def breaks(self, direction: str, policy: str) -> bool:
        return direction in (self.strict if policy == "strict" else self.lenient)

    def severity(self, mode: str, policy: str) -> Severity | None:
        """The severity of this change under `mode` and `policy` (None: compatible)."""
        directions = MODE_DIRECTIONS[base_mode(mode)]
        return Severity.ERROR if any(self.breaks(d, policy) for d in directions) else None

    def cell(self, mode: str) -> str:
        """The docs table cell for a base mode: `error`, `strict only` or `-`."""
        strict, lenient = (self.severity(mode, policy) for policy in ("strict", "lenient"))
        if strict and lenient:
            return "error"
        return "error (strict only)" if strict else "-"


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
    GateRule(
        "GOV009",
        "released meter version bills differently",
        "replaying the sample events through the base and the changed definitions moves a "
        "quantity that a released meter version computes (a meter or contract change): "
        "issued invoices would no longer match; add a version with a new effective_from",
    ),
    GateRule(
        "GOV010",
        "billing impact of a new meter version",
        "shown for review: the periods a new version computes bill differently from before "
        "on the sample events; the impact table says by how much, per customer and period",
        Severity.INFO,
    ),
)

_BOTH = (BACKWARD, FORWARD)
_B = (BACKWARD,)
_F = (FORWARD,)

COMPAT_RULES: tuple[CompatRule, ...] = (
    CompatRule(
        "CMP000",
        "incompatible schema change",
        "the compiled JSON Schemas differ in a way that is not a change of one data field "
        "(the envelope, for instance); the message names the schema difference",
        _BOTH,
        _BOTH,
    ),
    CompatRule(
        "CMP001",
        "required field removed",
        "older events carry it, and the newer version's closed `data` rejects it; older "
        "consumers require it",
        _BOTH,
        _F,
    ),
    CompatRule(
        "CMP002",
        "optional field removed",
        "older events may carry it, and the newer version's closed `data` rejects it",
        _B,
        (),
    ),
    CompatRule(
        "CMP003",
        "required field added",
        "older events lack it; older consumers' closed `data` rejects it",
        _BOTH,
        _B,
    ),
    CompatRule(
        "CMP004",
        "optional field added",
        "older consumers' closed `data` rejects newer events that carry it",
        _F,
        (),
    ),
    CompatRule(
        "CMP005",
        "field type changed",
        "no value of the old type is a value of the new one",
        _BOTH,
        _BOTH,
    ),
    CompatRule(
        "CMP006",
        "field type narrowed",
        "older events may hold values the narrower type rejects (number -> integer, "
        "string -> timestamp)",
        _B,
        _B,
    ),
    CompatRule(
        "CMP007",
        "field type widened",
        "newer events may hold values older consumers reject (integer -> number, "
        "timestamp -> string)",
        _F,
        _F,
    ),
    CompatRule(
        "CMP008",
        "enum narrowed",
        "older events may carry a value the newer enum no longer allows",
        _B,
        _B,
    ),
    CompatRule(
        "CMP009",
        "enum widened",
        "newer events may carry a value that older consumers reject",
        _F,
        _F,
    ),
    CompatRule(
        "CMP010",
        "range, length or pattern narrowed",
        "older events may hold values outside the newer constraint",
        _B,
        _B,
    ),
    CompatRule(
        "CMP011",
        "range, length or pattern widened",
        "newer events may hold values outside the older constraint",
        _F,
        _F,
    ),
    CompatRule(
        "CMP012",
        "field made required",
        "older events may lack it",
        _B,
        _B,
    ),
    CompatRule(
        "CMP013",
        "field made optional",
        "older consumers require it; newer events may lack it",
        _F,
        _F,
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


def rules_markdown() -> str:
    """The gate's rule tables for docs/gate-rules.md: change rules, then compatibility rules
    with their severity per mode (`_transitive` modes read like their base mode)."""
    lines = [
        "### Change rules",
        "",
        "| rule | severity | what | why |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| `{r.id}` | {r.severity.value} | {r.title} | {r.why} |" for r in CHANGE_RULES]
    lines += ["", "### Compatibility rules", ""]
    header = " | ".join(f"`{mode}`" for mode in BASE_MODES)
    lines += [
        f"| rule | what | {header} | why |",
        "| --- | --- |" + " --- |" * len(BASE_MODES) + " --- |",
    ]
    for r in COMPAT_RULES:
        cells = " | ".join(r.cell(mode) for mode in BASE_MODES)
        lines.append(f"| `{r.id}` | {r.title} | {cells} | {r.why} |")
    return "\n".join(lines)
