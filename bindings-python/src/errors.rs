//! Core errors as Python exceptions: `reviewguard.CaseError` / `reviewguard.PolicyError`
//! (both `ReviewguardError(ValueError)`), carrying the core's stable `.code` and `.location`.
//!
//! The exception classes are plain Python classes (`python/reviewguard/_errors.py`) so that
//! they pickle by their arguments and can be subclassed normally; this module only builds
//! them from a [`reviewguard::Error`]. No text is parsed: code, message and location are
//! passed as they are.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use reviewguard::{Error, ErrorCode};

static CASE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static POLICY_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The Python exception for a core error (`index`: position in a batch, when there is one).
pub fn to_pyerr(py: Python<'_>, e: &Error, index: Option<usize>) -> PyErr {
    match build(py, e, index) {
        Ok(err) => err,
        Err(err) => err,
    }
}

fn build(py: Python<'_>, e: &Error, index: Option<usize>) -> PyResult<PyErr> {
    let (cell, name) = if e.code.is_pack_error() {
        (&POLICY_ERROR, "PolicyError")
    } else {
        (&CASE_ERROR, "CaseError")
    };
    let class = cell.import(py, "reviewguard._errors", name)?;
    let value = class.call1((
        e.message.as_str(),
        e.code.as_str(),
        e.location.as_deref(),
        index,
    ))?;
    Ok(PyErr::from_value(value))
}

/// A binding-level input problem reported like a core case error (same classes and codes).
pub fn case_error(
    py: Python<'_>,
    code: ErrorCode,
    location: Option<String>,
    message: String,
) -> PyErr {
    to_pyerr(
        py,
        &Error {
            code,
            message,
            location,
        },
        None,
    )
}
