"""Benchmark of the reference aggregator on generated, realistic usage events.

    python bench/reference.py                      # 1,000,000 api_request events, api_calls
    python bench/reference.py --events 200000 --profile
    python bench/reference.py --mixed              # api_request, llm_tokens, storage_snapshot

The stream: 10,000 customers over October and November 2026 in arrival order, 2% identical
retries (recorded seconds later), 3% late (recorded after their period closed), a few
server errors and health checks. Prints events per second for each stage on one core
(reading, decoding, validation of decoded events and of raw lines, the whole aggregation,
which validates raw lines) and the peak memory.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from operator import attrgetter, itemgetter
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govern.catalog.catalog import Catalog  # noqa: E402
from govern.events.reader import decode_event, read_batches, read_lines  # noqa: E402
from govern.reference import aggregate  # noqa: E402
from govern.reference.validity import Validity  # noqa: E402
from govern.validation import ValidatorSet  # noqa: E402
from govern.validation.accelerator import data_fields  # noqa: E402

START = datetime(2026, 10, 1, tzinfo=UTC)
SPAN = timedelta(days=61)
ROUTES = ["/v1/chat/completions", "/v1/embeddings", "/v1/files", "/health/ready"]
MODELS = ["gpt-small", "gpt-large", "embed-v3"]


def stamp(moment: datetime) -> str:
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def month_close(moment: datetime, grace: timedelta) -> datetime:
    following = datetime(moment.year + moment.month // 12, moment.month % 12 + 1, 1, tzinfo=UTC)
    return following + grace


def api_request(rng: random.Random, number: int, moment: datetime) -> dict:
    route = rng.choice(ROUTES)
    data = {
        "route": route,
        "method": "GET" if route.startswith("/health") else rng.choice(["GET", "POST"]),
        "status": rng.choices([200, 201, 404, 429, 503], [80, 8, 6, 4, 2])[0],
        "duration_ms": round(rng.uniform(1, 2000), 2),
        "region": rng.choice(["us-east", "eu-west", "ap-south"]),
    }
    if route.startswith("/v1/chat"):
        data["model"] = rng.choice(MODELS[:2])
    return {
        "type": "api_request",
        "id": f"req-{number:08d}",
        "source": "gateway/prod",
        "dataschema": "https://schemas.example.com/api_request/v2",
        "data": data,
    }


def llm_tokens(rng: random.Random, number: int, moment: datetime) -> dict:
    data = {
        "model": rng.choice(MODELS),
        "input_tokens": rng.randint(10, 8000),
        "output_tokens": rng.randint(0, 2000),
        "cached": rng.random() < 0.2,
    }
    return {"type": "llm_tokens", "id": f"llm-{number:08d}", "source": "router/prod", "data": data}


def storage_snapshot(rng: random.Random, number: int, moment: datetime) -> dict:
    data = {
        "bucket": f"bucket-{rng.randint(1, 999):03d}",
        "gigabytes": round(rng.uniform(0, 5000), 3),
        "storage_class": rng.choice(["standard", "archive"]),
    }
    return {
        "type": "storage_snapshot",
        "id": f"snap-{number:08d}",
        "source": "storage/metering",
        "data": data,
    }


def generate(path: Path, count: int, mixed: bool, seed: int = 7) -> None:
    """Write `count` events to `path` in arrival (recorded time) order."""
    rng = random.Random(seed)
    kinds: list[Callable] = [api_request, llm_tokens, storage_snapshot] if mixed else [api_request]
    weights = [70, 25, 5] if mixed else [1]
    arrivals: list[tuple[datetime, int, bytes]] = []
    number = 0
    while len(arrivals) < count:
        moment = START + timedelta(seconds=rng.randrange(int(SPAN.total_seconds())))
        recorded = moment + timedelta(milliseconds=rng.randint(5, 4000))
        if rng.random() < 0.03:  # late: after the month closed (api_calls grace is P3D)
            recorded = month_close(moment, timedelta(days=3)) + timedelta(
                minutes=rng.randint(1, 14 * 24 * 60)
            )
        body = rng.choices(kinds, weights)[0](rng, number, moment)
        body.update(
            specversion="1.0",
            subject=f"cust-{rng.randint(1, 10_000):05d}",
            time=stamp(moment),
            recordedtime=stamp(recorded),
        )
        arrivals.append((recorded, len(arrivals), orjson.dumps(body)))
        if rng.random() < 0.02 and len(arrivals) < count:  # an identical retry
            retried = recorded + timedelta(seconds=rng.randint(1, 30))
            body["recordedtime"] = stamp(retried)
            arrivals.append((retried, len(arrivals), orjson.dumps(body)))
        number += 1
    arrivals.sort()
    with path.open("wb") as stream:
        for _, _, line in arrivals:
            stream.write(line + b"\n")


def timed(label: str, count: int, work: Callable[[], object]) -> object:
    """Run `work`; print its CPU time (what one core spends: fair on a busy machine) and
    the events per CPU second, with the wall-clock time beside it."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{label:<46} cpu {cpu:7.2f} s  {count / cpu:>10,.0f} events/s  (wall {wall:.2f} s)")
    return result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_aggregate(catalog: Catalog, meter: str, path: Path, count: int, profile: bool) -> None:
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    result = timed("aggregate (whole pipeline)", count, lambda: aggregate(catalog, meter, [path]))
    if profiler:
        profiler.disable()
        report = io.StringIO()
        pstats.Stats(profiler, stream=report).sort_stats("tottime").print_stats(30)
        print(report.getvalue())
    print(f"peak memory (max RSS) after aggregating: {peak_mb():,.0f} MB")
    print(result.counts.summary(meter))  # type: ignore[attr-defined]
    print(f"{len(result.rows):,} rows")  # type: ignore[attr-defined]


