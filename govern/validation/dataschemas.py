"""`parse_dataschema`, remembered: a stream repeats a handful of dataschemas."""

from __future__ import annotations

from functools import lru_cache

from govern.catalog.dataschema import parse_dataschema

named_version = lru_cache(maxsize=4096)(parse_dataschema)
"""`(name, version)` that a dataschema names, or None; cached, bounded."""
