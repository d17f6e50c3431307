"""Run meter tests: each test's events through an engine, its rows against the expected.

```python
from govern import Catalog
from govern.testing import run_meter_tests

report = run_meter_tests(Catalog.load("."), meter="api_calls", engine="all")
print(render_test_report(report))
raise SystemExit(report.exit_code)
```
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from govern.catalog.catalog import Catalog
from govern.catalog.model import MeterTestCase, MeterTests
from govern.errors import GovernError, InputError
from govern.issues import Location
from govern.testing.compare import RowDiff, compare_rows
from govern.testing.engines import Engine, resolve_engines
from govern.testing.events import event_lines

Outcome = Literal["passed", "failed", "error"]


@dataclass(frozen=True)
class TestResult:
    """One test on one engine: passed, failed (with the row diff) or error (a message)."""

    __test__ = False  # not a pytest class

    meter: str
    test: str
    engine: str
    outcome: Outcome
    location: Location
    diff: RowDiff | None = None
    error: str | None = None
    rows: tuple[dict[str, Any], ...] = ()

    @property
    def name(self) -> str:
        return f"{self.meter}::{self.test}"


@dataclass(frozen=True)
class TestReport:
    """Every result of one `govern test` run, in file order, engine by engine."""

    __test__ = False

    results: tuple[TestResult, ...]
    engines: tuple[str, ...]

    @property
    def failures(self) -> list[TestResult]:
        return [r for r in self.results if r.outcome != "passed"]

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1


def run_meter_tests(
    catalog: Catalog,
    meter: str | None = None,
    engine: str = "reference",
    project: str | Path | None = None,
) -> TestReport:
    """Run the tests of `meter` (default: every meter's) on `engine` (a name, or `all`).

    `project` is where `events_file` paths start (default: the catalog's folder).
    Raises `InputError` for an unknown meter or engine, or a meter without tests.
    """
    engines = resolve_engines(engine)
    root = Path(project if project is not None else catalog.label)
    suites = _suites(catalog, meter)
    results = [
        run_case(catalog, suite, case, chosen, root)
        for suite in suites
        for case in suite.tests
        for chosen in engines
    ]
    return TestReport(tuple(results), tuple(e.name for e in engines))


def _suites(catalog: Catalog, meter: str | None) -> list[MeterTests]:
    if meter is None:
        return list(catalog.tests.values())
    catalog.meter(meter)  # an unknown meter is an input error, with the known ones
    if meter not in catalog.tests:
        raise InputError(f"meter '{meter}' has no tests (add meters/{meter}.tests.yaml)")
    return [catalog.tests[meter]]


def run_case(
    catalog: Catalog, suite: MeterTests, case: MeterTestCase, engine: Engine, project: Path
) -> TestResult:
    """One test on one engine; a crash or an input error is an `error` result."""
    common = {"meter": suite.meter, "test": case.name, "engine": engine.name}
    location = case.location
    try:
        meter = catalog.meter(suite.meter)
        contract = meter.latest.contract_name
        lines = event_lines(case, suite, contract, project)
        rows = engine.run(catalog, suite.meter, lines, case.as_of, case.customers or None)
    except GovernError as exc:
        return TestResult(**common, outcome="error", location=location, error=str(exc))
    except Exception as exc:  # an engine bug must not hide the other tests' results
        return TestResult(
            **common, outcome="error", location=location, error=f"engine crashed: {exc!r}"
        )
    diff = compare_rows(case.expect, rows)
    outcome: Outcome = "passed" if diff.ok else "failed"
    return TestResult(**common, outcome=outcome, location=location, diff=diff, rows=tuple(rows))
