//! Errors as values: every failure has a stable machine code, a message and a location.
//!
//! Codes are public identifiers shared by every runtime: the C ABI exposes
//! [`ErrorCode::number`], Python and JavaScript expose [`ErrorCode::as_str`]. Numbers and
//! strings are never reused or renumbered; new codes are appended.

use std::fmt;

/// The stable code of an [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The input is not well-formed JSON (or is nested too deeply).
    InvalidJson,
    /// An object holds a field the format does not define.
    UnknownField,
    /// A required field is absent.
    MissingField,
    /// A field has the wrong type or a value outside its enumeration.
    InvalidValue,
    /// Two items of one list share an id.
    DuplicateId,
    /// A reference names a party, product or review that the case does not declare.
    DanglingReference,
    /// A review or edit rating outside 1..=5.
    RatingOutOfRange,
    /// A timestamp that is not RFC 3339.
    InvalidTimestamp,
    /// A money amount that is not a non-negative decimal string.
    InvalidAmount,
    /// An input exceeds a configured limit (text length, list size, pack size).
    LimitExceeded,
    /// The policy pack is not well-formed TOML or has a field of the wrong shape.
    PackSyntax,
    /// A rule names a concept that no lexicon defines.
    PackUnknownConcept,
    /// A rule or action map names a violation kind that does not exist.
    PackUnknownKind,
    /// A rule carries no `must_match` example.
    PackNoExamples,
    /// A lexicon pattern is empty, does not compile, or exceeds the size limit.
    PackBadPattern,
    /// Two rules or two concepts share an id.
    PackDuplicateId,
    /// A rule's own example does not behave as the rule says it must.
    PackExampleFailed,
    /// A pack field names a language, channel or action that is not known.
    PackInvalidValue,
}

impl ErrorCode {
    /// Every code, in numbering order.
    pub const ALL: [ErrorCode; 18] = [
        ErrorCode::InvalidJson,
        ErrorCode::UnknownField,
        ErrorCode::MissingField,
        ErrorCode::InvalidValue,
        ErrorCode::DuplicateId,
        ErrorCode::DanglingReference,
        ErrorCode::RatingOutOfRange,
        ErrorCode::InvalidTimestamp,
        ErrorCode::InvalidAmount,
        ErrorCode::LimitExceeded,
        ErrorCode::PackSyntax,
        ErrorCode::PackUnknownConcept,
        ErrorCode::PackUnknownKind,
        ErrorCode::PackNoExamples,
        ErrorCode::PackBadPattern,
        ErrorCode::PackDuplicateId,
        ErrorCode::PackExampleFailed,
        ErrorCode::PackInvalidValue,
    ];

    /// The stable string form, e.g. `"dangling_reference"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::UnknownField => "unknown_field",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::InvalidValue => "invalid_value",
            ErrorCode::DuplicateId => "duplicate_id",
            ErrorCode::DanglingReference => "dangling_reference",
            ErrorCode::RatingOutOfRange => "rating_out_of_range",
            ErrorCode::InvalidTimestamp => "invalid_timestamp",
            ErrorCode::InvalidAmount => "invalid_amount",
            ErrorCode::LimitExceeded => "limit_exceeded",
            ErrorCode::PackSyntax => "pack_syntax",
            ErrorCode::PackUnknownConcept => "pack_unknown_concept",
            ErrorCode::PackUnknownKind => "pack_unknown_kind",
            ErrorCode::PackNoExamples => "pack_no_examples",
            ErrorCode::PackBadPattern => "pack_bad_pattern",
            ErrorCode::PackDuplicateId => "pack_duplicate_id",
            ErrorCode::PackExampleFailed => "pack_example_failed",
            ErrorCode::PackInvalidValue => "pack_invalid_value",
        }
    }

    /// The stable number (the C `rg_status` value is `100 + number`; 0 is success there).
    pub fn number(self) -> u32 {
        match self {
            ErrorCode::InvalidJson => 1,
            ErrorCode::UnknownField => 2,
            ErrorCode::MissingField => 3,
            ErrorCode::InvalidValue => 4,
            ErrorCode::DuplicateId => 5,
            ErrorCode::DanglingReference => 6,
            ErrorCode::RatingOutOfRange => 7,
            ErrorCode::InvalidTimestamp => 8,
            ErrorCode::InvalidAmount => 9,
            ErrorCode::LimitExceeded => 10,
            ErrorCode::PackSyntax => 20,
            ErrorCode::PackUnknownConcept => 21,
            ErrorCode::PackUnknownKind => 22,
            ErrorCode::PackNoExamples => 23,
            ErrorCode::PackBadPattern => 24,
            ErrorCode::PackDuplicateId => 25,
            ErrorCode::PackExampleFailed => 26,
            ErrorCode::PackInvalidValue => 27,
        }
    }

    /// Whether the code describes a policy pack (as opposed to a case).
    pub fn is_pack_error(self) -> bool {
        self.number() >= 20
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure to read a case or a policy pack.
///
/// `location` is a JSON path into a case (`reviews[3].rating`), `line L column C` for JSON
/// syntax errors, or `FILE:LINE:COLUMN` for a policy pack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}{}", location.as_deref().map(|l| format!(" at {l}")).unwrap_or_default())]
pub struct Error {
    /// The stable code.
    pub code: ErrorCode,
    /// A lowercase message without a trailing period; offending input in backticks.
    pub message: String,
    /// Where the problem is, when there is a place to point at.
    pub location: Option<String>,
}

impl Error {
    /// An error with a location.
    pub fn at(code: ErrorCode, location: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            location: Some(location.into()),
        }
    }

    /// An error without a location.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            location: None,
        }
    }
}

/// The result type of the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_stable() {
        let mut numbers: Vec<u32> = ErrorCode::ALL.iter().map(|c| c.number()).collect();
        let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        numbers.sort_unstable();
        numbers.dedup();
        names.sort_unstable();
        names.dedup();
        assert_eq!(numbers.len(), ErrorCode::ALL.len());
        assert_eq!(names.len(), ErrorCode::ALL.len());
        // Published numbers: never renumber.
        assert_eq!(ErrorCode::InvalidJson.number(), 1);
        assert_eq!(ErrorCode::DanglingReference.number(), 6);
        assert_eq!(ErrorCode::PackSyntax.number(), 20);
    }

    #[test]
    fn display_names_code_and_location() {
        let e = Error::at(
            ErrorCode::RatingOutOfRange,
            "reviews[3].rating",
            "rating `9` is outside 1..=5",
        );
        assert_eq!(
            e.to_string(),
            "rating_out_of_range: rating `9` is outside 1..=5 at reviews[3].rating"
        );
    }
}
