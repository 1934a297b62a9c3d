//! `Engine`: the compiled policy pack, shared by every thread; every batch call releases the
//! GIL and spreads its items over all cores.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple, PyType};
use reviewguard::{jsonl, Engine, Limits, PackSource};

use crate::decision::{self, PyDecision};
use crate::errors::to_pyerr;
use crate::json::case_json;
use crate::parallel;
use crate::scan::{self, Column, PyFinding, Source};

/// Items converted under the GIL, then judged in parallel without it, per round. Bounds the
/// memory of a batch over a long iterator and paces the progress bar.
const ROUND: usize = 8192;

/// Limits from a dict of overrides; an unknown name is a `ValueError`.
fn limits_from(given: &std::collections::HashMap<String, usize>) -> PyResult<Limits> {
    let mut l = Limits::default();
    for (name, &value) in given {
        match name.as_str() {
            "max_case_bytes" => l.max_case_bytes = value,
            "max_text_bytes" => l.max_text_bytes = value,
            "max_list_len" => l.max_list_len = value,
            "max_json_depth" => l.max_json_depth = value,
            _ => {
                return Err(PyValueError::new_err(format!(
                    "unknown limit `{name}`: expected max_case_bytes, max_text_bytes, \
                     max_list_len or max_json_depth"
                )))
            }
        }
    }
    Ok(l)
}

