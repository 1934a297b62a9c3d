//! Python values to case JSON text (so that dicts go through the same strict reader as JSON
//! strings), and decision JSON back to Python objects.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use reviewguard::ErrorCode;

use crate::errors::case_error;

/// Deeper than the core's JSON reader accepts; stops runaway recursion on cyclic containers.
const MAX_DEPTH: usize = 256;

/// The case JSON of a `str`, `bytes` or mapping (`dict` of JSON-like values).
pub fn case_json(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return String::from_utf8(b.as_bytes().to_vec()).map_err(|e| {
            case_error(
                obj.py(),
                ErrorCode::InvalidJson,
                None,
                format!("case bytes are not UTF-8: {e}"),
            )
        });
    }
    if obj.cast::<PyDict>().is_ok() {
        let mut out = String::with_capacity(256);
        write_value(obj, &mut out, &mut String::new(), 0)?;
        return Ok(out);
    }
    Err(PyTypeError::new_err(format!(
        "a case is a dict or a JSON string, not `{}`",
        obj.get_type().name()?
    )))
}

fn write_value(
    obj: &Bound<'_, PyAny>,
    out: &mut String,
    path: &mut String,
    depth: usize,
) -> PyResult<()> {
    if depth > MAX_DEPTH {
        return Err(case_error(
            obj.py(),
            ErrorCode::InvalidJson,
            Some(path.clone()),
            "case is nested too deeply".to_string(),
        ));
    }
    if obj.is_none() {
        out.push_str("null");
    } else if let Ok(b) = obj.cast::<PyBool>() {
        out.push_str(if b.is_true() { "true" } else { "false" });
    } else if let Ok(s) = obj.cast::<PyString>() {
        push_str(out, &s.to_cow()?);
    } else if obj.cast::<PyInt>().is_ok() {
        // Any size: Python's decimal form is a valid JSON number.
        out.push_str(&obj.str()?.to_cow()?);
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        if !v.is_finite() {
            return Err(case_error(
                obj.py(),
                ErrorCode::InvalidValue,
                Some(path.clone()),
                format!("`{v}` is not a JSON number"),
            ));
        }
        out.push_str(
            &serde_json::Number::from_f64(v).map_or_else(|| "null".into(), |n| n.to_string()),
        );
    } else if let Ok(d) = obj.cast::<PyDict>() {
        out.push('{');
        for (i, (k, v)) in d.iter().enumerate() {
            let key = k.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!("case keys must be strings (at `{path}`)"))
            })?;
            let key = key.to_cow()?;
            if i > 0 {
                out.push(',');
            }
            push_str(out, &key);
            out.push(':');
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&key);
            write_value(&v, out, path, depth + 1)?;
            path.truncate(len);
        }
        out.push('}');
    } else if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        out.push('[');
        for (i, v) in obj.try_iter()?.enumerate() {
            if i > 0 {
                out.push(',');
            }
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            write_value(&v?, out, path, depth + 1)?;
            path.truncate(len);
        }
        out.push(']');
    } else {
        return Err(PyTypeError::new_err(format!(
            "case value at `{path}` has type `{}`, which is not JSON (use str, int, float, bool, None, dict or list)",
            obj.get_type().name()?
        )));
    }
    Ok(())
}

fn push_str(out: &mut String, s: &str) {
    // Serialising a `str` to a `String` cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// `json.loads(text)`: keeps the key order of the canonical JSON.
pub fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();
    LOADS.import(py, "json", "loads")?.call1((text,))
}
