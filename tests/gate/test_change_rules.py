"""Change rules GOV001-GOV007 on fixture git repositories: base on main, change on a branch."""

from __future__ import annotations

from datetime import date

import pytest

from govern.gate.change_rules import CHANGE_CHECKS
from govern.gate.rules import CHANGE_RULES
from tests.gate.conftest import GitRepo, rules
from tests.lint.minimal import CONTRACT, FILES

CONTRACT_PATH = "contracts/click/v1.yaml"
METER_PATH = "meters/clicks.yaml"


def meter_version(number: int, effective_from: str, status: str = "released", **keys) -> str:
    """A meter version block to append to meters/clicks.yaml."""
    text = f"""\
  - version: {number}
    status: {status}
    effective_from: {effective_from}
    description: Every primary click, test buttons excluded.
    contract: {keys.get("contract", "click")}
    filter: "{keys.get("filter", "kind = 'primary' AND button <> 'test'")}"
    aggregation: count
    group_by: [button]
    period: {{every: {keys.get("every", "month")}, timezone: {keys.get("timezone", "UTC")}}}
    late: {{grace: {keys.get("grace", "P1D")}}}
"""
    return text


def append(repo: GitRepo, path: str, text: str) -> GitRepo:
    with (repo.root / path).open("a", encoding="utf-8") as handle:
        handle.write(text)
    return repo


def test_unchanged_catalog_passes(repo: GitRepo) -> None:
    report = repo.check()
    assert report.issues == () and report.exit_code == 0


def test_every_change_rule_is_in_the_table() -> None:
    documented = {rule.id for rule in CHANGE_RULES}
    checked = {check.__doc__.split(":")[0] for check in CHANGE_CHECKS}
    assert checked <= documented
    # crash, unused acknowledgement, and the billing impact of the replay step
    assert documented - checked == {"GOV000", "GOV008", "GOV009", "GOV010"}


# ---------------------------------------------------------------- GOV001


def test_gov001_released_contract_field_changed(repo: GitRepo) -> None:
    repo.edit(CONTRACT_PATH, "enum: [primary, secondary]", "enum: [primary, secondary, ghost]")
    report = repo.check()
    assert rules(report) == [("GOV001", CONTRACT_PATH, 10)]
    issue = report.issues[0]
    assert "contract click@1 is released, so it cannot change in place" in issue.message
    assert (
        "`fields.kind.enum` changed from [primary, secondary] to [primary, secondary, ghost]"
        in (issue.message)
    )
    assert "contracts/click/v2.yaml" in issue.hint
    assert report.exit_code == 1


def test_gov001_field_removed_points_at_fields(repo: GitRepo) -> None:
    repo.edit(CONTRACT_PATH, "  note: {type: string}\n", "")
    report = repo.check()
    assert rules(report) == [("GOV001", CONTRACT_PATH, 7)]
    assert "`fields.note` removed (was {type: string, required: False" in report.issues[0].message


def test_gov001_committed_change_is_found_too(repo: GitRepo) -> None:
    repo.edit(CONTRACT_PATH, "type: number, required: true", "type: integer, required: true")
    report = repo.commit("retype amount").check()
    assert rules(report) == [("GOV001", CONTRACT_PATH, 8)]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("description: One click on a button.", "description: One click on any button."),
        ("owner: web-team", "owner: growth-team"),
        ("note: {type: string}", "note: {type: string, description: Free text, pii: true}"),
        ("status: released", "status: deprecated"),
        ("version: 1\n", "version: 1\ncompatibility: full\n"),
    ],
)
def test_gov001_metadata_may_change(repo: GitRepo, old: str, new: str) -> None:
    assert repo.edit(CONTRACT_PATH, old, new).check().issues == ()


def test_gov001_released_contract_back_to_draft(repo: GitRepo) -> None:
    report = repo.edit(CONTRACT_PATH, "status: released", "status: draft").check()
    assert [i.rule for i in report.issues if i.rule.startswith("GOV")] == ["GOV001"]
    assert "`status` changed from released to draft" in report.issues[0].message


def test_gov001_draft_contract_changes_freely(tmp_path) -> None:
    draft = CONTRACT.replace("status: released", "status: draft")
    repo = GitRepo(tmp_path).write({CONTRACT_PATH: draft}).commit().branch()
    repo.edit(CONTRACT_PATH, "  note: {type: string}\n", "")
    assert repo.check().issues == ()


# ---------------------------------------------------------------- GOV002 / GOV003


