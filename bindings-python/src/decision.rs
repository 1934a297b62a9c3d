//! `Decision`, `Violation` and `TextEvidence`: typed, read-only views of a core decision.
//!
//! `to_json()` returns the core's canonical line, byte for byte what `reviewguard check` prints;
//! `to_dict()` is `json.loads` of it. Text evidence additionally carries its span as Python
//! string indices (`start`/`end`, code points) beside the UTF-8 byte offsets of the JSON.
//!
//! The views hold the canonical JSON (parsed once, off the GIL), not the core's structs: the
//! core's decision types are serialise-only, and JSON is also what a decision pickles as
//! (`__reduce__`), so results travel back from multiprocessing, Spark, Ray or Dask workers.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use reviewguard::decision::TextEvidence;
use reviewguard::{Case, Engine, Error, Evidence, Subject};
use serde_json::Value;

use crate::json::loads;

/// Code-point spans of a violation's evidence items (`None` for non-text evidence).
type Spans = Vec<Option<(usize, usize)>>;

/// A decision as canonical JSON, and the Python-index spans of its text evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    json: String,
    value: Value,
    spans: Vec<Spans>,
}

impl Evaluated {
    fn new(json: String, spans: Vec<Spans>) -> Result<Evaluated, serde_json::Error> {
        let value = serde_json::from_str(&json)?;
        Ok(Evaluated { json, value, spans })
    }

    fn violations(&self) -> &[Value] {
        self.value
            .get("violations")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
}

/// Judges one case JSON (the CLI's path, `Engine::evaluate_json`) and converts text spans.
pub fn evaluate(engine: &Engine, json: &str) -> Result<Evaluated, Error> {
    let decision = engine.evaluate_json(json)?;
    let has_text = decision
        .violations
        .iter()
        .any(|v| v.evidence.iter().any(|e| matches!(e, Evidence::Text(_))));
    // Code points need the text before each span: only cases with text evidence read it again.
    let case = if has_text {
        Case::from_json(json).ok().map(|vc| vc.case)
    } else {
        None
    };
    let spans = decision
        .violations
        .iter()
        .map(|v| {
            v.evidence
                .iter()
                .map(|e| match (e, &case) {
                    (Evidence::Text(t), Some(case)) => field_text(case, t).map(|text| {
                        (
                            reviewguard::jsonl::char_offset(text, t.start),
                            reviewguard::jsonl::char_offset(text, t.end),
                        )
                    }),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let line = decision.to_json();
    // The core's own serialisation always parses back.
    Ok(Evaluated::new(line, spans).unwrap_or_else(|_| Evaluated {
        json: String::new(),
        value: Value::Null,
        spans: Vec::new(),
    }))
}

/// The original text a piece of text evidence quotes.
fn field_text<'c>(case: &'c Case, t: &TextEvidence) -> Option<&'c str> {
    match (&t.in_, t.field.as_str()) {
        (Subject::Message(id), "text") => case
            .messages
            .iter()
            .find(|m| &m.id == id)
            .map(|m| m.text.as_str()),
        (Subject::Payment(id), "note") => case
            .payments
            .iter()
            .find(|p| &p.id == id)
            .and_then(|p| p.note.as_deref()),
        (Subject::Review(id), field) => {
            case.reviews
                .iter()
                .find(|r| &r.id == id)
                .and_then(|r| match field {
                    "text" => r.text.as_deref(),
                    "title" => r.title.as_deref(),
                    _ => None,
                })
        }
        _ => None,
    }
}

/// The snake_case name of a confidence level, as in the JSON.
pub fn confidence_str(c: reviewguard::Confidence) -> &'static str {
    match c {
        reviewguard::Confidence::High => "high",
        reviewguard::Confidence::Medium => "medium",
    }
}

/// A string field of a JSON object (`""` when absent).
fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// An integer field of a JSON object (0 when absent).
fn int(value: &Value, key: &str) -> usize {
    value
        .get(key)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or_default()
}

/// A JSON value as Python data.
fn to_py<'py>(py: Python<'py>, value: Option<&Value>) -> PyResult<Bound<'py, PyAny>> {
    loads(py, &value.unwrap_or(&Value::Null).to_string())
}

/// The decision for one case: every violation found, with evidence and recommended actions.
///
/// `to_json()` is the canonical line (byte-identical to `reviewguard check`), `to_dict()` its
/// parsed form.
#[pyclass(module = "reviewguard", name = "Decision", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyDecision(pub Evaluated);

#[pymethods]
impl PyDecision {
    /// The case id, when the case has one.
    #[getter]
    fn case(&self) -> Option<&str> {
        self.0.value.get("case").and_then(Value::as_str)
    }

    /// The pack that decided, `name@version`.
    #[getter]
    fn pack(&self) -> &str {
        text(&self.0.value, "pack")
    }

