"""The one seam between aggregation and contract validation.

Validation (contract version by `dataschema`, else the latest released; the schema; the
clock-skew check) belongs to `govern.validation`. This module is the only place the
reference engine calls it.
"""

from __future__ import annotations

from typing import Any

from govern.catalog.catalog import Catalog


class Validity:
    """Why an event breaks its contract: an empty list when it is valid."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def errors(self, event: dict[str, Any]) -> list[str]:
        # SEAM: until govern.validation lands, only the envelope checks of
        # govern.reference.envelope apply. Wiring it in:
        #   self._validators = ValidatorSet(catalog)   (in __init__)
        #   return self._validators.check(event).errors
        return []
