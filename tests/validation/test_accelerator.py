"""The typed decoder only ever certifies what the full check finds valid; when unsure it
leaves the event to the full check. Each case: (line, certified?, valid?)."""

from __future__ import annotations

import pytest

from govern.events.reader import decode_event
from govern.validation import ValidatorSet
from govern.validation.accelerator import Accelerator

HEAD = (
    b'{"specversion":"1.0","id":"e1","source":"gw","type":"api_request","subject":"acme",'
    b'"time":"2026-10-01T00:00:00Z","recordedtime":"2026-10-01T00:00:02Z"'
)


def line(data: bytes, extra: bytes = b"") -> bytes:
    return HEAD + extra + b',"data":' + data + b"}"


DATA = b'{"route":"/v1","method":"GET","status":200,"duration_ms":1.5,"region":"us-east"}'


@pytest.mark.parametrize(
    ("text", "certified", "valid"),
    [
        (line(DATA), True, True),
        (line(DATA.replace(b"200", b"200.0")), False, True),
        (line(DATA.replace(b"1.5", b"0.0")), False, True),
        (line(DATA.replace(b"1.5", b"-0.0")), False, True),
        (line(DATA.replace(b"1.5", b"0")), True, True),
        (line(DATA.replace(b"1.5", b"-1e-400")), False, False),
        (line(DATA.replace(b"1.5", b"1e400")), False, True),
        (line(DATA.replace(b"200", b'700,"status":200')), False, True),
        (line(DATA.replace(b"200", b'200,"status":700')), False, False),
        (line(DATA, b',"dataschema":"api_request@1"'), True, True),
        (line(DATA, b',"dataschema":"api_request@7"'), False, False),
        (line(b"null", b',"voids":"e0"'), False, True),
        (line(b'{"status":"x"}', b',"voids":"e0"'), False, True),
        (line(DATA, b',"traceparent":"\xff"'), False, False),
        (line(DATA, b',"note":"caf\xc3\xa9"'), True, True),
        (line(DATA).replace(b'"type":"api_request"', b'"type":"api_requests"'), False, False),
        (line(DATA).replace(b"00:00:02Z", b"00:00:02+00:00"), True, True),
        (line(DATA).replace(b"00:00:02Z", b"23:00:02-01:00"), True, True),
        (line(DATA).replace(b"10-01T00:00:02Z", b"09-30T22:00:02-01:00"), False, False),
        (line(DATA).replace(b"10-01T00:00:00Z", b"10-01T00:00:00\\n"), False, False),
    ],
)
def test_certified_only_when_valid(catalog, text, certified, valid):
    validators = ValidatorSet(catalog)
    exact = validators.check(decode_event(text)) if _decodes(text) else None
    verdict = validators.check_json(text)
    assert verdict.valid is valid
    if exact is not None:
        assert verdict == exact
    assert (Accelerator(catalog).certify(text) is not None) is certified


def _decodes(text: bytes) -> bool:
    try:
        decode_event(text)
    except ValueError:
        return False
    return True
