"""Compiled artifacts of the bundled catalog against tests/golden/<target>/, compared as
parsed JSON. Regenerate with `GOVERN_REGEN=1 python -m pytest tests/compile` (or
`GOVERN_REGEN=1 make test`) and review the diff."""

from __future__ import annotations

import json
import os

import pytest

from govern.compile import TARGETS, write_artifacts
from tests.contract_samples import ROOT

GOLDEN = ROOT / "tests" / "golden"
REGEN = bool(os.environ.get("GOVERN_REGEN"))


@pytest.mark.parametrize("target", ["jsonschema", "avro"])
def test_artifacts_match_golden_files(catalog, target):
    artifacts = list(TARGETS[target].build(catalog))
    folder = GOLDEN / target
    if REGEN:
        for stale in folder.rglob("*"):
            if stale.is_file():
                stale.unlink()
        write_artifacts(artifacts, folder)
    built = {str(a.path): json.loads(a.text) for a in artifacts}
    stored = {
        path.relative_to(folder).as_posix(): json.loads(path.read_text())
        for path in folder.rglob("*")
        if path.is_file()
    }
    hint = f"run GOVERN_REGEN=1 python -m pytest tests/compile and review the diff of {folder}"
    assert sorted(built) == sorted(stored), hint
    for name, data in built.items():
        assert data == stored[name], f"{name} differs: {hint}"
