"""Where catalog files come from: a folder on disk, or a git revision (no checkout needed)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
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
    """The catalog as committed at `ref` in the repository that contains `root`.

    Three git processes in all, however large the catalog: one for the prefix, one to list
    the tree, one (`git cat-file --batch`) to read every YAML file of it.
    """

    root: Path
    ref: str

    @property
    def label(self) -> str:
        return f"{self.ref}:{self.root}"

    def _git(self, *args: str, stdin: bytes | None = None) -> bytes:
        result = subprocess.run(
            ["git", "-C", str(self.root), *args], input=stdin, capture_output=True, check=False
        )
        if result.returncode != 0:
            message = result.stderr.decode(errors="replace").strip().splitlines()
            raise InputError(f"git {' '.join(args)}: {message[-1] if message else 'failed'}")
        return result.stdout

    def files(self) -> Iterator[str]:
        yield from sorted(self._tree)

    def read(self, relative_path: str) -> bytes:
        if relative_path in self._yaml_blobs:
            return self._yaml_blobs[relative_path]
        return self._git("show", f"{self.ref}:{self._prefix}{relative_path}")

    @cached_property
    def _prefix(self) -> str:
        return self._git("rev-parse", "--show-prefix").decode().strip()

    @cached_property
    def _tree(self) -> dict[str, str]:
        """Relative path -> blob id of every file under the catalog folders at `ref`."""
        listing = self._git(
            "ls-tree",
            "-r",
            "--full-tree",
            "-z",
            self.ref,
            "--",
            *(f"{self._prefix}{name}" for name in CATALOG_FOLDERS),
        )
        tree = {}
        for entry in filter(None, listing.decode().split("\0")):
            meta, _, name = entry.partition("\t")
            _mode, kind, blob = meta.split()
            if kind == "blob":
                tree[name[len(self._prefix) :]] = blob
        return tree

    @cached_property
    def _yaml_blobs(self) -> dict[str, bytes]:
        """The content of every YAML file of the tree, read by one `git cat-file --batch`."""
        paths = [p for p in self._tree if p.endswith((".yaml", ".yml"))]
        if not paths:
            return {}
        output = self._git(
            "cat-file", "--batch", stdin="".join(f"{self._tree[p]}\n" for p in paths).encode()
        )
        contents: dict[str, bytes] = {}
        position = 0
        for path in paths:
            header_end = output.index(b"\n", position)
            size = int(output[position:header_end].split()[2])
            start = header_end + 1
            contents[path] = output[start : start + size]
            position = start + size + 1  # the content is followed by a newline
        return contents
