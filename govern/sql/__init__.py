"""SQL aggregation specs: every meter version compiled to every warehouse's SQL.

from govern import Catalog
from govern.sql import compile_version
sql = compile_version(Catalog.load("."), "api_calls", 1, "postgres").sql()
"""

from govern.sql.compiler import (
    AS_OF_PARAMETER,
    PARAMETER,
    CompiledVersion,
    CompileOptions,
    compile_meter,
    compile_version,
)
from govern.sql.dialects import DIALECTS, EXECUTED, Dialect, get_dialect
from govern.sql.errors import UnsupportedError
from govern.sql.schema import CUSTOMER_ALIASES, RAW_EVENTS, customer_aliases_ddl, raw_events_ddl

__all__ = [
    "AS_OF_PARAMETER",
    "CUSTOMER_ALIASES",
    "DIALECTS",
    "EXECUTED",
    "PARAMETER",
    "RAW_EVENTS",
    "CompileOptions",
    "CompiledVersion",
    "Dialect",
    "UnsupportedError",
    "compile_meter",
    "compile_version",
    "customer_aliases_ddl",
    "get_dialect",
    "raw_events_ddl",
]
