"""govern: metering contracts as code.

from govern import Catalog
catalog = Catalog.load(".")
for issue in catalog.lint():
    print(issue)
"""

from govern.catalog.catalog import Catalog
from govern.errors import CatalogLoadError, GovernError, InputError
from govern.gate import CheckReport, run_check
from govern.issues import Issue, Location, Severity

__all__ = [
    "Catalog",
    "CatalogLoadError",
    "CheckReport",
    "GovernError",
    "InputError",
    "Issue",
    "Location",
    "Severity",
    "run_check",
]
