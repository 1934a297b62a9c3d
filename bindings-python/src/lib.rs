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
    Ok(())
}
