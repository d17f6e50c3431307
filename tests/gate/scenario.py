"""A pull request against the bundled catalog that trips most gate rules: the golden case."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.gate.conftest import GitRepo

REPO = Path(__file__).resolve().parents[2]

STORAGE_FLOOR_V2 = """\
  - version: 2
    status: released
    effective_from: 2026-03-01
    description: Smallest hourly snapshot of standard-class storage, rounded down to the MB.
    contract: storage_snapshot
    filter: "storage_class = 'standard'"
    aggregation: min
    value: gigabytes
    period: {every: month, timezone: Europe/Berlin}
    late: {grace: P1D}
    precision: {scale: 3, rounding: down}
"""

ACKNOWLEDGE_GRACE = """\
acknowledge:
  - rule: GOV002
    version: 1
    reason: "Grace was typed as PT6H; every invoice so far was issued after 12h (FIN-204)."
"""

STALE = """\
acknowledge:
  - {rule: GOV002, reason: "Backfill of 2026-02 (FIN-118)."}
"""


def pull_request(root: Path) -> GitRepo:
    """The bundled catalog on main; on `feature`, a change a reviewer must look at."""
    for folder in ("contracts", "meters"):
        shutil.copytree(REPO / folder, root / folder)
    repo = GitRepo(root).commit("bundled catalog").branch()
    v3 = (root / "contracts/api_request/v2.yaml").read_text()
    v3 = v3.replace("version: 2", "version: 3").replace(
        "  region:      {type: string, enum: [us-east, eu-west, ap-south], required: true}\n", ""
    )
    repo.write({"contracts/api_request/v3.yaml": v3})
    repo.edit("meters/llm_input_tokens.yaml", "late: {grace: PT6H}", "late: {grace: PT12H}")
    repo.edit("meters/llm_input_tokens.yaml", "versions:\n", ACKNOWLEDGE_GRACE + "versions:\n")
    with (root / "meters/storage_gb_floor.yaml").open("a", encoding="utf-8") as handle:
        handle.write(STORAGE_FLOOR_V2)
    repo.edit("meters/storage_gb_peak.yaml", "versions:\n", STALE + "versions:\n")
    return repo