    /// Every violation found, in canonical order (empty when the case is clean).
    #[getter]
    fn violations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let none = Spans::new();
        let items = self
            .0
            .violations()
            .iter()
            .zip(self.0.spans.iter().chain(std::iter::repeat(&none)))
            .map(|(v, s)| PyViolation {
                value: v.clone(),
                spans: s.clone(),
            });
        PyList::new(py, items)
    }

    /// The kinds found (slugs such as `"compensated-review"`), deduplicated, in code order.
    #[getter]
    fn kinds(&self) -> Vec<&str> {
        let mut k: Vec<(&str, &str)> = self
            .0
            .violations()
            .iter()
            .map(|v| (text(v, "code"), text(v, "kind")))
            .collect();
        k.sort_unstable();
        k.dedup();
        k.into_iter().map(|(_, kind)| kind).collect()
    }

    /// The canonical JSON line: byte-identical to `reviewguard check` for the same case.
    fn to_json(&self) -> &str {
        &self.0.json
    }

    /// The decision as plain Python data (`json.loads(self.to_json())`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &self.0.json)
    }

    /// Pickles as the canonical JSON and the spans.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let restore = py.import("reviewguard._reviewguard")?.getattr("_restore")?;
        let state = (self.0.json.as_str(), self.0.spans.clone());
        PyTuple::new(
            py,
            [restore, ("Decision", state).into_pyobject(py)?.into_any()],
        )
    }

    fn __repr__(&self) -> String {
        let v: Vec<String> = self
            .0
            .violations()
            .iter()
            .map(|v| format!("{} {}", text(v, "code"), text(v, "kind")))
            .collect();
        format!(
            "Decision(case={}, violations=[{}])",
            self.case().map_or("None".into(), |c| format!("{c:?}")),
            v.join(", ")
        )
    }
}

/// Rebuilds a pickled `Decision`.
pub fn restore_decision(json: String, spans: Vec<Spans>) -> PyResult<PyDecision> {
    Evaluated::new(json, spans)
        .map(PyDecision)
        .map_err(|e| PyValueError::new_err(format!("not a decision: {e}")))
}

/// One violation of one kind by one seller about one subject.
#[pyclass(module = "reviewguard", name = "Violation", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyViolation {
    value: Value,
    spans: Spans,
}

#[pymethods]
impl PyViolation {
    /// The stable code, `"RP-01"` to `"RP-11"`.
    #[getter]
    fn code(&self) -> &str {
        text(&self.value, "code")
    }

    /// The kind slug, e.g. `"insider-review"`.
    #[getter]
    fn kind(&self) -> &str {
        text(&self.value, "kind")
    }

    /// The seller responsible (`None` for an anonymous draft).
    #[getter]
    fn seller(&self) -> Option<&str> {
        self.value.get("seller").and_then(Value::as_str)
    }

    /// What the violation is about, e.g. `{"review": "R1"}`.
    #[getter]
    fn subject<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.value.get("subject"))
    }

    /// `"high"` or `"medium"`.
    #[getter]
    fn confidence(&self) -> &str {
        text(&self.value, "confidence")
    }

    /// The evidence as in the JSON (text offsets are UTF-8 bytes there; see `text_evidence`).
    #[getter]
    fn evidence<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.value.get("evidence"))
    }

    /// The quoted text spans of the evidence, with `start`/`end` as Python string indices.
    #[getter]
    fn text_evidence<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let evidence = self
            .value
            .get("evidence")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let items = evidence
            .iter()
            .zip(self.spans.iter().chain(std::iter::repeat(&None)))
            .filter_map(|(e, span)| {
                let t = e.get("text")?;
                Some(PyTextEvidence {
                    value: t.clone(),
                    // Unreachable fallback: a span the case did not yield stays in bytes.
                    span: span.unwrap_or((int(t, "start"), int(t, "end"))),
                })
            });
        PyList::new(py, items)
    }

    /// The pack's recommended enforcement actions for this kind.
    #[getter]
    fn actions(&self) -> Vec<&str> {
        self.value
            .get("actions")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// The violation as plain Python data (its object in `Decision.to_dict()`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, Some(&self.value))
    }

    fn __repr__(&self) -> String {
        format!(
            "Violation(code={:?}, kind={:?}, seller={:?}, confidence={:?})",
            self.code(),
            self.kind(),
            self.seller(),
            self.confidence()
        )
    }
}

/// A quoted span of a case's text field that is evidence for a violation.
#[pyclass(module = "reviewguard", name = "TextEvidence", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyTextEvidence {
    value: Value,
    span: (usize, usize),
}

#[pymethods]
impl PyTextEvidence {
    /// The item holding the text, e.g. `{"message": "M1"}`.
    #[getter]
    fn subject<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.value.get("in"))
    }

    /// The field: `"text"`, `"title"` or `"note"`.
    #[getter]
    fn field(&self) -> &str {
        text(&self.value, "field")
    }

    /// Start as a Python string index (code points) into the field.
    #[getter]
    fn start(&self) -> usize {
        self.span.0
    }

    /// End (exclusive) as a Python string index: `text[start:end] == quote`.
    #[getter]
    fn end(&self) -> usize {
        self.span.1
    }

    /// Start as a UTF-8 byte offset (as in the JSON).
    #[getter]
    fn byte_start(&self) -> usize {
        int(&self.value, "start")
    }

    /// End as a UTF-8 byte offset (as in the JSON).
    #[getter]
    fn byte_end(&self) -> usize {
        int(&self.value, "end")
    }

    /// The original text of the span.
    #[getter]
    fn quote(&self) -> &str {
        text(&self.value, "quote")
    }

    /// The rule that matched.
    #[getter]
    fn rule(&self) -> &str {
        text(&self.value, "rule")
    }

    /// One line: why the rule fires.
    #[getter]
    fn why(&self) -> &str {
        text(&self.value, "why")
    }

    fn __repr__(&self) -> String {
        format!(
            "TextEvidence(field={:?}, start={}, end={}, quote={:?}, rule={:?})",
            self.field(),
            self.span.0,
            self.span.1,
            self.quote(),
            self.rule()
        )
    }
}
