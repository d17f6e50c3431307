"""Compile targets: contracts (and later meters) -> artifacts that run in production.

Each target is one module holding pure functions and a `TARGET`; this registry lists them,
and `govern compile --target NAME` offers exactly these names.
"""

from govern.compile import avro, dbt, jsonschema, sql
from govern.compile.artifacts import Artifact, Target, write_artifacts
from govern.compile.errors import CompileError

TARGETS: dict[str, Target] = {
    target.name: target for target in (jsonschema.TARGET, avro.TARGET, sql.TARGET, dbt.TARGET)
}

__all__ = ["TARGETS", "Artifact", "CompileError", "Target", "write_artifacts"]
