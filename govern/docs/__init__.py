"""The docs site: Markdown pages for mkdocs-material, generated from the catalog.

from govern.docs import build_docs
build_docs(Path("."))                  # writes docs/catalog/, then: mkdocs build --strict

One module per page kind (`meter_page`, `contract_page`, `reference_pages`,
`semantics_page`, `changelog`, `nav`), each a pure function returning Markdown; `site`
puts them together and is the only writer.
"""

from govern.docs.site import build_docs, generate_pages, write_pages

__all__ = ["build_docs", "generate_pages", "write_pages"]
