"""The facade: gate steps as a seam, crash isolation, the report, and the report renderers."""

from __future__ import annotations

from datetime import date

from govern.gate import GATE_STEPS, CheckContext, CheckReport, Subject, run_check
from govern.issues import Issue, Location, Severity
from govern.report import render_junit, render_markdown
from govern.report.markdown import MAX_ROWS
from tests.gate.conftest import GitRepo

METER_PATH = "meters/clicks.yaml"


def test_a_new_step_plugs_in(repo: GitRepo) -> None:
    seen = {}

    def replay(base, head, context: CheckContext):
        seen.update(base=base is not None, today=context.today, policy=context.policy)
        meter = head.meter("clicks")
        yield Issue(
            "RPL001", "customer acme: Jan 10 -> 12 clicks", meter.location_of("versions", 0)
        )

    report = repo.check(steps=(*GATE_STEPS, replay))
    assert [(i.rule, i.location.line) for i in report.issues] == [("RPL001", 6)]
    assert seen == {"base": True, "today": date(2026, 5, 1), "policy": "strict"}
    assert report.exit_code == 1


def test_a_crashing_step_becomes_a_finding(repo: GitRepo) -> None:
    def broken(base, head, context):
        raise RuntimeError("boom")

    report = repo.check(steps=(broken, *GATE_STEPS))
    assert [(i.rule, i.message) for i in report.issues] == [
        ("GOV000", "gate check broken crashed: RuntimeError('boom')")
    ]


def test_tagged_findings_can_be_acknowledged(repo: GitRepo) -> None:
    repo.edit(
        METER_PATH,
        "versions:\n",
        'acknowledge: [{rule: RPL001, version: 7, reason: "x"}]\nversions:\n',
    )

    def about_version_7(base, head, context: CheckContext):
        issue = Issue("RPL001", "a finding about a version that is gone", Location("elsewhere"))
        yield context.tag(issue, Subject("meter", "clicks", 7))

    report = repo.check(steps=(about_version_7,))
    assert [(i.rule, i.acknowledged) for i in report.issues] == [("RPL001", "x")]


def test_report_counts(repo: GitRepo) -> None:
    report = repo.check()
    assert (report.contract_versions, report.meters, report.base, report.policy) == (
        1,
        1,
        "main",
        "strict",
    )


def test_today_defaults_to_the_current_date(repo: GitRepo) -> None:
    assert run_check(repo.root).today == date.today()


# ---------------------------------------------------------------- renderers


def _report(*issues: Issue) -> CheckReport:
    return CheckReport(
        issues=issues,
        project=".",
        base="origin/main",
        today=date(2026, 5, 1),
        policy="strict",
        contract_versions=3,
        meters=2,
    )


def test_markdown_cells_are_escaped() -> None:
    issue = Issue("GOV002", "filter `a | b` changed: x < 5 | y*z", Location("meters/m.yaml", 3, 1))
    text = render_markdown(_report(issue))
    row = next(line for line in text.splitlines() if line.startswith("| `GOV002`"))
    assert row == (
        "| `GOV002` released meter version changed | `meters/m.yaml:3:1` | "
        "filter `a \\| b` changed: x &lt; 5 \\| y\\*z |"
    )


def test_markdown_is_bounded() -> None:
    issues = [Issue("MTR002", f"finding {n}", Location("meters/m.yaml", n, 1)) for n in range(150)]
    text = render_markdown(_report(*issues))
    assert text.count("| `MTR002`") == MAX_ROWS
    assert "… and 50 more: run `govern check` to see them all." in text
    assert text.startswith("<!-- govern-check -->\n## ❌ govern check: 150 blocking findings\n")


def test_markdown_verdict_with_warnings_only() -> None:
    warning = Issue("GOV008", "stale", Location("meters/m.yaml", 1, 1), Severity.WARNING)
    assert "## ✅ govern check passed (1 warning)" in render_markdown(_report(warning))


def test_junit_escapes_and_reports_unknown_rules() -> None:
    issue = Issue("RPL001", 'acme <"x"> & co', Location("meters/m.yaml", 2, 1))
    text = render_junit(_report(issue))
    assert '<testsuite name="govern other" tests="1" failures="1" errors="0" skipped="0">' in text
    assert "acme &lt;&quot;x&quot;&gt; &amp; co" in text
