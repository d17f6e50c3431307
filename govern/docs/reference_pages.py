"""Reference pages generated from the code, so they cannot drift from it: every rule id
with its meaning and an example, and the glossary. (The billing semantics page, with its
computed examples, is in `semantics_page.py`.)"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from govern.docs.gate_examples import (
    CHANGE_EXAMPLES,
    FIELD_EXAMPLES,
    TODAY,
    classify,
    run_change_example,
)
from govern.docs.glossary import GLOSSARY
from govern.docs.markdown import code, fenced, generated_note, link, page, table, text
from govern.docs.rule_examples import EXAMPLES, Edit, RuleExample, run_example
from govern.gate.rules import CHANGE_RULES, COMPAT_RULES
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
    example: Callable[[str], str | None]
    """The example block of a rule id (None: the family has no example for it)."""
    columns: Sequence[tuple[str, Callable[[str], str]]] = ()
    """Extra summary-table columns: (header, cell of a rule id)."""


def _lint_example(rule_id: str) -> str | None:
    examples = {example.rule: example for example in EXAMPLES}
    return example_block(examples[rule_id]) if rule_id in examples else None


def _change_example(rule_id: str) -> str | None:
    examples = {example.rule: example for example in CHANGE_EXAMPLES}
    if rule_id not in examples:
        return None
    example = examples[rule_id]
    findings = "\n".join(str(issue) for issue in run_change_example(example))
    edits = page(
        "The base is the catalog `govern init` writes; the pull request changes it so:",
        *(_edit_block(edit) for edit in example.edits),
    )
    return page(
        edits, f"`govern check --base origin/main` reports (on {TODAY}):", fenced(findings, "text")
    )


def _field_example(rule_id: str) -> str | None:
    examples = {example.rule: example for example in FIELD_EXAMPLES}
    if rule_id not in examples:
        return None
    example = examples[rule_id]

    def shown(spec: dict | None) -> str:
        return "absent" if spec is None else code(yaml_flow(spec))

    return (
        f"Example: field {code(example.field)} goes from {shown(example.old)} to "
        f"{shown(example.new)}; the gate reads this as: the new version "
        f"{text(classify(example))}."
    )


def yaml_flow(spec: dict) -> str:
    """`{type: string, required: true}`, the way catalog files write a field."""
    parts = []
    for key, value in spec.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = "[" + ", ".join(map(str, value)) + "]"
        parts.append(f"{key}: {value}")
    return "{" + ", ".join(parts) + "}"


def rule_families() -> list[RuleFamily]:
    """Every rule id govern reports: loading, lint, change and compatibility rules."""
    load_ids = {r.id for r in LOAD_RULES}
    as_rows = [(r.id, r.severity.value, r.title, r.why) for r in ALL_RULES]
    compat = {r.id: r for r in COMPAT_RULES}
    return [
        RuleFamily(
            "Reading files (CAT)",
            "Problems found while reading the YAML files. They stop loading: `govern` exits "
            "with code 2 and lists every one of them, in every file.",
            [row for row in as_rows if row[0] in load_ids],
            _lint_example,
        ),
        RuleFamily(
            "Lint rules (CON, MTR)",
            "What `govern lint` checks on a catalog that loaded: contracts (`CON`) and "
            "meters (`MTR`). An error exits with code 1; a warning is reported only.",
            [row for row in as_rows if row[0] not in load_ids],
            _lint_example,
        ),
        RuleFamily(
            "Change rules (GOV)",
            "What `govern check --base REF` checks in a pull request, comparing the catalog "
            "with the one at the base: what was released stays as it was, and a new meter "
            "version only changes periods still open. A finding can be accepted on purpose "
            "with an `acknowledge` entry (rule and reason) in the YAML.",
            [(r.id, r.severity.value, r.title, r.why) for r in CHANGE_RULES],
            _change_example,
        ),
        RuleFamily(
            "Compatibility rules (CMP)",
            "What `govern check` reports when a new contract version cannot be read by "
            "consumers of an earlier one. Whether a change blocks depends on the contract's "
            "compatibility mode: the columns say, per mode, whether each kind of change is "
            "an error (`error (strict)`: only under `--policy strict`).",
            [(r.id, "by mode", r.title, r.why) for r in COMPAT_RULES],
            _field_example,
            tuple(
                (mode, lambda rule_id, mode=mode: compat[rule_id].cell(mode))
                for mode in ("backward", "forward", "full", "none")
            ),
        ),
    ]


def _edit_block(edit: Edit) -> str:
    if edit.old is None:
        if edit.new is None:
            return f"{code(edit.path)} is removed."
        if isinstance(edit.new, bytes):
            return f"A new file {code(edit.path)} holding the bytes {code(repr(edit.new))}."
        if not edit.new:
            return f"A new, empty file {code(edit.path)}."
        if len(edit.new) > _SHOWN_FILE_LIMIT:
            return f"A new file {code(edit.path)} of {len(edit.new.encode()):,} bytes."
        language = "json" if edit.path.endswith(".jsonl") else "yaml"
        return page(f"A new file {code(edit.path)}:", fenced(edit.new, language))
    diff = [f"-{line}" for line in edit.old.rstrip("\n").split("\n")] if edit.old.strip() else []
    diff += [f"+{line}" for line in str(edit.new).rstrip("\n").split("\n")] if edit.new else []
    return page(f"In {code(edit.path)}:", fenced("\n".join(diff), "diff"))


def example_block(example: RuleExample) -> str:
    """The example of one lint rule: the edit, and what govern reports about it."""
    findings = "\n".join(str(issue) for issue in run_example(example))
    if example.start_empty:
        edits = "An empty folder, with neither `contracts/` nor `meters/`."
    else:
        edits = page(
            "Starting from the catalog `govern init` writes:",
            *(_edit_block(edit) for edit in example.edits),
        )
    return page(edits, "govern reports:", fenced(findings, "text"))


def _rule_section(rule: tuple[str, str, str, str], family: RuleFamily) -> str:
    rule_id, severity, title, why = rule
    return page(
        f"### {rule_id}: {text(title)} {{ #{rule_id.lower()} }}",
        (
            "**Severity depends on the compatibility mode** (table above)."
            if severity == "by mode"
            else f"**{severity}**."
        )
        + f" Why: {text(why)}.",
        family.example(rule_id),
    )


@cache
def rules_page(families: tuple[RuleFamily, ...] | None = None) -> str:
    """Every rule id, a summary table per family, then a section per rule with its example.

    Cached: it depends only on govern's own code, and running every example takes a while.
    """
    families = rule_families() if families is None else families
    blocks = [
        generated_note("the rule registries", "govern/docs/rule_examples.py", "gate_examples.py"),
        "# Rules",
        "Every finding govern reports carries a rule id (`path:line:col: RULE-ID message`). "
        "This page lists every id. Each example is run through govern when the site is "
        "built, so the finding shown is exactly what govern prints today.",
    ]
    for family in families:
        headers = ["rule", "severity", "what", *(header for header, _ in family.columns)]
        if family.columns:
            headers.remove("severity")
        rows = []
        for rule in family.rules:
            row = [link(code(rule[0]), f"#{rule[0].lower()}"), rule[1], text(rule[2])]
            if family.columns:
                row = [row[0], row[2], *(cell_of(rule[0]) for _, cell_of in family.columns)]
            rows.append(row)
        blocks += [
            f"## {family.title}",
            family.intro,
            table(headers, rows),
            *(_rule_section(rule, family) for rule in family.rules),
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
