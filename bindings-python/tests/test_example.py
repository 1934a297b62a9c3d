"""examples/audit_reviews.py runs on JSONL and Parquet, with pandas and with polars."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "audit_reviews.py"
REVIEWS = [
    {"id": "R1", "text": "Great knife, very sharp."},
    {"id": "R2", "text": "I got this for free in exchange for an honest review."},
    {"id": "R3", "text": "The seller sent me this product free of charge for my review. 日本"},
]


@pytest.mark.parametrize("frame", ["pandas", "polars"])
@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_audit_example(tmp_path, frame, fmt):
    src = tmp_path / f"reviews.{fmt}"
    if fmt == "jsonl":
        src.write_text("".join(json.dumps(r) + "\n" for r in REVIEWS), encoding="utf-8")
    else:
        pq.write_table(pa.Table.from_pylist(REVIEWS), src)
    out = tmp_path / "findings.parquet"
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), str(src), "--out", str(out), "--frame", frame],
        capture_output=True, text=True,
    )
    assert done.returncode == 1, done.stderr  # 1: something was flagged
    assert "compensated-review" in done.stdout
    assert "2 of 3 reviews flagged" in done.stdout
    table = pq.read_table(out)
    assert set(table.column("id").to_pylist()) == {"R2", "R3"}
    for row in table.to_pylist():
        text = REVIEWS[row["row"]]["text"]
        assert text[row["start"] : row["end"]] == row["quote"]


def test_audit_example_sample(tmp_path):
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), "--out", str(tmp_path / "f.parquet"), "--frame", "polars"],
        capture_output=True, text=True,
    )
    assert done.returncode == 1, done.stderr
