"""Shared by the compile and validation tests: the bundled catalog and its samples."""

from __future__ import annotations

from pathlib import Path

import yaml

from govern.catalog.model import Contract

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(str(path) for path in (ROOT / "contracts").glob("*/samples/events.jsonl"))
INVALID_SAMPLES = {"req-0017": "data.status: maximum", "req-0018": "data.region: required"}
"""Sample events that break their contract on purpose, with the reason."""


def contract_from(text: str) -> Contract:
    """A contract from YAML text, as the loader would build it."""
    return Contract.model_validate(yaml.safe_load(text))
