"""The engine: typed decisions, batches in order, pickling, threads and progress."""

from __future__ import annotations

import json
import multiprocessing
import pickle
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

import reviewguard

GIFT = {
    "id": "c-gift",
    "seller": "S1",
    "parties": [{"id": "S1", "kind": "seller"}, {"id": "A1", "kind": "customer_account"}],
    "messages": [{"id": "M1", "channel": "buyer_seller_message", "from": "S1", "to": "A1",
                  "text": "Leave a review and we'll send you a $10 gift card as a thank-you!"}],
}


def example_cases(root: Path) -> list[str]:
    text = (root / "examples" / "cases.jsonl").read_text(encoding="utf-8")
    return [l for l in text.splitlines() if l.strip()]


def test_decision_is_typed(engine):
    d = engine.evaluate(GIFT)
    assert isinstance(d, reviewguard.Decision)
    assert d.case == "c-gift" and d.pack == engine.pack_id
    assert d.kinds == ["compensated-review"]
    v = d.violations[0]
    assert isinstance(v, reviewguard.Violation)
    assert (v.code, v.kind, v.seller, v.confidence) == ("RP-02", "compensated-review", "S1", "high")
    assert v.subject == {"message": "M1"}
    assert v.actions and all(isinstance(a, str) for a in v.actions)
    assert v.to_dict() == d.to_dict()["violations"][0]
    assert isinstance(v.text_evidence[0], reviewguard.TextEvidence)
    assert d == engine.evaluate(json.dumps(GIFT)) == engine.evaluate(json.dumps(GIFT).encode())
    assert "RP-02" in repr(d)
    clean = engine.evaluate({"id": "empty"})
    assert clean.violations == [] and clean.kinds == []


def test_engine_properties(engine):
    assert "@" in engine.pack_id
    assert "en" in engine.languages
    assert reviewguard.__version__
    again = reviewguard.Engine.from_pack(engine.pack_text())
    assert again.pack_id == engine.pack_id


def test_evaluate_many_keeps_order_over_any_iterable(engine, root):
    lines = example_cases(root)
    one_by_one = [engine.evaluate(l).to_json() for l in lines]
    many = lines * 300  # several rounds of parallel work
    got = engine.evaluate_many(iter(many))
    assert [d.to_json() for d in got] == one_by_one * 300
    assert engine.evaluate_many(l for l in []) == []
    assert [d.case for d in engine.evaluate_many(tuple(lines))] == [json.loads(l)["id"] for l in lines]


def test_scan_many_matches_scan(engine):
    texts = ["Leave a 5-star review and get a gift card!", None, "Thanks!", "Rate us 5 stars please"] * 50
    many = engine.scan_many(texts, "package_insert")
    assert many == [engine.scan(t, "package_insert") if t else [] for t in texts]


def test_engine_pickles_by_its_pack(engine, root):
    back = pickle.loads(pickle.dumps(engine))
    assert isinstance(back, reviewguard.Engine)
    assert back.pack_id == engine.pack_id
    lines = example_cases(root)
    assert [d.to_json() for d in back.evaluate_many(lines)] == [
        d.to_json() for d in engine.evaluate_many(lines)
    ]
    custom = reviewguard.Engine.from_pack(engine.pack_text())
    assert pickle.loads(pickle.dumps(custom)).pack_id == custom.pack_id


def test_results_pickle(engine, root):
    decisions = engine.evaluate_many(example_cases(root))
    back = pickle.loads(pickle.dumps(decisions))
    assert back == decisions
    assert [d.to_json() for d in back] == [d.to_json() for d in decisions]
    spans = [[(t.start, t.end) for v in d.violations for t in v.text_evidence] for d in decisions]
    assert [[(t.start, t.end) for v in d.violations for t in v.text_evidence] for d in back] == spans
    found = engine.scan("😀 Leave a review and get a $10 gift card!", "package_insert")
    assert found and pickle.loads(pickle.dumps(found)) == found


def _worker_decision(args):
    eng, case = args
    return eng.evaluate(case)


def test_engine_ships_to_worker_processes(engine):
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        got = list(pool.map(_worker_decision, [(engine, GIFT)] * 2))
    assert [d.to_json() for d in got] == [engine.evaluate(GIFT).to_json()] * 2


def test_eight_threads_share_one_engine(engine, root):
    lines = example_cases(root)
    expected = [engine.evaluate(l).to_json() for l in lines]
    texts = [json.loads(l)["messages"][0]["text"] for l in lines if json.loads(l).get("messages")]
    expected_scans = [engine.scan(t) for t in texts]
    barrier = threading.Barrier(8)

    def work(i: int) -> bool:
        barrier.wait()
        ok = True
        for _ in range(20):
            ok &= [engine.evaluate(l).to_json() for l in lines] == expected
            ok &= [d.to_json() for d in engine.evaluate_many(lines)] == expected
            ok &= [engine.scan(t) for t in texts] == expected_scans
        return ok

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(work, range(8)))


def test_progress_bar_with_tqdm(engine, root, capsys):
    lines = example_cases(root) * 10
    out = engine.evaluate_many(lines, progress=True)
    assert len(out) == len(lines)
    err = capsys.readouterr().err
    assert f"{len(lines)}/{len(lines)}" in err and "case" in err


def test_progress_without_tqdm_is_silent(engine, root, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # makes `import tqdm` fail
    out = engine.evaluate_many((l for l in example_cases(root)), progress=True)
    assert len(out) == len(example_cases(root))
    assert capsys.readouterr().err == ""


def test_engine_is_immutable(engine):
    with pytest.raises(AttributeError):
        engine.pack_id = "x"  # type: ignore[misc]
