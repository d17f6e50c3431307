"""Throughput of `govern validate` against `jsonschema` and the `orjson.loads` floor.

    python bench/validate.py [--events 1000000] [--project .]

Writes N realistic usage events (the bundled catalog's five contracts, about 1% invalid,
a few voids, most naming their dataschema) to a temporary JSONL file, then streams that
file through each contender in the same run, on one core:

- floor:      read each line and `orjson.loads` it;
- govern:     the `govern validate` path (decode once, check, count, nothing kept);
- jsonschema: `orjson.loads` + the `jsonschema` Draft 2020-12 validator of the compiled
              schema of the event's contract version (built once per version).

Prints events/s for each, the ratios the issue targets (govern >= 10x jsonschema, >= 40%
of the floor) and peak memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import jsonschema
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govern.catalog.catalog import Catalog
from govern.catalog.dataschema import parse_dataschema
from govern.catalog.model import Contract, FieldSpec
from govern.validation import ValidatorSet
from govern.validation.stream import validate_inputs

SHARES = {
    "api_request": 50,
    "llm_tokens": 25,
    "storage_snapshot": 10,
    "compute_job": 10,
    "user_activity": 5,
}
POOLS = {
    "route": ["/v1/chat/completions", "/v1/embeddings", "/v1/files", "/v1/models"],
    "model": ["gpt-small", "gpt-large", "embed-v3"],
    "project": ["support-bot", "search", "summaries", "internal-tools"],
    "action": ["document.open", "document.edit", "comment.add", "share.create"],
    "bucket": ["acme-logs", "globex-backups", "initech-media", "umbrella-data"],
    "region": ["us-east", "eu-west", "ap-south"],
}
START = datetime(2026, 10, 1, tzinfo=UTC)


def generate(catalog: Catalog, count: int, out: Path, seed: int = 7) -> None:
    """`count` events, one JSON object a line."""
    rng = random.Random(seed)
    names = [name for name in SHARES if name in catalog.contracts]
    weights = [SHARES[name] for name in names]
    with out.open("wb") as stream:
        for index in range(count):
            name = rng.choices(names, weights)[0]
            versions = list(catalog.contracts[name].values())
            contract = versions[-1] if rng.random() < 0.9 else rng.choice(versions)
            stream.write(orjson.dumps(_event(rng, contract, index)) + b"\n")


def _event(rng: random.Random, contract: Contract, index: int) -> dict:
    moment = START + timedelta(milliseconds=index * 37 + rng.randrange(1000))
    event: dict = {
        "specversion": "1.0",
        "id": f"{contract.contract[:3]}-{index:09d}",
        "source": f"{contract.contract.split('_')[0]}/prod-{rng.randrange(8)}",
        "type": contract.contract,
        "subject": f"customer-{rng.randrange(2000):04d}",
        "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "recordedtime": (moment + timedelta(seconds=rng.uniform(0.2, 4)))
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
    }
    if rng.random() < 0.8:
        event["dataschema"] = f"https://schemas.example.com/{contract.contract}/v{contract.version}"
    if rng.random() < 0.003:
        event["voids"] = f"{contract.contract[:3]}-{rng.randrange(index + 1):09d}"
        return event
    event["data"] = {
        name: _value(rng, name, spec)
        for name, spec in contract.fields.items()
        if spec.required or rng.random() < 0.5
    }
    if rng.random() < 0.01:
        _break(rng, event)
    return event


def _value(rng: random.Random, name: str, spec: FieldSpec) -> object:
    if spec.enum:
        return rng.choice(spec.enum)
    if spec.type == "string":
        pool = POOLS.get(name)
        return rng.choice(pool) if pool else f"{name}-{rng.randrange(10_000)}"
    if spec.type == "integer":
        low = int(spec.minimum or 0)
        return rng.randint(low, int(spec.maximum) if spec.maximum is not None else low + 5000)
    if spec.type == "number":
        return round(rng.uniform(float(spec.minimum or 0), 5000.0), rng.choice((0, 2, 3)))
    if spec.type == "boolean":
        return rng.random() < 0.3
    return (START + timedelta(seconds=rng.randrange(86400))).isoformat().replace("+00:00", "Z")


def _break(rng: random.Random, event: dict) -> None:
    """One realistic defect: a missing field, a wrong type, a clock far ahead."""
    data = event["data"]
    choice = rng.randrange(3)
    if choice == 0 and data:
        data.pop(next(iter(data)))
    elif choice == 1 and data:
        key = next(iter(data))
        data[key] = str(data[key]) if not isinstance(data[key], str) else 42
    else:
        event["recordedtime"] = event["time"].replace("2026-10", "2026-09")


def rate(label: str, count: int, run: Callable[[], object], rounds: int) -> float:
    """Events per CPU second of this process (other load on the machine does not count),
    best of `rounds`."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    per_second = count / best
    print(f"{label:<44} {per_second:>12,.0f} events/s  ({best:.2f} CPU s)")
    return per_second


def floor(path: Path) -> None:
    loads = orjson.loads
    with path.open("rb") as stream:
        for line in stream:
            loads(line)


def validator(path: Path, validators: ValidatorSet) -> None:
    check = validators.check_json
    with path.open("rb") as stream:
        for line in stream:
            check(line)


def govern(path: Path, validators: ValidatorSet) -> None:
    validate_inputs([str(path)], validators, lambda rejection: None)


def with_jsonschema(path: Path, catalog: Catalog) -> None:
    validators: dict[tuple[str, int], jsonschema.Draft202012Validator] = {}
    schemas = ValidatorSet(catalog)
    with path.open("rb") as stream:
        for line in stream:
            event = orjson.loads(line)
            named = parse_dataschema(event.get("dataschema", ""))
            name = event["type"]
            version = named[1] if named and named[0] == name else None
            key = (name, version or 0)
            if key not in validators:
                schema = schemas.validator(name, version).schema
                validators[key] = jsonschema.Draft202012Validator(orjson.loads(_dump(schema)))
            validators[key].is_valid(event)


def _dump(schema: dict) -> bytes:
    return orjson.dumps(
        schema, default=lambda value: float(value) if isinstance(value, Decimal) else str(value)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--project", default=".")
    parser.add_argument("--rounds", type=int, default=3, help="best of N for floor and govern")
    args = parser.parse_args()
    catalog = Catalog.load(args.project)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.jsonl"
        generate(catalog, args.events, path)
        size = path.stat().st_size
        print(f"{args.events:,} events, {size / args.events:.0f} bytes each on average")
        validators = ValidatorSet(catalog)
        floor_rate = rate(
            "orjson.loads per line (floor)", args.events, lambda: floor(path), args.rounds
        )
        validator_rate = rate(
            "govern validator (check_json per line)",
            args.events,
            lambda: validator(path, validators),
            args.rounds,
        )
        govern_rate = rate(
            "govern validate end to end (read_lines, counts)",
            args.events,
            lambda: govern(path, validators),
            args.rounds,
        )
        schema_rate = rate(
            "jsonschema Draft 2020-12 on compiled schema",
            args.events,
            lambda: with_jsonschema(path, catalog),
            1,
        )
    print(f"validator / jsonschema:  {validator_rate / schema_rate:5.1f}x (target >= 10x)")
    print(f"validator / floor:       {validator_rate / floor_rate:5.0%} (target >= 40%)")
    print(f"end to end / jsonschema: {govern_rate / schema_rate:5.1f}x")
    print(f"end to end / floor:      {govern_rate / floor_rate:5.0%}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory (ru_maxrss): {peak / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
