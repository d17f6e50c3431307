"""Time `govern check --base REF` on a generated catalog: 200 contracts x 10 versions, 300 meters.

    python bench/check.py [--contracts 200] [--versions 10] [--meters 300] [--keep DIR]

Builds a git repository in a temporary folder, commits the catalog on `main`, then makes
the kind of change a pull request makes (a new contract version for a few contracts, a
new meter version, a description edit, one in-place edit of a released meter version)
and times `run_check(project, base="main")`: the same call `govern check` makes. Prints
the wall-clock figure, the number of findings, and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from govern.catalog.loader import load_file  # noqa: E402
from govern.gate import run_check  # noqa: E402

REGIONS = "[us-east, eu-west, ap-south, sa-east]"


def contract(name: str, version: int) -> str:
    extra = "".join(
        f"  extra_{n}: {{type: string, max_length: 64, description: Added in v{n + 1}}}\n"
        for n in range(1, version)
    )
    return f"""\
contract: {name}
version: {version}
status: released
owner: team-{name[-2:]}
compatibility: backward
description: Usage event {name}, version {version}.
fields:
  route:       {{type: string, required: true, max_length: 200}}
  method:      {{type: string, enum: [GET, POST, PUT, DELETE], required: true}}
  status:      {{type: integer, minimum: 100, maximum: 599, required: true}}
  duration_ms: {{type: number, minimum: 0, required: true}}
  region:      {{type: string, enum: {REGIONS}, required: true}}
  tokens:      {{type: integer, minimum: 0, required: true}}
  model:       {{type: string, pattern: "^[a-z0-9-]+$"}}
{extra}"""


def meter(name: str, reads: str, versions: int) -> str:
    blocks = []
    for number in range(1, versions + 1):
        value = "    value: tokens\n" if number % 2 == 0 else ""
        aggregation = "sum" if number % 2 == 0 else "count"
        blocks.append(
            f"""\
  - version: {number}
    status: released
    effective_from: 2026-0{number}-01
    description: Version {number} of {name}.
    contract: {reads}
    filter: "status < 500 AND region IN ('us-east', 'eu-west') AND method <> 'DELETE'"
    aggregation: {aggregation}
{value}    group_by: [region, method]
    period: {{every: month, timezone: Europe/Berlin}}
    late: {{grace: P3D}}
    precision: {{scale: 0, rounding: half_up}}
"""
        )
    return f"""\
meter: {name}
owner: billing-team
finance_owner: revenue-ops
unit: request
line_item: {name.upper().replace("_", "-")}
description: Generated meter {name}.
versions:
{"".join(blocks)}"""


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def build(root: Path, contracts: int, versions: int, meters: int) -> None:
    for c in range(contracts):
        folder = root / "contracts" / f"event_{c:03d}"
        folder.mkdir(parents=True)
        for v in range(1, versions + 1):
            (folder / f"v{v}.yaml").write_text(contract(f"event_{c:03d}", v))
    (root / "meters").mkdir()
    for m in range(meters):
        name = f"meter_{m:03d}"
        (root / "meters" / f"{name}.yaml").write_text(meter(name, f"event_{m % contracts:03d}", 2))
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "bench@example.com")
    git(root, "config", "user.name", "bench")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base catalog")


def change(root: Path, versions: int) -> None:
    """What a busy pull request does."""
    for c in range(5):  # a new, compatible contract version for five contracts
        name = f"event_{c:03d}"
        (root / "contracts" / name / f"v{versions + 1}.yaml").write_text(
            contract(name, versions + 1)
        )
    path = root / "meters" / "meter_010.yaml"  # a new meter version in an open period
    text = path.read_text()
    block = text[text.index("  - version: 2") :]
    path.write_text(text + block.replace("version: 2", "version: 3").replace("2026-02", "2026-06"))
    path = root / "meters" / "meter_011.yaml"  # a description edit (allowed)
    path.write_text(path.read_text().replace("Version 1 of", "First version of"))
    path = root / "meters" / "meter_012.yaml"  # an in-place edit of a released version
    path.write_text(path.read_text().replace("grace: P3D", "grace: P5D", 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=200)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--meters", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="govern-bench-"))
    try:
        build(root, args.contracts, args.versions, args.meters)
        change(root, args.versions)
        timings, cpu = [], []
        for _ in range(args.repeat):
            load_file.cache_clear()  # each run starts cold, as a fresh `govern check` does
            started, started_cpu = time.perf_counter(), time.process_time()
            report = run_check(root, base="main", today=date(2026, 5, 10))
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        rules = sorted({i.rule for i in report.issues})
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        command = [sys.executable, "-m", "govern", "check", "--base", "main", "--today"]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [*command, "2026-05-10"], cwd=root, env=env, capture_output=True, check=False
        )
        cli = time.perf_counter() - started
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        child = children.ru_maxrss / 1024
        cli_cpu = sum(
            getattr(children, f) - getattr(before, f) for f in ("ru_utime", "ru_stime")
        )  # git's share included
        size = (
            f"{args.contracts} contracts x {args.versions} versions (+5 new), {args.meters} meters"
        )
        print(f"catalog: {size}; {len(report.issues)} findings {rules}")
        print(
            f"run_check(base='main'): best {min(timings):.2f} s wall, {min(cpu):.2f} s CPU "
            f"of {args.repeat} cold runs; peak memory {peak:.0f} MB"
        )
        print(
            f"govern check --base main (CLI, fresh process): {cli:.2f} s wall, {cli_cpu:.2f} s "
            f"CPU (with git), exit {done.returncode}; peak memory {child:.0f} MB"
        )
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
