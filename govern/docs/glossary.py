"""The glossary for Finance: every word the catalog and the invoices share, defined once.

Each term names the catalog keys and values it explains (`keys`); a test checks that
every key of the catalog model and every allowed value of an enumerated key is explained
by some term, so a new key cannot reach the docs without a definition.
"""

from __future__ import annotations

from dataclasses import dataclass

from govern.catalog.compatibility import COMPATIBILITY_MODES
from govern.checks.kinds import SPIKE


@dataclass(frozen=True)
class Term:
    name: str
    definition: str
    keys: tuple[str, ...] = ()
    """Catalog keys and enumerated values this term explains."""


GLOSSARY: tuple[Term, ...] = (
    Term(
        "acknowledgement",
        "A finding of `govern check` accepted on purpose (`acknowledge`: the `rule` id and "
        "a `reason`, optionally for one `version`): still reported with its reason, but it "
        "no longer blocks the pull request. An acknowledgement that matches nothing is "
        "reported, so that it does not silently accept a later change.",
        ("acknowledge", "rule", "reason"),
    ),
    Term(
        "adjustment",
        "A correction to a period whose invoice was already issued: usage (or a void) "
        "recorded after the period closed. It is posted to the earliest invoice that can "
        "still carry it, as the difference between the period's value then and before; "
        "issued invoices are never edited.",
    ),
    Term(
        "aggregation",
        "How a meter turns billable events into one quantity per customer, period and "
        "group: `count` (number of events), `sum` (exact decimal sum of the value), `min` "
        "and `max` (smallest and largest value), `unique_count` (number of distinct "
        "values, e.g. active users) and `latest` (the value of the most recent event by "
        "event time, e.g. storage held at month end).",
        ("aggregation", "count", "sum", "min", "max", "unique_count", "latest"),
    ),
    Term(
        "as of",
        "The instant an evaluation looks from. Events recorded after it do not exist yet, "
        "so re-running an evaluation as of the same instant always gives the same result.",
        ("as_of",),
    ),
    Term(
        "billed quantity",
        "The quantity of a period over the events recorded by the time it closes. Once the "
        "period is closed it never changes: it is what the invoice says.",
    ),
    Term(
        "clock skew",
        "How far an event's time may lie after its recorded time (clocks of emitters "
        "drift). An event further in the future than this is invalid. Default 5 minutes.",
        ("clock_skew",),
    ),
    Term(
        "close",
        "The moment a period's billed quantity is fixed: the end of the period plus the "
        "grace. A month with 3 days of grace closes at midnight on the 4th of the next month.",
    ),
    Term(
        "compatibility mode",
        "What a new version of an event contract promises about older ones. `backward`: "
        "systems on the new version read events of the version before; `forward`: systems "
        "on the version before read events of the new one; `full`: both; `none`: nothing is "
        "checked. A `_transitive` mode promises the same against every earlier version.",
        ("compatibility", *COMPATIBILITY_MODES),
    ),
    Term(
        "customer",
        "Who is billed. An event names its customer in `subject`; a customer mapping "
        "(alias table) can map several subjects to one customer. Without a mapping, the "
        "customer is the subject. Unmapped subjects are reported, never billed silently.",
        ("subject", "customers"),
    ),
    Term(
        "deduplication",
        "Emitters retry, so the same event can arrive twice. Events with the same "
        "deduplication key (by default `source` and `id`) count once: the copy recorded "
        "first wins. A copy whose content differs is reported as a conflicting duplicate.",
        ("dedup_key",),
    ),
    Term(
        "description",
        "One sentence in plain words on a contract, a field, a meter, a meter version or a "
        "meter test. Released versions must have one.",
        ("description",),
    ),
    Term(
        "drift and anomaly check",
        "A check a meter's usage should pass before it is invoiced (`checks`, run by "
        "`govern checks`). It compares each customer's quantity per period with that "
        "customer's own history and flags what looks wrong for someone to review; it never "
        "changes what is billed. Its `kind` says what it looks for: `period_over_period`, a "
        "quantity that rose or fell by more than `max_factor` times from the period before "
        "(3 means threefold); `drop_to_zero`, usage that stopped at once after a period "
        "with some; `spike`, a quantity above `max_factor` times the median of the "
        f"customer's `window` periods before it (default {SPIKE.defaults['window']}). "
        "`min_quantity` leaves out quantities too small to matter (default "
        f"{SPIKE.defaults['min_quantity']}: none). Only closed periods are judged, unless "
        "open ones are asked for.",
        (
            "checks",
            "kind",
            "period_over_period",
            "drop_to_zero",
            "spike",
            "max_factor",
            "window",
            "min_quantity",
        ),
    ),
    Term(
        "effective date",
        "The date a meter version takes over (`effective_from`), read as midnight in the "
        "meter's time zone. It is always the start of a period: a period is computed by "
        "the version in effect when it starts, and history is never rewritten.",
        ("effective_from",),
    ),
    Term(
        "envelope",
        "The attributes every event carries besides its data: `id`, `source`, `type`, "
        "`subject` (the customer), `time`, `recordedtime`, `voids` and `dataschema`. "
        "CloudEvents by default; a contract can say where they live in other events.",
        ("envelope", "id", "source", "type", "time", "recordedtime", "voids", "dataschema", "data"),
    ),
    Term(
        "event contract",
        "The agreed shape of one kind of usage event (its `type`): the fields of its data, "
        "their types and constraints, its owner and its compatibility mode. Versioned: a "
        "released version never changes.",
        ("contract", "fields"),
    ),
    Term(
        "event time",
        "When the usage happened (`time`). It decides the period the usage belongs to.",
    ),
    Term(
        "expected row",
        "One row a meter test says the meter must produce (an entry of `expect`), written "
        "with the keys of a usage row that matter to the test. Only the keys written are "
        "compared, and `kind` always: `usage` (billed in its own period, the default) or "
        "`adjustment` (late usage posted to a later invoice). The keys: the `customer`; the "
        "`meter_version` that computed the row; `period_start` and `period_end`, the period "
        "the usage belongs to; `posted_period_start` and `posted_period_end`, for an "
        "adjustment, the period whose invoice carries it; `dimensions`, the group-by values "
        "(`{}` for none); the `quantity`, required, compared as a decimal (3 equals 3.00); "
        "`status`, whether the period is still `open` or `closed`; and the `line_item`. The "
        "produced rows must match the expected rows one to one, in any order.",
        (
            "expect",
            "kind",
            "usage",
            "adjustment",
            "customer",
            "meter_version",
            "period_start",
            "period_end",
            "posted_period_start",
            "posted_period_end",
            "dimensions",
            "quantity",
            "open",
            "closed",
        ),
    ),
    Term(
        "field",
        "One property of an event's data, with a `type` (`string`, `integer`, `number`, "
        "`boolean`, `timestamp`), whether it is `required`, and optional constraints: "
        "allowed values (`enum`), bounds (`minimum`, `maximum`), lengths (`min_length`, "
        "`max_length`) and a `pattern`.",
        (
            "type",
            "required",
            "enum",
            "minimum",
            "maximum",
            "min_length",
            "max_length",
            "pattern",
            "string",
            "integer",
            "number",
            "boolean",
            "timestamp",
        ),
    ),
    Term(
        "filter",
        "Which events of the contract count, as a SQL condition over their fields "
        "(`status < 500`). SQL's three-valued logic applies: a comparison with a field the "
        "event does not carry is unknown, and an unknown condition excludes the event.",
        ("filter",),
    ),
    Term(
        "finance owner",
        "The Finance contact for a meter (`finance_owner`): who signs off changes to what "
        "it bills.",
        ("finance_owner",),
    ),
    Term(
        "GL account",
        "The general-ledger account the invoice line posts to (`gl_account`), which ties "
        "usage to revenue in the books.",
        ("gl_account",),
    ),
    Term(
        "grace",
        "How long after a period ends late events are still billed in it (`late.grace`, an "
        "ISO 8601 duration such as `P3D` for 3 days). Later events become adjustments.",
        ("late", "grace"),
    ),
    Term(
        "group by",
        "The fields usage is split by within a customer and period (`group_by`), e.g. "
        "region or model. An event without the field forms its own group.",
        ("group_by",),
    ),
    Term(
        "invoice line item",
        "The key (`line_item`) that joins a meter's usage rows to invoice lines, and from "
        "there to the ledger. Each line item is fed by exactly one meter.",
        ("line_item",),
    ),
    Term(
        "meter",
        "A named definition of billable usage: which events count, how they aggregate, per "
        "which period, how late usage is handled and which invoice line it feeds. It has "
        "versions.",
        ("meter", "versions"),
    ),
    Term(
        "meter tests",
        "Examples a meter must keep computing (`meters/<meter>.tests.yaml`): each test has a "
        "`name`, `events` (inline or from an `events_file`), optionally an `as_of` and a "
        "customer mapping, and the rows it must produce (`expect`, see expected row), like "
        "a unit test. `defaults` fill in what inline events leave out, such as the customer "
        "or the usual data fields, so each event states only what the test is about: the "
        "file's `defaults` apply to every test, a test's own `defaults` over them.",
        ("tests", "name", "events", "events_file", "expect", "defaults"),
    ),
    Term(
        "meter version",
        "One version of a meter's definition, with its effective date. A released version "
        "never changes; changing what a meter computes means adding a version.",
        ("version",),
    ),
    Term(
        "open period",
        "A period that has not closed yet: its quantity is provisional and can still grow.",
    ),
    Term(
        "owner",
        "The team that answers for a contract or a meter (`owner`).",
        ("owner",),
    ),
    Term(
        "period",
        "The billing window usage is summed over (`period.every`: `hour`, `day` or "
        "`month`) in a time zone (`period.timezone`). Periods are half-open: an event at "
        "exactly midnight on the 1st belongs to the new month.",
        ("period", "every", "timezone", "hour", "day", "month"),
    ),
    Term(
        "PII",
        "Personal data (`pii: true` on a field): shown on the contract page so that "
        "exports and dashboards can mask it.",
        ("pii",),
    ),
    Term(
        "precision",
        "How the final quantity is rounded (`precision`): to `scale` decimal places, with "
        "a rounding mode: `half_up` (0.5 rounds up), `half_even` (0.5 rounds to the even "
        "neighbour, banker's rounding), `down` (towards zero) or `up` (away from zero). "
        "Arithmetic is exact decimal and rounding happens once, at the end.",
        ("precision", "scale", "rounding", "half_up", "half_even", "down", "up"),
    ),
    Term(
        "recorded time",
        "When the pipeline recorded the event (`recordedtime`). It decides whether usage "
        "was billed on time or as an adjustment. Absent, it equals the event time.",
    ),
    Term(
        "reference aggregator",
        "govern's plain Python implementation of billable usage, exact to the last "
        "decimal. Every warehouse engine must give the same rows; the worked examples on "
        "these pages are computed by it.",
    ),
    Term(
        "status",
        "Where a version is in its life: `draft` (being written, may change), `released` "
        "(in use, never changes again) or `deprecated` (kept for history, not for new use).",
        ("status", "draft", "released", "deprecated"),
    ),
    Term(
        "unit",
        "What one unit of a meter's quantity is (`unit`): a request, a token, a gigabyte.",
        ("unit",),
    ),
    Term(
        "usage row",
        "One line of a meter's output: customer, period, group values, quantity, the meter "
        "version that computed it and the invoice line item it feeds.",
    ),
    Term(
        "value",
        "The field a meter sums, compares or counts distinct values of (`value`); `count` "
        "has none.",
        ("value",),
    ),
    Term(
        "void",
        "An event that cancels an earlier one (its `voids` names the earlier event's id). "
        "A void never counts as usage; recorded after the period closed, it becomes a "
        "negative adjustment.",
    ),
)
"""Terms in alphabetical order; each becomes a heading of the glossary page."""


def explained_keys() -> set[str]:
    return {key for term in GLOSSARY for key in term.keys}
