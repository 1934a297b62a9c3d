//! Single texts (`Engine.scan`) and text columns (`Engine.scan_column`): findings with spans as
//! Python string indices, and Arrow in / Arrow out for pandas, polars and pyarrow.

use std::sync::Arc;

use arrow_array::builder::{Int64Builder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyString};
use pyo3_arrow::input::AnyArray;
use pyo3_arrow::PyTable;
use reviewguard::jsonl::char_offset;
use reviewguard::{Channel, Engine, Error, ErrorCode, Finding};

use crate::decision::confidence_str;
use crate::errors::{case_error, to_pyerr};
use crate::parallel;

/// Where a text is read: a message channel, or `"review"` for a review's own text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Seller-written text in a channel.
    Message(Channel),
    /// A review's text (incentive disclosures).
    Review,
}

impl Source {
    /// Parses `"review"` or a channel name.
    pub fn parse(py: Python<'_>, name: &str) -> PyResult<Source> {
        if name == "review" {
            return Ok(Source::Review);
        }
        Channel::parse(name).map(Source::Message).ok_or_else(|| {
            let names: Vec<String> = Channel::ALL
                .iter()
                .map(|c| format!("`{}`", c.as_str()))
                .chain(["`review`".to_string()])
                .collect();
            case_error(
                py,
                ErrorCode::InvalidValue,
                Some("channel".into()),
                format!(
                    "unknown channel `{name}`; expected one of {}",
                    names.join(", ")
                ),
            )
        })
    }
}

/// A finding with its span converted to code points.
pub type Located = (Finding, (usize, usize));

/// Scans one text (runs on any thread).
pub fn scan(
    engine: &Engine,
    text: &str,
    source: Source,
    locale: Option<&str>,
) -> Result<Vec<Located>, Error> {
    let found = match source {
        Source::Message(channel) => engine.scan(text, channel, locale)?,
        Source::Review => engine.scan_review(text)?,
    };
    Ok(found
        .into_iter()
        .map(|f| {
            let span = if text.is_ascii() {
                (f.start, f.end)
            } else {
                (char_offset(text, f.start), char_offset(text, f.end))
            };
            (f, span)
        })
        .collect())
}

/// One text finding: a rule of the pack fired on `text[start:end]`.
#[pyclass(module = "reviewguard", name = "Finding", frozen, eq)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyFinding {
    kind: String,
    code: String,
    rule: String,
    confidence: String,
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
    quote: String,
    why: String,
}

/// What a `Finding` pickles as: its fields in declaration order.
pub type FindingState = (
    String,
    String,
    String,
    String,
    usize,
    usize,
    usize,
    usize,
    String,
    String,
);

impl From<Located> for PyFinding {
    fn from((f, (start, end)): Located) -> Self {
        PyFinding {
            kind: f.kind.slug().to_string(),
            code: f.code.to_string(),
            rule: f.rule,
            confidence: confidence_str(f.confidence).to_string(),
            start,
            end,
            byte_start: f.start,
            byte_end: f.end,
            quote: f.quote,
            why: f.why,
        }
    }
}

impl From<FindingState> for PyFinding {
    fn from(s: FindingState) -> Self {
        let (kind, code, rule, confidence, start, end, byte_start, byte_end, quote, why) = s;
        PyFinding {
            kind,
            code,
            rule,
            confidence,
            start,
            end,
            byte_start,
            byte_end,
            quote,
            why,
        }
    }
}

#[pymethods]
impl PyFinding {
    /// The kind slug reported (after the pack's channel remapping).
    #[getter]
    fn kind(&self) -> &str {
        &self.kind
    }

    /// The stable code of `kind`, `"RP-01"` to `"RP-11"`.
    #[getter]
    fn code(&self) -> &str {
        &self.code
    }

    /// The id of the rule that fired.
    #[getter]
    fn rule(&self) -> &str {
        &self.rule
    }

    /// `"high"` or `"medium"`.
    #[getter]
    fn confidence(&self) -> &str {
        &self.confidence
    }

    /// Start as a Python string index (code points).
    #[getter]
    fn start(&self) -> usize {
        self.start
    }

