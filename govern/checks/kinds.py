"""The kinds of drift and anomaly check a meter can declare (`checks:` in its YAML).

One table: the finding id, the parameters each kind requires and allows, and their
defaults. Lint rule MTR017 checks meters against it; docs/reconciliation.md shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class CheckKind:
    id: str
    kind: str
    title: str
    why: str
    required: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()
    defaults: dict[str, object] = field(default_factory=dict)


PERIOD_OVER_PERIOD = CheckKind(
    "CHK001",
    "period_over_period",
    "quantity rose or fell by more than max_factor from the period before",
    "a customer's usage seldom changes threefold in one period; when it does, "
    "a meter or an integration usually changed",
    required=("max_factor",),
    allowed=("max_factor", "min_quantity"),
    defaults={"min_quantity": Decimal(0)},
)
DROP_TO_ZERO = CheckKind(
    "CHK002",
    "drop_to_zero",
    "a customer's usage dropped to zero",
    "usage that stops at once is more often a broken emitter or customer mapping "
    "than a customer who stopped",
    allowed=("min_quantity",),
    defaults={"min_quantity": Decimal(0)},
)
SPIKE = CheckKind(
    "CHK003",
    "spike",
    "quantity above max_factor times the trailing median",
    "a volume far above a customer's recent normal is worth a look before it is invoiced",
    required=("max_factor",),
    allowed=("max_factor", "window", "min_quantity"),
    defaults={"window": 6, "min_quantity": Decimal(0)},
)

CHECK_KINDS: dict[str, CheckKind] = {
    kind.kind: kind for kind in (PERIOD_OVER_PERIOD, DROP_TO_ZERO, SPIKE)
}
PARAMETERS = ("max_factor", "window", "min_quantity")


def kinds_markdown() -> str:
    """The check kinds as a Markdown table, for docs/reconciliation.md."""
    lines = [
        "| finding | kind | parameters (default) | flags | why |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind in CHECK_KINDS.values():
        params = ", ".join(
            f"`{name}`" + (" (required)" if name in kind.required else f" ({kind.defaults[name]})")
            for name in kind.allowed
        )
        lines.append(f"| `{kind.id}` | `{kind.kind}` | {params} | {kind.title} | {kind.why} |")
    return "\n".join(lines)
