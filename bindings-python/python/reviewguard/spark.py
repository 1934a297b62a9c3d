"""reviewguard inside Apache Spark: judge cases and scan texts over Arrow batches.

PySpark is an optional dependency (``pip install 'reviewguard[spark]'``); importing
:mod:`reviewguard` never imports it, and this module imports it only when a DataFrame function
is called. Both DataFrame functions run through ``DataFrame.mapInArrow``: rows travel to the
Python workers as Arrow record batches (``spark.sql.execution.arrow.maxRecordsPerBatch`` rows
each, 10 000 by default) and every batch goes through the engine's batch calls
(:meth:`Engine.evaluate_many`, :meth:`Engine.scan_column`), which release the GIL and use every
core of the worker. Nothing is done per row in Spark::

    from reviewguard.spark import evaluate_cases, scan_column

    decisions = evaluate_cases(spark.read.parquet("cases/"), case_col="case")
    findings = scan_column(spark.read.parquet("messages/"), "text",
                           channel_col="channel", locale_col="locale", key_col="message_id")

Decisions made here (also in the package README, section "Spark"):

Engine
    ``engine=None`` uses the bundled default pack: nothing but that fact is shipped, and each
    worker compiles ``Engine()``. A custom :class:`~reviewguard.Engine` travels as its pack text
    and limits (what the engine pickles as) inside the picklable function object. On a worker,
    engines are cached in a module-level dict keyed by the SHA-256 of the pack text and limits
    (``"default"`` for the bundled pack with default limits), so each Python worker process compiles a pack once, whatever the number of
    tasks and batches it runs (Spark reuses its Python workers: ``spark.python.worker.reuse``,
    on by default). :func:`engine_cache_info` reports what this process built.

Bad case rows
    An unreadable case never stops the job and is never dropped: its row has ``decision`` null
    and ``error`` set to the JSON object that ``reviewguard check`` prints under ``"error"`` for
    that line, byte for byte: ``{"code":...,"location":...,"message":...}`` with the core's
    stable code (``invalid_json``, ``unknown_field``, ``dangling_reference``, ...) and location
    (a JSON path, or ``line L column C`` inside the case). ``case`` is the case's ``id`` when
    the JSON holds one, as in the CLI's error line (``{"case":...,"error":...,"line":N}``, taken
    from the core's own error line; Spark rows have no line number). A null case is read as an empty input: error ``invalid_json``.
    Good rows have ``error`` null and ``decision`` the CLI's line, byte for byte.

Keys of findings
    ``key_col`` is carried to each finding as it is (same Spark type). Without it, ``key`` is
    the lowercase hex SHA-256 of the text's UTF-8 bytes: stable across runs, partitionings and
    clusters (a row position is not, in Spark), and equal to Spark's own
    ``sha2(col(text_col), 256)``, so findings join back to their rows on it. Equal texts get
    equal keys (and, in the same channel and locale, the same findings).

Null texts, channels, locales
    A null text has no findings and yields no row. A null channel (or no ``channel_col``) means
    the ``channel`` argument (``buyer_seller_message`` by default; ``review`` reads a review's
    own text); a null locale (or no ``locale_col``) means the ``locale`` argument (``None``:
    every language of the pack).

Texts that cannot be scanned
    A text over the engine's size limit (``limits["max_text_bytes"]``, 1 MiB by default) or a row whose channel the engine does
    not know does not stop the job: it yields one row with the finding columns null and
    ``error`` set as for cases (``{"code":"limit_exceeded","location":"text",...}``,
    ``{"code":"invalid_value","location":"channel",...}``). Finding rows have ``error`` null.

Output columns
    :func:`evaluate_cases`: ``case`` string, ``decision`` string, ``error`` string.
    :func:`scan_column`: ``key`` (``key_col``'s type, else string), ``kind`` string (slug such
    as ``compensated-review``), ``code`` string (``RP-01``..``RP-11``), ``rule`` string (the
    pack rule that fired: two rules can quote the same passage, so without it such rows would
    look like duplicates), ``confidence`` string, ``start`` / ``end`` bigint (Arrow int64) in
    **code points** as :attr:`Finding.start` / :attr:`Finding.end` (``text[start:end] ==
    quote`` in Python, ``substring(text, start + 1, end - start) = quote`` in Spark SQL),
    ``quote`` string, ``error`` string. Rows keep their input order within a batch; Spark
    gives no order across batches.

:func:`evaluate_batch` and :func:`scan_batch` are the per-batch functions, usable on their own
with any Arrow-based engine (Ray, Dask, Beam, a plain loop over a Parquet file).
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Optional, Union

import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]

from ._errors import CaseError
from ._reviewguard import Engine

if TYPE_CHECKING:
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

__all__ = [
    "evaluate_cases",
    "scan_column",
    "evaluate_batch",
    "scan_batch",
    "engine_for",
    "engine_cache_info",
    "DEFAULT_CHANNEL",
    "DECISION_COLUMNS",
    "FINDING_COLUMNS",
]

DEFAULT_CHANNEL = "buyer_seller_message"
DECISION_COLUMNS = ("case", "decision", "error")
FINDING_COLUMNS = ("key", "kind", "code", "rule", "confidence", "start", "end", "quote", "error")

_DEFAULT_KEY = "default"
_engines: dict[str, Engine] = {}
_builds: dict[str, int] = {}
_lock = threading.Lock()

_ArrowColumn = Union["pa.Array[Any]", "pa.ChunkedArray[Any]"]
_Shipped = tuple[Optional[str], Optional[dict[str, int]], str]  # pack text, limits, cache key


# --- engines: built once per worker process -------------------------------------------------


def _pack_key(pack: Optional[str], limits: Optional[Mapping[str, int]] = None) -> str:
    if pack is None and limits is None:
        return _DEFAULT_KEY
    text = (pack or "") + "\0" + json.dumps(dict(limits or {}), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def engine_for(
    pack: Optional[str],
    key: Optional[str] = None,
    limits: Optional[Mapping[str, int]] = None,
) -> Engine:
    """The engine of ``pack`` (TOML text; ``None``: the bundled pack) with ``limits`` (``None``:
    the defaults), compiled at most once per process and cached under ``key`` (the SHA-256 of
    the pack text and limits, computed when not given)."""
    key = key or _pack_key(pack, limits)
    engine = _engines.get(key)
    if engine is None:
        with _lock:
            engine = _engines.get(key)
            if engine is None:
                engine = Engine(pack, dict(limits) if limits is not None else None)
                _engines[key] = engine
                _builds[key] = _builds.get(key, 0) + 1
    return engine


def engine_cache_info() -> dict[str, int]:
    """How many times this process compiled each pack, by cache key (``"default"`` or the
    SHA-256 of the pack text and limits). Each value is 1 while the cache works."""
    with _lock:
        return dict(_builds)


# --- one Arrow batch ------------------------------------------------------------------------


def _error_json(e: CaseError) -> str:
    """The ``error`` object of the CLI's error line (serde_json: sorted keys, compact, UTF-8)."""
    return json.dumps(
        {"code": e.code, "location": e.location, "message": e.message},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _reject_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON (serde_json rejects them too)


def _case_id(engine: Engine, case: str, e: CaseError) -> Optional[str]:
    """The ``case`` of the CLI's error line for this input: the core's own error line
    (``Engine.check_jsonl``) whenever one CLI line can hold the row, so that the id is the one
    the CLI prints, byte for byte."""
    if e.code == "invalid_json":
        return None  # the core finds no id in what does not parse
    if "\n" not in case and not case.lstrip().startswith("["):
        lines = engine.check_jsonl(case)
        if len(lines) == 1:
            ident = json.loads(lines[0]).get("case")
            return ident if isinstance(ident, str) else None
    # A row with a line break or a top-level array is no single CLI line: the core's rule
    # (`id` read from an object, or from a one-element array as serde reads a struct) here.
    try:
        value = json.loads(case, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    if isinstance(value, dict):
        ident = value.get("id")
    else:
        ident = value[0] if isinstance(value, list) and len(value) == 1 else None
    return ident if isinstance(ident, str) else None


def _as_array(column: _ArrowColumn) -> pa.Array[Any]:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        column = column.cast(pa.large_string())
    return column


_DECISION_SCHEMA = pa.schema(
    [("case", pa.string()), ("decision", pa.string()), ("error", pa.string())]
)


def evaluate_batch(engine: Engine, cases: _ArrowColumn) -> pa.RecordBatch:
    """Judges an Arrow column of case JSON strings: a record batch ``case, decision, error``
    with one row per input row, in order (see the module docs for bad and null rows)."""
    texts = ["" if c is None else c for c in _as_array(cases).to_pylist()]
    results = engine.evaluate_many(texts, on_error="return")
    ids: list[Optional[str]] = []
    decisions: list[Optional[str]] = []
    errors: list[Optional[str]] = []
    for text, result in zip(texts, results):
        if isinstance(result, CaseError):
            ids.append(_case_id(engine, text, result))
            decisions.append(None)
            errors.append(_error_json(result))
        else:
            ids.append(result.case)
            decisions.append(result.to_json())
            errors.append(None)
    return pa.RecordBatch.from_arrays(
        [pa.array(ids, pa.string()), pa.array(decisions, pa.string()),
         pa.array(errors, pa.string())],
        schema=_DECISION_SCHEMA,
    )


_PART_COLUMNS = ("row", "kind", "code", "rule", "confidence", "start", "end", "quote", "error")
_PART_SCHEMA = pa.schema(
    [("row", pa.int64()), ("kind", pa.string()), ("code", pa.string()),
     ("rule", pa.string()), ("confidence", pa.string()), ("start", pa.int64()),
     ("end", pa.int64()),
     ("quote", pa.string()), ("error", pa.string())]
)


def _part(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=_PART_SCHEMA)


def _scan_one_by_one(
    engine: Engine, texts: pa.Array[Any], rows: Iterable[int], channel: str,
    locale: Optional[str],
) -> pa.Table:
    out: list[dict[str, Any]] = []
    for r in rows:
        text = texts[r].as_py()
        if text is None:
            continue
        try:
            found = engine.scan(text, channel, locale)
        except CaseError as e:
            out.append({"row": r, "error": _error_json(e)})
            continue
        out.extend(
            {"row": r, "kind": f.kind, "code": f.code, "rule": f.rule,
             "confidence": f.confidence,
             "start": f.start, "end": f.end, "quote": f.quote}
            for f in found
        )
    return _part(out)


def _scan_group(
    engine: Engine, texts: pa.Array[Any], channel: str, locale: Optional[str], max_bytes: int
) -> pa.Table:
    """Findings of texts read in one channel and locale: ``_PART_COLUMNS``, ``row`` indexing
    ``texts``."""
    try:
        engine.scan_column(pa.array([], pa.string()), channel, locale)
    except CaseError as e:  # an unknown channel: the error belongs to every text of the group
        valid = pc.indices_nonzero(pc.is_valid(texts)).to_pylist()
        return _part([{"row": r, "error": _error_json(e)} for r in valid])
    # Texts over the engine's limit go through `Engine.scan` one by one, each with its error;
    # the others through one `scan_column` call.
    over = pc.fill_null(pc.greater(pc.binary_length(texts), max_bytes), False)
    if not pc.any(over).as_py():
        small: Optional[pa.Array[Any]] = None
        big: list[int] = []
    else:
        small = pc.indices_nonzero(pc.invert(over))
        big = pc.indices_nonzero(over).to_pylist()
    batch = texts if small is None else texts.take(small)
    try:
        found = engine.scan_column(batch, channel, locale)
    except CaseError:  # not expected (limits are checked above): report per row
        rows = range(len(texts)) if small is None else small.to_pylist()
        found_rows = _scan_one_by_one(engine, texts, rows, channel, locale)
    else:
        row = found.column("row")
        if small is not None:
            row = small.take(row)
        found_rows = pa.table(
            [row.cast(pa.int64())] + [found.column(c) for c in _PART_COLUMNS[1:-1]]
            + [pa.nulls(found.num_rows, pa.string())],
            schema=_PART_SCHEMA,
        )
    if not big:
        return found_rows
    return pa.concat_tables([found_rows, _scan_one_by_one(engine, texts, big, channel, locale)])


def _groups(
    n: int,
    channels: Optional[_ArrowColumn],
    locales: Optional[_ArrowColumn],
    channel: str,
    locale: Optional[str],
) -> list[tuple[str, Optional[str], Optional[pa.Array[Any]]]]:
    """Rows by (channel, locale): ``(channel, locale, row indices or None for all rows)``."""
    if channels is None and locales is None:
        return [(channel, locale, None)]
    columns = {
        "c": pa.array([channel] * n, pa.string()) if channels is None
        else pc.fill_null(_as_array(channels).cast(pa.string()), channel),
        "l": pa.nulls(n, pa.string()) if locales is None
        else _as_array(locales).cast(pa.string()),
        "i": pa.array(range(n), pa.int64()),
    }
    grouped = pa.table(columns).group_by(["c", "l"], use_threads=False).aggregate(
        [("i", "list")]
    )
    out: list[tuple[str, Optional[str], Optional[pa.Array[Any]]]] = []
    for ch, loc, idx in zip(
        grouped.column("c").to_pylist(), grouped.column("l").to_pylist(),
        grouped.column("i_list").combine_chunks(),
    ):
        rows = idx.values if len(idx.values) < n else None
        out.append((ch, loc if loc is not None else locale, rows))
    return out


def _text_keys(texts: pa.Array[Any], rows: pa.Array[Any]) -> pa.Array[Any]:
    memo: dict[int, str] = {}
    keys: list[str] = []
    for r, text in zip(rows.to_pylist(), texts.take(rows).to_pylist()):
        key = memo.get(r)
        if key is None:
            key = memo[r] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        keys.append(key)
    return pa.array(keys, pa.string())


def scan_batch(
    engine: Engine,
    texts: _ArrowColumn,
    channels: Optional[_ArrowColumn] = None,
    locales: Optional[_ArrowColumn] = None,
    keys: Optional[_ArrowColumn] = None,
    *,
    channel: str = DEFAULT_CHANNEL,
    locale: Optional[str] = None,
) -> pa.RecordBatch:
    """The findings in an Arrow column of texts, read in each row's channel and locale (from
    ``channels`` / ``locales``, nulls and absent columns meaning ``channel`` / ``locale``):
    a record batch ``key, kind, code, rule, confidence, start, end, quote, error``, one row per
    finding (and per text that cannot be scanned), in row order. ``key`` is ``keys``'s value
    of the row, or the hex SHA-256 of the text."""
    text_array = _as_array(texts)
    n = len(text_array)
    max_bytes = engine.limits["max_text_bytes"]
    parts = []
    for ch, loc, idx in _groups(n, channels, locales, channel, locale):
        group = text_array if idx is None else text_array.take(idx)
        part = _scan_group(engine, group, ch, loc, max_bytes)
        if idx is not None:
            part = part.set_column(0, "row", idx.take(part.column("row")).cast(pa.int64()))
        parts.append(part)
    table = pa.concat_tables(parts) if parts else _part([])
    if table.num_rows > 1:  # groups and one-by-one rows back in row order (a stable sort)
        table = table.take(pc.sort_indices(table, [("row", "ascending")]))
    rows = table.column("row").combine_chunks()
    if keys is None:
        key = _text_keys(text_array, rows)
    else:
        key_array = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
        key = key_array.take(rows)
    columns = [key] + [table.column(c).combine_chunks() for c in _PART_COLUMNS[1:]]
    names = list(FINDING_COLUMNS)
    return pa.RecordBatch.from_arrays(columns, names=names)


# --- Spark ----------------------------------------------------------------------------------


class _Evaluate:
    """The mapInArrow function of :func:`evaluate_cases`: plain data only (pack text or None,
    its cache key, a column name), so that it pickles small and builds nothing until it runs."""

    def __init__(self, shipped: _Shipped, case_col: str) -> None:
        self.pack, self.limits, self.key = shipped
        self.case_col = case_col

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        engine = engine_for(self.pack, self.key, self.limits)
        for batch in batches:
            yield evaluate_batch(engine, batch.column(self.case_col))


class _Scan:
    """The mapInArrow function of :func:`scan_column` (plain data only, like :class:`_Evaluate`)."""

    def __init__(
        self,
        shipped: _Shipped,
        text_col: str,
        channel_col: Optional[str],
        locale_col: Optional[str],
        key_col: Optional[str],
        channel: str,
        locale: Optional[str],
    ) -> None:
        self.pack, self.limits, self.key = shipped
        self.text_col = text_col
        self.channel_col = channel_col
        self.locale_col = locale_col
        self.key_col = key_col
        self.channel = channel
        self.locale = locale

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        engine = engine_for(self.pack, self.key, self.limits)
        for batch in batches:
            yield scan_batch(
                engine,
                batch.column(self.text_col),
                None if self.channel_col is None else batch.column(self.channel_col),
                None if self.locale_col is None else batch.column(self.locale_col),
                None if self.key_col is None else batch.column(self.key_col),
                channel=self.channel,
                locale=self.locale,
            )


def _shipped(engine: Optional[Engine]) -> _Shipped:
    """What the workers get of an engine: what it pickles as (pack text, limits), and the
    cache key of that; nothing for the bundled pack with default limits."""
    if engine is None:
        return None, None, _DEFAULT_KEY
    pack, limits = engine.pack_text(), engine.limits
    return pack, limits, _pack_key(pack, limits)


def _require_string(df: DataFrame, column: str, role: str) -> None:
    from pyspark.sql.types import StringType

    if column not in df.columns:
        raise ValueError(f"{role} `{column}` is not a column of the DataFrame: {df.columns}")
    dtype = df.schema[column].dataType
    if not isinstance(dtype, StringType):
        raise TypeError(f"{role} `{column}` must be a string column, not {dtype.simpleString()}")


def evaluate_cases(
    df: DataFrame, case_col: str = "case", *, engine: Optional[Engine] = None
) -> DataFrame:
    """Judges every case of ``df[case_col]`` (case JSON strings): a DataFrame ``case, decision,
    error`` with one row per input row. ``decision`` is the decision JSON, byte-identical to
    the line ``reviewguard check`` prints; for a case that cannot be read it is null and
    ``error`` holds the CLI's error object. ``engine``: a custom engine (shipped as its pack
    text), else the bundled pack."""
    _require_string(df, case_col, "case_col")
    return df.select(case_col).mapInArrow(
        _Evaluate(_shipped(engine), case_col), "case string, decision string, error string"
    )


def _finding_schema(df: DataFrame, key_col: Optional[str]) -> StructType:
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    key_type = StringType() if key_col is None else df.schema[key_col].dataType
    fields = [StructField("key", key_type)]
    for name in FINDING_COLUMNS[1:]:
        dtype = LongType() if name in ("start", "end") else StringType()
        fields.append(StructField(name, dtype))
    return StructType(fields)


def scan_column(
    df: DataFrame,
    text_col: str,
    channel_col: Optional[str] = None,
    locale_col: Optional[str] = None,
    key_col: Optional[str] = None,
    *,
    channel: str = DEFAULT_CHANNEL,
    locale: Optional[str] = None,
    engine: Optional[Engine] = None,
) -> DataFrame:
    """Scans the texts of ``df[text_col]``: a DataFrame ``key, kind, code, rule, confidence,
    start, end, quote, error`` with one row per finding. Each text is read in its row's
    ``channel_col`` / ``locale_col`` value (null or no column: ``channel`` / ``locale``);
    ``key`` is the row's ``key_col`` value, or without ``key_col`` the hex SHA-256 of the text
    (Spark's ``sha2(text, 256)``). ``start`` / ``end`` are code-point offsets. A text that
    cannot be scanned (over the size limit, unknown channel) gives one row with ``error`` set."""
    _require_string(df, text_col, "text_col")
    for role, column in (("channel_col", channel_col), ("locale_col", locale_col)):
        if column is not None:
            _require_string(df, column, role)
    if key_col is not None and key_col not in df.columns:
        raise ValueError(f"key_col `{key_col}` is not a column of the DataFrame: {df.columns}")
    wanted = [text_col, channel_col, locale_col, key_col]
    columns = list(dict.fromkeys(c for c in wanted if c is not None))
    scan = _Scan(_shipped(engine), text_col, channel_col, locale_col, key_col, channel, locale)
    return df.select(*columns).mapInArrow(scan, _finding_schema(df, key_col))
