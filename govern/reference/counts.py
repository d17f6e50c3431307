"""Where every event read went: counted, excluded (by reason) or ignored (by reason).

`read == counted + excluded + ignored`, always; the summary shows the sum.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

EXCLUDED = {
    "invalid": "break their contract",
    "duplicate": "identical retries of an event already counted",
    "conflicting_duplicate": "copies of an event with another payload",
    "void": "voids (they cancel an event and never count as usage)",
    "voided": "cancelled by a void",
    "before_first_version": "dated before the meter's first version takes effect",
    "filtered_out": "the meter's filter is not true for them",
    "unmapped_subject": "their subject is not in the customer mapping",
}
IGNORED = {
    "other_type": "another event type",
    "recorded_after_as_of": "recorded after the as-of time (they do not exist yet)",
}


@dataclass
class Counts:
    read: int = 0
    counted: int = 0
    excluded: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)

    def summary(self, meter: str) -> str:
        """Human lines: the balance, then each reason with its count."""
        excluded, ignored = self.excluded.total(), self.ignored.total()
        lines = [
            f"{meter}: {self.read} events read = {self.counted} counted + {excluded} excluded"
            f" + {ignored} ignored"
        ]
        for title, counter, reasons in (
            ("excluded", self.excluded, EXCLUDED),
            ("ignored", self.ignored, IGNORED),
        ):
            for reason, meaning in reasons.items():
                if counter[reason]:
                    lines.append(f"  {title:<8} {counter[reason]:>6}  {reason}: {meaning}")
        return "\n".join(lines)
