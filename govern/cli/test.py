"""`govern test`: run the meter tests (`meters/<meter>.tests.yaml`) on one engine or all."""

from __future__ import annotations

from pathlib import Path

import click
import orjson

from govern.catalog.catalog import Catalog
from govern.cli.options import format_option, project_option
from govern.testing import ENGINES, TestReport, render_test_report, run_meter_tests
from govern.testing.compare import show_expected


@click.command("test")
@project_option
@click.option("--meter", metavar="NAME", help="Run only this meter's tests.")
@click.option(
    "--engine",
    type=click.Choice([*ENGINES, "all"]),
    default="reference",
    show_default=True,
    help="The engine to run the tests on; `all` runs every registered engine.",
)
@click.option("--verbose", "-v", is_flag=True, help="Show the rows of passing tests too.")
@format_option(("text", "json"))
def test(project: Path, meter: str | None, engine: str, verbose: bool, fmt: str) -> None:
    """Run meter tests: given events, the rows each meter must produce.

    Every failure shows the expected rows against the rows the engine produced.
    Exit 1 when a test fails or errors, 2 on unreadable input.
    """
    report = run_meter_tests(Catalog.load(project), meter, engine, project)
    if fmt == "json":
        click.echo(orjson.dumps(_as_json(report), option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(render_test_report(report, verbose))
    raise SystemExit(report.exit_code)


def _as_json(report: TestReport) -> dict:
    results = []
    for result in report.results:
        item = {
            "meter": result.meter,
            "test": result.test,
            "engine": result.engine,
            "outcome": result.outcome,
            "location": str(result.location),
        }
        if result.error:
            item["error"] = result.error
        if result.diff is not None and not result.diff.ok:
            item["differ"] = [
                {"expected": show_expected(want), "actual": got, "keys": keys}
                for want, got, keys in result.diff.changed
            ]
            item["missing"] = [show_expected(row) for row in result.diff.missing]
            item["unexpected"] = result.diff.unexpected
        results.append(item)
    return {"engines": list(report.engines), "ok": report.ok, "results": results}
