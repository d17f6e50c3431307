"""Fixtures: the engines SQL is executed in. DuckDB always runs; PostgreSQL needs a
server (GOVERN_PG_DSN, default postgresql://postgres@localhost:5432/postgres; `make test`
starts one with scripts/start-postgres) and ClickHouse needs chdb. Locally a missing one
skips its tests; in CI (CI=true) it fails them."""

from __future__ import annotations

import os

import pytest

from tests.sql.engines import ClickHouse, DuckDBTables, Postgres, SqlEngine

DEFAULT_DSN = "postgresql://postgres@localhost:5432/postgres"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(what: str) -> None:
    """Skip locally; fail in CI, where every engine must run."""
    if IN_CI:
        pytest.fail(f"{what} (CI=true: every SQL engine must run)", pytrace=False)
    pytest.skip(what)


@pytest.fixture(scope="session")
def postgres_connection():
    try:
        import psycopg
    except ImportError:
        unavailable("psycopg is not installed (pip install -e '.[dev]')")
    dsn = os.environ.get("GOVERN_PG_DSN", DEFAULT_DSN)
    try:
        connection = psycopg.connect(dsn, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        unavailable(f"no PostgreSQL at {dsn} ({str(exc).strip()}); run scripts/start-postgres")
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def chdb_session():
    try:
        from chdb import session
    except ImportError:
        unavailable("chdb is not installed (pip install -e '.[dev]')")
    found = session.Session()
    yield found
    found.close()


@pytest.fixture(scope="session")
def duckdb_engine() -> SqlEngine:
    return DuckDBTables()


@pytest.fixture(scope="session")
def postgres_engine(postgres_connection) -> SqlEngine:
    return Postgres(postgres_connection)


@pytest.fixture(scope="session")
def clickhouse_engine(chdb_session) -> SqlEngine:
    return ClickHouse(chdb_session)


@pytest.fixture(params=["duckdb", "postgres", "clickhouse"])
def sql_engine(request) -> SqlEngine:
    """Each executed dialect in turn."""
    return request.getfixturevalue(f"{request.param}_engine")
