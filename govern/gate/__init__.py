"""The governance gate: what `govern check` runs after lint.

```python
from govern.gate import run_check

report = run_check(".", base="origin/main")
for issue in report.issues:
    print(issue)
raise SystemExit(report.exit_code)
```
"""

from govern.gate.check import GATE_STEPS, CheckReport, run_check
from govern.gate.context import DEFAULT_POLICY, CheckContext, GateStep, Subject
from govern.gate.rules import CHANGE_RULES, COMPAT_RULES, GATE_RULES, CompatRule, GateRule

__all__ = [
    "CHANGE_RULES",
    "COMPAT_RULES",
    "DEFAULT_POLICY",
    "GATE_RULES",
    "GATE_STEPS",
    "CheckContext",
    "CheckReport",
    "CompatRule",
    "GateRule",
    "GateStep",
    "Subject",
    "run_check",
]
