"""The DuckDB engine: the compiled DuckDB SQL, run in-process over JSONL or Parquet files.

Input files are loaded in the order given, and every event gets its load sequence number
`seq` from that order (files in order, lines in file order), as the reference does:

- JSONL (`.jsonl`, `.jsonl.gz`, `-` for stdin): each line is kept whole, as JSON text
  (DuckDB's `read_json_objects` keeps numbers exactly as written). A view lays the
  envelope out as the raw events table (`govern.sql.schema`), reading each role at the
  path the contract gives it, and the compiled query reads `data` inside the line. An
  event whose envelope cannot be read (a role of the wrong type, a timestamp that is not
  RFC 3339, a `data` that is not an object, `specversion` other than 1.0) gets no `time`,
  which the query's validation rejects: excluded, as the reference excludes it.
- Parquet: files already in the raw events table's layout (`seq` optional: file order
  then row order when absent), `data` as JSON text or as a typed struct
  (`govern.engines.parquet`).

The rows are the reference's `UsageRow`s, written by the reference's writers: the same
bytes as `--engine reference`; the counts by reason and the exceptions come from
`govern.engines.accounting`.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

from govern.catalog.catalog import Catalog, stream_contract
from govern.catalog.model import Contract
from govern.compile.jsonschema import TIMESTAMP_PATTERN
from govern.engines.accounting import Accounting, account
from govern.engines.parquet import load_parquet, parquet_lines
from govern.engines.rows import to_usage_rows
from govern.engines.temporary import create_table, create_temporary, drop_table
from govern.errors import InputError
from govern.events.reader import STDIN, RawLine, read_lines
from govern.reference.counts import Counts
from govern.reference.customers import customer_mapping
from govern.reference.engine import AggregateResult, as_of_instant
from govern.reference.ledger import END_OF_TIME
from govern.reference.rows import UsageRow
from govern.sql.compiler import PARAMETER, CompiledVersion, CompileOptions, compile_meter
from govern.sql.dialects.base import call, lit, not_null
from govern.sql.schema import CUSTOMER_ALIASES, RAW_COLUMNS, RAW_EVENTS

DIALECT = "duckdb"
LINES = "event_lines"

Events = Iterable[RawLine | str | Path]


def _json_path(dotted: str) -> str:
    return "$" + "".join(f'."{key}"' for key in dotted.split("."))


ROLES = ("specversion", "id", "source", "type", "subject", "time", "recordedtime", "dataschema")
ROLES += ("voids", "data")


def _role_paths(contract: Contract) -> list[str]:
    """The dotted path of every envelope role (`specversion` only for CloudEvents)."""
    envelope = contract.envelope
    return [getattr(envelope, role) if role != "specversion" else role for role in ROLES]


def envelope_columns(contract: Contract) -> list[tuple[str, exp.Expression]]:
    """Columns the loaded lines keep beside each line: the JSON type and the text of
    every envelope role, each list from one parse of the line."""
    line = exp.column("line")
    paths = exp.Array(expressions=[lit(_json_path(p)) for p in _role_paths(contract)])
    return [
        ("envelope_types", call("json_type", line.copy(), paths)),
        ("envelope_texts", call("json_extract_string", line.copy(), paths.copy())),
    ]


class _Line:
    """Expressions over one loaded JSON event line: the line and its envelope lists."""

    column = exp.column("line")

    def __init__(self, contract: Contract):
        self.index = {path: i for i, path in enumerate(_role_paths(contract))}

    def type_of(self, dotted: str) -> exp.Expression:
        index = self.index[dotted]  # sqlglot indexes from 0 and writes DuckDB's 1-based
        return exp.Bracket(this=exp.column("envelope_types"), expressions=[lit(index)])

    def has(self, dotted: str) -> exp.Expression:
        return not_null(self.type_of(dotted))

    def given(self, dotted: str) -> exp.Expression:
        """Whether the line has `dotted`, set to something other than JSON null (the
        reference reads a null as absent)."""
        not_null = exp.NEQ(this=self.type_of(dotted), expression=lit("NULL"))
        return exp.and_(self.has(dotted), not_null)

    def text(self, dotted: str) -> exp.Expression:
        """The string at `dotted`, NULL when absent or not a string."""
        is_text = exp.EQ(this=self.type_of(dotted), expression=lit("VARCHAR"))
        index = self.index[dotted]
        value = exp.Bracket(this=exp.column("envelope_texts"), expressions=[lit(index)])
        return exp.Case(ifs=[exp.If(this=is_text, true=value)])

    def instant(self, dotted: str) -> exp.Expression:
        """The RFC 3339 timestamp at `dotted` as TIMESTAMPTZ; NULL when not one."""
        text = self.text(dotted)
        shaped = call("regexp_full_match", text.copy(), lit(TIMESTAMP_PATTERN))
        parsed = exp.TryCast(this=exp.Upper(this=text), to=exp.DataType.build("TIMESTAMPTZ"))
        return exp.Case(ifs=[exp.If(this=shaped, true=parsed)])


def envelope_view(contract: Contract) -> exp.Select:
    """The raw events table over the loaded lines of `contract`'s events."""
    line, envelope = _Line(contract), contract.envelope
    cloudevents = envelope.model_dump() == type(envelope)().model_dump()
    time = line.instant(envelope.time)
    recorded = line.instant(envelope.recordedtime)
    optional_text = []
    problems: list[exp.Expression] = [exp.Is(this=time.copy(), expression=exp.null())]
    for role in ("recordedtime", "dataschema", "voids"):
        dotted = getattr(envelope, role)
        value = recorded if role == "recordedtime" else line.text(dotted)
        problems.append(
            exp.and_(line.has(dotted), exp.Is(this=value.copy(), expression=exp.null()), copy=False)
        )
        optional_text.append(value)
    data_kind = line.type_of(envelope.data)
    problems.append(
        exp.and_(
            line.has(envelope.data),
            exp.Not(this=exp.In(this=data_kind, expressions=[lit("OBJECT"), lit("NULL")])),
        )
    )
    if cloudevents:
        specversion = line.text("specversion")
        problems.append(
            exp.func("COALESCE", exp.NEQ(this=specversion, expression=lit("1.0")), exp.true())
        )
    readable = exp.Not(this=exp.Paren(this=exp.or_(*problems, copy=False)))
    columns = {
        "id": line.text(envelope.id),
        "source": line.text(envelope.source),
        "type": line.text(envelope.type),
        "subject": line.text(envelope.subject),
        "time": exp.Case(ifs=[exp.If(this=readable, true=time)]),
        "recordedtime": optional_text[0],
        "dataschema": optional_text[1],
        "voids": optional_text[2],
        "data": line.column.copy(),
        "seq": exp.column("seq"),
    }
    assert list(columns) == [c.name for c in RAW_COLUMNS]
    return exp.select(*(value.as_(name, copy=False) for name, value in columns.items())).from_(
        LINES
    )


