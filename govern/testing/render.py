"""A `TestReport` as text: one line per test, and a row diff under every failure."""

from __future__ import annotations

from collections import Counter

from govern.testing.compare import ROW_ORDER, show_expected, show_row, show_value
from govern.testing.runner import TestReport, TestResult

MARKS = {"passed": "PASS", "failed": "FAIL", "error": "ERROR"}


def render_test_report(report: TestReport, verbose: bool = False) -> str:
    """Failures in full (expected vs produced rows), passes as one line each."""
    lines: list[str] = []
    several = len(report.engines) > 1
    for result in report.results:
        engine = f" [{result.engine}]" if several else ""
        lines.append(f"{MARKS[result.outcome]:5} {result.name}{engine}")
        if result.outcome != "passed":
            lines.extend("      " + line for line in _details(result))
        elif verbose:
            lines.extend("      = " + show_row(row) for row in result.rows)
    lines.append(summary(report))
    return "\n".join(lines)


def summary(report: TestReport) -> str:
    counts = Counter(r.outcome for r in report.results)
    if not report.results:
        return "no meter tests found (add meters/<meter>.tests.yaml)"
    parts = [f"{counts[o]} {o}" for o in ("passed", "failed", "error") if counts[o]]
    engines = ", ".join(report.engines)
    runs = len(report.results)
    return f"{', '.join(parts)} ({runs} run{'s' if runs != 1 else ''} on {engines})"


def _details(result: TestResult) -> list[str]:
    lines = [f"at {result.location}"]
    if result.error:
        return [*lines, result.error]
    diff = result.diff
    assert diff is not None
    for expected, actual, keys in diff.changed:
        lines.append(f"~ {show_row(actual, ('kind', 'customer', 'period_start', 'dimensions'))}")
        for key in (k for k in ROW_ORDER if k in keys):
            want = show_value(key, getattr(expected, key))
            got = show_value(key, actual.get(key))
            lines.append(f"    {key}: expected {want}, got {got}")
    lines.extend(f"- missing:    {show_expected(row)}" for row in diff.missing)
    lines.extend(f"+ unexpected: {show_row(row)}" for row in diff.unexpected)
    lines.append(
        f"({diff.matched} rows matched, {len(diff.changed)} differ, {len(diff.missing)} "
        f"missing, {len(diff.unexpected)} unexpected)"
    )
    return lines
