"""The column helper over pandas, polars and pyarrow inputs, and its outputs."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

TEXTS = [
    "Leave a review and we'll send you a $10 gift card!",
    None,
    "Thank you for your order.",
    "😀 Please leave us a 5-star review! 日本",
    "If you're unhappy, contact us first instead of leaving a review; if you love it, review it!",
]
COLUMNS = ["row", "kind", "code", "rule", "confidence", "start", "end", "quote"]


def expected_rows(engine, texts, channel="buyer_seller_message"):
    rows = []
    for i, t in enumerate(texts):
        for f in engine.scan(t, channel) if t is not None else []:
            rows.append({"row": i, "kind": f.kind, "code": f.code, "rule": f.rule,
                         "confidence": f.confidence, "start": f.start, "end": f.end,
                         "quote": f.quote})
    return rows


INPUTS = {
    "pyarrow.Array": lambda t: pa.array(t),
    "pyarrow.large_string": lambda t: pa.array(t, type=pa.large_string()),
    "pyarrow.string_view": lambda t: pa.array(t, type=pa.string_view()),
    "pyarrow.dictionary": lambda t: pa.array(t).dictionary_encode(),
    "pyarrow.ChunkedArray": lambda t: pa.chunked_array([t[:2], t[2:]]),
    "pandas.object": lambda t: pd.Series(t, dtype=object),
    "pandas.string": lambda t: pd.Series(t, dtype="string"),
    "pandas.arrow": lambda t: pd.Series(t, dtype="string[pyarrow]"),
    "polars": lambda t: pl.Series("text", t),
    "list": lambda t: list(t),
}


@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_scan_column_inputs(engine, kind):
    table = engine.scan_column(INPUTS[kind](TEXTS))
    assert isinstance(table, pa.Table)
    assert table.column_names == COLUMNS
    assert table.to_pylist() == expected_rows(engine, TEXTS)
    assert table.num_rows >= 3


def test_chunked_rows_are_global(engine):
    chunks = pa.chunked_array([["nothing"] * 3, [TEXTS[0]], ["x", TEXTS[0]]])
    rows = engine.scan_column(chunks).column("row").to_pylist()
    assert sorted(set(rows)) == [3, 5]


def test_outputs(engine):
    df = engine.scan_column(pd.Series(TEXTS), output="pandas")
    assert isinstance(df, pd.DataFrame) and list(df.columns) == COLUMNS
    pdf = engine.scan_column(pl.Series(TEXTS), channel="package_insert", output="polars")
    assert isinstance(pdf, pl.DataFrame) and pdf.columns == COLUMNS
    assert pdf.to_dicts() == expected_rows(engine, TEXTS, "package_insert")
    empty = engine.scan_column(pa.array(["hello", None], type=pa.string()))
    assert empty.num_rows == 0 and empty.column_names == COLUMNS
    with pytest.raises(ValueError):
        engine.scan_column(TEXTS, output="csv")  # type: ignore[arg-type]


def test_review_channel_and_locale(engine):
    reviews = ["I got this for free in exchange for an honest review.", "Great knife."]
    table = engine.scan_column(pa.array(reviews), channel="review")
    assert set(table.column("kind").to_pylist()) == {"compensated-review"}
    assert set(table.column("row").to_pylist()) == {0}
    assert engine.scan_column(pa.array(TEXTS), locale="en").num_rows > 0


def test_wrong_arrow_type_is_a_type_error(engine):
    with pytest.raises(TypeError):
        engine.scan_column(pa.array([1, 2, 3]))
