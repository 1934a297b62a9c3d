"""Limits: configurable per engine, carried through pickling, and hostile inputs from Python."""

from __future__ import annotations

import pickle

import pytest

import reviewguard
from reviewguard import CaseError


def test_defaults_are_documented(engine):
    assert engine.limits == {
        "max_case_bytes": 64 << 20,
        "max_text_bytes": 1 << 20,
        "max_list_len": 200_000,
        "max_json_depth": 64,
    }


def test_overrides_apply_and_survive_pickling():
    small = reviewguard.Engine(limits={"max_list_len": 1, "max_text_bytes": 8})
    assert small.limits["max_list_len"] == 1 and small.limits["max_json_depth"] == 64
    case = {"id": "c", "parties": [{"id": "S1", "kind": "seller"}, {"id": "A1", "kind": "customer_account"}]}
    for e in (small, pickle.loads(pickle.dumps(small))):
        assert e.limits == small.limits
        with pytest.raises(CaseError) as info:
            e.evaluate(case)
        assert (info.value.code, info.value.location) == ("limit_exceeded", "parties")
        with pytest.raises(CaseError) as info:
            e.scan("nine bytes")
        assert (info.value.code, info.value.location) == ("limit_exceeded", "text")
    # Default limits pickle as before: the pack text alone.
    assert len(reviewguard.Engine().__reduce__()[1]) == 1


def test_unknown_limit_names_are_refused():
    with pytest.raises(ValueError, match="unknown limit `max_cases`"):
        reviewguard.Engine(limits={"max_cases": 3})


def test_hostile_inputs_give_errors_not_crashes(engine):
    deep = '{"products":[{"id":"P","theme":{"x":' + "[" * 100_000 + "]" * 100_000 + "}}]}"
    with pytest.raises(CaseError) as info:
        engine.evaluate(deep)
    assert (info.value.code, info.value.location) == ("limit_exceeded", "line 1 column 97")
    # NUL characters are text; a lone surrogate cannot be encoded as UTF-8: a clear error.
    assert engine.scan("Leave a 5-star\x00 review\x00", channel="package_insert")
    with pytest.raises((UnicodeEncodeError, ValueError)):
        engine.scan("Leave a \ud800 5-star review")
    with pytest.raises(CaseError) as info:
        engine.scan("x" * ((1 << 20) + 1))
    assert info.value.code == "limit_exceeded"
