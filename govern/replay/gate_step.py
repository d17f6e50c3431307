"""The replay as a gate step of `govern check --base REF`.

Every meter whose definition or contract changed is replayed over the sample events with
both definitions. A changed quantity in a period that a version released at the base
still computes is `GOV009` (blocking: issued invoices would no longer match); a changed
quantity in a period a new version computes is `GOV010` (information: the reviewed effect
of the new version). The impact table goes into the report as a section.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from govern.catalog.catalog import Catalog
from govern.catalog.model import Meter
from govern.gate.context import CheckContext, ReportSection, released
from govern.issues import Issue, Severity
from govern.replay.events import sample_files
from govern.replay.impact import (
    ImpactRow,
    MeterImpact,
    ReplayReport,
    change_percent,
    version_in_effect,
)
from govern.replay.render.common import dimensions, percent, quantity, signed
from govern.replay.render.markdown import render_markdown
from govern.replay.render.text import render_text
from govern.replay.run import replay_catalogs

SECTION_TITLE = "Billing impact"


def billing_impact(base: Catalog | None, head: Catalog, context: CheckContext) -> list[Issue]:
    """GOV009 / GOV010 from a replay of the samples; adds the impact table to the report.

    Needs a base ref and sample events (`contracts/*/samples/*.jsonl` in the working tree);
    without them there is nothing to replay.
    """
    project = Path(head.label)
    if base is None or not project.is_dir() or not sample_files(project):
        return []
    report = replay_catalogs(base, head, project, base_label=context.base_ref or "base")
    if not any(m.state != "unchanged" for m in report.meters):
        return []
    context.sections.append(
        ReportSection(
            SECTION_TITLE,
            render_markdown(report, heading="###"),
            render_text(report),
        )
    )
    return list(impact_issues(report, base, head))


def impact_issues(report: ReplayReport, base: Catalog, head: Catalog):
    """One issue per meter version whose periods bill differently on the replayed events."""
    for impact in report.impacted:
        if impact.state != "changed" or impact.error:
            continue
        before, after = base.meters[impact.meter], head.meters[impact.meter]
        groups: dict[tuple[int | None, bool], list[ImpactRow]] = defaultdict(list)
        for row in impact.changed_rows:
            groups[_judge(row, before, after)].append(row)
        for (number, blocking), rows in sorted(groups.items(), key=_group_order):
            yield _issue(impact, after, number, blocking, rows)


def _judge(row: ImpactRow, before: Meter, after: Meter) -> tuple[int | None, bool]:
    """(head version computing the row's period, whether a released version's bill moves)."""
    version = version_in_effect(after, row.period_start)
    was = {v.version: v for v in before.versions}
    if version is None:
        old = was.get(row.old_version) if row.old_version else None
        return None, bool(old and released(old.status))
    previous = was.get(version.version)
    return version.version, bool(previous and released(previous.status))


def _group_order(item: tuple[tuple[int | None, bool], list[ImpactRow]]) -> tuple:
    (number, blocking), _ = item
    return (not blocking, number or 0)


def _issue(
    impact: MeterImpact, meter: Meter, number: int | None, blocking: bool, rows: list[ImpactRow]
) -> Issue:
    old = sum((r.old for r in rows), Decimal(0))
    new = sum((r.new for r in rows), Decimal(0))
    pct = percent(change_percent(old, new), old, new)
    largest = rows[0]
    dims = dimensions(largest.dimensions)
    where = f"{largest.customer} {largest.period}" + ("" if dims == "-" else f" {dims}")
    summary = (
        f"{len(rows)} {'rows differ' if len(rows) != 1 else 'row differs'}, {quantity(old)} -> "
        f"{quantity(new)} {impact.unit} ({signed(new - old)}, {pct}); largest: {where} "
        f"{largest.kind} {quantity(largest.old)} -> {quantity(largest.new)}"
    )
    why = "; ".join(impact.reasons)
    index = next((i for i, v in enumerate(meter.versions) if v.version == number), None)
    location = meter.location_of("versions", index) if index is not None else meter.location
    label = f"meter {impact.meter}" + (f" v{number}" if number is not None else "")
    if blocking:
        following = max(v.version for v in meter.versions) + 1
        return Issue(
            "GOV009",
            f"{label} is released, and this change ({why}) moves what it bills on the sample "
            f"events: {summary}",
            location,
            hint=f"leave it as it was and add version {following} with an effective_from at "
            "the start of an open period; see the billing impact table",
        )
    return Issue(
        "GOV010",
        f"{label} is new and bills the sample events differently from before: {summary}",
        location,
        Severity.INFO,
    )
