"""Shared fixtures: the bundled catalog, and small catalogs written into tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A copy of the bundled example catalog (contracts/ and meters/)."""
    for folder in ("contracts", "meters"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    return tmp_path


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path -> text or bytes) under `root`; return `root`."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root