/// The decision engine: a policy pack compiled once; immutable and safe to share between
/// threads.
///
/// `Engine()` uses the bundled default pack; `Engine(pack)` or `Engine.from_pack(pack)` a
/// pack given as one TOML string. `Engine(limits={"max_text_bytes": 4 << 20})` overrides input
/// limits (see `Engine.limits`). Pickling sends the pack text and the limits, so an engine can
/// be shipped to multiprocessing, Spark, Ray or Dask workers.
#[pyclass(module = "reviewguard", name = "Engine", frozen, subclass)]
pub struct PyEngine {
    engine: Engine,
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (pack=None, limits=None))]
    fn new(
        py: Python<'_>,
        pack: Option<&str>,
        limits: Option<std::collections::HashMap<String, usize>>,
    ) -> PyResult<Self> {
        let limits = limits.map(|l| limits_from(&l)).transpose()?;
        let engine = match (pack, limits) {
            (None, None) => Engine::new(),
            (Some(text), None) => Engine::from_pack_str(text),
            (None, Some(l)) => Engine::with_limits(Engine::default_pack_source(), l),
            (Some(text), Some(l)) => Engine::with_limits(PackSource::from_text(text), l),
        };
        engine
            .map(|engine| PyEngine { engine })
            .map_err(|e| to_pyerr(py, &e, None))
    }

    /// The limits in force, as a dict: `max_case_bytes`, `max_text_bytes`, `max_list_len`,
    /// `max_json_depth` (pass such a dict, or part of one, as `Engine(limits=...)`).
    #[getter]
    fn limits(&self) -> std::collections::BTreeMap<&'static str, usize> {
        let l = self.engine.limits();
        [
            ("max_case_bytes", l.max_case_bytes),
            ("max_text_bytes", l.max_text_bytes),
            ("max_list_len", l.max_list_len),
            ("max_json_depth", l.max_json_depth),
        ]
        .into_iter()
        .collect()
    }

    /// An engine over a policy pack held in one TOML string (raises `PolicyError`).
    #[classmethod]
    fn from_pack<'py>(cls: &Bound<'py, PyType>, pack: &str) -> PyResult<Bound<'py, PyAny>> {
        cls.call1((pack,))
    }

    /// `name@version` of the pack, as reported in decisions.
    #[getter]
    fn pack_id(&self) -> String {
        self.engine.pack_id()
    }

    /// The languages the pack declares.
    #[getter]
    fn languages(&self) -> Vec<String> {
        self.engine.languages().to_vec()
    }

    /// The pack as one TOML string; `Engine.from_pack(engine.pack_text())` rebuilds it.
    fn pack_text(&self) -> String {
        self.engine.pack_source().to_single_string()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let this = slf.get();
        let pack = this.pack_text().into_pyobject(py)?.into_any();
        let args = if *this.engine.limits() == Limits::default() {
            PyTuple::new(py, [pack])?
        } else {
            PyTuple::new(py, [pack, this.limits().into_pyobject(py)?.into_any()])?
        };
        PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
    }

    fn __repr__(&self) -> String {
        format!("Engine(pack_id={:?})", self.engine.pack_id())
    }

    /// Judges one case (a dict or a JSON string); raises `CaseError` when it cannot be read.
    fn evaluate(&self, py: Python<'_>, case: &Bound<'_, PyAny>) -> PyResult<PyDecision> {
        let json = case_json(case)?;
        let engine = &self.engine;
        py.detach(|| decision::evaluate(engine, &json))
            .map(PyDecision)
            .map_err(|e| to_pyerr(py, &e, None))
    }

    /// Judges every case of an iterable on all cores, without the GIL; results keep the input
    /// order. `on_error="raise"` raises the first `CaseError` (with `.index`);
    /// `on_error="return"` puts the exception in that case's place instead.
    #[pyo3(signature = (cases, *, progress=false, on_error="raise"))]
    fn evaluate_many<'py>(
        &self,
        py: Python<'py>,
        cases: &Bound<'py, PyAny>,
        progress: bool,
        on_error: &str,
    ) -> PyResult<Bound<'py, PyList>> {
        let keep_errors = on_error_mode(on_error)?;
        let out = PyList::empty(py);
        let bar = Progress::new(py, progress, cases, "case")?;
        let result = (|| {
            let mut items = cases.try_iter()?;
            let mut index = 0usize;
            loop {
                let mut round: Vec<Result<String, PyErr>> = Vec::new();
                for item in items.by_ref().take(ROUND) {
                    let json = case_json(&item?);
                    if json.is_err() && !keep_errors {
                        return json.map(|_| ());
                    }
                    round.push(json);
                }
                if round.is_empty() {
                    return Ok(());
                }
                let engine = &self.engine;
                let decided = py.detach(|| {
                    parallel::map(&round, |json| match json {
                        Ok(json) => Some(decision::evaluate(engine, json)),
                        Err(_) => None,
                    })
                });
                let n = round.len();
                for (json, d) in round.into_iter().zip(decided) {
                    match (json, d) {
                        (_, Some(Ok(d))) => out.append(PyDecision(d))?,
                        (_, Some(Err(e))) => {
                            let err = to_pyerr(py, &e, Some(index));
                            if !keep_errors {
                                return Err(err);
                            }
                            out.append(err.into_value(py))?;
                        }
                        (Err(err), None) => out.append(err.into_value(py))?,
                        (Ok(_), None) => {}
                    }
                    index += 1;
                }
                bar.update(n)?;
            }
        })();
        bar.close()?;
        result.map(|()| out)
    }

    /// The `reviewguard check` protocol: one output line per JSON Lines item of `text` (a
    /// decision, or `{"line", "case", "error"}` for an item that cannot be read), byte for
    /// byte what the CLI prints.
    fn check_jsonl(&self, py: Python<'_>, text: &str) -> Vec<String> {
        let engine = &self.engine;
        py.detach(|| {
            let items = jsonl::split_items(text);
            parallel::map(&items, |(n, json)| jsonl::check_line(engine, *n, json).0)
        })
    }

    /// Finds policy-breaking phrases in one seller-written text. `channel` is a message
    /// channel (`"buyer_seller_message"`, `"package_insert"`, `"product_listing"`,
    /// `"review_request"`, `"external"`) or `"review"` for a review's own text; `locale`
    /// (e.g. `"de"`) narrows the languages tried. Spans are Python string indices.
    #[pyo3(signature = (text, channel="buyer_seller_message", locale=None))]
    fn scan(
        &self,
        py: Python<'_>,
        text: &str,
        channel: &str,
        locale: Option<&str>,
    ) -> PyResult<Vec<PyFinding>> {
        let source = Source::parse(py, channel)?;
        let engine = &self.engine;
        py.detach(|| scan::scan(engine, text, source, locale))
            .map(|v| v.into_iter().map(PyFinding::from).collect())
            .map_err(|e| to_pyerr(py, &e, None))
    }

    /// `scan` over many texts on all cores, without the GIL: one list of findings per text, in
    /// input order (`None` texts have none).
    #[pyo3(signature = (texts, channel="buyer_seller_message", locale=None))]
    fn scan_many(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        channel: &str,
        locale: Option<&str>,
    ) -> PyResult<Vec<Vec<PyFinding>>> {
        let source = Source::parse(py, channel)?;
        let column = Column::extract(texts)?;
        let engine = &self.engine;
        let found = py.detach(|| column.scan(engine, source, locale));
        found
            .into_iter()
            .map(|(i, r)| {
                r.map(|v| v.into_iter().map(PyFinding::from).collect())
                    .map_err(|e| to_pyerr(py, &e, Some(i)))
            })
            .collect()
    }

    /// Finds policy-breaking phrases in a column of texts: a pandas Series, a polars Series, a
    /// pyarrow Array / ChunkedArray (read through the Arrow PyCapsule interface without a
    /// copy) or any iterable of `str` / `None`. Returns one row per finding with columns
    /// `row, kind, code, rule, confidence, start, end, quote` (`start`/`end` are Python string
    /// indices into the row's text) as a pyarrow Table, or a pandas / polars DataFrame with
    /// `output="pandas"` / `output="polars"`.
    #[pyo3(signature = (values, channel="buyer_seller_message", locale=None, *, output="arrow"))]
    fn scan_column<'py>(
        &self,
        py: Python<'py>,
        values: &Bound<'py, PyAny>,
        channel: &str,
        locale: Option<&str>,
        output: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        if !matches!(output, "arrow" | "pandas" | "polars") {
            return Err(PyValueError::new_err(format!(
                "output is `arrow`, `pandas` or `polars`, not `{output}`"
            )));
        }
        let source = Source::parse(py, channel)?;
        let column = Column::extract(values)?;
        let engine = &self.engine;
        let found = py.detach(|| column.scan(engine, source, locale));
        let table = scan::findings_batch(py, found)?.into_pyarrow(py)?;
        match output {
            "pandas" => table.call_method0("to_pandas"),
            "polars" => py.import("polars")?.call_method1("from_arrow", (table,)),
            _ => Ok(table),
        }
    }
}

