"""Drift and anomaly checks declared per meter: each kind, its parameters, the CLI."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from govern import Catalog, CatalogLoadError
from govern.checks import build_series, run_checks
from govern.cli import main
from govern.timestamps import parse_rfc3339
from tests.reconcile.builders import usage

REPO = Path(__file__).resolve().parents[2]

MONTHS = [(f"2026-{m:02d}-01T00:00:00Z", f"2026-{m + 1:02d}-01T00:00:00Z") for m in range(1, 12)]


def catalog_with(bundled: Path, checks: str) -> Catalog:
    head, _, rest = (REPO / "meters" / "api_calls.yaml").read_text().partition("checks:\n")
    versions = rest[rest.index("versions:\n") :]
    (bundled / "meters" / "api_calls.yaml").write_text(head + "checks:\n" + checks + versions)
    return Catalog.load(bundled)


def series(customer: str, *quantities: str | None, start: int = 0, status: str = "closed"):
    """Monthly usage rows of api_calls; None leaves a month without a row."""
    return [
        usage(q, MONTHS[start + i], customer=customer, status=status)
        for i, q in enumerate(quantities)
        if q is not None
    ]


def found(findings) -> list[tuple[str, str, int, Decimal, Decimal | None]]:
    return [(f.kind.id, f.customer, f.period_start.month, f.value, f.baseline) for f in findings]


def test_period_over_period(bundled: Path) -> None:
    catalog = catalog_with(bundled, "  - {kind: period_over_period, max_factor: 3}\n")
    rows = series("acme", "100", "100", "400", "140", "40") + series("newco", None, "0", "5", "6")
    assert found(run_checks(catalog, rows)) == [
        ("CHK001", "acme", 3, Decimal(400), Decimal(100)),  # rose x4
        ("CHK001", "acme", 5, Decimal(40), Decimal(140)),  # fell below a third
    ]  # newco: growth from 0 has no factor


def test_period_over_period_ignores_small_quantities(bundled: Path) -> None:
    catalog = catalog_with(
        bundled, "  - {kind: period_over_period, max_factor: 3, min_quantity: 50}\n"
    )
    rows = series("acme", "1", "20", "200")
    assert found(run_checks(catalog, rows)) == [("CHK001", "acme", 3, Decimal(200), Decimal(20))]


def test_drop_to_zero_once_per_drop(bundled: Path) -> None:
    catalog = catalog_with(bundled, "  - {kind: drop_to_zero}\n")
    rows = series("acme", "10", "12", "11", "9", "8") + series("globex", "50", "0", None, "7", None)
    assert found(run_checks(catalog, rows)) == [
        ("CHK002", "globex", 2, Decimal(0), Decimal(50)),
        ("CHK002", "globex", 5, Decimal(0), Decimal(7)),  # no row at all counts as zero
    ]


def test_a_period_nobody_has_usage_in_is_still_a_period(bundled: Path) -> None:
    catalog = catalog_with(bundled, "  - {kind: drop_to_zero}\n")
    rows = series("acme", "10", None, "10")
    assert found(run_checks(catalog, rows)) == [("CHK002", "acme", 2, Decimal(0), Decimal(10))]
    # usage that stopped for everyone shows once the evaluation time has closed a period
    stopped = series("acme", "10", "10")
    assert run_checks(catalog, stopped) == []
    as_of = parse_rfc3339("2026-04-05T00:00:00Z")  # March closed on April 3 (grace P3D)
    assert found(run_checks(catalog, stopped, as_of=as_of)) == [
        ("CHK002", "acme", 3, Decimal(0), Decimal(10))
    ]


def test_drop_to_zero_min_quantity(bundled: Path) -> None:
    catalog = catalog_with(bundled, "  - {kind: drop_to_zero, min_quantity: 10}\n")
    rows = series("acme", "5", "0", "20", "0")
    assert found(run_checks(catalog, rows)) == [("CHK002", "acme", 4, Decimal(0), Decimal(20))]


def test_spike_against_the_trailing_median(bundled: Path) -> None:
    catalog = catalog_with(bundled, "  - {kind: spike, window: 3, max_factor: 5}\n")
    # newco has no full window of its own history yet
    rows = series("acme", "10", "12", "11", "10", "70", "9") + series("newco", "10", "200")
    findings = run_checks(catalog, rows)
    assert found(findings) == [("CHK003", "acme", 5, Decimal(70), Decimal(11))]
    assert findings[0].factor == Decimal("6.36")


def test_adjustments_count_in_the_period_they_correct(bundled: Path) -> None:
    catalog = catalog_with(bundled, "  - {kind: period_over_period, max_factor: 3}\n")
    rows = [*series("acme", "100", "100"), usage("300", MONTHS[1], posted=MONTHS[2])]
    [finding] = run_checks(catalog, rows)
    assert (finding.period_start.month, finding.value) == (2, Decimal(400))


def test_open_periods_are_left_out_unless_asked(bundled: Path) -> None:
    catalog = catalog_with(bundled, "  - {kind: drop_to_zero}\n")
    rows = [*series("acme", "10", "10", "10"), *series("globex", "10", "10", "3")]
    rows += series("globex", "1", start=3, status="open")
    assert run_checks(catalog, rows) == []
    assert found(run_checks(catalog, rows, include_open=True)) == [
        ("CHK002", "acme", 4, Decimal(0), Decimal(10)),
    ]


def test_series_timeline_is_the_meters_periods() -> None:
    [(name, built)] = build_series(series("acme", "1", None, "3")).items()
    assert name == "api_calls" and [p[0].month for p in built.periods] == [1, 3]


def test_unknown_key_in_a_check_is_a_load_error_with_a_hint(bundled: Path) -> None:
    with pytest.raises(CatalogLoadError) as caught:
        catalog_with(bundled, "  - {kind: spike, windw: 3, max_factor: 5}\n")
    [issue] = caught.value.issues
    assert issue.rule == "CAT007" and issue.hint == "did you mean 'window'?"
    with pytest.raises(CatalogLoadError, match="CAT008"):
        catalog_with(bundled, "  - {kind: spike, max_factor: 0.5}\n")


def write_usage(path: Path, rows) -> Path:
    import orjson

    from govern.timestamps import format_utc

    def dump(row) -> dict:
        data = {
            "kind": row.kind,
            "customer": row.customer,
            "meter": row.meter,
            "meter_version": row.meter_version,
            "period_start": format_utc(row.period_start),
            "period_end": format_utc(row.period_end),
            "dimensions": {},
            "quantity": str(row.quantity),
            "status": row.status,
            "line_item": row.line_item,
        }
        return data

    path.write_bytes(b"".join(orjson.dumps(dump(r)) + b"\n" for r in rows))
    return path


def test_cli_formats_and_exit_codes(bundled: Path, tmp_path: Path) -> None:
    catalog_with(bundled, "  - {kind: period_over_period, max_factor: 3}\n")
    file = write_usage(tmp_path / "usage.jsonl", series("acme", "100", "400"))
    runner = CliRunner()
    text = runner.invoke(main, ["checks", "-p", str(bundled), str(file)])
    assert text.exit_code == 1
    assert text.output.splitlines() == [
        "meters/api_calls.yaml:9:5: CHK001 acme 2026-02-01T00:00:00Z/2026-03-01T00:00:00Z: "
        "api_calls rose from 100 to 400 (more than x3 the period before)",
        "1 finding",
    ]
    as_json = json.loads(
        runner.invoke(main, ["checks", "-p", str(bundled), str(file), "--format", "json"]).output
    )
    assert as_json[0]["check"] == "CHK001" and as_json[0]["factor"] == "4.00"
    csv_out = runner.invoke(main, ["checks", "-p", str(bundled), str(file), "--format", "csv"])
    assert csv_out.output.splitlines()[0].startswith("check,kind,meter,customer")
    md = runner.invoke(main, ["checks", "-p", str(bundled), str(file), "--format", "markdown"])
    assert md.output.startswith("## Usage checks: 1 finding")
    calm = write_usage(tmp_path / "calm.jsonl", series("acme", "100", "120"))
    clean = runner.invoke(main, ["checks", "-p", str(bundled), str(calm)])
    assert (clean.exit_code, clean.output.strip()) == (0, "no drift or anomalies found")
    other = runner.invoke(main, ["checks", "-p", str(bundled), str(file), "--meter", "nope"])
    assert other.exit_code == 2 and "unknown meter 'nope'" in other.output
    only = runner.invoke(
        main, ["checks", "-p", str(bundled), str(file), "--meter", "llm_input_tokens"]
    )
    assert only.exit_code == 0


def test_cli_on_events_aggregates_them_first(bundled: Path) -> None:
    catalog_with(bundled, "  - {kind: period_over_period, max_factor: 2}\n")
    events = bundled / "contracts" / "api_request" / "samples" / "events.jsonl"
    result = CliRunner().invoke(main, ["checks", "-p", str(bundled), str(events)])
    # the sample events: globex makes 4 billable calls in October and 1 in November
    assert result.exit_code == 1, result.output
    assert "CHK001 globex 2026-11-01T00:00:00Z/2026-12-01T00:00:00Z" in result.output
