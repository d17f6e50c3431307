"""`Accelerator.certified_all` answers for a batch what `certified` answers line by line:
for batches of valid, broken, foreign and undecodable lines, one contract or all."""

from __future__ import annotations

from event_strategies import events, to_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govern.catalog.catalog import Catalog
from govern.events.reader import read_lines
from govern.validation.accelerator import Accelerator
from tests.contract_samples import ROOT, SAMPLES
from tests.validation.test_verdicts_agree import SYNTHETIC

_CATALOG = Catalog.load(ROOT)
_SYNTHETIC = Catalog(contracts={"synthetic": {1: SYNTHETIC}}, meters={})
_ACCELERATORS = {
    "api_request": Accelerator(_CATALOG, "api_request"),
    "all": Accelerator(_CATALOG),
    "synthetic": Accelerator(_SYNTHETIC, "synthetic"),
}
_NAMES = [*_CATALOG.contracts, "synthetic"]
_GARBAGE = st.sampled_from([b"{", b"[]", b"null", b'{"type":"api_request"}', b"\xff\xfe{}"])


def _lines(contract) -> st.SearchStrategy[bytes]:
    return st.one_of(events(contract, _NAMES).map(to_json), _GARBAGE)


def batches(draw: st.DrawFn) -> tuple[str, list[bytes]]:
    name = draw(st.sampled_from(sorted(_ACCELERATORS)))
    catalog = _SYNTHETIC if name == "synthetic" else _CATALOG
    contracts = list(catalog.all_contracts())
    lines = st.sampled_from(contracts).flatmap(_lines)
    return name, draw(st.lists(lines, max_size=30))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.composite(batches)())
def test_certified_all_is_certified_line_by_line(case: tuple[str, list[bytes]]) -> None:
    name, texts = case
    accelerator = _ACCELERATORS[name]
    assert accelerator.certified_all(texts) == [accelerator.certified(text) for text in texts]


def test_a_batch_of_clean_events_is_certified_whole() -> None:
    texts = [line.text for line in read_lines(SAMPLES)]
    accelerator = _ACCELERATORS["all"]
    found = accelerator.certified_all(texts)
    assert found == [accelerator.certified(text) for text in texts]
    assert any(event is not None for event in found)
