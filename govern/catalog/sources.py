"""Where catalog files come from: a folder on disk, or a git revision (no checkout needed)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from govern.errors import InputError

CATALOG_FOLDERS = ("contracts", "meters")


class CatalogSource(Protocol):
    """A read-only view of a catalog's files, by path relative to the project root."""

    label: str

    def files(self) -> Iterator[str]: ...

    def read(self, relative_path: str) -> bytes: ...


@dataclass(frozen=True)
class DirectorySource:
    root: Path

    @property
    def label(self) -> str:
        return str(self.root)

    def files(self) -> Iterator[str]:
        for folder in CATALOG_FOLDERS:
            base = self.root / folder
            if base.is_dir():
                for path in sorted(base.rglob("*")):
                    if path.is_file():
                        yield path.relative_to(self.root).as_posix()

    def read(self, relative_path: str) -> bytes:
        return (self.root / relative_path).read_bytes()


@dataclass(frozen=True)
class GitSource:
    """The catalog as committed at `ref` in the repository that contains `root`."""

    root: Path
    ref: str

    @property
    def label(self) -> str:
        return f"{self.ref}:{self.root}"

    def _git(self, *args: str) -> bytes:
        result = subprocess.run(
            ["git", "-C", str(self.root), *args], capture_output=True, check=False
        )
        if result.returncode != 0:
            message = result.stderr.decode(errors="replace").strip().splitlines()
            raise InputError(f"git {' '.join(args)}: {message[-1] if message else 'failed'}")
        return result.stdout

    def files(self) -> Iterator[str]:
        listing = self._git(
            "ls-tree",
            "-r",
            "--name-only",
            "--full-tree",
            "-z",
            self.ref,
            "--",
            *self._prefixed(CATALOG_FOLDERS),
        )
        prefix = self._prefix()
        for name in sorted(filter(None, listing.decode().split("\0"))):
            yield name[len(prefix) :]

    def read(self, relative_path: str) -> bytes:
        return self._git("show", f"{self.ref}:{self._prefix()}{relative_path}")

    def _prefix(self) -> str:
        return self._git("rev-parse", "--show-prefix").decode().strip()

    def _prefixed(self, names: tuple[str, ...]) -> list[str]:
        prefix = self._prefix()
        return [f"{prefix}{name}" for name in names]
