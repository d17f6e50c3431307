"""Every lint rule, caught on a failing fixture: exact rule id, file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from govern import Catalog
from govern.lint import ALL_RULES, RULES, lint_catalog
from tests.conftest import write_files
from tests.lint.minimal import CONTRACT, FILES, METER

CONTRACT_PATH = "contracts/click/v1.yaml"
METER_PATH = "meters/clicks.yaml"


def _lint(tmp_path: Path, changes: dict[str, str]) -> list:
    write_files(tmp_path, {**FILES, **changes})
    return Catalog.load(tmp_path).lint()


def test_minimal_catalog_is_clean(tmp_path: Path) -> None:
    assert _lint(tmp_path, {}) == []


def test_bundled_catalog_is_clean() -> None:
    assert Catalog.load(Path(__file__).resolve().parents[2]).lint() == []


# (rule id, files to change, file the finding is in, its line)
CASES = [
    (
        "CON001",
        {"contracts/click/v2.yaml": CONTRACT.replace("version: 1", "version: 3")},
        "contracts/click/v2.yaml",
        2,
    ),
    (
        "CON001",
        {"contracts/tap/v1.yaml": CONTRACT.replace("version: 1", "version: 3")},
        "contracts/tap/v1.yaml",
        1,
    ),
    ("CON002", {CONTRACT_PATH: CONTRACT.replace("owner: web-team\n", "")}, CONTRACT_PATH, 1),
    (
        "CON003",
        {CONTRACT_PATH: CONTRACT.replace("enum: [primary, secondary]", "enum: [primary, 2]")},
        CONTRACT_PATH,
        10,
    ),
    (
        "CON003",
        {
            CONTRACT_PATH: CONTRACT.replace(
                "{type: number, required: true}", "{type: number, required: true, pattern: x}"
            )
        },
        CONTRACT_PATH,
        8,
    ),
    (
        "CON004",
        {
            CONTRACT_PATH: CONTRACT.replace(
                "note: {type: string}", "note: {type: string, pattern: '(['}"
            )
        },
        CONTRACT_PATH,
        9,
    ),
    (
        "CON005",
        {
            CONTRACT_PATH: CONTRACT.replace(
                "{type: number, required: true}",
                "{type: number, required: true, minimum: 5, maximum: 1}",
            )
        },
        CONTRACT_PATH,
        8,
    ),
    ("CON006", {CONTRACT_PATH: CONTRACT + "dedup_key: [source, ticket]\n"}, CONTRACT_PATH, 11),
    ("CON006", {CONTRACT_PATH: CONTRACT + "dedup_key: [source, note]\n"}, CONTRACT_PATH, 11),
    ("CON007", {CONTRACT_PATH: CONTRACT + "clock_skew: 5 minutes\n"}, CONTRACT_PATH, 11),
    ("CON008", {CONTRACT_PATH: CONTRACT.replace("  note:", "  Note-Text:")}, CONTRACT_PATH, 9),
    ("MTR001", {METER_PATH: METER.replace("contract: click", "contract: tap")}, METER_PATH, 10),
    ("MTR001", {METER_PATH: METER.replace("contract: click", "contract: click@7")}, METER_PATH, 10),
    ("MTR002", {METER_PATH: METER.replace("[button]", "[colour]")}, METER_PATH, 13),
    (
        "MTR002",
        {METER_PATH: METER.replace("kind = 'primary'", "colour = 'red'")},
        METER_PATH,
        11,
    ),
    (
        "MTR003",
        {METER_PATH: METER.replace("kind = 'primary'", "upper(kind) = 'PRIMARY'")},
        METER_PATH,
        11,
    ),
    ("MTR003", {METER_PATH: METER.replace("kind = 'primary'", "kind = ")}, METER_PATH, 11),
    ("MTR004", {METER_PATH: METER.replace("kind = 'primary'", "amount = 'big'")}, METER_PATH, 11),
    (
        "MTR005",
        {METER_PATH: METER.replace("aggregation: count", "aggregation: sum")},
        METER_PATH,
        12,
    ),
    (
        "MTR005",
        {METER_PATH: METER.replace("aggregation: count", "aggregation: count\n    value: amount")},
        METER_PATH,
        13,
    ),
    (
        "MTR006",
        {METER_PATH: METER.replace("aggregation: count", "aggregation: sum\n    value: note")},
        METER_PATH,
        13,
    ),
    (
        "MTR006",
        {
            METER_PATH: METER.replace("aggregation: count", "aggregation: max\n    value: amount"),
            CONTRACT_PATH: CONTRACT.replace("{type: number, required: true}", "{type: number}"),
        },
        METER_PATH,
        13,
    ),
    ("MTR007", {METER_PATH: METER.replace("'primary'", "'tertiary'")}, METER_PATH, 11),
    (
        "MTR008",
        {METER_PATH: METER.replace("timezone: UTC", "timezone: Mars/Olympus")},
        METER_PATH,
        14,
    ),
    ("MTR009", {METER_PATH: METER.replace("grace: P1D", "grace: P1M")}, METER_PATH, 15),
    ("MTR009", {METER_PATH: METER.replace("grace: P1D", "grace: soon")}, METER_PATH, 15),
    ("MTR010", {METER_PATH: METER + METER.split("versions:\n")[1]}, METER_PATH, 16),
    (
        "MTR011",
        {METER_PATH: METER + METER.split("versions:\n")[1].replace("version: 1", "version: 2")},
        METER_PATH,
        18,
    ),
    (
        "MTR012",
        {METER_PATH: METER.replace("effective_from: 2026-01-01", "effective_from: 2026-01-15")},
        METER_PATH,
        8,
    ),
    (
        "MTR013",
        {"meters/taps.yaml": METER.replace("meter: clicks", "meter: taps")},
        "meters/taps.yaml",
        4,
    ),
    ("MTR014", {METER_PATH: METER.replace("    description: Every click.\n", "")}, METER_PATH, 6),
    ("MTR014", {METER_PATH: METER.replace("owner: web-team\n", "")}, METER_PATH, 1),
    (
        "MTR016",
        {"meters/taps.tests.yaml": "meter: taps\ntests:\n  - {name: t, expect: []}\n"},
        "meters/taps.tests.yaml",
        1,
    ),
    (
        "MTR015",
        {"meters/taps.yaml": METER.replace("clicks", "tapz").replace("CLICKS", "TAPS")},
        "meters/taps.yaml",
        1,
    ),
    (
        "MTR017",
        {METER_PATH: METER + "checks:\n  - {kind: spike, window: 3}\n"},
        METER_PATH,
        17,
    ),
    (
        "MTR017",
        {METER_PATH: METER + "checks:\n  - {kind: drop_to_zero, max_factor: 3}\n"},
        METER_PATH,
        17,
    ),
]


@pytest.mark.parametrize(("rule", "changes", "path", "line"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires_at_its_source(tmp_path: Path, rule, changes, path, line) -> None:
    found = [(i.rule, i.location.path, i.location.line) for i in _lint(tmp_path, changes)]
    assert (rule, path, line) in found, found


def test_every_rule_has_a_failing_fixture() -> None:
    covered = {case[0] for case in CASES}
    assert {r.id for r in RULES} <= covered


def test_rule_ids_are_unique_and_documented() -> None:
    ids = [r.id for r in ALL_RULES]
    assert len(ids) == len(set(ids))
    assert all(r.title and r.why for r in ALL_RULES)


def test_a_rule_can_run_alone(tmp_path: Path) -> None:
    write_files(tmp_path, {**FILES, METER_PATH: METER.replace("[button]", "[colour]")})
    catalog = Catalog.load(tmp_path)
    only = next(r for r in RULES if r.id == "MTR008")
    assert lint_catalog(catalog, (only,)) == []


def test_a_crashing_rule_becomes_an_issue(tmp_path: Path) -> None:
    from govern.lint.rules import Rule

    def explode(catalog):
        raise RuntimeError("boom")

    write_files(tmp_path, FILES)
    issues = lint_catalog(Catalog.load(tmp_path), (Rule("XXX001", "t", "w", explode),))
    assert [i.rule for i in issues] == ["LNT000"]
    assert "boom" in issues[0].message


def test_filter_error_points_inside_the_filter(tmp_path: Path) -> None:
    issues = _lint(
        tmp_path, {METER_PATH: METER.replace("kind = 'primary'", "kind = 'primary' AND colour = 1")}
    )
    issue = next(i for i in issues if i.rule == "MTR002")
    # filter: "kind = 'primary' AND colour = 1" starts at column 13; `colour` is 21 characters in
    assert (issue.location.line, issue.location.col) == (11, 13 + 1 + 21)