    /// End (exclusive) as a Python string index: `text[start:end] == quote`.
    #[getter]
    fn end(&self) -> usize {
        self.end
    }

    /// Start as a UTF-8 byte offset (as the CLI and the core report it).
    #[getter]
    fn byte_start(&self) -> usize {
        self.byte_start
    }

    /// End as a UTF-8 byte offset.
    #[getter]
    fn byte_end(&self) -> usize {
        self.byte_end
    }

    /// The original text of the span.
    #[getter]
    fn quote(&self) -> &str {
        &self.quote
    }

    /// One line: why the rule fires.
    #[getter]
    fn why(&self) -> &str {
        &self.why
    }

    /// The finding as a dict (`start`/`end` as Python string indices).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let d = pyo3::types::PyDict::new(py);
        d.set_item("kind", &self.kind)?;
        d.set_item("code", &self.code)?;
        d.set_item("rule", &self.rule)?;
        d.set_item("confidence", &self.confidence)?;
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("byte_start", self.byte_start)?;
        d.set_item("byte_end", self.byte_end)?;
        d.set_item("quote", &self.quote)?;
        d.set_item("why", &self.why)?;
        Ok(d)
    }

    /// Pickles as its fields.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyTuple>> {
        let restore = py.import("reviewguard._reviewguard")?.getattr("_restore")?;
        let state: FindingState = (
            self.kind.clone(),
            self.code.clone(),
            self.rule.clone(),
            self.confidence.clone(),
            self.start,
            self.end,
            self.byte_start,
            self.byte_end,
            self.quote.clone(),
            self.why.clone(),
        );
        pyo3::types::PyTuple::new(
            py,
            [restore, ("Finding", state).into_pyobject(py)?.into_any()],
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "Finding(code={:?}, kind={:?}, start={}, end={}, quote={:?}, rule={:?})",
            self.code, self.kind, self.start, self.end, self.quote, self.rule
        )
    }
}

/// A column of optional texts, readable from any thread.
pub enum Column {
    /// Arrow string arrays (chunks), shared with the caller without a copy.
    Arrow(Vec<ArrayRef>),
    /// Texts copied out of a Python iterable.
    Owned(Vec<Option<String>>),
}

impl Column {
    /// Reads a pyarrow / polars / pandas column (Arrow PyCapsule interface), or any iterable
    /// of `str` / `None`.
    pub fn extract(values: &Bound<'_, PyAny>) -> PyResult<Column> {
        let is_arrow =
            values.hasattr("__arrow_c_array__")? || values.hasattr("__arrow_c_stream__")?;
        if is_arrow {
            let any: AnyArray = values.extract()?;
            let chunked = any.into_chunked_array()?;
            let (chunks, _field) = chunked.into_inner();
            let chunks = chunks
                .into_iter()
                .map(as_text_array)
                .collect::<PyResult<Vec<_>>>()?;
            return Ok(Column::Arrow(chunks));
        }
        let mut out = Vec::new();
        for item in values.try_iter()? {
            out.push(optional_text(&item?)?);
        }
        Ok(Column::Owned(out))
    }

    /// Number of rows.
    fn len(&self) -> usize {
        match self {
            Column::Arrow(chunks) => chunks.iter().map(|c| c.len()).sum(),
            Column::Owned(v) => v.len(),
        }
    }

    /// Findings of every row, in row order, computed on all cores.
    pub fn scan(
        &self,
        engine: &Engine,
        source: Source,
        locale: Option<&str>,
    ) -> Vec<(usize, Result<Vec<Located>, Error>)> {
        let run = |text: Option<&str>| match text {
            Some(t) => scan(engine, t, source, locale),
            None => Ok(Vec::new()),
        };
        match self {
            Column::Owned(v) => {
                let all = parallel::map(v, |t| run(t.as_deref()));
                all.into_iter().enumerate().collect()
            }
            Column::Arrow(chunks) => {
                let mut out = Vec::with_capacity(self.len());
                let mut base = 0;
                for chunk in chunks {
                    let rows: Vec<usize> = (0..chunk.len()).collect();
                    let found = parallel::map(&rows, |&i| run(text_at(chunk.as_ref(), i)));
                    out.extend(found.into_iter().enumerate().map(|(i, r)| (base + i, r)));
                    base += chunk.len();
                }
                out
            }
        }
    }
}

