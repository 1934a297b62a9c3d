//! `Decision`, `Violation` and `TextEvidence`: typed, read-only views of a core decision.
//!
//! `to_json()` returns the core's canonical line, byte for byte what `reviewguard check` prints;
//! `to_dict()` is `json.loads` of it. Text evidence additionally carries its span as Python
//! string indices (`start`/`end`, code points) beside the UTF-8 byte offsets of the JSON.

use pyo3::prelude::*;
use pyo3::types::PyList;
use reviewguard::decision::TextEvidence;
use reviewguard::{Case, Confidence, Decision, Engine, Error, Evidence, Subject, Violation};

use crate::json::loads;

/// Code-point spans of a violation's evidence items (`None` for non-text evidence).
type Spans = Vec<Option<(usize, usize)>>;

/// A decision and the Python-index spans of its text evidence, computed off the GIL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluated {
    decision: Decision,
    spans: Vec<Spans>,
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
    Ok(Evaluated { decision, spans })
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
pub fn confidence_str(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "high",
        Confidence::Medium => "medium",
    }
}

fn to_py<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    // Serialising the core's plain data types cannot fail.
    loads(py, &serde_json::to_string(value).unwrap_or_default())
}

/// The decision for one case: every violation found, with evidence and recommended actions.
///
/// `to_json()` is the canonical line (byte-identical to `reviewguard check`), `to_dict()` its
/// parsed form.
#[pyclass(module = "reviewguard", name = "Decision", frozen, eq)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyDecision(pub Evaluated);

#[pymethods]
impl PyDecision {
    /// The case id, when the case has one.
    #[getter]
    fn case(&self) -> Option<&str> {
        self.0.decision.case.as_deref()
    }

    /// The pack that decided, `name@version`.
    #[getter]
    fn pack(&self) -> &str {
        &self.0.decision.pack
    }

    /// Every violation found, in canonical order (empty when the case is clean).
    #[getter]
    fn violations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .0
            .decision
            .violations
            .iter()
            .zip(&self.0.spans)
            .map(|(v, s)| PyViolation {
                inner: v.clone(),
                spans: s.clone(),
            });
        PyList::new(py, items)
    }

    /// The kinds found (slugs such as `"compensated-review"`), deduplicated, in code order.
    #[getter]
    fn kinds(&self) -> Vec<&'static str> {
        self.0
            .decision
            .kinds()
            .into_iter()
            .map(|k| k.slug())
            .collect()
    }

    /// The canonical JSON line: byte-identical to `reviewguard check` for the same case.
    fn to_json(&self) -> String {
        self.0.decision.to_json()
    }

    /// The decision as plain Python data (`json.loads(self.to_json())`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &self.0.decision.to_json())
    }

    fn __repr__(&self) -> String {
        let v: Vec<String> = self
            .0
            .decision
            .violations
            .iter()
            .map(|v| format!("{} {}", v.kind.code(), v.kind.slug()))
            .collect();
        format!(
            "Decision(case={}, violations=[{}])",
            self.0
                .decision
                .case
                .as_deref()
                .map_or("None".into(), |c| format!("{c:?}")),
            v.join(", ")
        )
    }
}

/// One violation of one kind by one seller about one subject.
#[pyclass(module = "reviewguard", name = "Violation", frozen, eq)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyViolation {
    inner: Violation,
    spans: Spans,
}

#[pymethods]
impl PyViolation {
    /// The stable code, `"RP-01"` to `"RP-11"`.
    #[getter]
    fn code(&self) -> &'static str {
        self.inner.kind.code()
    }

    /// The kind slug, e.g. `"insider-review"`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.kind.slug()
    }

    /// The seller responsible (`None` for an anonymous draft).
    #[getter]
    fn seller(&self) -> Option<&str> {
        self.inner.seller.as_deref()
    }

    /// What the violation is about, e.g. `{"review": "R1"}`.
    #[getter]
    fn subject<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.subject)
    }

    /// `"high"` or `"medium"`.
    #[getter]
    fn confidence(&self) -> &'static str {
        confidence_str(self.inner.confidence)
    }

    /// The evidence as in the JSON (text offsets are UTF-8 bytes there; see `text_evidence`).
    #[getter]
    fn evidence<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.evidence)
    }

    /// The quoted text spans of the evidence, with `start`/`end` as Python string indices.
    #[getter]
    fn text_evidence<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .evidence
            .iter()
            .zip(&self.spans)
            .filter_map(|(e, span)| match e {
                Evidence::Text(t) => Some(PyTextEvidence {
                    inner: t.clone(),
                    // Unreachable fallback: a span the case did not yield stays in bytes.
                    span: span.unwrap_or((t.start, t.end)),
                }),
                _ => None,
            });
        PyList::new(py, items)
    }

    /// The pack's recommended enforcement actions for this kind.
    #[getter]
    fn actions(&self) -> Vec<String> {
        self.inner.actions.clone()
    }

    /// The violation as plain Python data (its object in `Decision.to_dict()`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Violation(code={:?}, kind={:?}, seller={:?}, confidence={:?})",
            self.inner.kind.code(),
            self.inner.kind.slug(),
            self.inner.seller,
            confidence_str(self.inner.confidence)
        )
    }
}

/// A quoted span of a case's text field that is evidence for a violation.
#[pyclass(module = "reviewguard", name = "TextEvidence", frozen, eq)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyTextEvidence {
    inner: TextEvidence,
    span: (usize, usize),
}

#[pymethods]
impl PyTextEvidence {
    /// The item holding the text, e.g. `{"message": "M1"}`.
    #[getter]
    fn subject<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.in_)
    }

    /// The field: `"text"`, `"title"` or `"note"`.
    #[getter]
    fn field(&self) -> &str {
        &self.inner.field
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
        self.inner.start
    }

    /// End as a UTF-8 byte offset (as in the JSON).
    #[getter]
    fn byte_end(&self) -> usize {
        self.inner.end
    }

    /// The original text of the span.
    #[getter]
    fn quote(&self) -> &str {
        &self.inner.quote
    }

    /// The rule that matched.
    #[getter]
    fn rule(&self) -> &str {
        &self.inner.rule
    }

    /// One line: why the rule fires.
    #[getter]
    fn why(&self) -> &str {
        &self.inner.why
    }

    fn __repr__(&self) -> String {
        format!(
            "TextEvidence(field={:?}, start={}, end={}, quote={:?}, rule={:?})",
            self.inner.field, self.span.0, self.span.1, self.inner.quote, self.inner.rule
        )
    }
}
