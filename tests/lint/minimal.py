"""A minimal valid catalog, as text, for rule tests to break one line at a time."""

CONTRACT = """\
contract: click
version: 1
status: released
owner: web-team
description: One click on a button.
fields:
  button: {type: string, required: true}
  amount: {type: number, required: true}
  note: {type: string}
  kind: {type: string, enum: [primary, secondary], required: true}
"""

METER = """\
meter: clicks
owner: web-team
unit: click
line_item: CLICKS
versions:
  - version: 1
    status: released
    effective_from: 2026-01-01
    description: Every click.
    contract: click
    filter: "kind = 'primary'"
    aggregation: count
    group_by: [button]
    period: {every: month, timezone: UTC}
    late: {grace: P1D}
"""

FILES = {"contracts/click/v1.yaml": CONTRACT, "meters/clicks.yaml": METER}