@dataclass
class Loaded:
    """A DuckDB connection holding the events, and how the compiled SQL should read them."""

    connection: duckdb.DuckDBPyConnection
    options: CompileOptions
    read: int
    inputs: list[Path]
    contract: Contract
    lines: bool
    """JSONL (whole lines kept) rather than Parquet (the raw table layout)."""

    def lines_of(self, seqs: set[int]) -> list[RawLine]:
        """The events `seqs` as lines, in seq order: read again from the JSONL files, or
        written from their Parquet rows."""
        if self.lines:
            return [line for line in read_lines(self.inputs) if line.seq in seqs]
        return parquet_lines(self.connection, self.contract, seqs)


def _connect() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    return connection


def _spool(items: Sequence[RawLine | str | Path], folder: Path) -> list[Path]:
    """Every input as a file path: RawLines and stdin are written to files, in order."""
    paths: list[Path] = []
    batch: list[bytes] = []

    def flush() -> None:
        if batch:
            target = folder / f"lines-{len(paths)}.jsonl"
            target.write_bytes(b"\n".join(batch) + b"\n")
            paths.append(target)
            batch.clear()

    for item in items:
        if isinstance(item, RawLine):
            batch.append(item.text)
            continue
        flush()
        if str(item) == STDIN:
            target = folder / f"stdin-{len(paths)}.jsonl"
            with target.open("wb") as out:
                shutil.copyfileobj(sys.stdin.buffer, out)
            paths.append(target)
        else:
            path = Path(item)
            if not path.is_file():
                raise InputError(f"{item}: no such file")
            paths.append(path)
    flush()
    return paths