def test_gov002_released_meter_version_changed(repo: GitRepo) -> None:
    report = repo.edit(METER_PATH, "late: {grace: P1D}", "late: {grace: P2D}").check()
    assert rules(report) == [("GOV002", METER_PATH, 15)]
    assert report.issues[0].message == (
        "meter clicks v1 is released, so it cannot change in place: "
        "`late.grace` changed from P1D to P2D"
    )


def test_gov002_each_change_is_located(repo: GitRepo) -> None:
    repo.edit(METER_PATH, "kind = 'primary'", "kind = 'secondary'")
    repo.edit(METER_PATH, "group_by: [button]", "group_by: []")
    report = repo.check()
    assert rules(report) == [("GOV002", METER_PATH, 11), ("GOV002", METER_PATH, 13)]


def test_gov002_description_may_change(repo: GitRepo) -> None:
    repo.edit(METER_PATH, "description: Every click.", "description: Every primary click.")
    assert repo.check().issues == ()


def test_gov003_line_item_of_a_billed_meter(repo: GitRepo) -> None:
    report = repo.edit(METER_PATH, "line_item: CLICKS", "line_item: CLICKS-2").check()
    assert rules(report) == [("GOV003", METER_PATH, 4)]
    assert "its line_item cannot change (from CLICKS to CLICKS-2)" in report.issues[0].message


def test_gov003_owner_may_change(repo: GitRepo) -> None:
    assert repo.edit(METER_PATH, "owner: web-team", "owner: growth").check().issues == ()


# ---------------------------------------------------------------- GOV004 / GOV005


def test_gov004_released_contract_version_removed(repo: GitRepo) -> None:
    repo.write({"contracts/click/v2.yaml": CONTRACT.replace("version: 1", "version: 2")})
    repo.commit("v2").git("branch", "-f", "main")
    report = repo.remove("contracts/click/v2.yaml").check()
    assert rules(report) == [("GOV004", "contracts/click/v2.yaml", 0)]
    assert "contract click@2 is released and was removed" in report.issues[0].message


def test_gov005_released_meter_version_removed(repo: GitRepo) -> None:
    append(repo, METER_PATH, meter_version(2, "2026-06-01")).commit().git("branch", "-f", "main")
    text = (repo.root / METER_PATH).read_text()
    (repo.root / METER_PATH).write_text(text[: text.index("  - version: 2")])
    report = repo.check()
    assert rules(report) == [("GOV005", METER_PATH, 6)]
    assert report.issues[0].message.startswith("meter clicks v2 is released and was removed")


def test_gov005_released_meter_removed(repo: GitRepo) -> None:
    report = repo.remove(METER_PATH).check()
    assert rules(report) == [("GOV005", METER_PATH, 0)]
    assert "meter clicks has released versions and was removed" in report.issues[0].message


def test_removing_a_draft_is_fine(repo: GitRepo) -> None:
    append(repo, METER_PATH, meter_version(2, "2026-06-01", status="draft"))
    repo.commit().git("branch", "-f", "main")
    text = (repo.root / METER_PATH).read_text()
    (repo.root / METER_PATH).write_text(text[: text.index("  - version: 2")])
    assert repo.check().issues == ()


# ---------------------------------------------------------------- GOV006


def test_gov006_new_version_in_a_closed_period(repo: GitRepo) -> None:
    report = append(repo, METER_PATH, meter_version(2, "2026-03-01")).check()
    assert rules(report) == [("GOV006", METER_PATH, 18)]
    issue = report.issues[0]
    assert issue.message == (
        "meter clicks v2 takes effect 2026-03-01, but its first month (2026-03-01 to "
        "2026-04-01 UTC) closed at 2026-04-02 (grace P1D), before 2026-05-01: its invoice "
        "is issued"
    )
    assert issue.hint.startswith("take effect 2026-04-01 or later")


@pytest.mark.parametrize(
    ("effective_from", "today", "blocked"),
    [
        ("2026-04-01", date(2026, 5, 1), False),  # April closes May 2: still open
        ("2026-04-01", date(2026, 5, 2), True),  # closes exactly at the start of today
        ("2026-06-01", date(2026, 5, 1), False),  # the future
    ],
)
def test_gov006_open_means_close_after_the_start_of_today(
    repo: GitRepo, effective_from: str, today: date, blocked: bool
) -> None:
    report = append(repo, METER_PATH, meter_version(2, effective_from)).check(today=today)
    assert [i.rule for i in report.issues] == (["GOV006"] if blocked else [])


