"""reviewguard.spark: the engine inside PySpark (local[2]) over Arrow batches.

The per-batch functions are tested without Spark; the Spark tests start one local[2] session
(bound to 127.0.0.1) and are skipped, with the reason, only where `java` is not on PATH.
PySpark itself is required (scripts/test-python.sh installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Iterator, Optional

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import reviewguard
from reviewguard import spark as rgspark

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "bindings-python" / "examples" / "spark_audit.py"
N_ROWS = 100_000
PARTITIONS = 8

pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning")

needs_java = pytest.mark.skipif(
    shutil.which("java") is None,
    reason="Spark tests need a Java runtime (17 or later): `java` is not on PATH",
)


# --- a synthetic data set from the repository's examples and corpus ---------------------------


def _examples() -> list[dict[str, Any]]:
    lines = (ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _corpus() -> list[dict[str, Any]]:
    out = []
    for path in sorted((ROOT / "tests" / "corpus").glob("*.jsonl")):
        out += [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    return out


BAD_CASES = [
    '{"id":"bad-ref","reviews":[{"id":"R","product":"B","author":"A"}]}',
    '{"id":"bad-field","bogus":1}',
    "{not json",
    '"just a string"',
    '{"id":"deep","parties":' + "[" * 200 + "]" * 200 + "}",
    '{"id":"bad-rating","parties":[{"id":"A1","kind":"customer_account"}],'
    '"products":[{"id":"B1"}],"reviews":[{"id":"R1","product":"B1","author":"A1","rating":9}]}',
]


def synthetic_rows(n: int) -> pa.Table:
    """``n`` distinct rows: ``id`` (int64), ``case`` (case JSON: the public examples with new
    ids, and cases around the corpus texts in six languages; every 997th row unreadable, every
    4999th null), ``text``, ``channel`` (null on every 11th row), ``locale``."""
    examples, corpus = _examples(), _corpus()
    ids, cases, texts, channels, locales = [], [], [], [], []
    for i in range(n):
        t = corpus[(i * 7919) % len(corpus)]
        text = t["text"] if i % 3 else f"{t['text']} (order #{i})"
        channel = "review" if t["source"] == "review" else t["channel"]
        case: Optional[str]
        if i % 4999 == 4998:
            case = None
        elif i % 997 == 996:
            case = BAD_CASES[(i // 997) % len(BAD_CASES)]
        elif i % 5 == 0:
            example = dict(examples[(i // 5) % len(examples)])
            example["id"] = f"{example.get('id')}#{i}"
            case = json.dumps(example, ensure_ascii=False)
        elif channel == "review":
            case = json.dumps({
                "id": f"syn-{i}", "parties": [{"id": "A1", "kind": "customer_account"}],
                "products": [{"id": "B1"}],
                "reviews": [{"id": "R1", "product": "B1", "author": "A1", "rating": 5,
                             "text": text}],
            }, ensure_ascii=False)
        else:
            message = {"id": "M1", "channel": channel, "from": "S1", "to": "A1", "text": text}
            if t.get("locale"):
                message["locale"] = t["locale"]
            case = json.dumps({
                "id": f"syn-{i}", "seller": "S1",
                "parties": [{"id": "S1", "kind": "seller"}, {"id": "A1", "kind": "customer_account"}],
                "messages": [message],
            }, ensure_ascii=False)
        ids.append(i)
        cases.append(case)
        texts.append(None if i % 2003 == 2002 else text)
        channels.append(None if i % 11 == 10 else channel)
        locales.append(t.get("locale"))
    return pa.table({
        "id": pa.array(ids, pa.int64()), "case": pa.array(cases, pa.string()),
        "text": pa.array(texts, pa.string()), "channel": pa.array(channels, pa.string()),
        "locale": pa.array(locales, pa.string()),
    })


def expected_decisions(engine: reviewguard.Engine, cases: list[Optional[str]]) -> list[tuple]:
    """(case, decision, error) per row, from `Engine.evaluate_many` in this process."""
    inputs = ["" if c is None else c for c in cases]
    out = []
    for text, r in zip(inputs, engine.evaluate_many(inputs, on_error="return")):
        if isinstance(r, reviewguard.CaseError):
            error = json.dumps({"code": r.code, "location": r.location, "message": r.message},
                               ensure_ascii=False, separators=(",", ":"))
            out.append((cli_case_id(engine, text), None, error))
        else:
            out.append((r.case, r.to_json(), None))
    return out


def cli_case_id(engine: reviewguard.Engine, text: str) -> Optional[str]:
    """The `case` of the error line `check_jsonl` (the CLI's protocol) prints for a bad case."""
    if not text or "\n" in text:
        return None
    (line,) = engine.check_jsonl(text)
    return json.loads(line)["case"]


def expected_findings(engine: reviewguard.Engine, table: pa.Table) -> list[tuple]:
    """Findings of every row with `Engine.scan_many`, grouped by (channel, locale)."""
    groups: dict[tuple[str, Optional[str]], list[int]] = {}
    rows = table.select(["id", "text", "channel", "locale"]).to_pylist()
    for i, r in enumerate(rows):
        if r["text"] is not None:
            key = (r["channel"] or rgspark.DEFAULT_CHANNEL, r["locale"])
            groups.setdefault(key, []).append(i)
    out = []
    for (channel, locale), members in groups.items():
        found = engine.scan_many([rows[i]["text"] for i in members], channel, locale)
        for i, findings in zip(members, found):
            out += [(rows[i]["id"], f.kind, f.code, f.rule, f.confidence, f.start, f.end,
                     f.quote, None) for f in findings]
    return out


def sort_key(row: tuple) -> tuple:
    return tuple("" if v is None else str(v) for v in row)


# --- the per-batch functions, without Spark --------------------------------------------------


def test_evaluate_batch_errors_are_the_cli_error_objects(engine):
    cases = BAD_CASES + ['{"id":"ok","messages":[{"id":"M1","text":"Leave a review, get $10!"}]}']
    batch = rgspark.evaluate_batch(engine, pa.array(cases + [None]))
    assert batch.schema.names == list(rgspark.DECISION_COLUMNS)
    rows = batch.to_pylist()
    for n, (case, row) in enumerate(zip(cases, rows), start=1):
        if row["error"] is None:
            assert row["decision"] == engine.evaluate(case).to_json()
            continue
        assert row["decision"] is None
        (line,) = engine.check_jsonl(case)
        rebuilt = f'{{"case":{json.dumps(row["case"])},"error":{row["error"]},"line":1}}'
        assert rebuilt == line, (n, case)
    assert rows[-1]["decision"] is None
    assert json.loads(rows[-1]["error"])["code"] == "invalid_json"
    assert [r["case"] for r in rows[:2]] == ["bad-ref", "bad-field"]


def test_scan_batch_equals_the_engine(engine):
    table = synthetic_rows(3000)
    batch = rgspark.scan_batch(engine, table["text"], table["channel"], table["locale"],
                               table["id"])
    assert batch.schema.names == list(rgspark.FINDING_COLUMNS)
    assert batch.schema.field("start").type == pa.int64()
    got = [tuple(r.values()) for r in batch.to_pylist()]
    assert sorted(got, key=sort_key) == sorted(expected_findings(engine, table), key=sort_key)
    ids = [r[0] for r in got]
    assert ids == sorted(ids), "findings keep their rows' order"


def test_scan_batch_unscannable_rows_and_keys(engine):
    import hashlib

    texts = pa.array(["Leave a review, get a $10 gift card!", None, "x" * ((1 << 20) + 1),
                      "Please leave us a 5-star review!", "日本 Leave a 5-star review for a refund"])
    channels = pa.array([None, "bogus", "review", "bogus", "package_insert"])
    rows = rgspark.scan_batch(engine, texts, channels).to_pylist()
    errors = [json.loads(r["error"]) for r in rows if r["error"] is not None]
    assert [(e["code"], e["location"]) for e in errors] == [
        ("limit_exceeded", "text"), ("invalid_value", "channel")]
    assert all(r["kind"] is None for r in rows if r["error"] is not None)
    found = [r for r in rows if r["error"] is None]
    texts_py = texts.to_pylist()
    assert {r["key"] for r in found} == {
        hashlib.sha256(t.encode()).hexdigest() for t in (texts_py[0], texts_py[4])}
    for r in found:
        text = next(t for t in texts_py if t and hashlib.sha256(t.encode()).hexdigest() == r["key"])
        assert text[r["start"]:r["end"]] == r["quote"]
    empty = rgspark.scan_batch(engine, pa.array([None, None], pa.string()))
    assert empty.num_rows == 0 and empty.schema.names == list(rgspark.FINDING_COLUMNS)


def test_engine_cache_builds_once_per_pack():
    pack = reviewguard.Engine().pack_text()
    first = rgspark.engine_for(pack)
    assert rgspark.engine_for(pack) is first
    assert rgspark.engine_for(None) is rgspark.engine_for(None)
    info = rgspark.engine_cache_info()
    assert set(info.values()) == {1} and "default" in info


def test_importing_reviewguard_does_not_import_pyspark():
    code = "import sys, reviewguard, reviewguard.spark; print('pyspark' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_spark_module_and_example_are_mypy_strict_clean():
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10",
         str(Path(rgspark.__file__)), str(EXAMPLE)],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- Spark, local[2] ---------------------------------------------------------------------------