fn on_error_mode(on_error: &str) -> PyResult<bool> {
    match on_error {
        "raise" => Ok(false),
        "return" => Ok(true),
        other => Err(PyValueError::new_err(format!(
            "on_error is `raise` or `return`, not `{other}`"
        ))),
    }
}

/// A tqdm bar when asked for and tqdm is installed; nothing otherwise.
struct Progress<'py>(Option<Bound<'py, PyAny>>);

impl<'py> Progress<'py> {
    fn new(py: Python<'py>, on: bool, items: &Bound<'py, PyAny>, unit: &str) -> PyResult<Self> {
        if !on {
            return Ok(Progress(None));
        }
        let Ok(tqdm) = py.import("tqdm") else {
            return Ok(Progress(None));
        };
        // A generator has no length: the bar then counts without a total.
        let total = items.len().ok();
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("total", total)?;
        kwargs.set_item("unit", unit)?;
        Ok(Progress(Some(
            tqdm.getattr("tqdm")?.call((), Some(&kwargs))?,
        )))
    }

    fn update(&self, n: usize) -> PyResult<()> {
        if let Some(bar) = &self.0 {
            bar.call_method1("update", (n,))?;
        }
        Ok(())
    }

    fn close(&self) -> PyResult<()> {
        if let Some(bar) = &self.0 {
            bar.call_method0("close")?;
        }
        Ok(())
    }
}
