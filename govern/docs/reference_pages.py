"""Reference pages generated from the code, so they cannot drift from it: every rule id
with its meaning and an example, and the glossary. (The billing semantics page, with its
computed examples, is in `semantics_page.py`.)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from govern.docs.glossary import GLOSSARY
from govern.docs.markdown import code, fenced, generated_note, link, page, table, text
from govern.docs.rule_examples import EXAMPLES, Edit, RuleExample, run_example
from govern.lint import ALL_RULES
from govern.lint.rules import LOAD_RULES

_SHOWN_FILE_LIMIT = 1000


@dataclass(frozen=True)
class RuleFamily:
    """A group of rule ids with their own heading, from one registry."""

    title: str
    intro: str
    rules: Sequence[tuple[str, str, str, str]]
    """(id, severity, title, why) for each rule."""


def lint_families() -> list[RuleFamily]:
    load_ids = {r.id for r in LOAD_RULES}
    as_rows = [(r.id, r.severity.value, r.title, r.why) for r in ALL_RULES]
    return [
        RuleFamily(
            "Reading files (CAT)",
            "Problems found while reading the YAML files. They stop loading: `govern` exits "
            "with code 2 and lists every one of them, in every file.",
            [row for row in as_rows if row[0] in load_ids],
        ),
        RuleFamily(
            "Lint rules (CON, MTR)",
            "What `govern lint` checks on a catalog that loaded: contracts (`CON`) and "
            "meters (`MTR`). An error exits with code 1; a warning is reported only.",
            [row for row in as_rows if row[0] not in load_ids],
        ),
    ]


def _edit_block(edit: Edit) -> str:
    if edit.old is None:
        if isinstance(edit.new, bytes):
            return f"A new file {code(edit.path)} holding the bytes {code(repr(edit.new))}."
        if not edit.new:
            return f"A new, empty file {code(edit.path)}."
        if len(edit.new) > _SHOWN_FILE_LIMIT:
            return f"A new file {code(edit.path)} of {len(edit.new.encode()):,} bytes."
        return page(f"A new file {code(edit.path)}:", fenced(edit.new, "yaml"))
    diff = [f"-{line}" for line in edit.old.rstrip("\n").split("\n")] if edit.old.strip() else []
    diff += [f"+{line}" for line in str(edit.new).rstrip("\n").split("\n")] if edit.new else []
    return page(f"In {code(edit.path)}:", fenced("\n".join(diff), "diff"))


def example_block(example: RuleExample) -> str:
    """The example of one rule: the edit, and what govern reports about it."""
    findings = "\n".join(str(issue) for issue in run_example(example))
    if example.start_empty:
        edits = "An empty folder, with neither `contracts/` nor `meters/`."
    else:
        edits = page(
            "Starting from the catalog `govern init` writes:",
            *(_edit_block(edit) for edit in example.edits),
        )
    return page(edits, "govern reports:", fenced(findings, "text"))


def _rule_section(rule: tuple[str, str, str, str], examples: dict[str, RuleExample]) -> str:
    rule_id, severity, title, why = rule
    parts = [
        f"### {rule_id}: {text(title)} {{ #{rule_id.lower()} }}",
        f"**{severity}**. Why: {text(why)}.",
    ]
    if rule_id in examples:
        parts.append(example_block(examples[rule_id]))
    return page(*parts)


def rules_page(families: Sequence[RuleFamily] | None = None) -> str:
    """Every rule id, a summary table, then a section per rule with its example."""
    families = lint_families() if families is None else families
    examples = {example.rule: example for example in EXAMPLES}
    blocks = [
        generated_note("the rule registries", "govern/docs/rule_examples.py"),
        "# Rules",
        "Every finding govern reports carries a rule id (`path:line:col: RULE-ID message`). "
        "This page lists every id. Each example is run through govern when the site is "
        "built, so the finding shown is exactly what govern prints today.",
    ]
    for family in families:
        blocks += [
            f"## {family.title}",
            family.intro,
            table(
                ["rule", "severity", "what"],
                ([link(code(r[0]), f"#{r[0].lower()}"), r[1], text(r[2])] for r in family.rules),
            ),
            *(_rule_section(rule, examples) for rule in family.rules),
        ]
    return page(*blocks)


def glossary_page() -> str:
    blocks = [
        generated_note("govern/docs/glossary.py"),
        "# Glossary",
        "The words the catalog, these pages and the invoices share. Catalog keys are "
        "shown like `this`.",
    ]
    for term in GLOSSARY:
        blocks += [f"## {term.name}", term.definition]
    return page(*blocks)
