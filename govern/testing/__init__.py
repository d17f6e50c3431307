"""Meter tests (`meters/<meter>.tests.yaml`): given events, the rows a meter must produce.

Like dbt unit tests: each test names its input events (inline, or a sample file) and the
rows it expects; `govern test` runs them on one engine or all of them and shows a row
diff for every failure. See docs/meter-tests.md.
"""

from govern.testing.compare import RowDiff, compare_rows
from govern.testing.engines import ENGINES, Engine, register_engine, resolve_engines
from govern.testing.render import render_test_report
from govern.testing.runner import TestReport, TestResult, run_case, run_meter_tests

__all__ = [
    "ENGINES",
    "Engine",
    "RowDiff",
    "TestReport",
    "TestResult",
    "compare_rows",
    "register_engine",
    "render_test_report",
    "resolve_engines",
    "run_case",
    "run_meter_tests",
]
