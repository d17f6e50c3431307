"""Examples of the gate's rules (`govern check`): change rules run by the gate's own steps
on two catalogs, the compatibility rules' field changes classified by the gate's own code.

Like the lint examples, each is computed when the docs are built: an example that no
longer produces its rule fails the build (`ExampleDidNotTrigger`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govern.catalog.catalog import Catalog
from govern.catalog.model import FieldSpec
from govern.docs.memory import MemorySource
from govern.docs.rule_examples import (
    CONTRACT,
    METER,
    Edit,
    RuleExample,
    edited,
    example_folder,
    findings_of,
    starter_catalog,
)
from govern.gate.acknowledge import apply_acknowledgements
from govern.gate.check import run_steps
from govern.gate.context import CheckContext
from govern.gate.field_changes import field_changes
from govern.issues import Issue
from govern.scaffold import STARTER_FILES

TODAY = date(2026, 6, 15)
"""The day the change examples are checked on (periods before June 2026 are closed)."""

_V2 = """\
  - version: 2
    status: released
    effective_from: {effective_from}
    description: Every page view.
    contract: page_view
    aggregation: count
    period: {{every: month, timezone: UTC}}
"""


_PATH_FIELD = (
    '  path:     {type: string, required: true, description: "The page path, e.g. /dashboard"}\n'
)


_JUNE_SAMPLE = (
    '{"specversion":"1.0","id":"pv-3","source":"web","type":"page_view","subject":"acme",'
    '"time":"2026-06-02T09:00:00Z","data":{"path":"/status","user_id":"u-1","duration_ms":2}}\n'
)
"""A status-page view in June 2026, which v1 of the starter meter leaves out."""


def _meter(old: str, new: str | None) -> tuple[Edit, ...]:
    return (Edit(METER, old, new),)


def _new_version(effective_from: str) -> tuple[Edit, ...]:
    """Version 2 of the starter meter, released, counting every page view."""
    late = "    late: {grace: P2D}\n"
    return _meter(late, late + _V2.format(effective_from=effective_from))


CHANGE_EXAMPLES: tuple[RuleExample, ...] = (
    RuleExample("GOV001", (Edit(CONTRACT, "minimum: 0,", "minimum: 1,"),)),
    RuleExample("GOV002", _meter("path <> '/status'", "path <> '/health'")),
    RuleExample("GOV003", _meter("unit: view", "unit: page")),
    RuleExample("GOV004", (Edit(CONTRACT, None, None),)),
    RuleExample("GOV005", (Edit(METER, None, None),)),
    RuleExample("GOV006", _new_version("2026-03-01")),
    RuleExample(
        "GOV007",
        (
            Edit(
                "contracts/page_view/v2.yaml",
                None,
                str(starter_catalog()[CONTRACT])
                .replace("version: 1", "version: 2")
                .replace(_PATH_FIELD, ""),
            ),
        ),
    ),
    RuleExample(
        "GOV008",
        _meter(
            "versions:\n",
            "acknowledge:\n  - {rule: GOV002, reason: a fix agreed with Finance}\nversions:\n",
        ),
    ),
    RuleExample("GOV009", _meter("    filter: \"path <> '/status'\"\n", "")),
    RuleExample(
        "GOV010",
        (
            *_new_version("2026-06-01"),
            Edit("contracts/page_view/samples/june.jsonl", None, _JUNE_SAMPLE),
        ),
    ),
)
"""Each edits the head catalog, which has the starter's sample events for the billing
impact to replay; the base is the starter catalog `govern init` writes. (GOV000, a gate
check that crashed, is a bug report and has no example.)"""


def _base_catalog() -> Catalog:
    contents = {p: c if isinstance(c, bytes) else c.encode() for p, c in starter_catalog().items()}
    return Catalog.from_source(MemorySource(contents, label="base"))


def run_change_example(example: RuleExample) -> list[Issue]:
    """The findings of `example.rule` that `govern check --base` reports on the edit: every
    gate step runs, the billing impact on the head written to a folder with its samples."""
    base = _base_catalog()
    context = CheckContext(today=TODAY, base_ref="origin/main")
    with example_folder(edited(STARTER_FILES, example)) as root:
        head = Catalog.load(root)
        issues = apply_acknowledgements(run_steps(base, head, context), head, context)
    return findings_of(example.rule, issues)


@dataclass(frozen=True)
class FieldExample:
    """A field as it was and as it becomes (None: absent), classified by the gate."""

    rule: str
    field: str
    old: dict | None
    new: dict | None


FIELD_EXAMPLES: tuple[FieldExample, ...] = (
    FieldExample("CMP001", "region", {"type": "string", "required": True}, None),
    FieldExample("CMP002", "model", {"type": "string"}, None),
    FieldExample("CMP003", "region", None, {"type": "string", "required": True}),
    FieldExample("CMP004", "model", None, {"type": "string"}),
    FieldExample("CMP005", "status", {"type": "integer"}, {"type": "string"}),
    FieldExample("CMP006", "duration_ms", {"type": "number"}, {"type": "integer"}),
    FieldExample("CMP007", "status", {"type": "integer"}, {"type": "number"}),
    FieldExample(
        "CMP008",
        "method",
        {"type": "string", "enum": ["GET", "POST", "PUT"]},
        {"type": "string", "enum": ["GET", "POST"]},
    ),
    FieldExample(
        "CMP009",
        "method",
        {"type": "string", "enum": ["GET", "POST"]},
        {"type": "string", "enum": ["GET", "POST", "PATCH"]},
    ),
    FieldExample("CMP010", "status", {"type": "integer"}, {"type": "integer", "maximum": 599}),
    FieldExample("CMP011", "status", {"type": "integer", "maximum": 599}, {"type": "integer"}),
    FieldExample("CMP012", "model", {"type": "string"}, {"type": "string", "required": True}),
    FieldExample("CMP013", "model", {"type": "string", "required": True}, {"type": "string"}),
)
"""One field change per compatibility rule (CMP000, a change outside the fields, has none)."""


def classify(example: FieldExample) -> str:
    """What the gate says the change does (`removes required field region`)."""
    old = FieldSpec.model_validate(example.old) if example.old is not None else None
    new = FieldSpec.model_validate(example.new) if example.new is not None else None
    return findings_of(example.rule, field_changes(example.field, old, new))[0].what
