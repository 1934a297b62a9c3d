//! The JSON Lines protocol of `reviewguard check`, shared by the CLI and every binding so that
//! all runtimes print the same bytes.
//!
//! Each input item yields one output line: the decision JSON, or for an item that cannot be
//! read `{"line": N, "case": "<id or null>", "error": {"code", "message", "location"}}`.

use crate::decision::Decision;
use crate::engine::Engine;
use crate::error::Error;

/// The outcome of one input line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineOutcome {
    /// The case was judged.
    Decided(Decision),
    /// The case could not be read.
    Failed(Error),
}

impl LineOutcome {
    /// Whether the decision holds at least one violation.
    pub fn has_violations(&self) -> bool {
        matches!(self, LineOutcome::Decided(d) if !d.violations.is_empty())
    }
}

/// Judges one JSON Lines item (1-based `line`) and returns its output line and outcome.
pub fn check_line(engine: &Engine, line: usize, json: &str) -> (String, LineOutcome) {
    match engine.evaluate_json(json) {
        Ok(d) => (d.to_json(), LineOutcome::Decided(d)),
        Err(e) => (error_line(line, json, &e), LineOutcome::Failed(e)),
    }
}

/// Splits JSON Lines input into `(line number, text)` items, skipping blank lines. An input
/// whose first non-blank character is `[` and that parses as a JSON array yields one item per
/// element, numbered from 1.
pub fn split_items(input: &str) -> Vec<(usize, String)> {
    let trimmed = input.trim_start();
    if trimmed.starts_with('[') {
        if let Ok(serde_json::Value::Array(items)) =
            serde_json::from_str::<serde_json::Value>(trimmed)
        {
            return items
                .iter()
                .enumerate()
                .map(|(i, v)| (i + 1, v.to_string()))
                .collect();
        }
    }
    input
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.to_string()))
        .collect()
}

/// [`split_items`] over raw bytes: input that is not UTF-8 throughout is split into lines, and
/// a line that is not UTF-8 becomes an `invalid_json` error at `line 1 column C` (C counts bytes,
/// as the JSON parser does, up to the first bad byte) instead of refusing the whole input or
/// altering its text.
pub fn split_bytes(input: &[u8]) -> Vec<(usize, Result<String, Error>)> {
    if let Ok(text) = std::str::from_utf8(input) {
        return split_items(text)
            .into_iter()
            .map(|(line, s)| (line, Ok(s)))
            .collect();
    }
    input
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
        .map(|(i, l)| {
            let item = match std::str::from_utf8(l) {
                Ok(s) => Ok(s.trim_end_matches('\r').to_string()),
                Err(e) => Err(Error::at(
                    crate::ErrorCode::InvalidJson,
                    format!("line 1 column {}", e.valid_up_to() + 1),
                    "invalid UTF-8",
                )),
            };
            (i + 1, item)
        })
        .collect()
}

/// Judges every item of a JSON Lines (or JSON array) input; output lines keep input order.
pub fn check_all(engine: &Engine, input: &str) -> Vec<(String, LineOutcome)> {
    split_items(input)
        .iter()
        .map(|(n, json)| check_line(engine, *n, json))
        .collect()
}

/// The error line for an item that could not be read.
pub fn error_line(line: usize, json: &str, e: &Error) -> String {
    // Only `id` is kept: the rest is skipped without being built, so the error line of a
    // case refused for its size costs no more memory than its text.
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: Option<serde_json::Value>,
    }
    let case = serde_json::from_str::<IdOnly>(json)
        .ok()
        .and_then(|v| match v.id {
            Some(serde_json::Value::String(s)) => Some(s),
            _ => None,
        });
    let value = serde_json::json!({
        "line": line,
        "case": case,
        "error": {"code": e.code.as_str(), "message": e.message, "location": e.location},
    });
    value.to_string()
}

/// Converts a UTF-8 byte offset of `text` to a count of Unicode scalar values (Python string
/// index). Offsets past the end clamp to the length.
pub fn char_offset(text: &str, byte: usize) -> usize {
    let b = byte.min(text.len());
    text.get(..b).map_or_else(
        || text.char_indices().take_while(|(i, _)| *i < b).count(),
        |s| s.chars().count(),
    )
}

/// Converts a UTF-8 byte offset of `text` to UTF-16 code units (JavaScript string index).
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    let b = byte.min(text.len());
    text.char_indices()
        .take_while(|(i, _)| *i < b)
        .map(|(_, c)| c.len_utf16())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_in_other_string_units() {
        let t = "a😀é日x";
        // bytes: a=0, 😀=1..5, é=5..7, 日=7..10, x=10
        assert_eq!((char_offset(t, 5), utf16_offset(t, 5)), (2, 3));
        assert_eq!((char_offset(t, 10), utf16_offset(t, 10)), (4, 5));
        assert_eq!((char_offset(t, 99), utf16_offset(t, 99)), (5, 6));
    }

    #[test]
    fn array_input_is_split_per_element() {
        assert_eq!(split_items("[{\"id\":\"a\"}, {\"id\":\"b\"}]").len(), 2);
        assert_eq!(
            split_items("{}\n\n{}\n")
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>(),
            vec![1, 3]
        );
    }

    #[test]
    fn error_lines_carry_code_location_and_case() {
        let engine = Engine::new().unwrap();
        let (line, outcome) = check_line(
            &engine,
            7,
            r#"{"id":"c9","reviews":[{"id":"R","product":"B","author":"A"}]}"#,
        );
        assert!(matches!(outcome, LineOutcome::Failed(_)));
        assert_eq!(
            line,
            r#"{"case":"c9","error":{"code":"dangling_reference","location":"reviews[0].product","message":"product `B` is not declared in `products`"},"line":7}"#
        );
    }
}
