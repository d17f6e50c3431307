"""`govern check --base`: a change that moves what a released meter version bills is
blocked (GOV009) with the impact table in the report; a new version's impact is shown."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner

from govern.cli import main
from govern.gate import GATE_RULES, run_check
from govern.issues import Severity
from govern.report import render_markdown
from tests.gate.conftest import GitRepo
from tests.replay.catalog import METER_PATH
from tests.replay.conftest import assert_golden

TODAY = date(2026, 11, 20)
"""October closed (2026-11-03), November open: a new version may start 2026-11-01."""

NEW_VERSION = """\
  - version: 2
    status: released
    effective_from: 2026-11-01
    description: Tokens of calls without a server error.
    contract: call
    filter: "status < 500"
    aggregation: sum
    value: tokens
    group_by: [region]
    period: {every: month, timezone: UTC}
    late: {grace: P2D}
"""


def found(report) -> list[tuple[str, str, int]]:
    return [(i.rule, i.location.path, i.location.line) for i in report.issues]


def test_rule_ids_are_in_the_gate_table() -> None:
    table = {rule.id: rule for rule in GATE_RULES}
    assert table["GOV009"].severity is Severity.ERROR
    assert table["GOV010"].severity is Severity.INFO


def test_in_place_edit_that_moves_billing_is_blocked_with_the_impact(repo: GitRepo) -> None:
    repo.edit(METER_PATH, '"status < 500"', '"status < 400"')
    report = run_check(repo.root, base="main", today=TODAY)
    assert found(report) == [("GOV009", METER_PATH, 6), ("GOV002", METER_PATH, 11)]
    issue = report.issues[0]
    assert issue.message == (
        "meter calls v1 is released, and this change (definition changed) moves what it "
        "bills on the sample events: 1 row differs, 3 -> 2 call (-1, -33.3%); largest: "
        "acme 2026-10 region=us usage 3 -> 2"
    )
    assert report.exit_code == 1
    (section,) = report.sections
    assert section.title == "Billing impact"
    assert "| acme | 2026-10 | region=us | usage | v1 | 3 | 2 | -1 | -33.3% |" in section.markdown
    assert_golden("check_filter_narrowed.md", render_markdown(report))


def test_a_new_version_is_the_way_out_and_its_impact_is_information(repo: GitRepo) -> None:
    repo.write({METER_PATH: (repo.root / METER_PATH).read_text() + NEW_VERSION})
    report = run_check(repo.root, base="main", today=TODAY)
    assert found(report) == [("GOV010", METER_PATH, 16)]
    issue = report.issues[0]
    assert issue.severity is Severity.INFO
    assert issue.message == (
        "meter calls v2 is new and bills the sample events differently from before: "
        "1 row differs, 2 -> 55 call (+53, +2650.0%); largest: acme 2026-11 region=us "
        "usage 2 -> 55"
    )
    assert report.exit_code == 0
    assert_golden("check_new_version.md", render_markdown(report))


def test_an_acknowledged_impact_does_not_block(repo: GitRepo) -> None:
    repo.edit(METER_PATH, '"status < 500"', '"status < 400"')
    acknowledge = (
        "acknowledge:\n"
        "  - {rule: GOV002, version: 1, reason: 4xx were never meant to bill (FIN-42)}\n"
        "  - {rule: GOV009, version: 1, reason: refunds issued for October (FIN-42)}\n"
    )
    repo.edit(METER_PATH, "versions:\n", acknowledge + "versions:\n")
    report = run_check(repo.root, base="main", today=TODAY)
    assert [(i.rule, bool(i.acknowledged)) for i in report.issues] == [
        ("GOV009", True),
        ("GOV002", True),
    ]
    assert report.exit_code == 0


def test_description_only_change_is_not_replayed(repo: GitRepo) -> None:
    repo.edit(METER_PATH, "Calls without a server error.", "Calls that did not fail.")
    report = run_check(repo.root, base="main", today=TODAY)
    assert report.issues == () and report.sections == ()


def test_without_base_nothing_is_replayed(repo: GitRepo) -> None:
    repo.edit(METER_PATH, '"status < 500"', '"status < 400"')
    report = run_check(repo.root, base=None, today=TODAY)
    assert report.sections == ()
    assert not [i for i in report.issues if i.rule in ("GOV009", "GOV010")]


def test_check_text_and_markdown_carry_the_impact_table(repo: GitRepo) -> None:
    repo.edit(METER_PATH, '"status < 500"', '"status < 400"')
    args = ["check", "-p", str(repo.root), "--base", "main", "--today", "2026-11-20"]
    text = CliRunner().invoke(main, args)
    assert text.exit_code == 1
    assert "Replayed 8 events from 1 file as of 2026-11-10T00:00:00Z: main -> working tree" in (
        text.output
    )
    assert "  acme      2026-10  region=us   usage  v1         3    2          -1  -33.3%" in (
        text.output
    )
    markdown = CliRunner().invoke(main, [*args, "--format", "markdown"])
    assert markdown.exit_code == 1
    assert "### Billing impact" in markdown.output


def test_contract_field_removed_is_blocked_at_the_meter_it_moves(repo: GitRepo) -> None:
    from tests.replay.test_impact import CONTRACT_V2

    repo.write({"contracts/call/v2.yaml": CONTRACT_V2})
    report = run_check(repo.root, base="main", today=TODAY)
    gov009 = [i for i in report.issues if i.rule == "GOV009"]
    assert [(i.location.path, i.location.line) for i in gov009] == [(METER_PATH, 6)]
    assert gov009[0].message.startswith(
        "meter calls v1 is released, and this change (contract call changed) moves what it "
        "bills on the sample events: 3 rows differ, 6 -> 1 call (-5, -83.3%)"
    )
    assert report.exit_code == 1
