"""`govern docs`: every generated page, computed by pure functions, then written by one writer.

`generate_pages` returns {path relative to the generated folder: content}; `write_pages`
replaces the generated folder with them; `build_docs` does both for a project, the way
the CLI and `make docs` run it. The generated folder (default `docs/catalog/`) belongs to
govern: it is rewritten whole, and refused if it holds files govern did not write.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from govern.catalog.catalog import Catalog
from govern.catalog.model import Meter
from govern.compile import TARGETS, Target
from govern.docs.changelog import Changelog, changelog_page, history_section, read_changelog
from govern.docs.contract_page import ArtifactLink, contract_page
from govern.docs.meter_page import meter_page
from govern.docs.nav import (
    by_contract_page,
    by_owner_page,
    handwritten_pages,
    index_page,
    nav_yaml,
    site_nav,
)
from govern.docs.paths import (
    BY_CONTRACT,
    BY_OWNER,
    CHANGELOG,
    GLOSSARY,
    INDEX,
    RULES,
    SEMANTICS,
    contract_path,
    meter_path,
)
from govern.docs.reference_example import reference_example
from govern.docs.reference_pages import glossary_page, rules_page
from govern.docs.samples import Samples, load_samples, sample_event
from govern.docs.semantics_page import semantics_page
from govern.docs.worked_example import ExampleRunner, render_worked_example
from govern.errors import InputError

DEFAULT_OUT = Path("docs") / "catalog"
NAV_FILE = "nav.yml"
MARKER = ".govern-docs"
"""Written into the generated folder; only a folder holding it is ever cleared."""

ARTIFACT_LABELS = {"jsonschema": "JSON Schema", "avro": "Avro schema"}
"""How a compile target's files are named on contract pages (else by the target's name)."""

_CONTRACT_ARTIFACT = re.compile(r"^v(?P<version>\d+)\.")


def contract_artifacts(
    catalog: Catalog, targets: Sequence[Target]
) -> tuple[dict[str, str], dict[tuple[str, int], list[ArtifactLink]]]:
    """The compiled files of every contract version, published beside the contract pages:
    {page path: text}, and the links of each (contract, version)."""
    files: dict[str, str] = {}
    links: dict[tuple[str, int], list[ArtifactLink]] = {}
    for target in targets:
        label = ARTIFACT_LABELS.get(target.name, target.name)
        for artifact in target.build(catalog):
            parts = artifact.path.parts
            match = _CONTRACT_ARTIFACT.match(parts[-1])
            if len(parts) != 2 or parts[0] not in catalog.contracts or not match:
                continue  # not a per-contract-version file
            files[f"contracts/{artifact.path}"] = artifact.text
            key = (parts[0], int(match["version"]))
            links.setdefault(key, []).append(ArtifactLink(label, parts[1]))
    return files, links


def _meter_samples(project: Path, meter: Meter, cache: dict[str, Samples]) -> Samples:
    """The samples of every contract `meter` reads, in contract-name order."""
    names = sorted({version.contract_name for version in meter.versions})
    for name in names:
        if name not in cache:
            cache[name] = load_samples(project, name)
    parts = [cache[name] for name in names]
    return Samples(
        tuple(f for s in parts for f in s.files),
        tuple(line for s in parts for line in s.lines),
        tuple(event for s in parts for event in s.events),
    )


def generate_pages(
    catalog: Catalog,
    project: Path,
    *,
    changelog: Changelog | None = None,
    runner: ExampleRunner = reference_example,
    targets: Sequence[Target] = tuple(TARGETS.values()),
) -> dict[str, str]:
    """Every generated page and artifact, by path relative to the generated folder.

    Without a `changelog` (no git, or golden tests) the changelog page says so and
    meter and contract pages have no History section.
    """
    pages, artifacts = contract_artifacts(catalog, targets)
    samples: dict[str, Samples] = {}
    for meter in catalog.meters.values():
        path = meter_path(meter.meter)
        meter_samples = _meter_samples(project, meter, samples)
        example = runner(catalog, meter, meter_samples) if meter_samples.lines else None
        missing = "This meter's contract has no sample events (`contracts/<name>/samples/`)."
        history = history_section(changelog, {meter.file}, path, catalog) if changelog else None
        pages[path] = meter_page(
            catalog, meter, render_worked_example(meter, example, missing), history
        )
    for name, versions in catalog.contracts.items():
        contract_samples = samples.get(name) or load_samples(project, name)
        current = catalog.contract(name)
        path = contract_path(name)
        files = {c.file for c in versions.values()} | set(contract_samples.relative_files(project))
        pages[path] = contract_page(
            catalog,
            name,
            sample_event(contract_samples, name, current.version),
            contract_samples.relative_files(project),
            {number: artifacts.get((name, number), []) for number in versions},
            history_section(changelog, files, path, catalog) if changelog else None,
        )
    pages[INDEX] = index_page(catalog)
    pages[BY_OWNER] = by_owner_page(catalog)
    pages[BY_CONTRACT] = by_contract_page(catalog)
    pages[CHANGELOG] = changelog_page(changelog or Changelog((), note=_NO_HISTORY), catalog)
    pages[RULES] = rules_page()
    pages[SEMANTICS] = semantics_page(runner)
    pages[GLOSSARY] = glossary_page()
    return pages


_NO_HISTORY = "This build was made without git history (`govern docs` outside a repository)."


def write_pages(pages: dict[str, str], out: Path) -> list[Path]:
    """Replace the generated folder `out` with `pages`; return the files written."""
    if out.exists():
        if not out.is_dir():
            raise InputError(f"{out} is not a folder")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise InputError(
                f"{out} holds files govern docs did not write; choose another --out folder"
            )
        shutil.rmtree(out)
    written = []
    for relative, content in sorted(pages.items()):
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    (out / MARKER).write_text(
        "Written by `govern docs`; this folder is replaced on every run.\n", encoding="utf-8"
    )
    return written


def build_docs(project: Path, out: Path | None = None, base: str | None = None) -> list[Path]:
    """Generate the docs of the catalog in `project` into `out` (default `docs/catalog`).

    The nav (`nav.yml` in `out`) lists the generated pages and the hand-written Markdown
    pages of `out`'s parent folder, the mkdocs `docs_dir`.
    """
    catalog = Catalog.load(project)
    out = out if out is not None else project / DEFAULT_OUT
    changelog = read_changelog(project, base)
    pages = generate_pages(catalog, project, changelog=changelog)
    docs_root = out.resolve().parent
    prefix = out.resolve().relative_to(docs_root).as_posix() + "/"
    handwritten = handwritten_pages(docs_root, out.resolve())
    pages[NAV_FILE] = nav_yaml(site_nav(catalog, prefix, handwritten))
    return write_pages(pages, out)
