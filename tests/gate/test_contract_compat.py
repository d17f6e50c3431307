"""Contract compatibility: the CMP rule table against the engine, messages in field terms,
modes, transitivity, drafts, policies, and the gate step on a fixture git repository."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from govern.catalog.model import Contract
from govern.gate.contract_compat import check_version
from govern.gate.rules import BASE_MODES, COMPAT_RULES
from tests.gate.conftest import GitRepo, rules

BASE: dict[str, Any] = {
    "contract": "api_request",
    "version": 1,
    "status": "released",
    "compatibility": "backward",
    "fields": {
        "route": {"type": "string", "required": True},
        "region": {"type": "string", "enum": ["us-east", "eu-west"], "required": True},
        "duration_ms": {"type": "number", "minimum": 0, "maximum": 60000, "required": True},
        "hits": {"type": "integer", "required": True},
        "model": {"type": "string"},
        "served_at": {"type": "timestamp"},
    },
}


def contract(version: int = 1, mode: str = "backward", status: str = "released", **fields):
    """A contract version: BASE with `fields` replaced (None removes one)."""
    data = copy.deepcopy(BASE)
    data.update(version=version, compatibility=mode, status=status)
    for name, spec in fields.items():
        if spec is None:
            data["fields"].pop(name)
        else:
            data["fields"][name] = spec
    return Contract.model_validate(data)


CHANGES = {
    "CMP001": {"region": None},
    "CMP002": {"model": None},
    "CMP003": {"tenant": {"type": "string", "required": True}},
    "CMP004": {"tenant": {"type": "string"}},
    "CMP005": {"hits": {"type": "string", "required": True}},
    "CMP006": {
        "duration_ms": {"type": "integer", "minimum": 0, "maximum": 60000, "required": True}
    },
    "CMP007": {"hits": {"type": "number", "required": True}},
    "CMP008": {"region": {"type": "string", "enum": ["us-east"], "required": True}},
    "CMP009": {
        "region": {"type": "string", "enum": ["us-east", "eu-west", "ap"], "required": True}
    },
    "CMP010": {"duration_ms": {"type": "number", "minimum": 0, "maximum": 100, "required": True}},
    "CMP011": {"duration_ms": {"type": "number", "minimum": 0, "required": True}},
    "CMP012": {"model": {"type": "string", "required": True}},
    "CMP013": {"route": {"type": "string"}},
}


def test_every_field_rule_has_a_case() -> None:
    assert set(CHANGES) == {rule.id for rule in COMPAT_RULES} - {"CMP000"}


@pytest.mark.parametrize("policy", ["strict", "lenient"])
@pytest.mark.parametrize("mode", BASE_MODES)
@pytest.mark.parametrize("rule", [r for r in COMPAT_RULES if r.id != "CMP000"], ids=str)
def test_rule_table_matches_the_engine(rule, mode: str, policy: str) -> None:
    """Each row of the table (docs/gate-rules.md) is what the engine decides, mode by mode."""
    new = contract(2, mode, **CHANGES[rule.id])
    found = {issue.rule for issue in check_version(new, [contract(1)], policy)}
    assert found == ({rule.id} if rule.severity(mode, policy) else set())


def test_removed_required_field_in_field_terms() -> None:
    v2 = contract(2)
    v3 = contract(3, region=None)
    [issue] = check_version(v3, [contract(1), v2])
    assert issue.rule == "CMP001"
    assert issue.message == (
        "api_request v3 removes required field `region`, which v2 events carry: consumers "
        "on v3 cannot read them (backward check of v3 against v2)"
    )
    assert issue.hint == (
        "keep `region` (mark it deprecated in its description); compatibility is backward"
    )


def test_adding_an_optional_field_passes_with_default_settings() -> None:
    assert check_version(contract(2, tenant={"type": "string"}), [contract(1)]) == []


def test_full_mode_reports_both_directions() -> None:
    new = contract(2, "full", region=None)
    messages = [issue.message for issue in check_version(new, [contract(1)])]
    assert messages == [
        "api_request v2 removes required field `region`, which v1 events carry: consumers on "
        "v2 cannot read them (backward check of v2 against v1)",
        "api_request v2 removes required field `region`, which consumers on v1 require: they "
        "cannot read v2 events (forward check of v2 against v1)",
    ]


def test_enum_change_both_ways() -> None:
    new = contract(
        2, "full", region={"type": "string", "enum": ["us-east", "ap"], "required": True}
    )
    assert [(i.rule, i.message.split(":")[0]) for i in check_version(new, [contract(1)])] == [
        ("CMP008", "api_request v2 removes 'eu-west' from the enum of `region`"),
        ("CMP009", "api_request v2 adds 'ap' to the enum of `region`"),
    ]


def test_transitive_modes_check_every_earlier_version() -> None:
    v1 = contract(1)
    v2 = contract(2, "none", model=None)  # not checked: mode none
    v3 = contract(3, "backward", model=None)
    assert check_version(v3, [v1, v2]) == []
    v3 = contract(3, "backward_transitive", model=None)
    [issue] = check_version(v3, [v1, v2])
    assert (issue.rule, issue.message.endswith("(backward check of v3 against v1)")) == (
        "CMP002",
        True,
    )


def test_mode_none_checks_nothing() -> None:
    assert check_version(contract(2, "none", region=None, hits=None), [contract(1)]) == []


def test_envelope_change_is_cmp000() -> None:
    data = copy.deepcopy(BASE) | {"version": 2, "envelope": {"subject": "account"}}
    [issue] = check_version(Contract.model_validate(data), [contract(1)])
    assert issue.rule == "CMP000"
    assert issue.message == (
        "api_request v2 changes the event envelope incompatibly "
        "(REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at #/properties/account): "
        "consumers on v2 cannot read v1 events"
    )


# ---------------------------------------------------------------- the gate step

V1 = """\
contract: api_request
version: 1
status: released
owner: platform-team
description: One request.
fields:
  route:  {type: string, required: true}
  region: {type: string, enum: [us-east, eu-west], required: true}