def run_stages(catalog: Catalog, path: Path, count: int) -> None:
    """The floor (reading, decoding) and validation alone, with the cyclic collector
    paused as the aggregator pauses it (else it rescans the decoded events again and
    again and the figures measure the collector)."""
    gc.disable()
    timed("read lines only", count, lambda: sum(1 for _ in read_lines([path])))
    timed(
        "read + decode (msgspec, exact decimals)",
        count,
        lambda: sum(1 for line in read_lines([path]) if decode_event(line.text)),
    )
    validators = ValidatorSet(catalog)
    timed(
        "read + decode + validate (ValidatorSet.check)",
        count,
        lambda: sum(
            1 for line in read_lines([path]) if validators.check(decode_event(line.text)).valid
        ),
    )
    timed(
        "read + validate raw (ValidatorSet.check_json)",
        count,
        lambda: sum(1 for line in read_lines([path]) if validators.check_json(line.text).valid),
    )
    gc.enable()


_TEXT, _SOURCE, _ID = attrgetter("text"), attrgetter("source"), attrgetter("id")
_SUBJECT, _TIME, _DATA = attrgetter("subject"), attrgetter("time"), attrgetter("data")
_MONTH = itemgetter(slice(7))


def run_floor(catalog: Catalog, path: Path, count: int) -> None:
    """The least any aggregation in Python does per event, step by step (cumulative):
    read the lines; certify each with validation's typed decoder, its fast path; keep one
    event per (source, id); count each into a (subject, month, region) group. The last
    figure bounds what the whole pipeline can reach on this machine."""
    certified_all = Validity(catalog, "api_request").certified_all

    def floor(steps: int) -> int:
        winners: dict[tuple, int] = {}
        groups: Counter = Counter()
        for batch in read_batches([path]):
            if steps == 0:
                continue
            events = list(filter(None, certified_all(list(map(_TEXT, batch)))))
            if steps == 1 or not events:
                continue
            keys = zip(map(_SOURCE, events), map(_ID, events), strict=True)
            list(map(winners.setdefault, keys, range(len(winners), len(winners) + len(events))))
            if steps == 2:
                continue
            data = list(map(_DATA, events))
            region = attrgetter(data_fields(type(data[0]))["region"])
            groups.update(
                zip(
                    map(_SUBJECT, events),
                    map(_MONTH, map(_TIME, events)),
                    map(region, data),
                    strict=True,
                )
            )
        return len(winners)

    gc.disable()
    steps = [
        "floor: read lines",
        "floor: + certify (typed decode, checks)",
        "floor: + one event per (source, id)",
        "floor: + count per (subject, month, region)",
    ]
    for number, label in enumerate(steps):
        timed(label, count, lambda number=number: floor(number))
    gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--meter", default="api_calls")
    parser.add_argument("--mixed", action="store_true", help="three event types, not one")
    parser.add_argument("--profile", action="store_true", help="cProfile the aggregation")
    parser.add_argument("--generate-only", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.generate_only:
        generate(options.generate_only, options.events, options.mixed)
        return
    catalog = Catalog.load(ROOT)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.jsonl"
        # Generated in a child process, so the peak memory below is the aggregator's.
        command = [sys.executable, __file__, "--events", str(options.events), "--generate-only"]
        subprocess.run([*command, str(path), *(["--mixed"] if options.mixed else [])], check=True)
        size = os.path.getsize(path) / 1e6
        print(f"{options.events:,} events ({size:,.0f} MB), meter {options.meter}, one core")
        print(f"memory before aggregating: {peak_mb():,.0f} MB")
        run_aggregate(catalog, options.meter, path, options.events, options.profile)
        run_stages(catalog, path, options.events)
        if not options.mixed:
            run_floor(catalog, path, options.events)


if __name__ == "__main__":
    main()
