"""govern: metering contracts as code.

from govern import Catalog
catalog = Catalog.load(".")
for issue in catalog.lint():
    print(issue)
"""

from govern.catalog.catalog import Catalog
from govern.errors import CatalogLoadError, GovernError, InputError
from govern.issues import Issue, Location, Severity

__all__ = [
    "Catalog",
    "CatalogLoadError",
    "GovernError",
    "InputError",
    "Issue",
    "Location",
    "Severity",
]
