from __future__ import annotations

import pytest

from govern.catalog.catalog import Catalog
from tests.contract_samples import ROOT


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load(ROOT)
