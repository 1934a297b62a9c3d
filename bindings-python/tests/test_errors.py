"""Every error class, with the core's stable code and location."""

from __future__ import annotations

import pickle

import pytest

import reviewguard
from reviewguard import CaseError, PolicyError, ReviewguardError


@pytest.mark.parametrize(
    ("case", "code", "location"),
    [
        ('{"id": "c1", ', "invalid_json", "line 1 column "),
        ({"id": "c1", "sellr": "S1"}, "unknown_field", None),
        ({"id": "c1", "reviews": [{"id": "R", "product": "B", "author": "A"}]},
         "dangling_reference", "reviews[0].product"),
        ({"id": "c1", "parties": [{"id": "S1", "kind": "seller"}, {"id": "S1", "kind": "seller"}]},
         "duplicate_id", None),
        ({"id": "c1", "messages": [{"id": "M1", "text": "hi", "channel": "pigeon"}]},
         "invalid_value", None),
    ],
)
def test_case_errors_carry_code_and_location(engine, case, code, location):
    with pytest.raises(CaseError) as info:
        engine.evaluate(case)
    e = info.value
    assert isinstance(e, ReviewguardError) and isinstance(e, ValueError)
    assert not isinstance(e, PolicyError)
    assert e.code == code
    if location is not None:
        assert e.location is not None and e.location.startswith(location)
    assert e.message and e.code in str(e)
    assert e.index is None


def test_rating_out_of_range_points_at_the_field(engine):
    case = {
        "id": "c1",
        "parties": [{"id": "S1", "kind": "seller"}, {"id": "A1", "kind": "customer_account"}],
        "products": [{"id": "B1", "seller": "S1"}],
        "reviews": [{"id": "R1", "product": "B1", "author": "A1", "rating": 9}],
    }
    with pytest.raises(CaseError) as info:
        engine.evaluate(case)
    assert info.value.code == "rating_out_of_range"
    assert info.value.location == "reviews[0].rating"


def test_policy_errors_carry_code_and_location():
    with pytest.raises(PolicyError) as info:
        reviewguard.Engine.from_pack("[pack\nname = 1")
    e = info.value
    assert isinstance(e, ReviewguardError) and isinstance(e, ValueError)
    assert e.code == "pack_syntax"
    assert e.location is not None and e.location.startswith("<pack>:")
    with pytest.raises(PolicyError):
        reviewguard.Engine("")


def test_bad_text_inputs(engine):
    with pytest.raises(CaseError) as info:
        engine.scan("hello", channel="pigeon")
    assert info.value.code == "invalid_value" and info.value.location == "channel"
    with pytest.raises(CaseError) as info:
        engine.scan("x" * ((1 << 20) + 1))
    assert info.value.code == "limit_exceeded"
    with pytest.raises(CaseError) as info:
        engine.evaluate({"id": "c", "messages": [{"id": "M", "text": "t", "x": float("nan")}]})
    assert info.value.code == "invalid_value"
    with pytest.raises(TypeError):
        engine.evaluate(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        engine.evaluate({"id": object()})
    with pytest.raises(TypeError):
        engine.scan_column([1, 2])
    with pytest.raises(ValueError):
        engine.evaluate_many([], on_error="ignore")  # type: ignore[arg-type]


def test_batches_report_the_failing_index(engine):
    good = {"id": "ok"}
    bad = {"id": "bad", "nope": 1}
    with pytest.raises(CaseError) as info:
        engine.evaluate_many([good, good, bad, good])
    assert info.value.index == 2 and info.value.code == "unknown_field"
    out = engine.evaluate_many([good, bad, "{", good], on_error="return")
    assert isinstance(out[0], reviewguard.Decision) and isinstance(out[3], reviewguard.Decision)
    assert isinstance(out[1], CaseError) and out[1].index == 1
    assert isinstance(out[2], CaseError) and out[2].code == "invalid_json"
    with pytest.raises(CaseError) as info:
        engine.scan_column(["ok", "y" * ((1 << 20) + 1)])
    assert info.value.code == "limit_exceeded" and info.value.index == 1


def test_exceptions_pickle(engine):
    try:
        engine.evaluate({"id": "c1", "sellr": "S1"})
    except CaseError as e:
        back = pickle.loads(pickle.dumps(e))
        assert type(back) is CaseError
        assert (back.code, back.message, back.location) == (e.code, e.message, e.location)
        assert str(back) == str(e)