def load(catalog: Catalog, contract_name: str, events: Events, folder: Path) -> Loaded:
    """Load `events` (JSONL and/or Parquet paths, RawLines, `-`) into a new connection."""
    paths = _spool(list(events), folder)
    parquet = [p for p in paths if p.suffix == ".parquet"]
    if parquet and len(parquet) != len(paths):
        raise InputError("give either JSONL or Parquet files, not both")
    connection = _connect()
    contract = catalog.contract(contract_name)
    if parquet:
        versions = catalog.contracts[contract_name].values()
        read, struct = load_parquet(connection, parquet, versions)
        options = CompileOptions(customers_table=None, data_struct=struct)
        return Loaded(connection, options, read, parquet, contract, lines=False)
    read = _load_lines(connection, paths, contract)
    create_temporary(connection, "VIEW", RAW_EVENTS, envelope_view(contract))
    options = CompileOptions(
        customers_table=None, data_path=tuple(contract.envelope.data.split("."))
    )
    return Loaded(connection, options, read, paths, contract, lines=True)


_LINE_COLUMNS = {
    "line": "VARCHAR",
    "seq": "BIGINT",
    "envelope_types": "VARCHAR[]",
    "envelope_texts": "VARCHAR[]",
}
FILE_LINES = "file_lines"


def _load_lines(
    connection: duckdb.DuckDBPyConnection, paths: list[Path], contract: Contract
) -> int:
    """One row per line of every file, in order (`seq` counts from 0 across files), with
    the types and texts of its envelope roles."""
    create_table(connection, LINES, _LINE_COLUMNS)
    lines = exp.Anonymous(
        this="read_json_objects",
        expressions=[
            exp.Placeholder(this="path"),
            exp.EQ(this=exp.column("format"), expression=lit("newline_delimited")),
            exp.EQ(this=exp.column("ignore_errors"), expression=exp.true()),
        ],
    )
    read = exp.select(exp.column("json").as_("line", copy=False)).from_(exp.Table(this=lines))
    seq = exp.Add(this=exp.column("rowid"), expression=exp.Placeholder(this="offset"))
    envelope = [value for _, value in envelope_columns(contract)]
    insert = exp.insert(
        exp.select(exp.column("line"), seq, *envelope).from_(FILE_LINES), LINES
    ).sql(dialect=DIALECT)
    count = exp.select(exp.Count(this=exp.Star())).from_(FILE_LINES).sql(dialect=DIALECT)
    offset = 0
    for path in paths:
        create_temporary(connection, "TABLE", FILE_LINES, read, {"path": str(path)})
        connection.execute(insert, {"offset": offset})
        offset += connection.execute(count).fetchone()[0]
    drop_table(connection, FILE_LINES)
    return offset


def _customers(connection: duckdb.DuckDBPyConnection, mapping: Mapping[str, str]) -> None:
    create_table(connection, CUSTOMER_ALIASES, {"subject": "VARCHAR", "customer": "VARCHAR"})
    if mapping:
        values = exp.values([(exp.Placeholder(), exp.Placeholder())])
        insert = exp.insert(values, CUSTOMER_ALIASES).sql(dialect=DIALECT)
        connection.executemany(insert, list(mapping.items()))


def _alike(compiled: Sequence[CompiledVersion], until: str) -> bool:
    """Whether every version computes its steps up to `until` in the same SQL (the
    versions of a meter validate, deduplicate and void the events alike)."""

    def prefix(version: CompiledVersion) -> list[str]:
        names = list(version.steps)
        kept = names[: names.index(until) + 1]
        return [version.steps[name].sql(dialect=DIALECT) for name in kept]

    first = prefix(compiled[0])
    return all(prefix(version) == first for version in compiled[1:])


def _saved(
    connection: duckdb.DuckDBPyConnection,
    compiled: Sequence[CompiledVersion],
    names: Sequence[str],
    cut: datetime | None,
) -> list[CompiledVersion]:
    """`compiled` with the steps `names` saved to temporary tables: once for all the
    versions when they compute them alike, else once per version."""
    alike = _alike(compiled, names[-1])
    groups = [list(compiled)] if alike else [[version] for version in compiled]
    saved: list[CompiledVersion] = []
    for index, group in enumerate(groups):
        steps = dict(group[0].steps)
        for name in names:
            table = f"govern_{name}_{index}"
            query = replace(group[0], steps=steps).with_steps(
                exp.select(exp.Star()).from_(name), name
            )
            create_temporary(connection, "TABLE", table, query, {PARAMETER: cut})
            steps[name] = exp.select(exp.Star()).from_(table)
        tables = {name: steps[name] for name in names}
        saved += [replace(version, steps={**version.steps, **tables}) for version in group]
    return saved


