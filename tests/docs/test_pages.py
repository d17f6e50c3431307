"""Every meter and contract has a page, every rule id is in the reference, every catalog key
is in the glossary, and the pages answer what Finance asks."""

from __future__ import annotations

import re

import pytest

from govern import Catalog
from govern.catalog import model
from govern.docs import generate_pages
from govern.docs.gate_examples import CHANGE_EXAMPLES, FIELD_EXAMPLES
from govern.docs.glossary import GLOSSARY, explained_keys
from govern.docs.paths import GLOSSARY as GLOSSARY_PAGE
from govern.docs.paths import RULES, contract_path, meter_path
from govern.docs.rule_examples import EXAMPLES, ExampleDidNotTrigger, RuleExample, run_example
from govern.gate.rules import CHANGE_RULES, COMPAT_RULES, GATE_RULES
from govern.lint import ALL_RULES
from tests.conftest import REPO
from tests.docs.test_golden import GENERATED, PAGES

CATALOG = Catalog.load(REPO)


def test_every_meter_and_contract_has_a_page() -> None:
    for name in CATALOG.meters:
        assert f"# {name} (" in PAGES[meter_path(name)]
    for name in CATALOG.contracts:
        assert f"# {name}\n" in PAGES[contract_path(name)]


def test_every_rule_id_has_a_section_in_the_reference() -> None:
    page = PAGES[RULES]
    for rule in (*ALL_RULES, *GATE_RULES):
        assert f"### {rule.id}: " in page, rule.id


def _section(rule_id: str) -> str:
    return PAGES[RULES].split(f"### {rule_id}: ")[1].split("\n### ")[0]


@pytest.mark.parametrize("rule", [*ALL_RULES, *CHANGE_RULES[1:]], ids=lambda r: r.id)
def test_every_lint_and_change_rule_shows_the_finding_govern_prints(rule) -> None:
    assert f" {rule.id} " in _section(rule.id).split("reports")[1]


@pytest.mark.parametrize("rule", COMPAT_RULES[1:], ids=lambda r: r.id)
def test_every_field_compatibility_rule_has_an_example(rule) -> None:
    assert "the gate reads this as: the new version" in _section(rule.id)


def test_every_rule_has_one_example() -> None:
    assert sorted(e.rule for e in EXAMPLES) == sorted(r.id for r in ALL_RULES)
    assert [e.rule for e in CHANGE_EXAMPLES] == [r.id for r in CHANGE_RULES if r.id != "GOV000"]
    assert [e.rule for e in FIELD_EXAMPLES] == [r.id for r in COMPAT_RULES if r.id != "CMP000"]


def test_an_example_that_stops_triggering_its_rule_fails_the_build() -> None:
    with pytest.raises(ExampleDidNotTrigger, match="MTR002"):
        run_example(RuleExample("MTR002", ()))


def _model_keys() -> set[str]:
    nodes = [v for v in vars(model).values() if isinstance(v, type) and issubclass(v, model.Node)]
    return {name for node in nodes if node is not model.Node for name in node.model_fields}


def _enumerated_values() -> set[str]:
    literals = (
        model.Status,
        model.FieldType,
        model.Compatibility,
        model.Aggregation,
        model.PeriodUnit,
        model.Rounding,
    )
    return {value for literal in literals for value in literal.__args__}


def test_glossary_explains_every_catalog_key_and_value() -> None:
    missing = (_model_keys() | _enumerated_values()) - explained_keys()
    assert not missing, f"add these to a glossary term: {sorted(missing)}"


def test_glossary_terms_are_headings_in_order() -> None:
    names = [term.name for term in GLOSSARY]
    assert names == sorted(names, key=str.lower)
    for name in names:
        assert f"\n## {name}\n" in PAGES[GLOSSARY_PAGE]


def test_api_calls_page_answers_what_it_bills_and_what_changed() -> None:
    page = PAGES[meter_path("api_calls")]
    assert "invoice line item:** `API-CALLS`" in page
    assert "Counts `api_request` events where status is below 500 and route does not match" in page
    assert "per customer and region, per calendar month in UTC time" in page
    assert "more than 3 days after the month ends are billed as adjustments" in page
    assert "**owner:** platform-team" in page
    assert "**finance owner:** revenue-ops" in page
    assert "| [2](#version-2) | released | from 2026-11-01 |" in page
    assert "| [1](#version-1) | released | 2026-01-01 – 2026-10-31 |" in page
    assert (
        "- The filter changed from `status < 500` (status is below 500) to "
        "`status < 500 AND route NOT LIKE '/health%'`" in page
    )
    assert "```sql\nstatus < 500 AND route NOT LIKE '/health%'\n```" in page
    assert "```mermaid\nflowchart LR" in page


def test_api_calls_worked_example_is_computed_by_the_reference_aggregator() -> None:
    page = PAGES[meter_path("api_calls")]
    example = page.split("## Worked example")[1].split("## Lineage")[0]
    assert "as of `2026-11-05T09:00:00Z`" in example
    assert "| `req-0004` |" in example and "filtered out: filter" in example
    assert "a void, never usage: voids req-0005" in example
    assert "posted to 2026-11" in example
    assert "| globex | 2026-10 | eu-west | **4** | billed | 1 |" in example


def test_contract_page_lists_fields_versions_sample_and_readers() -> None:
    page = PAGES[contract_path("user_activity")]
    assert "| `user_id` | string | yes |  | **yes** | Pseudonymous id of the end user |" in (
        page.replace("| — |", "|  |")
    )
    page = PAGES[contract_path("api_request")]
    assert "- Added optional field `model` (string)." in page
    assert "compatibility **backward**" in page
    assert "[`api_calls`](../meters/api_calls.md)" in page
    assert '"id": "req-0001"' in page


def test_generated_pages_link_only_to_pages_that_exist() -> None:
    import posixpath

    for path, content in PAGES.items():
        for target in re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", content):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert resolved in PAGES, f"{path} links to missing {target}"


def test_pages_without_git_history_say_so() -> None:
    pages = generate_pages(CATALOG, REPO)
    assert "without git history" in pages["changelog.md"]
    assert "## History" not in pages[meter_path("api_calls")]


def test_contract_pages_link_to_the_compiled_artifacts() -> None:
    import posixpath

    page = PAGES[contract_path("api_request")]
    links = re.findall(r"\]\((api_request/v\d\.(?:schema\.json|avsc))\)", page)
    assert sorted(set(links)) == [
        "api_request/v1.avsc",
        "api_request/v1.schema.json",
        "api_request/v2.avsc",
        "api_request/v2.schema.json",
    ]
    for target in links:
        assert posixpath.join("contracts", target) in GENERATED
    assert (
        '"$schema": "https://json-schema.org/draft/2020-12/schema"'
        in GENERATED["contracts/api_request/v2.schema.json"]
    )
