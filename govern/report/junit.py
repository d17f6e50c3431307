"""A `CheckReport` as JUnit XML, for CI systems that show test reports.

One test suite per family (lint, gate), one test case per rule that found nothing (it
passes) and one per finding: a blocking finding fails, an acknowledged one is skipped
with its reason, a warning passes with its text in `system-out`. No timestamps or
durations, so the same report always gives the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from govern.gate.check import CheckReport
from govern.gate.rules import GATE_RULES
from govern.issues import Issue, Severity


def _families() -> dict[str, list[tuple[str, str]]]:
    from govern.lint import ALL_RULES

    return {
        "lint": [(r.id, r.title) for r in ALL_RULES],
        "gate": [(r.id, r.title) for r in GATE_RULES],
    }


def render_junit(report: CheckReport) -> str:
    """The report as a JUnit XML document (a `testsuites` root)."""
    by_rule: dict[str, list[Issue]] = defaultdict(list)
    for issue in report.issues:
        by_rule[issue.rule].append(issue)
    families = _families()
    known = {rule for rules in families.values() for rule, _ in rules}
    extra = sorted(rule for rule in by_rule if rule not in known)
    if extra:
        families["other"] = [(rule, rule) for rule in extra]
    root = ET.Element("testsuites", name="govern check")
    for family, rules in families.items():
        suite = ET.SubElement(root, "testsuite", name=f"govern {family}")
        for rule, title in rules:
            findings = by_rule.get(rule, [])
            if not findings:
                ET.SubElement(suite, "testcase", classname=f"govern.{family}.{rule}", name=title)
            for issue in findings:
                _case(suite, f"govern.{family}.{rule}", title, issue)
        _count(suite)
    _count(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _case(suite: ET.Element, classname: str, title: str, issue: Issue) -> None:
    loc = issue.location
    case = ET.SubElement(
        suite,
        "testcase",
        classname=classname,
        name=f"{title}: {loc}",
        file=loc.path,
        line=str(loc.line),
    )
    text = str(issue)
    if issue.acknowledged:
        ET.SubElement(case, "skipped", message=f"acknowledged: {issue.acknowledged}").text = text
    elif issue.severity is Severity.ERROR:
        ET.SubElement(case, "failure", message=issue.message, type=issue.rule).text = text
    else:
        ET.SubElement(case, "system-out").text = text


def _count(element: ET.Element) -> None:
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    element.set("errors", "0")
    element.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
