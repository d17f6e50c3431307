"""`govern init`: a small working catalog to start from."""

from __future__ import annotations

from pathlib import Path

from govern.catalog.sources import CATALOG_FOLDERS
from govern.errors import InputError

STARTER_FILES = {
    "contracts/page_view/v1.yaml": """\
# An event contract: what one usage event looks like. Released versions are immutable;
# change it by adding contracts/page_view/v2.yaml.
contract: page_view
version: 1
status: released
owner: web-team
compatibility: backward
description: One page rendered for a signed-in user.
fields:
  path:     {type: string, required: true, description: "The page path, e.g. /dashboard"}
  user_id:  {type: string, required: true, pii: true}
  duration_ms: {type: number, minimum: 0, required: true}
""",
    "meters/page_views.yaml": """\
# A meter: what counts as billable, how it aggregates, which period it lands in.
# Released versions are immutable; change it by appending a new version.
meter: page_views
owner: web-team
finance_owner: finance
unit: view
line_item: PAGE-VIEWS
description: Pages viewed, billed per calendar month.
versions:
  - version: 1
    status: released
    effective_from: 2026-01-01
    description: Every page view except the status page.
    contract: page_view
    filter: "path <> '/status'"
    aggregation: count
    period: {every: month, timezone: UTC}
    late: {grace: P2D}
""",
    "contracts/page_view/samples/events.jsonl": (
        '{"specversion":"1.0","id":"pv-1","source":"web","type":"page_view","subject":"acme",'
        '"time":"2026-01-05T10:00:00Z","data":{"path":"/dashboard","user_id":"u-1",'
        '"duration_ms":120}}\n'
        '{"specversion":"1.0","id":"pv-2","source":"web","type":"page_view","subject":"acme",'
        '"time":"2026-01-05T10:01:00Z","data":{"path":"/status","user_id":"u-1",'
        '"duration_ms":3}}\n'
    ),
}


def init_catalog(root: Path) -> list[Path]:
    """Write the starter catalog into `root`; refuse if a catalog is already there."""
    existing = [root / folder for folder in CATALOG_FOLDERS if (root / folder).exists()]
    if existing:
        raise InputError(f"{existing[0]} already exists; govern init only fills an empty folder")
    written = []
    for relative, text in STARTER_FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
