"""The page of one event contract: fields, versions with their compatibility and
differences, a sample event, the meters that read it, and its compiled artifacts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from govern.catalog.catalog import Catalog
from govern.catalog.compatibility import base_mode, is_transitive
from govern.catalog.model import Contract, Envelope, FieldSpec
from govern.docs.changes import contract_version_changes
from govern.docs.markdown import (
    bullets,
    cell,
    code,
    fenced,
    generated_note,
    link,
    page,
    table,
    text,
)
from govern.docs.paths import glossary_link, meter_link
from govern.explain import describe_duration

COMPATIBILITY_WORDS = {
    "backward": "consumers on a new version can read events written for the version before it",
    "forward": "consumers on the version before can read events written for a new version",
    "full": "both backward and forward, with the version before",
    "none": "no compatibility is checked between versions",
}


def compatibility_words(mode: str) -> str:
    """`backward_transitive` -> what it promises, in words."""
    words = COMPATIBILITY_WORDS[base_mode(mode)]
    if is_transitive(mode):
        words = words.replace("the version before it", "every earlier version")
        words = words.replace("the version before", "every earlier version")
    return words


@dataclass(frozen=True)
class ArtifactLink:
    """A compiled file of one contract version, published beside its page."""

    label: str
    file_name: str


def _constraints(spec: FieldSpec) -> str:
    parts = []
    if spec.enum is not None:
        parts.append("one of " + ", ".join(code(value) for value in spec.enum))
    if spec.minimum is not None and spec.maximum is not None:
        parts.append(f"{code(spec.minimum)} to {code(spec.maximum)}")
    elif spec.minimum is not None:
        parts.append(f"at least {code(spec.minimum)}")
    elif spec.maximum is not None:
        parts.append(f"at most {code(spec.maximum)}")
    if spec.min_length is not None:
        parts.append(f"at least {spec.min_length} characters")
    if spec.max_length is not None:
        parts.append(f"at most {spec.max_length} characters")
    if spec.pattern is not None:
        parts.append(f"matches {code(spec.pattern)}")
    return "; ".join(parts)


def field_table(contract: Contract) -> str:
    return table(
        ["field", "type", "required", "constraints", "PII", "description"],
        (
            [
                code(name),
                spec.type,
                "yes" if spec.required else "no",
                _constraints(spec),
                "**yes**" if spec.pii else "no",
                cell(spec.description),
            ]
            for name, spec in contract.fields.items()
        ),
    )


def _event_rules(contract: Contract) -> str:
    defaults = Envelope()
    remapped = [
        f"{code(role)} is read from {code(getattr(contract.envelope, role))}"
        for role in type(defaults).model_fields
        if getattr(contract.envelope, role) != getattr(defaults, role)
    ]
    lines = [
        f"Duplicates are recognised by {', '.join(code(k) for k in contract.dedup_key)} "
        f"({link('deduplication', glossary_link('deduplication'))}).",
        f"An event whose time is more than {describe_duration(contract.clock_skew_delta)} "
        "after its recorded time is invalid (clock skew).",
    ]
    if remapped:
        lines.append("Envelope: " + "; ".join(remapped) + " (the rest as in CloudEvents).")
    else:
        lines.append("Envelope: CloudEvents 1.0 (`id`, `source`, `subject`, `time`, ...).")
    return bullets(lines)


def _versions_table(versions: Sequence[Contract]) -> str:
    return table(
        ["version", "status", "compatibility", "fields", "defined in"],
        (
            [
                link(str(c.version), f"#version-{c.version}"),
                c.status,
                c.compatibility,
                str(len(c.fields)),
                code(c.file),
            ]
            for c in reversed(versions)
        ),
    )


def _version_section(
    versions: Sequence[Contract], index: int, artifacts: Sequence[ArtifactLink]
) -> str:
    contract = versions[index]
    parts = [
        f"### Version {contract.version}",
        f"**{contract.status}**, compatibility **{contract.compatibility}**: "
        f"{compatibility_words(contract.compatibility)}.",
    ]
    if index > 0:
        previous = versions[index - 1]
        changes = contract_version_changes(previous, contract)
        heading = f"**Compared with version {previous.version}:**"
        parts += [heading, bullets(changes)] if changes else [f"{heading} no difference."]
    if artifacts:
        parts.append(
            "Compiled: "
            + ", ".join(link(a.label, f"{contract.contract}/{a.file_name}") for a in artifacts)
            + "."
        )
    return page(*parts)


def contract_page(
    catalog: Catalog,
    name: str,
    sample: str | None,
    sample_sources: Sequence[str],
    artifacts: dict[int, list[ArtifactLink]],
    history: str | None = None,
) -> str:
    """The Markdown page of contract `name`; `artifacts` are published per version."""
    versions = list(catalog.contracts[name].values())
    current = catalog.contract(name)
    meters = catalog.meters_reading(name)
    readers = (
        table(
            ["meter", "invoice line item", "versions that read it", "description"],
            (
                [
                    link(code(m.meter), meter_link(m.meter)),
                    code(m.line_item),
                    ", ".join(str(v.version) for v in m.versions if v.contract_name == name),
                    cell(m.description),
                ]
                for m in meters
            ),
        )
        if meters
        else "No meter reads this contract yet."
    )
    facts = table(
        ["", ""],
        [
            ["**owner**", cell(current.owner)],
            ["**current version**", f"{current.version} ({current.status})"],
            [
                "**compatibility**",
                f"{current.compatibility}: {text(compatibility_words(current.compatibility))}",
            ],
            [
                "**read by**",
                ", ".join(link(code(m.meter), meter_link(m.meter)) for m in meters) or cell(None),
            ],
            ["**defined in**", code(current.file)],
        ],
    )
    sample_block = (
        page(
            f"One of the samples in {', '.join(code(s) for s in sample_sources)}:",
            fenced(sample, "json"),
        )
        if sample
        else "This contract has no sample events yet (`contracts/<name>/samples/*.jsonl`)."
    )
    return page(
        generated_note(*(c.file for c in versions)),
        f"# {name}",
        cell(current.description) if current.description else None,
        facts,
        f"## Fields (version {current.version})",
        field_table(current),
        _event_rules(current),
        "## Meters that read it",
        readers,
        "## Versions",
        _versions_table(versions),
        *(
            _version_section(versions, i, artifacts.get(versions[i].version, []))
            for i in reversed(range(len(versions)))
        ),
        "## Sample event",
        sample_block,
        history,
    )
