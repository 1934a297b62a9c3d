#!/usr/bin/env python3
"""Rows per second through Spark (local[2], reviewguard.spark) against the engine's batch calls
in this one process, on the same rows in the same run. Not part of the tests.

    bindings-python/.venv/bin/python bindings-python/bench/spark_bench.py [--rows 100000]

The rows are the synthetic data set of tests/test_spark.py (cases and texts built from
examples/cases.jsonl and tests/corpus). Spark reads them from its cache (materialised before
timing) and writes to the `noop` sink, so the numbers hold the Arrow transfer to the Python
workers, the engine and the transfer back, not I/O. Each Spark measurement follows an
untimed warm-up run of the same job (JVM JIT, Python workers started, engines built).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import pyarrow as pa  # noqa: E402

import reviewguard  # noqa: E402
from reviewguard import spark as rgspark  # noqa: E402
from test_spark import synthetic_rows  # noqa: E402


def best(runs: int, job: Callable[[], Any]) -> float:
    """The median wall time of `runs` runs of `job`."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        job()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--batch", type=int, default=10_000,
                        help="spark.sql.execution.arrow.maxRecordsPerBatch")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    t = time.perf_counter()
    spark = (
        SparkSession.builder.master("local[2]").appName("reviewguard-bench")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(args.batch))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    jvm_start = time.perf_counter() - t

    table = synthetic_rows(args.rows)
    df = spark.createDataFrame(table).repartition(args.partitions).cache()
    df.count()
    n = args.rows

    def sink(out: Any) -> Callable[[], None]:
        return lambda: out.write.format("noop").mode("overwrite").save()

    def passthrough(batches: Any) -> Any:  # Spark + Arrow + Python workers, no engine
        for b in batches:
            yield pa.RecordBatch.from_arrays([b.column(0)], names=["case"])

    jobs = {
        "arrow round trip (no engine)": sink(df.select("case").mapInArrow(
            passthrough, "case string")),
        "evaluate_cases": sink(rgspark.evaluate_cases(df, "case")),
        "scan_column": sink(rgspark.scan_column(df, "text", "channel", "locale", "id")),
    }
    spark_times = {}
    for name, job in jobs.items():
        job()  # warm-up: JIT, Python workers, engines
        spark_times[name] = best(args.runs, job)

    engine = reviewguard.Engine()
    cases = ["" if c is None else c for c in table["case"].to_pylist()]

    def evaluate_many() -> None:
        for d in engine.evaluate_many(cases, on_error="return"):
            if not isinstance(d, reviewguard.CaseError):
                d.to_json()

    texts, channels, locales, ids = (table[c] for c in ("text", "channel", "locale", "id"))
    local = {
        "evaluate_cases": ("evaluate_many + to_json", best(args.runs, evaluate_many)),
        "scan_column": ("scan_batch (scan_column per channel/locale)", best(
            args.runs, lambda: rgspark.scan_batch(engine, texts, channels, locales, ids))),
    }
    plain = best(args.runs, lambda: engine.scan_column(texts))

    print(f"rows: {n}, partitions: {args.partitions}, Arrow batch: {args.batch} rows, "
          f"cores: {os.cpu_count()}, pyspark {spark.version}")
    print(f"JVM + SparkSession start: {jvm_start:.1f} s")
    print(f"{'job':<30} {'Spark rows/s':>13} {'1 process rows/s':>17} {'ratio':>6}")
    for name, secs in spark_times.items():
        if name in local:
            what, lsecs = local[name]
            print(f"{name:<30} {n / secs:>13,.0f} {n / lsecs:>17,.0f} {secs / lsecs:>5.2f}x"
                  f"   (1 process: {what})")
        else:
            print(f"{name:<30} {n / secs:>13,.0f}")
    print(f"{'engine.scan_column, one channel':<30} {'':>13} {n / plain:>17,.0f}")
    spark.stop()


if __name__ == "__main__":
    main()
