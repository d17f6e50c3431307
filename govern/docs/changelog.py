"""The catalog's changelog, from git: every commit that touched `contracts/` or `meters/`.

Each commit lists the meters and contracts it changed, and for meter files says what
the change did to the versions (a version added, with how it bills differently, or a
status changed). With a base ref (`--base origin/main`), commits not in the base are
marked as new, which is what a pull request's preview of the docs wants to show.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path

from govern.catalog.catalog import Catalog
from govern.catalog.model import Meter
from govern.docs.changes import meter_version_changes
from govern.docs.lineage import effective_range
from govern.docs.markdown import bullets, code, generated_note, link, page, text
from govern.docs.memory import MemorySource
from govern.docs.paths import CHANGELOG, contract_path, href, meter_path
from govern.errors import CatalogLoadError, InputError

_CONTRACT_FILE = re.compile(r"^contracts/(?P<name>[^/]+)/v(?P<version>\d+)\.ya?ml$")
_SAMPLE_FILE = re.compile(r"^contracts/(?P<name>[^/]+)/samples/")
_TESTS_FILE = re.compile(r"^meters/(?P<name>[^/]+)\.tests\.ya?ml$")
_METER_FILE = re.compile(r"^meters/(?P<name>[^/.]+)\.ya?ml$")
_STATUS = {"A": "added", "M": "changed", "D": "removed", "T": "changed"}
_RECORD, _UNIT = "\x1e", "\x1f"


@dataclass(frozen=True)
class FileChange:
    status: str
    path: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Commit:
    sha: str
    day: date
    author: str
    subject: str
    files: tuple[FileChange, ...]
    new: bool = False
    """Not in the base ref: changed by the branch being previewed."""

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class Changelog:
    commits: tuple[Commit, ...]
    base: str | None = None
    note: str | None = None
    """Why there is no history (not a git repository), when there is none."""

    def touching(self, paths: Collection[str]) -> list[Commit]:
        """The commits that changed any of `paths`, newest first."""
        return [c for c in self.commits if any(f.path in paths for f in c.files)]


def _git(project: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(project), *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        message = result.stderr.strip().splitlines()
        raise InputError(f"git {' '.join(args)}: {message[-1] if message else 'failed'}")
    return result.stdout


def _is_repository(project: Path) -> bool:
    result = subprocess.run(
        ["git", "-C", str(project), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0 and result.stdout.strip() == "true"


def _show(project: Path, sha: str, path: str) -> bytes | None:
    result = subprocess.run(
        ["git", "-C", str(project), "show", f"{sha}:./{path}"], capture_output=True, check=False
    )
    return result.stdout if result.returncode == 0 else None


def _meter_at(project: Path, sha: str, path: str) -> Meter | None:
    content = _show(project, sha, path)
    if content is None:
        return None
    try:
        meters = Catalog.from_source(MemorySource({path: content}, label=sha)).meters
    except CatalogLoadError:
        return None
    return next(iter(meters.values()), None)


def meter_change_details(before: Meter | None, after: Meter | None) -> list[str]:
    """What a commit did to a meter's versions, in words."""
    if after is None:
        return []
    old = {v.version: v for v in before.versions} if before else {}
    details = []
    for index, version in enumerate(after.versions):
        if version.version not in old:
            line = (
                f"version {version.version} added ({version.status}, computes "
                f"{effective_range(after, version)})"
            )
            if index > 0:
                changes = meter_version_changes(after.versions[index - 1], version)
                line += f": {' '.join(changes) or 'computes the same as the version before'}"
            details.append(line)
        elif old[version.version].status != version.status:
            details.append(
                f"version {version.version}: {old[version.version].status} -> {version.status}"
            )
    return details