def spark_env() -> dict[str, str]:
    """Loopback only, and the workers run this interpreter (where reviewguard is installed)."""
    return {
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
    }


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.skip("Spark tests need a Java runtime (17 or later): `java` is not on PATH")
    os.environ.update(spark_env())
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]").appName("reviewguard-tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def big(spark) -> tuple[pa.Table, Any]:
    table = synthetic_rows(N_ROWS)
    df = spark.createDataFrame(table).repartition(PARTITIONS).cache()
    assert df.rdd.getNumPartitions() == PARTITIONS and df.count() == N_ROWS
    return table, df


@pytest.fixture(scope="module")
def big_decisions(big, engine) -> list[tuple]:
    return expected_decisions(engine, big[0]["case"].to_pylist())


def collect(df: Any) -> list[tuple]:
    return [tuple(r.values()) for r in df.toArrow().to_pylist()]


@needs_java
def test_spark_evaluate_cases_equals_evaluate_many(spark, big, big_decisions):
    table, df = big
    got = collect(rgspark.evaluate_cases(df, "case"))
    expected = big_decisions
    assert len(got) == N_ROWS
    assert sorted(got, key=sort_key) == sorted(expected, key=sort_key)  # decisions byte-equal
    errors = Counter(json.loads(e)["code"] for _, d, e in got if e is not None)
    assert sum(errors.values()) > 100 and {"dangling_reference", "invalid_json"} <= set(errors)
    assert sum(1 for _, d, _ in got if d and '"violations":[]' not in d) > 10_000


