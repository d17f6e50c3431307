"""Golden SQL: every bundled meter version in every dialect, kept in tests/golden/sql/.

The files are the committed SQL of the bundled catalog (what `govern compile --target sql`
writes). Each is compared with what the compiler makes now, as text (and, when the text
differs, as queries parsed by sqlglot, to tell a layout change from a query change); and
every file parses back in its dialect. Regenerate them all
with `GOVERN_REGEN=1 python -m pytest tests/sql` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlglot

from govern import Catalog
from govern.compile.sql import dialect_artifacts
from govern.sql import DIALECTS
from govern.sql.render import strip_comments

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "sql"
CATALOG = Catalog.load(ROOT)
REGEN = bool(os.environ.get("GOVERN_REGEN"))

ARTIFACTS = {
    (dialect, artifact.path.name): artifact.text
    for dialect in DIALECTS
    for artifact in dialect_artifacts(CATALOG, dialect)
}


def parsed(text: str, dialect: str) -> list[sqlglot.Expression]:
    read = DIALECTS[dialect].sqlglot
    return [strip_comments(e) for e in sqlglot.parse(text, read=read) if e is not None]


@pytest.mark.parametrize(
    ("dialect", "name"), sorted(ARTIFACTS), ids=[f"{d}/{n}" for d, n in sorted(ARTIFACTS)]
)
def test_golden_sql(dialect: str, name: str) -> None:
    text = ARTIFACTS[(dialect, name)]
    path = GOLDEN / dialect / name
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run GOVERN_REGEN=1 python -m pytest tests/sql"
    golden = path.read_text(encoding="utf-8")
    if text != golden:
        same_query = parsed(text, dialect) == parsed(golden, dialect)
        hint = "same query, other text" if same_query else "the query changed"
        pytest.fail(f"{path} differs from the compiler's SQL ({hint}); review, then regenerate")


def test_no_stale_golden_files() -> None:
    expected = {GOLDEN / dialect / name for dialect, name in ARTIFACTS}
    found = set(GOLDEN.glob("*/*.sql"))
    if REGEN:
        for stale in found - expected:
            stale.unlink()
        found = set(GOLDEN.glob("*/*.sql"))
    assert found == expected


@pytest.mark.parametrize(
    ("dialect", "name"), sorted(ARTIFACTS), ids=[f"{d}/{n}" for d, n in sorted(ARTIFACTS)]
)
def test_sql_parses_back_in_its_dialect(dialect: str, name: str) -> None:
    """sqlglot reads every generated statement back in its own dialect, and writes it
    again to the same text: the SQL is well-formed for that warehouse."""
    read = DIALECTS[dialect].sqlglot
    for statement in parsed(ARTIFACTS[(dialect, name)], dialect):
        text = statement.sql(dialect=read)
        assert sqlglot.parse_one(text, read=read).sql(dialect=read) == text


def test_every_file_names_its_meter_version_and_source() -> None:
    for (dialect, name), text in ARTIFACTS.items():
        if name == "schema.sql":
            continue
        meter, version = name.removesuffix(".sql").split("__v")
        first = text.splitlines()[0]
        assert first == (f"-- govern meter {meter}, version {version} (meters/{meter}.yaml)"), (
            dialect,
            name,
        )
