"""Replay: what a change to meters or contracts does to what customers are billed.

```python
from govern import Catalog
from govern.replay import load_events, replay, sample_files, latest_recorded

base, head = Catalog.load(".", ref="origin/main"), Catalog.load(".")
lines = load_events(sample_files("."))
report = replay(base, head, lines, as_of=latest_recorded(lines, [head, base]))
for meter in report.impacted:
    for row in meter.changed_rows:
        print(meter.meter, row.customer, row.period, row.old, "->", row.new)
```
"""

from govern.replay.changes import change_reasons
from govern.replay.events import latest_recorded, load_events, sample_files
from govern.replay.impact import ImpactRow, MeterImpact, ReplayReport, replay, version_in_effect
from govern.replay.run import replay_project

__all__ = [
    "ImpactRow",
    "MeterImpact",
    "ReplayReport",
    "change_reasons",
    "latest_recorded",
    "load_events",
    "replay",
    "replay_project",
    "sample_files",
    "version_in_effect",
]
