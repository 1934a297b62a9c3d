#!/usr/bin/env python3
"""Audit a file of customer reviews for policy violations disclosed in their text.

Reads a JSON Lines or Parquet file of reviews (one review per row, with a text column and
optionally an id column) with pandas or polars, scans every text with reviewguard on all
cores, prints a per-kind summary table and writes the findings to Parquet.

    python examples/audit_reviews.py reviews.jsonl --out findings.parquet
    python examples/audit_reviews.py reviews.parquet --text-column body --frame polars

Without an input file it audits a small built-in sample. Texts are read as reviews
(incentive disclosures: "I got this for free in exchange for an honest review"); pass
`--channel package_insert` (or another channel) to read seller-written texts instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

import reviewguard

SAMPLE = [
    {"id": "R1", "text": "Sharp out of the box, still sharp after a month."},
    {"id": "R2", "text": "I received this product at a discount in exchange for my honest review."},
    {"id": "R3", "text": "😀 I got this for free in exchange for an honest review. Love it!"},
    {"id": "R4", "text": None},
    {"id": "R5", "text": "Meh. The handle cracked after a week."},
]


def load(path: Path | None, frame: str) -> Any:
    """The reviews as a pandas or polars DataFrame."""
    if frame == "polars":
        import polars as pl

        if path is None:
            return pl.DataFrame(SAMPLE, schema={"id": pl.String, "text": pl.String})
        return pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_ndjson(path)
    import pandas as pd

    if path is None:
        return pd.DataFrame(SAMPLE)
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_json(path, lines=True)


def audit(reviews: Any, text_column: str, id_column: str | None, channel: str) -> pa.Table:
    """One row per finding, with the review's id (when there is an id column)."""
    engine = reviewguard.Engine()
    findings = engine.scan_column(reviews[text_column], channel=channel)
    if id_column is not None and id_column in reviews.columns:
        ids = pa.array(list(reviews[id_column]))
        findings = findings.append_column(id_column, ids.take(findings.column("row")))
    return findings


def summary(findings: pa.Table, total: int) -> str:
    """A per-kind table: findings and distinct reviews flagged."""
    lines = [f"{'code':<7} {'kind':<26} {'findings':>8} {'reviews':>8}"]
    rows = findings.select(["code", "kind", "row"]).to_pylist()
    kinds = sorted({(r["code"], r["kind"]) for r in rows})
    for code, kind in kinds:
        mine = [r["row"] for r in rows if r["kind"] == kind]
        lines.append(f"{code:<7} {kind:<26} {len(mine):>8} {len(set(mine)):>8}")
    flagged = len({r["row"] for r in rows})
    lines.append(f"{flagged} of {total} reviews flagged")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", nargs="?", type=Path, help="reviews (.jsonl or .parquet)")
    parser.add_argument("--out", type=Path, default=Path("findings.parquet"))
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--id-column", default="id")
    parser.add_argument("--channel", default="review", help="`review` or a message channel")
    parser.add_argument("--frame", choices=["pandas", "polars"], default="pandas")
    args = parser.parse_args(argv)

    reviews = load(args.input, args.frame)
    findings = audit(reviews, args.text_column, args.id_column, args.channel)
    print(summary(findings, len(reviews)))
    pq.write_table(findings, args.out)
    print(f"{findings.num_rows} findings written to {args.out}", file=sys.stderr)
    return 1 if findings.num_rows else 0


if __name__ == "__main__":
    sys.exit(main())