def read_changelog(project: Path, base: str | None = None) -> Changelog:
    """The commits that changed the catalog in `project`, newest first."""
    if not _is_repository(project):
        if base is not None:
            raise InputError(f"--base {base}: {project} is not in a git repository")
        return Changelog((), note=f"{project} is not in a git repository: no history to show.")
    if base is not None:
        try:
            _git(project, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
        except InputError:
            raise InputError(f"--base {base}: no such commit in {project}") from None
    log = _git(
        project,
        "log",
        f"--format={_RECORD}%H{_UNIT}%as{_UNIT}%an{_UNIT}%s",
        "--name-status",
        "--no-renames",
        "--relative",
        "--",
        "contracts",
        "meters",
    )
    new = set(_git(project, "rev-list", f"{base}..HEAD").split()) if base else set()
    commits = [_parse_commit(project, record, new) for record in log.split(_RECORD)[1:]]
    return Changelog(tuple(commits), base=base)


def _parse_commit(project: Path, record: str, new: set[str]) -> Commit:
    header, _, body = record.partition("\n")
    sha, day, author, subject = header.split(_UNIT, 3)
    files = []
    for line in body.splitlines():
        if not line.strip():
            continue
        status, _, path = line.partition("\t")
        details: list[str] = []
        if _METER_FILE.match(path) and status[0] in "AM":
            before = _meter_at(project, f"{sha}^", path) if status[0] == "M" else None
            details = meter_change_details(before, _meter_at(project, sha, path))
        files.append(FileChange(_STATUS.get(status[0], status), path, tuple(details)))
    return Commit(sha, date.fromisoformat(day), author, subject, tuple(files), sha in new)


# ---------------------------------------------------------------- rendering


def _subject_of(path: str, from_page: str, catalog: Catalog) -> str | None:
    """`meter api_calls` (linked when it has a page), or None for files outside the catalog."""
    if match := _METER_FILE.match(path):
        name = match["name"]
        label = f"meter {code(name)}"
        return link(label, href(from_page, meter_path(name))) if name in catalog.meters else label
    if match := _TESTS_FILE.match(path):
        name = match["name"]
        label = f"tests of meter {code(name)}"
        return link(label, href(from_page, meter_path(name))) if name in catalog.meters else label
    for pattern, what in ((_CONTRACT_FILE, "contract"), (_SAMPLE_FILE, "samples of")):
        if match := pattern.match(path):
            name = match["name"]
            label = f"{what} {code(name)}"
            if what == "contract":
                label += f" v{match['version']}"
            if name in catalog.contracts:
                return link(label, href(from_page, contract_path(name)))
            return label
    return None


def _commit_lines(commit: Commit, from_page: str, catalog: Catalog) -> str:
    mark = " **new**" if commit.new else ""
    head = (
        f"**{commit.day.isoformat()}** {text(commit.subject)} "
        f"({code(commit.short)}, {text(commit.author)}){mark}"
    )
    items = []
    for change in commit.files:
        subject = _subject_of(change.path, from_page, catalog) or code(change.path)
        line = f"{subject}: {change.status}"
        if change.details:
            line += "; " + "; ".join(change.details)
        items.append(line)
    indented = "\n".join(f"    - {item}" for item in items)
    return f"- {head}\n{indented}" if items else f"- {head}"


def _month(day: date) -> str:
    return day.strftime("%B %Y")


def changelog_page(changelog: Changelog, catalog: Catalog) -> str:
    """The changelog page: commits newest first, one section per month."""
    intro = (
        "Every commit that changed an event contract, a meter or a sample, newest first, "
        "from `git log -- contracts meters`. For a meter, it says which versions were added "
        "and how they bill differently from the version before."
    )
    if changelog.base:
        count = sum(commit.new for commit in changelog.commits)
        intro += (
            f" Commits marked **new** are not in {code(changelog.base)}: "
            f"{count} commit{'s' if count != 1 else ''} since that base."
        )
    blocks: list[str] = [generated_note("git log -- contracts meters"), "# Changelog", intro]
    if changelog.note:
        blocks.append(changelog.note)
    elif not changelog.commits:
        blocks.append("No commit has changed the catalog yet.")
    for month, commits in groupby(changelog.commits, key=lambda c: c.day.strftime("%B %Y")):
        blocks.append(f"## {month}")
        blocks.append("\n".join(_commit_lines(c, CHANGELOG, catalog) for c in commits))
    return page(*blocks)


def history_section(
    changelog: Changelog, paths: Collection[str], from_page: str, catalog: Catalog
) -> str:
    """The "History" section of a meter or contract page: the commits that touched `paths`."""
    heading = "## History"
    if changelog.note:
        return page(heading, changelog.note)
    files = ", ".join(code(path) for path in sorted(paths))
    commits = changelog.touching(paths)
    if not commits:
        return page(heading, f"No commit has changed {files} yet.")
    lines = []
    for commit in commits:
        changes = [
            f"{code(change.path)} {change.status}" + "".join(f"; {d}" for d in change.details)
            for change in commit.files
            if change.path in paths
        ]
        mark = " **new**" if commit.new else ""
        lines.append(
            f"**{commit.day.isoformat()}** {text(commit.subject)} ({code(commit.short)}): "
            f"{'; '.join(changes)}{mark}"
        )
    link_to_all = link("changelog", href(from_page, CHANGELOG))
    return page(
        heading, f"Commits that changed {files}, newest first (all: {link_to_all}).", bullets(lines)
    )
