"""The exception hierarchy: each kind of failure fixes its own exit code."""

from __future__ import annotations

from collections.abc import Sequence

from govern.issues import Issue


class GovernError(Exception):
    """Base class; `exit_code` is what the CLI exits with."""

    exit_code = 2


class InputError(GovernError):
    """Bad input (files, arguments): exit code 2."""


class CatalogLoadError(InputError):
    """The catalog could not be read; carries located issues."""

    def __init__(self, issues: Sequence[Issue]):
        self.issues = sorted(issues, key=Issue.sort_key)
        super().__init__("\n".join(str(i) for i in self.issues))
