"""The dbt project `govern compile --target dbt` writes: `dbt build` (dbt-duckdb) runs
every model and its tests, and every model holds the reference's rows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from govern import Catalog
from govern.compile import write_artifacts
from govern.compile.dbt import dbt_artifacts
from govern.engines.loading import raw_rows
from govern.engines.rows import to_usage_rows
from govern.events.reader import read_lines
from govern.reference import aggregate
from govern.sql import customer_aliases_ddl, raw_events_ddl
from tests.sql.conftest import unavailable
from tests.sql.engines import jsonl

ROOT = Path(__file__).resolve().parents[2]
CATALOG = Catalog.load(ROOT)
CUSTOMERS = {"acme": "ACME Corp", "acme-eu": "ACME Corp", "globex": "Globex", "initech": "Initech"}
AS_OF = datetime(2026, 11, 3, tzinfo=UTC)

PROFILE = """\
govern_meters:
  target: test
  outputs:
    test:
      type: duckdb
      path: "{path}"
      threads: 2
"""


def dbt_command() -> str:
    found = shutil.which("dbt", path=str(Path(sys.executable).parent)) or shutil.which("dbt")
    if found is None:
        unavailable("dbt is not installed (pip install -e '.[dev]')")
    return found


def sample_lines():
    lines = []
    for name in CATALOG.contracts:
        lines += list(read_lines([ROOT / "contracts" / name / "samples" / "events.jsonl"]))
    return lines


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import duckdb

    command = dbt_command()
    project = tmp_path_factory.mktemp("dbt")
    write_artifacts(dbt_artifacts(CATALOG), project)
    warehouse = project / "warehouse.duckdb"
    (project / "profiles.yml").write_text(PROFILE.format(path=warehouse), encoding="utf-8")
    connection = duckdb.connect(str(warehouse))
    connection.execute(raw_events_ddl("duckdb"))
    connection.execute(customer_aliases_ddl("duckdb"))
    for name in CATALOG.contracts:
        lines = read_lines([ROOT / "contracts" / name / "samples" / "events.jsonl"])
        rows = [row.astuple() for row in raw_rows(lines, CATALOG.contract(name))]
        connection.executemany("INSERT INTO raw_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    connection.executemany("INSERT INTO customer_aliases VALUES (?, ?)", list(CUSTOMERS.items()))
    connection.close()
    environment = {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PROFILES_DIR": str(project),
    }
    done = subprocess.run(
        [
            command,
            "build",
            "--project-dir",
            str(project),
            "--vars",
            f"{{as_of: '{AS_OF.replace(tzinfo=None).isoformat(sep=' ')}'}}",
        ],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "ERROR=0" in done.stdout
    return warehouse


def test_dbt_build_runs_every_model_and_test(built: Path) -> None:
    import duckdb

    connection = duckdb.connect(str(built), read_only=True)
    tables = {
        row[0] for row in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }
    connection.close()
    expected = {f"{m}__v{v.version}" for m, meter in CATALOG.meters.items() for v in meter.versions}
    assert expected <= tables


@pytest.mark.parametrize("meter", list(CATALOG.meters))
def test_dbt_models_hold_the_reference_rows(built: Path, meter: str) -> None:
    import duckdb

    found = CATALOG.meter(meter)
    connection = duckdb.connect(str(built), read_only=True)
    records = []
    for version in found.versions:
        records += connection.execute(f"SELECT * FROM {meter}__v{version.version}").fetchall()
    connection.close()
    lines = sample_lines()
    expected = aggregate(CATALOG, meter, lines, as_of=AS_OF, customers=CUSTOMERS).rows
    assert jsonl(to_usage_rows(found, records)) == jsonl(expected)
