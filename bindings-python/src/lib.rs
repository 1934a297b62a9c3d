//! `reviewguard._reviewguard`: the compiled half of the Python package `reviewguard`.
//!
//! The package (`python/reviewguard/`) re-exports everything here and adds the exception
//! classes. This crate only converts types: every decision, finding and error comes from the
//! core crate `reviewguard` unchanged (bindings hold no policy semantics).
//!
//! - [`engine`]: `Engine`, its batch calls (GIL released, all cores, input order kept) and
//!   pickling by pack text.
//! - [`decision`]: `Decision`, `Violation`, `TextEvidence`.
//! - [`scan`]: `Finding` and the Arrow column helper.
//! - [`errors`]: core errors as `CaseError` / `PolicyError` with `.code` and `.location`.
//! - [`json`]: dicts to case JSON; JSON back to Python data.
//! - [`parallel`]: the order-keeping parallel map.

pub mod decision;
pub mod engine;
pub mod errors;
pub mod json;
pub mod parallel;
pub mod scan;

use pyo3::prelude::*;

/// The compiled module.
#[pymodule]
fn _reviewguard(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<engine::PyEngine>()?;
    m.add_class::<decision::PyDecision>()?;
    m.add_class::<decision::PyViolation>()?;
    m.add_class::<decision::PyTextEvidence>()?;
    m.add_class::<scan::PyFinding>()?;
    m.add_function(wrap_pyfunction!(_restore, m)?)?;
    Ok(())
}

/// Rebuilds a pickled `Decision` or `Finding` (the callable their `__reduce__` names).
#[pyfunction]
fn _restore<'py>(
    py: Python<'py>,
    class_name: &str,
    state: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    match class_name {
        "Decision" => {
            let (json, spans) = state.extract()?;
            Ok(decision::restore_decision(json, spans)?
                .into_pyobject(py)?
                .into_any())
        }
        "Finding" => {
            let fields: scan::FindingState = state.extract()?;
            Ok(scan::PyFinding::from(fields).into_pyobject(py)?.into_any())
        }
        other => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "cannot restore `{other}`"
        ))),
    }
}