@needs_java
def test_spark_scan_column_equals_the_engine(spark, big, engine):
    table, df = big
    out = rgspark.scan_column(df, "text", channel_col="channel", locale_col="locale",
                              key_col="id")
    assert out.schema.simpleString() == (
        "struct<key:bigint,kind:string,code:string,rule:string,confidence:string,"
        "start:bigint,end:bigint,quote:string,error:string>")
    got = collect(out)
    expected = expected_findings(engine, table)
    assert len(got) > 50_000
    assert sorted(got, key=sort_key) == sorted(expected, key=sort_key)


@needs_java
def test_spark_bad_rows_match_the_cli(spark, cli, tmp_path):
    good = json.dumps(_examples()[3], ensure_ascii=False)
    cases = [good] + BAD_CASES
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(cases) + "\n", encoding="utf-8")
    lines = subprocess.run([cli, "check", str(path)], capture_output=True, text=True,
                           encoding="utf-8").stdout.splitlines()
    df = spark.createDataFrame([(i, c) for i, c in enumerate(cases)] + [(99, None)],
                               "n int, case string").coalesce(1)  # one partition: input order
    rows = rgspark.evaluate_cases(df).collect()
    assert rows[0]["decision"] == lines[0] and rows[0]["error"] is None
    for n, (row, line) in enumerate(zip(rows[1:], lines[1:]), start=2):
        assert row["decision"] is None
        rebuilt = f'{{"case":{json.dumps(row["case"])},"error":{row["error"]},"line":{n}}}'
        assert rebuilt == line
    assert rows[-1]["decision"] is None and json.loads(rows[-1]["error"])["code"] == "invalid_json"
    assert len(rows) == len(cases) + 1  # the null row too


@needs_java
def test_spark_scan_keys_nulls_channels_locales(spark):
    from pyspark.sql import functions as F

    rows = [
        ("Leave a review and we'll send you a $10 gift card!", None, None, "a"),
        (None, "package_insert", None, "b"),
        ("Please leave us a 5-star review!", "package_insert", "en", "c"),
        ("I got this for free in exchange for an honest review.", "review", None, "d"),
        ("Hinterlassen Sie eine Bewertung und Sie erhalten einen Gutschein über 15 €.", None,
         "de", "e"),
        ("Thanks for your order!", "bogus", None, "f"),
        ("😀 Please leave us a 5-star review! 日本", "review_request", None, "g"),
    ]
    df = spark.createDataFrame(rows, "text string, channel string, locale string, id string")
    keyed = rgspark.scan_column(df, "text", "channel", "locale", key_col="id").collect()
    by_key: dict[str, set[str]] = {}
    for r in keyed:
        by_key.setdefault(r["key"], set()).add(r["kind"] or json.loads(r["error"])["code"])
    assert by_key == {
        "a": {"compensated-review"}, "c": {"insert-solicitation"},
        "d": {"compensated-review"}, "e": {"compensated-review"}, "f": {"invalid_value"},
        "g": {"biased-review-request"},
    }
    hashed = rgspark.scan_column(df, "text", "channel", "locale")
    joined = hashed.join(df.withColumn("key", F.sha2("text", 256)), "key").withColumn(
        "cut", F.expr("substring(text, start + 1, end - start)")).collect()
    assert {r["id"] for r in joined} == {"a", "c", "d", "e", "f", "g"}
    # start/end are code points: Python slicing and Spark's substring agree with the quote.
    for r in joined:
        if r["error"] is None:
            assert r["text"][r["start"]:r["end"]] == r["quote"] == r["cut"]
    # No channel column: every text is a buyer-seller message.
    plain = rgspark.scan_column(df, "text", key_col="id").collect()
    assert {r["key"] for r in plain if r["kind"]} >= {"a", "c"}
    assert all(r["kind"] != "insert-solicitation" for r in plain)
    with pytest.raises(TypeError):
        rgspark.scan_column(spark.range(3), "id")


