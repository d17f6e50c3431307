"""A catalog source held in memory: the docs load small catalogs (a meter file as it was in
an old commit, the scenarios of the semantics page) without writing them to disk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MemorySource:
    """Catalog files by path relative to the project root (`meters/api_calls.yaml`)."""

    contents: dict[str, bytes] = field(default_factory=dict)
    label: str = "<memory>"

    def files(self) -> Iterator[str]:
        yield from sorted(self.contents)

    def read(self, relative_path: str) -> bytes:
        return self.contents[relative_path]
