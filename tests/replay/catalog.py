"""The fixture catalog every replay test starts from: one contract, one meter, samples.

Worked out by hand from docs/semantics.md (meter `calls` v1: count where status < 500, per
region, UTC months, grace P2D; the as-of time is the latest recorded time, 2026-11-10):

| event | customer | time (UTC) | status | region | model | billed in |
| --- | --- | --- | --- | --- | --- | --- |
| e1 | acme | 2026-10-05 10:00 | 200 | us | a | Oct us |
| e2 | acme | 2026-10-06 10:00 | 404 | us | b | Oct us |
| e3 | acme | 2026-10-07 10:00 | 503 | eu | a | (filtered out) |
| e4 | acme | 2026-10-31 22:00 | 200 | eu | - | Oct eu |
| e5 | acme | 2026-11-01 02:00 | 200 | us | a | Nov us (Oct 31 in New York) |
| e6 | globex | 2026-10-15 10:00 | 200 | eu | b | Oct eu |
| e7 | acme | 2026-10-20 10:00, recorded 2026-11-02 12:00 | 200 | us | a | Oct us (close: Nov 3) |
| e8 | acme | 2026-11-10 00:00 | 200 | us | - | Nov us (open) |

Base rows: acme Oct us 3, acme Oct eu 1, acme Nov us 2, globex Oct eu 1; total 7.
"""

from __future__ import annotations

import json

CONTRACT_PATH = "contracts/call/v1.yaml"
METER_PATH = "meters/calls.yaml"
SAMPLES_PATH = "contracts/call/samples/events.jsonl"

CONTRACT = """\
contract: call
version: 1
status: released
owner: api-team
description: One API call.
fields:
  status: {type: integer, required: true}
  region: {type: string, required: true}
  tokens: {type: integer, required: true}
  model:  {type: string}
"""

METER = """\
meter: calls
owner: api-team
unit: call
line_item: CALLS
versions:
  - version: 1
    status: released
    effective_from: 2026-01-01
    description: Calls without a server error.
    contract: call
    filter: "status < 500"
    aggregation: count
    group_by: [region]
    period: {every: month, timezone: UTC}
    late: {grace: P2D}
"""


def _event(n: int, subject: str, time: str, status: int, region: str, tokens: int, **more) -> str:
    data = {"status": status, "region": region, "tokens": tokens}
    if "model" in more:
        data["model"] = more.pop("model")
    event = {
        "specversion": "1.0",
        "id": f"e{n}",
        "source": "api",
        "type": "call",
        "subject": subject,
        "time": time,
        **more,
        "data": data,
    }
    return json.dumps(event)


SAMPLES = "\n".join(
    [
        _event(1, "acme", "2026-10-05T10:00:00Z", 200, "us", 10, model="a"),
        _event(2, "acme", "2026-10-06T10:00:00Z", 404, "us", 20, model="b"),
        _event(3, "acme", "2026-10-07T10:00:00Z", 503, "eu", 30, model="a"),
        _event(4, "acme", "2026-10-31T22:00:00Z", 200, "eu", 40),
        _event(5, "acme", "2026-11-01T02:00:00Z", 200, "us", 50, model="a"),
        _event(6, "globex", "2026-10-15T10:00:00Z", 200, "eu", 60, model="b"),
        _event(
            7,
            "acme",
            "2026-10-20T10:00:00Z",
            200,
            "us",
            70,
            model="a",
            recordedtime="2026-11-02T12:00:00Z",
        ),
        _event(8, "acme", "2026-11-10T00:00:00Z", 200, "us", 5),
    ]
)

FILES = {CONTRACT_PATH: CONTRACT, METER_PATH: METER, SAMPLES_PATH: SAMPLES + "\n"}
