"""Generated artifacts against tests/golden/; regenerate with `scripts/regen-golden`."""

from __future__ import annotations

import json

import pytest

from govern.compile import TARGETS
from tests.contract_samples import ROOT

GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize("target", ["jsonschema", "avro"])
def test_artifacts_match_golden_files(catalog, target):
    built = {str(a.path): json.loads(a.text) for a in TARGETS[target].build(catalog)}
    folder = GOLDEN / target
    stored = {
        path.relative_to(folder).as_posix(): json.loads(path.read_text())
        for path in folder.rglob("*")
        if path.is_file()
    }
    assert sorted(built) == sorted(stored), "run scripts/regen-golden"
    for name, data in built.items():
        assert data == stored[name], f"{name} differs: run scripts/regen-golden and review"