"""


def version(number: int, text: str = V1, status: str = "released", mode: str = "backward") -> str:
    return (
        text.replace("version: 1", f"version: {number}")
        .replace("status: released", f"status: {status}")
        .replace("owner: platform-team", f"owner: platform-team\ncompatibility: {mode}")
    )


@pytest.fixture
def api(tmp_path) -> GitRepo:
    return GitRepo(tmp_path).write({"contracts/api_request/v1.yaml": V1}).commit().branch()


def test_gate_blocks_a_new_version_that_removes_a_required_field(api: GitRepo) -> None:
    v2 = version(2).replace(
        "  region: {type: string, enum: [us-east, eu-west], required: true}\n", ""
    )
    report = api.write({"contracts/api_request/v2.yaml": v2}).check()
    assert rules(report) == [("CMP001", "contracts/api_request/v2.yaml", 8)]  # `fields`
    assert report.exit_code == 1


def test_gate_locates_a_changed_field(api: GitRepo) -> None:
    v2 = version(2).replace("[us-east, eu-west]", "[us-east]")
    report = api.write({"contracts/api_request/v2.yaml": v2}).check()
    assert rules(report) == [("CMP008", "contracts/api_request/v2.yaml", 9)]


def test_gate_skips_drafts_and_checks_against_released_versions_only(api: GitRepo) -> None:
    draft = version(2, status="draft").replace("[us-east, eu-west]", "[us-east]")
    v3 = version(3).replace("[us-east, eu-west]", "[us-east, eu-west, ap]")
    api.write({"contracts/api_request/v2.yaml": draft, "contracts/api_request/v3.yaml": v3})
    assert api.check().issues == ()  # v3 is checked against v1, and only widens the enum


def test_gate_reports_an_old_incompatibility_once(api: GitRepo) -> None:
    v2 = version(2).replace("[us-east, eu-west]", "[us-east]")
    api.write({"contracts/api_request/v2.yaml": v2})
    assert [i.rule for i in api.check(base=None).issues] == ["CMP008"]
    api.commit("merged with an acknowledgement").git("branch", "-f", "main")
    assert api.check().issues == ()  # not new at the base: not reported again
    assert [i.rule for i in api.check(base=None).issues] == ["CMP008"]  # the whole history
    api.edit("contracts/api_request/v1.yaml", "status: released", "status: deprecated")
    api.edit("contracts/api_request/v2.yaml", "One request.", "One request served.")
    assert api.check().issues == ()  # neither deprecation nor descriptions re-check
    api.edit("contracts/api_request/v2.yaml", "compatibility: backward", "compatibility: none")
    assert api.check().issues == ()  # re-checked: the new mode allows it


def test_gate_policy_option(api: GitRepo) -> None:
    v2 = version(2, mode="forward").replace(
        "  route:  {type: string, required: true}\n",
        "  route:  {type: string, required: true}\n  model: {type: string}\n",
    )
    api.write({"contracts/api_request/v2.yaml": v2})
    assert [i.rule for i in api.check().issues] == ["CMP004"]
    assert api.check(policy="lenient").issues == ()


def test_bundled_catalog_is_compatible() -> None:
    from pathlib import Path

    from govern.gate import run_check

    report = run_check(Path(__file__).resolve().parents[2])
    assert report.issues == ()
