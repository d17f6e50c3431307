"""The one seam between aggregation and contract validation.

Validation (the contract version its `dataschema` names, else the latest released; the
schema; the clock-skew check) belongs to `govern.validation`; this module is the only
place the reference engine calls it.
"""

from __future__ import annotations

from typing import Any

from govern.catalog.catalog import Catalog
from govern.validation import ValidatorSet


class Validity:
    """Why an event breaks contract `contract`: an empty list when it is valid."""

    def __init__(self, catalog: Catalog, contract: str):
        self._validators = ValidatorSet(catalog, contract)
        self.certified_all = self._validators.accelerator.certified_all
        """`certified_all(texts)`: per raw event, the event decoded when it is certainly
        valid, else None."""

    def errors(self, event: dict[str, Any]) -> list[str]:
        return self._validators.check(event).errors