/// `Some(str)` for a string, `None` for a missing value (None, NaN, pandas NA).
fn optional_text(item: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if let Ok(s) = item.cast::<PyString>() {
        return Ok(Some(s.to_cow()?.into_owned()));
    }
    if item.is_none() {
        return Ok(None);
    }
    if let Ok(f) = item.cast::<PyFloat>() {
        if f.value().is_nan() {
            return Ok(None);
        }
    }
    let ty = item.get_type().name()?;
    let ty = ty.to_cow()?;
    if ty == "NAType" || ty == "NaTType" {
        return Ok(None);
    }
    Err(PyTypeError::new_err(format!(
        "a text column holds `str` or missing values, not `{ty}`"
    )))
}

/// A string-typed array: plain, large or view strings as they are; dictionary-encoded
/// strings decoded; all-null columns as they are.
fn as_text_array(array: ArrayRef) -> PyResult<ArrayRef> {
    match array.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => Ok(array),
        DataType::Dictionary(_, v)
            if matches!(
                v.as_ref(),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            ) =>
        {
            arrow_cast::cast(&array, &DataType::LargeUtf8)
                .map_err(|e| PyValueError::new_err(e.to_string()))
        }
        other => Err(PyTypeError::new_err(format!(
            "a text column has Arrow type string, large_string or string_view, not `{other}`"
        ))),
    }
}

/// The text of row `i` of a text array (`None` when null).
fn text_at(array: &dyn Array, i: usize) -> Option<&str> {
    if array.is_null(i) {
        return None;
    }
    match array.data_type() {
        DataType::Utf8 => array.as_string_opt::<i32>().map(|a| a.value(i)),
        DataType::LargeUtf8 => array.as_string_opt::<i64>().map(|a| a.value(i)),
        DataType::Utf8View => array.as_string_view_opt().map(|a| a.value(i)),
        _ => None,
    }
}

/// The findings of a column as one Arrow record batch:
/// `row, kind, code, rule, confidence, start, end, quote` (spans in code points).
pub fn findings_batch(
    py: Python<'_>,
    results: Vec<(usize, Result<Vec<Located>, Error>)>,
) -> PyResult<PyTable> {
    let mut row = Int64Builder::new();
    let mut kind = StringBuilder::new();
    let mut code = StringBuilder::new();
    let mut rule = StringBuilder::new();
    let mut confidence = StringBuilder::new();
    let mut start = Int64Builder::new();
    let mut end = Int64Builder::new();
    let mut quote = StringBuilder::new();
    for (r, found) in results {
        let found = found.map_err(|e| {
            let mut e = e;
            e.location = Some(format!("values[{r}]"));
            to_pyerr(py, &e, Some(r))
        })?;
        for (f, (s, t)) in found {
            row.append_value(i64_of(r));
            kind.append_value(f.kind.slug());
            code.append_value(f.code);
            rule.append_value(&f.rule);
            confidence.append_value(confidence_str(f.confidence));
            start.append_value(i64_of(s));
            end.append_value(i64_of(t));
            quote.append_value(&f.quote);
        }
    }
    let schema = Arc::new(Schema::new(vec![
        Field::new("row", DataType::Int64, false),
        Field::new("kind", DataType::Utf8, false),
        Field::new("code", DataType::Utf8, false),
        Field::new("rule", DataType::Utf8, false),
        Field::new("confidence", DataType::Utf8, false),
        Field::new("start", DataType::Int64, false),
        Field::new("end", DataType::Int64, false),
        Field::new("quote", DataType::Utf8, false),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(row.finish()),
        Arc::new(kind.finish()),
        Arc::new(code.finish()),
        Arc::new(rule.finish()),
        Arc::new(confidence.finish()),
        Arc::new(start.finish()),
        Arc::new(end.finish()),
        Arc::new(quote.finish()),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    PyTable::try_new(vec![batch], schema)
}

fn i64_of(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