def test_gov006_uses_the_meter_time_zone_and_grace(repo: GitRepo) -> None:
    # daily periods in Tokyo, 12 hours of grace: 2026-04-30 (JST) closes 2026-05-01 12:00 JST,
    # after the start of 2026-05-01 in Tokyo, so it is still open
    block = meter_version(2, "2026-04-30", every="day", timezone="Asia/Tokyo", grace="PT12H")
    assert append(repo, METER_PATH, block).check().issues == ()
    report = repo.check(today=date(2026, 5, 2))
    assert rules(report) == [("GOV006", METER_PATH, 18)]
    assert "closed at 2026-05-01 12:00 (grace PT12H)" in report.issues[0].message
    assert report.issues[0].hint.startswith("take effect 2026-05-01 or later")


def test_gov006_drafts_wait_until_released(repo: GitRepo) -> None:
    append(repo, METER_PATH, meter_version(2, "2026-03-01", status="draft"))
    assert repo.check().issues == ()
    repo.commit().git("branch", "-f", "main")
    report = repo.edit(METER_PATH, "status: draft", "status: released").check()
    assert [i.rule for i in report.issues] == ["GOV006"]


def test_gov006_applies_to_a_new_meter(repo: GitRepo) -> None:
    text = (repo.root / METER_PATH).read_text()
    new = text.replace("meter: clicks", "meter: clicks_b").replace("CLICKS", "CLICKS-B")
    report = repo.write({"meters/clicks_b.yaml": new}).check()
    assert rules(report) == [("GOV006", "meters/clicks_b.yaml", 8)]


# ---------------------------------------------------------------- GOV007


def _contract_v2(**changes: str) -> dict[str, str]:
    text = CONTRACT.replace("version: 1", "version: 2")
    for old, new in changes.items():
        text = text.replace(old, new)
    return {"contracts/click/v2.yaml": text}


def test_gov007_new_contract_version_removes_a_grouped_field(repo: GitRepo) -> None:
    repo.write(_contract_v2(**{"  button: {type: string, required: true}\n": ""}))
    report = repo.check()
    gov = [i for i in report.issues if i.rule == "GOV007"]
    assert [(i.location.path, i.location.line) for i in gov] == [(METER_PATH, 13)]
    assert gov[0].message == (
        "contract click@2 removes field `button`, which the meter groups by: meter clicks v1 "
        "reads click@2 (it read click@1 at the base)"
    )
    assert "contract: click@1" in gov[0].hint
    # lint sees the same meter from its side; the compatibility check from the contract's
    assert {i.rule for i in report.issues} >= {"GOV007", "MTR002"}


def test_gov007_retyped_filter_field(repo: GitRepo) -> None:
    repo.write(
        _contract_v2(**{"kind: {type: string, enum: [primary, secondary]": "kind: {type: integer"})
    )
    gov = [i for i in repo.check().issues if i.rule == "GOV007"]
    assert [i.message.split(":")[0] for i in gov] == [
        "contract click@2 retypes (string -> integer) field `kind`, which the meter filters on"
    ]


def test_gov007_enum_value_the_filter_compares_with(repo: GitRepo) -> None:
    repo.write(_contract_v2(**{"enum: [primary, secondary]": "enum: [main, secondary]"}))
    gov = [i for i in repo.check().issues if i.rule == "GOV007"]
    assert [(i.location.line, i.message.split(":")[0]) for i in gov] == [
        (
            11,
            "contract click@2 drops 'primary' from the enum of `kind`, "
            "which the filter compares with",
        )
    ]


def test_gov007_pinned_meter_is_not_affected(repo: GitRepo) -> None:
    repo.edit(METER_PATH, "contract: click\n", "contract: click@1\n").commit().git(
        "branch", "-f", "main"
    )
    repo.write(_contract_v2(**{"  button: {type: string, required: true}\n": ""}))
    assert [i.rule for i in repo.check().issues if i.rule.startswith("GOV")] == []


def test_gov007_unrelated_contract_change_is_fine(repo: GitRepo) -> None:
    repo.write(
        _contract_v2(
            **{"  note: {type: string}\n": "  note: {type: string}\n  extra: {type: string}\n"}
        )
    )
    assert [i.rule for i in repo.check().issues if i.rule.startswith("GOV")] == []


# ---------------------------------------------------------------- without a base


def test_without_base_only_lint_and_compatibility(repo: GitRepo) -> None:
    repo.edit(METER_PATH, "late: {grace: P1D}", "late: {grace: P2D}")
    assert repo.check(base=None).issues == ()


def test_the_commit_that_brings_the_catalog_in_records_history(tmp_path) -> None:
    repo = GitRepo(tmp_path).write({"README": "hello\n"}).commit().branch()
    # the released meter version starts in January, long closed: that is its history
    assert repo.write(FILES).check().issues == ()
