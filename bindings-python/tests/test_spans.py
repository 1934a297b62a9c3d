"""Spans are Python string indices: `text[f.start:f.end] == f.quote` whatever the script."""

from __future__ import annotations

import pyarrow as pa
import pytest

OFFER = "Leave a review and we'll send you a $10 gift card!"

PREFIXES = [
    "",  # ASCII: indices equal bytes
    "😀🎉 Thanks!! ",  # astral emoji: 4 bytes, 1 index each
    "👩‍👩‍👧 family pack. ",  # ZWJ sequence: several code points
    "ご購入ありがとうございます。",  # CJK: 3 bytes each
    "Cafe\u0301 cre\u0300me bru\u0302le\u0301e. ",  # combining marks
    "Ünïcödé ünd émojis 🚀: ",
]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_scan_spans_index_the_python_string(engine, prefix):
    text = prefix + OFFER + " 🙏 日本"
    found = engine.scan(text)
    assert found, "the offer must be found after any prefix"
    for f in found:
        assert text[f.start : f.end] == f.quote
        assert text.encode()[f.byte_start : f.byte_end].decode() == f.quote
        assert f.start >= len(prefix)
        assert f.to_dict()["start"] == f.start


@pytest.mark.parametrize("prefix", PREFIXES)
def test_decision_text_evidence_indexes_the_case_text(engine, prefix):
    text = prefix + OFFER
    case = {
        "id": "c",
        "seller": "S1",
        "parties": [{"id": "S1", "kind": "seller"}, {"id": "A1", "kind": "customer_account"}],
        "messages": [{"id": "M1", "from": "S1", "to": "A1", "text": text}],
    }
    decision = engine.evaluate(case)
    spans = [t for v in decision.violations for t in v.text_evidence]
    assert spans
    for t in spans:
        assert t.subject == {"message": "M1"} and t.field == "text"
        assert text[t.start : t.end] == t.quote
        assert text.encode()[t.byte_start : t.byte_end].decode() == t.quote
    # The JSON keeps the core's UTF-8 byte offsets.
    ev = [e["text"] for v in decision.to_dict()["violations"] for e in v["evidence"] if "text" in e]
    assert [(e["start"], e["end"]) for e in ev] == [(t.byte_start, t.byte_end) for t in spans]


def test_review_title_and_payment_note_spans(engine):
    case = {
        "id": "c",
        "seller": "S1",
        "parties": [{"id": "S1", "kind": "seller"}, {"id": "A1", "kind": "customer_account"}],
        "payments": [
            {"id": "P1", "from": "S1", "to": "A1", "kind": "gift_card", "amount": "10.00",
             "note": "🎁🎁 gift card for your 5-star review ✨"},
        ],
    }
    decision = engine.evaluate(case)
    note = case["payments"][0]["note"]
    for v in decision.violations:
        for t in v.text_evidence:
            assert note[t.start : t.end] == t.quote


def test_column_spans_index_each_row(engine):
    texts = [p + OFFER for p in PREFIXES] + [None, "nothing here 😀"]
    table = engine.scan_column(pa.array(texts))
    assert table.num_rows > 0
    for row in table.to_pylist():
        text = texts[row["row"]]
        assert text is not None
        assert text[row["start"] : row["end"]] == row["quote"]
