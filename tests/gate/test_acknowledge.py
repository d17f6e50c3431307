"""Acknowledging a finding on purpose, in the YAML, with a reason that shows in the report."""

from __future__ import annotations

import pytest

from govern.errors import CatalogLoadError
from tests.gate.conftest import GitRepo, rules
from tests.gate.test_change_rules import CONTRACT_PATH, METER_PATH, append, meter_version
from tests.lint.minimal import CONTRACT

REASON = "Typo fix agreed with finance (FIN-42); no invoice changes."


def acknowledge(rule: str, version: int | None = None, reason: str = REASON) -> str:
    scope = f", version: {version}" if version is not None else ""
    return f'acknowledge:\n  - {{rule: {rule}{scope}, reason: "{reason}"}}\n'


def grace_change(repo: GitRepo) -> GitRepo:
    return repo.edit(METER_PATH, "late: {grace: P1D}", "late: {grace: P2D}")


def test_acknowledged_finding_is_reported_but_does_not_block(repo: GitRepo) -> None:
    grace_change(repo).edit(METER_PATH, "versions:\n", acknowledge("GOV002", 1) + "versions:\n")
    report = repo.check()
    assert rules(report) == [("GOV002", METER_PATH, 17)]
    assert report.issues[0].acknowledged == REASON
    assert report.blocking == [] and report.exit_code == 0


def test_meter_wide_acknowledgement_covers_its_versions(repo: GitRepo) -> None:
    grace_change(repo).edit(METER_PATH, "versions:\n", acknowledge("GOV002") + "versions:\n")
    assert repo.check().exit_code == 0


def test_acknowledgement_of_another_version_or_rule_does_not_cover(repo: GitRepo) -> None:
    grace_change(repo).edit(METER_PATH, "versions:\n", acknowledge("GOV002", 2) + "versions:\n")
    report = repo.check()
    assert report.exit_code == 1
    assert [(i.rule, i.severity.value, i.acknowledged) for i in report.issues] == [
        ("GOV008", "warning", None),
        ("GOV002", "error", None),
    ]
    assert report.issues[0].message == "acknowledgement of GOV002 for version 2 matches no finding"
    assert report.issues[0].location.line == 6


def test_contract_acknowledgement(repo: GitRepo) -> None:
    repo.edit(CONTRACT_PATH, "  note: {type: string}\n", "")
    repo.edit(CONTRACT_PATH, "fields:\n", acknowledge("GOV001") + "fields:\n")
    report = repo.check()
    assert [(i.rule, i.acknowledged) for i in report.issues] == [("GOV001", REASON)]


def test_removed_contract_version_acknowledged_from_a_sibling(repo: GitRepo) -> None:
    repo.write({"contracts/click/v2.yaml": CONTRACT.replace("version: 1", "version: 2")})
    repo.commit("v2").git("branch", "-f", "main")
    repo.remove("contracts/click/v2.yaml")
    repo.edit(CONTRACT_PATH, "fields:\n", acknowledge("GOV004", 2) + "fields:\n")
    report = repo.check()
    assert [(i.rule, i.acknowledged) for i in report.issues] == [("GOV004", REASON)]


def test_removed_meter_version_acknowledged_by_number(repo: GitRepo) -> None:
    append(repo, METER_PATH, meter_version(2, "2026-06-01")).commit().git("branch", "-f", "main")
    text = (repo.root / METER_PATH).read_text()
    text = text[: text.index("  - version: 2")].replace(
        "versions:\n", acknowledge("GOV005", 2) + "versions:\n"
    )
    (repo.root / METER_PATH).write_text(text)
    report = repo.check()
    assert [(i.rule, i.acknowledged) for i in report.issues] == [("GOV005", REASON)]


def test_lint_findings_can_be_acknowledged_by_position(repo: GitRepo) -> None:
    repo.edit(METER_PATH, "'primary'", "'tertiary'")  # MTR007 warning, GOV002 error
    repo.edit(
        METER_PATH, "versions:\n", acknowledge("MTR007", 1, "kept for replays") + "versions:\n"
    )
    report = repo.check()
    by_rule = {i.rule: i.acknowledged for i in report.issues}
    assert by_rule == {"MTR007": "kept for replays", "GOV002": None}


def test_unused_acknowledgements_are_reported_only_with_a_base(repo: GitRepo) -> None:
    repo.edit(METER_PATH, "versions:\n", acknowledge("GOV002", 1) + "versions:\n")
    assert [i.rule for i in repo.check().issues] == ["GOV008"]
    assert repo.check(base=None).issues == ()


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_acknowledgement_needs_a_reason(repo: GitRepo, reason: str) -> None:
    repo.edit(METER_PATH, "versions:\n", acknowledge("GOV002", 1, reason) + "versions:\n")
    with pytest.raises(CatalogLoadError) as caught:
        repo.check()
    assert [i.rule for i in caught.value.issues] == ["CAT008"]


def test_compatibility_finding_acknowledged_in_the_new_version(repo: GitRepo) -> None:
    v2 = CONTRACT.replace("version: 1", "version: 2").replace("  note: {type: string}\n", "")
    v2 = v2.replace("fields:\n", acknowledge("CMP002") + "fields:\n")
    report = repo.write({"contracts/click/v2.yaml": v2}).check()
    assert [(i.rule, i.acknowledged) for i in report.issues] == [("CMP002", REASON)]
    assert report.exit_code == 0