@needs_java
def test_spark_custom_engine_limits_travel(spark):
    small = reviewguard.Engine(limits={"max_text_bytes": 40})
    rows = [("Leave a review and we'll send you a $10 gift card!", "long"),
            ("Leave a review, get $10!", "short")]
    df = spark.createDataFrame(rows, "text string, id string")
    got = {r["key"]: r for r in rgspark.scan_column(df, "text", key_col="id", engine=small)
           .collect()}
    assert json.loads(got["long"]["error"])["code"] == "limit_exceeded"
    assert got["short"]["kind"] == "compensated-review"
    default = {r["key"] for r in rgspark.scan_column(df, "text", key_col="id").collect()
               if r["error"] is None}
    assert default == {"long", "short"}


@needs_java
def test_spark_engine_built_once_per_worker(spark, big, big_decisions, engine):
    def probe(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        # Defined here so that cloudpickle ships it by value (workers cannot import tests).
        info = json.dumps(rgspark.engine_cache_info(), sort_keys=True)
        for batch in batches:
            yield pa.RecordBatch.from_pydict(
                {"pid": [os.getpid()] * batch.num_rows, "info": [info] * batch.num_rows})

    table, df = big
    custom = reviewguard.Engine(engine.pack_text(), limits={"max_text_bytes": 4 << 20})
    sample = df.limit(5_000).repartition(PARTITIONS)
    got = collect(rgspark.evaluate_cases(sample, engine=custom))
    assert len(got) == 5_000 and set(got) <= set(big_decisions)
    probes = spark.range(0, 64, numPartitions=PARTITIONS).mapInArrow(
        probe, "pid long, info string").distinct().collect()
    key = rgspark._pack_key(custom.pack_text(), custom.limits)
    builds = {r["pid"]: json.loads(r["info"]) for r in probes}
    assert builds, "no worker answered"
    # Each worker built each pack at most once, however many tasks and batches it ran.
    assert all(n == 1 for info in builds.values() for n in info.values()), builds
    assert any(key in info for info in builds.values()), builds
    assert len(builds) < 2 * PARTITIONS


@needs_java
def test_example_job_end_to_end(tmp_path):
    rows = synthetic_rows(400)
    texts = rows.select(["id", "text", "channel", "locale"])
    pq.write_table(texts, tmp_path / "messages.parquet")
    out = tmp_path / "audit"
    env = {**os.environ, **spark_env()}
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), str(tmp_path / "messages.parquet"), "--out", str(out),
         "--master", "local[2]"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 1, done.stdout + done.stderr[-3000:]
    kinds = sorted(p.name for p in (out / "findings").glob("kind=*"))
    assert "kind=compensated-review" in kinds and len(kinds) >= 3
    findings = pq.read_table(out / "findings")
    assert findings.num_rows > 100 and "kind" in findings.column_names
    assert "findings written to" in done.stdout


@needs_java
def test_example_job_cases_in_this_session(spark, tmp_path):
    """`--cases` mode, run in-process: the job uses the active session and leaves it open."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("spark_audit", EXAMPLE)
    assert spec is not None and spec.loader is not None
    job = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(job)
    cases = [c for c in synthetic_rows(300)["case"].to_pylist() if c is not None]
    cases += BAD_CASES[:2]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(cases) + "\n", encoding="utf-8")
    out = tmp_path / "audit"
    assert job.main([str(path), "--cases", "--out", str(out)]) == 1
    assert any((out / "findings").glob("kind=compensated-review"))
    violations = pq.read_table(out / "findings")
    assert {"case", "code", "seller", "confidence"} <= set(violations.column_names)
    decisions = pq.read_table(out / "decisions")
    assert decisions.num_rows == len(cases)
    assert pq.read_table(out / "errors").num_rows == 2
    assert spark.range(3).count() == 3  # still open
