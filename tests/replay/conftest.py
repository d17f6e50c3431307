"""A fixture git repository with the replay catalog committed on `main`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.gate.conftest import GitRepo
from tests.replay.catalog import FILES

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "replay"


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """The replay catalog committed on `main`, a `feature` branch checked out."""
    return GitRepo(tmp_path).write(FILES).commit("base catalog").branch()


def assert_golden(name: str, text: str) -> None:
    """Compare `text` with tests/golden/replay/`name` (rewrite it with GOVERN_REGEN=1)."""
    path = GOLDEN / name
    if os.environ.get("GOVERN_REGEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), (
        f"no golden file {path}: run GOVERN_REGEN=1 python -m pytest tests/replay"
    )
    assert text == path.read_text(encoding="utf-8"), f"{path} differs (GOVERN_REGEN=1 rewrites it)"
