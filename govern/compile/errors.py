"""Why a contract cannot be compiled to a target."""

from __future__ import annotations

from govern.errors import InputError


class CompileError(InputError):
    """A contract that a target cannot express (exit code 2); the message says what and where."""