def run(
    catalog: Catalog,
    meter_name: str,
    loaded: Loaded,
    as_of: datetime,
    mapping: Mapping[str, str] | None,
    *,
    accounting: bool = True,
) -> tuple[list[UsageRow], Accounting | None]:
    """Run every version's compiled query over the loaded events; with `accounting`, also
    where every event went (counts and exceptions)."""
    meter = catalog.meter(meter_name)
    options = loaded.options
    if mapping is not None:
        _customers(loaded.connection, mapping)
        options = replace(options, customers_table=CUSTOMER_ALIASES)
    cut = None if as_of == END_OF_TIME else as_of.astimezone(UTC).replace(tzinfo=None)
    compiled = compile_meter(catalog, meter, DIALECT, options)
    connection = loaded.connection
    records: list[Any] = []
    saved: tuple[str, ...] = ()
    if accounting:
        # Counting reads the validated events, the copies and the first copies many
        # times: save them, and what they are made from (`govern.sql.dedup`).
        counted = ("checked", "hashed", "crowded", compiled[0].copies, "winners")
        saved = tuple(name for name in compiled[0].steps if name in counted)
    elif len(compiled) > 1 and _alike(compiled, "winners"):
        # Every version reads the same first copies of the events: compute them once.
        saved = ("winners",)
    if saved:
        compiled = _saved(connection, compiled, saved, cut)
    for version in compiled:
        query = version.replacing({name: version.steps[name] for name in saved})
        records += connection.execute(query.sql(dialect=DIALECT), {PARAMETER: cut}).fetchall()
    rows = to_usage_rows(meter, records)
    if not accounting:
        return rows, None
    line, envelope = _Line(loaded.contract), loaded.contract.envelope
    probe = exp.Case(
        ifs=[
            exp.If(this=line.given(envelope.recordedtime), true=line.instant(envelope.recordedtime))
        ],
        default=line.instant(envelope.time),
    )
    readable = exp.func(
        "COALESCE",
        exp.and_(
            exp.EQ(this=call("json_type", line.column.copy()), expression=lit("OBJECT")),
            line.given(envelope.type),
        ),
        exp.false(),
    )
    found = account(
        loaded.connection,
        catalog,
        meter_name,
        compiled,
        read=loaded.read,
        lines_table=LINES if loaded.lines else None,
        line_type=exp.Bracket(
            this=exp.column("envelope_texts"), expressions=[lit(line.index[envelope.type])]
        ),
        readable=readable,
        probe=probe,
        as_of=cut,
        mapping=mapping,
        lines_of=loaded.lines_of,
    )
    return rows, found


def aggregate(
    catalog: Catalog,
    meter_name: str,
    events: Events,
    *,
    as_of: datetime | str | None = None,
    customers: Mapping[str, str] | str | Path | None = None,
    accounting: bool = True,
) -> AggregateResult:
    """Usage and adjustment rows of `meter_name` over `events`, computed by DuckDB.

    The same arguments, rows, counts and exceptions as `govern.reference.aggregate` (for
    Parquet input, the events of exceptions are the JSON events their rows stand for,
    located by file and row). `accounting=False` computes the rows only (counts: events read)."""
    meter = catalog.meter(meter_name)
    contract_name = stream_contract(meter)
    if contract_name not in catalog.contracts:
        raise InputError(f"meter {meter_name}: unknown contract '{contract_name}'")
    cutoff = as_of_instant(as_of)
    mapping = customer_mapping(customers)
    with tempfile.TemporaryDirectory(prefix="govern-duckdb-") as folder:
        loaded = load(catalog, contract_name, events, Path(folder))
        try:
            rows, found = run(catalog, meter_name, loaded, cutoff, mapping, accounting=accounting)
        except duckdb.Error as exc:
            raise InputError(f"duckdb: {exc}") from None
        finally:
            loaded.connection.close()
    if found is None:
        return AggregateResult(meter.meter, tuple(rows), (), Counts(read=loaded.read))
    return AggregateResult(meter.meter, tuple(rows), found.exceptions, found.counts)
