#!/usr/bin/env python3
"""Audit a marketplace data set with reviewguard inside Apache Spark.

Reads a Parquet or JSON Lines data set (a file or a directory of files), runs the audit on
the cluster through Arrow batches (reviewguard.spark) and writes the findings as Parquet
partitioned by kind (OUT/findings/kind=<kind>/), the rows that could not be read to
OUT/errors/, and prints a per-kind summary.

Two kinds of input:

- texts (default): one seller message or review per row, with a text column (`--text-col`)
  and optionally channel, locale and id columns; every text is scanned
  (reviewguard.spark.scan_column).
- cases (`--cases`): one case per row: a JSON Lines file of cases (one case JSON per line) or
  Parquet with a string column of case JSON (`--case-col`); every case is judged
  (reviewguard.spark.evaluate_cases). The decisions go to OUT/decisions/ (case, decision,
  error) and their violations, one row each, to OUT/findings/kind=<kind>/.

    spark-submit examples/spark_audit.py messages.parquet --out audit/ --key-col message_id
    spark-submit examples/spark_audit.py cases.jsonl --cases --out audit/
    python examples/spark_audit.py messages.jsonl --out audit/ --master 'local[2]'

Exit status: 0 nothing flagged, 1 findings, 2 some rows could not be read and nothing flagged.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Optional

from reviewguard.spark import evaluate_cases, scan_column

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# The fields of a decision's violations kept as columns (the whole decision stays in decisions/).
VIOLATION_SCHEMA = (
    "struct<violations: array<struct<code: string, kind: string, seller: string, "
    "subject: map<string, string>, confidence: string>>>"
)


def session(master: Optional[str]) -> tuple[SparkSession, bool]:
    """The Spark session, and whether this job started it (and so stops it)."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:  # called from a notebook or another job: use its session
        return active, False
    builder = SparkSession.builder.appName("reviewguard-audit").config(
        "spark.sql.execution.arrow.pyspark.enabled", "true"
    )
    if master:  # under spark-submit the master comes from the command line
        builder = builder.master(master).config("spark.ui.enabled", "false").config(
            "spark.ui.showConsoleProgress", "false")
    return builder.getOrCreate(), True


def read(spark: SparkSession, path: str, fmt: str, cases: bool) -> DataFrame:
    if fmt == "auto":
        fmt = "parquet" if path.rstrip("/").endswith(".parquet") else "jsonl"
        if not path.rstrip("/").endswith((".parquet", ".jsonl", ".json", ".ndjson")):
            fmt = "parquet"  # a directory of Parquet files, as Spark writes them
    if fmt == "parquet":
        return spark.read.parquet(path)
    if cases:  # keep each line's case JSON as it is: Spark's JSON reader would restructure it
        return spark.read.text(path).withColumnRenamed("value", "case")
    return spark.read.json(path)


def audit_texts(df: DataFrame, args: argparse.Namespace) -> tuple[DataFrame, DataFrame]:
    """(findings, errors) of the texts."""
    from pyspark.sql import functions as F

    def column(name: Optional[str]) -> Optional[str]:
        return name if name and name in df.columns else None

    found = scan_column(
        df, args.text_col, column(args.channel_col), column(args.locale_col),
        column(args.key_col), channel=args.channel,
    )
    return found.where(F.col("error").isNull()).drop("error"), found.where(
        F.col("error").isNotNull()
    ).select("key", "error")


def audit_cases(df: DataFrame, args: argparse.Namespace) -> tuple[DataFrame, DataFrame]:
    """(violations, errors) of the cases; the decisions are written to OUT/decisions/."""
    from pyspark.sql import functions as F

    decisions = evaluate_cases(df, args.case_col).cache()
    decisions.write.mode("overwrite").parquet(f"{args.out}/decisions")
    parsed = decisions.where(F.col("decision").isNotNull()).select(
        "case", F.from_json("decision", VIOLATION_SCHEMA).alias("d")
    )
    violations = parsed.select("case", F.explode("d.violations").alias("v")).select(
        "case", "v.code", "v.kind", "v.seller", "v.subject", "v.confidence"
    )
    errors = decisions.where(F.col("error").isNotNull()).select("case", "error")
    return violations, errors


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("input", help="a Parquet or JSON Lines file or directory")
    parser.add_argument("--out", required=True, help="output directory (overwritten)")
    parser.add_argument("--format", choices=["auto", "parquet", "jsonl"], default="auto")
    parser.add_argument("--cases", action="store_true", help="rows are case JSON, not texts")
    parser.add_argument("--case-col", default="case")
    parser.add_argument("--text-col", default="text")
    parser.add_argument("--channel-col", default="channel")
    parser.add_argument("--locale-col", default="locale")
    parser.add_argument("--key-col", default="id", help="carried to findings (default: `id`)")
    parser.add_argument("--channel", default="buyer_seller_message",
                        help="channel of rows without one (`review` for reviews)")
    parser.add_argument("--master", help="e.g. local[2]; leave out under spark-submit")
    args = parser.parse_args(argv)

    spark, owned = session(args.master)
    try:
        df = read(spark, args.input, args.format, args.cases)
        findings, errors = (audit_cases if args.cases else audit_texts)(df, args)
        findings = findings.cache()
        findings.write.mode("overwrite").partitionBy("kind").parquet(f"{args.out}/findings")
        errors.write.mode("overwrite").parquet(f"{args.out}/errors")
        counts = findings.groupBy("code", "kind").count().orderBy("code", "kind").collect()
        failed = errors.count()
    finally:
        if owned:
            spark.stop()

    print(f"{'code':<7} {'kind':<26} {'findings':>9}")
    for row in counts:
        print(f"{row['code']:<7} {row['kind']:<26} {row['count']:>9}")
    total = sum(row["count"] for row in counts)
    print(f"{total} findings written to {args.out}/findings; {failed} unreadable rows")
    return 1 if total else 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
