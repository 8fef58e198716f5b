"""Property tests: the importers' normalisers, name matching and the Epoch CSV reader accept
any text without raising, and return values the graph can hold."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.importers import epoch
from kg.importers.common import (
    Record,
    Skipped,
    normalise_date,
    normalise_licence,
    normalise_parameters,
    slug,
)
from kg.reports.entities import EntityIndex, EntityNotFound, normalise

FAST = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
DATE = re.compile(r"[0-9]{4}(-(0[1-9]|1[0-2])(-[0-9]{2})?)?")
#: Text that looks like what datasets hold: numbers with scales, dates, licences, junk.
dataset_text = st.one_of(
    st.text(),
    st.from_regex(r"\s*[0-9]{1,400}(\.[0-9]{1,5})?(e[0-9]{1,4})?\s*(k|m|b|bn|t|million|billion"
                  r"|trillion|inf|nan)?\s*(parameters)?", fullmatch=True),
    st.from_regex(r"[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?", fullmatch=True),
    st.sampled_from(["inf", "-inf", "nan", "1e400", "٣ billion", "２０２３", "2023-13",
                     "2023-02-30", "July 2023", "Smarch 2023", "Apache 2.0", "LLaMA 2"]),
)
any_value = st.one_of(dataset_text, st.integers(), st.floats(), st.none(), st.booleans(),
                      st.dates(), st.datetimes())


@FAST
@given(any_value)
def test_normalise_date_gives_an_iso_date_or_none(value):
    result = normalise_date(value)
    # a property over any input: "no date" and "an ISO date" are both right answers
    assert result is None or DATE.fullmatch(result), result
    if result and len(result) == 10:
        import datetime

        datetime.date.fromisoformat(result)


@FAST
@given(any_value)
def test_normalise_parameters_gives_a_positive_int_or_none(value):
    result = normalise_parameters(value)
    # a property over any input: "no count" or a positive count
    assert result is None or (type(result) is int and result > 0), result


@FAST
@given(any_value)
def test_normalise_licence_gives_a_known_licence_or_none(value):
    from kg.importers.common import LICENCE_NAMES

    result = normalise_licence(value)
    # a property over any input: "no licence" or one of the known ones
    assert result is None or result in LICENCE_NAMES.values()


@FAST
@given(st.text())
def test_slug_is_a_readable_iri_segment(text):
    result = slug(text)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*|unnamed", result), result


@FAST
@given(st.text())
def test_normalise_is_idempotent_folded_text(text):
    key = normalise(text)
    assert key == key.lower() and all(c.isalnum() for c in key)
    assert normalise(key) == key


@pytest.fixture(scope="module")
def index(loaded):
    return EntityIndex.build(loaded.store)


@FAST
@given(name=st.one_of(st.text(), st.sampled_from(["model:", "<>", "http://", "urn:",
                                                    "org:openai:x", "Llama", "gpt"])),
       kinds=st.sampled_from([(), ("kg:Model",), ("kg:Lab", "kg:Model")]))
def test_resolve_finds_one_iri_or_says_not_found(index, name, kinds):
    try:
        iri = index.resolve(name, kinds)
    except EntityNotFound as err:
        # a property over any name: not found and ambiguous are the two ways to refuse
        assert str(err).startswith(("no ", f"'{name}' is ambiguous"))
        return
    assert iri in index.labels


CSV_HEADER = "Model,Organization,Publication date,Parameters,Model accessibility,Link\n"


@FAST
@given(body=st.text(), header=st.booleans())
def test_epoch_read_yields_only_records_and_skips(body, header):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "models.csv"
        path.write_text((CSV_HEADER if header else "") + body, encoding="utf-8",
                        errors="replace")
        items = list(epoch.read([path]))
    assert all(isinstance(item, Record | Skipped) for item in items)
    for item in items:
        if isinstance(item, Record):
            # a property over any CSV: each field is either absent or well-formed
            assert item.name and item.name == item.name.strip()
            assert item.released is None or DATE.fullmatch(item.released)
            assert item.parameters is None or item.parameters > 0


@FAST
@given(st.binary())
def test_epoch_read_of_arbitrary_bytes_never_raises(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "models.csv"
        path.write_bytes(CSV_HEADER.encode() + data)
        assert all(isinstance(item, Record | Skipped) for item in epoch.read([path]))
