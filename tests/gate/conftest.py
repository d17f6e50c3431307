"""A fixture git repository per test: commit a base catalog, branch, change, check."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from govern.gate import CheckReport, run_check
from tests.conftest import write_files
from tests.lint.minimal import FILES

TODAY = date(2026, 5, 1)
"""The check date every gate test pins: January to March 2026 are closed, April is open."""


class GitRepo:
    """A throw-away repository holding a catalog, driven like a developer would."""

    def __init__(self, root: Path):
        self.root = root
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "dev@example.com")
        self.git("config", "user.name", "Dev")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.root), *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def write(self, files: dict[str, str]) -> GitRepo:
        write_files(self.root, files)
        return self

    def edit(self, path: str, old: str, new: str) -> GitRepo:
        """Replace `old` (which must be there) by `new` in the file at `path`."""
        target = self.root / path
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
        return self

    def remove(self, path: str) -> GitRepo:
        (self.root / path).unlink()
        return self

    def commit(self, message: str = "change") -> GitRepo:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self

    def branch(self, name: str = "feature") -> GitRepo:
        self.git("checkout", "-q", "-b", name)
        return self

    def check(self, base: str | None = "main", today: date = TODAY, **options) -> CheckReport:
        return run_check(self.root, base=base, today=today, **options)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """The minimal catalog committed on `main`, and a `feature` branch checked out."""
    return GitRepo(tmp_path).write(FILES).commit("base catalog").branch()


def rules(report: CheckReport) -> list[tuple[str, str, int]]:
    """(rule, path, line) of every finding, in report order."""
    return [(i.rule, i.location.path, i.location.line) for i in report.issues]
