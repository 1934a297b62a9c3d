//! [`rg_status`]: the result of every fallible call, with stable numbers.

use crate::ffi::guard_value;
use engine::ErrorCode;
use std::ffi::{c_char, CStr};

/// The result of a call: `RG_STATUS_OK` (0) or why it failed.
///
/// Numbers are stable and never reused. 1 to 99 are failures of the C boundary itself;
/// `100 + n` is the engine's error code number `n` (1 to 10: the case cannot be read, 20 to 27:
/// the policy pack is invalid), and [`rg_status_name`] gives the engine's code string
/// (`"dangling_reference"`), the same string the CLI, Python and JavaScript report.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum rg_status {
    /// Success.
    Ok = 0,
    /// A required pointer argument (handle, out-parameter) is NULL.
    NullPointer = 1,
    /// An input pointer is NULL but its length is not zero.
    NullWithLength = 2,
    /// An input is not valid UTF-8 (the error's location is `byte N`).
    InvalidUtf8 = 3,
    /// An input is longer than `RG_MAX_INPUT_LEN` bytes; it was not read.
    InputTooLarge = 4,
    /// The library panicked; the call had no effect. Please report it.
    Panic = 5,
    /// An enumeration argument has a value outside its enumeration (e.g. a channel of 42).
    InvalidArgument = 6,
    /// The engine reported an error code this library version does not map (a bug).
    Internal = 7,
    /// The case is not well-formed JSON (or is nested too deeply).
    InvalidJson = 101,
    /// An object of the case holds a field the format does not define.
    UnknownField = 102,
    /// A required field of the case is absent.
    MissingField = 103,
    /// A field has the wrong type or a value outside its enumeration.
    InvalidValue = 104,
    /// Two items of one list share an id.
    DuplicateId = 105,
    /// A reference names a party, product or review that the case does not declare.
    DanglingReference = 106,
    /// A review or edit rating outside 1..=5.
    RatingOutOfRange = 107,
    /// A timestamp that is not RFC 3339.
    InvalidTimestamp = 108,
    /// A money amount that is not a non-negative decimal string.
    InvalidAmount = 109,
    /// An input exceeds one of the engine's limits (case size, text length, list size).
    LimitExceeded = 110,
    /// The policy pack is not well-formed TOML or has a field of the wrong shape.
    PackSyntax = 120,
    /// A rule names a concept that no lexicon defines.
    PackUnknownConcept = 121,
    /// A rule or action map names a violation kind that does not exist.
    PackUnknownKind = 122,
    /// A rule carries no `must_match` example.
    PackNoExamples = 123,
    /// A lexicon pattern is empty, does not compile, or exceeds the size limit.
    PackBadPattern = 124,
    /// Two rules or two concepts share an id.
    PackDuplicateId = 125,
    /// A rule's own example does not behave as the rule says it must.
    PackExampleFailed = 126,
    /// A pack field names a language, channel or action that is not known.
    PackInvalidValue = 127,
}

/// Every status, in numbering order.
pub(crate) const ALL: [rg_status; 26] = [
    rg_status::Ok,
    rg_status::NullPointer,
    rg_status::NullWithLength,
    rg_status::InvalidUtf8,
    rg_status::InputTooLarge,
    rg_status::Panic,
    rg_status::InvalidArgument,
    rg_status::Internal,
    rg_status::InvalidJson,
    rg_status::UnknownField,
    rg_status::MissingField,
    rg_status::InvalidValue,
    rg_status::DuplicateId,
    rg_status::DanglingReference,
    rg_status::RatingOutOfRange,
    rg_status::InvalidTimestamp,
    rg_status::InvalidAmount,
    rg_status::LimitExceeded,
    rg_status::PackSyntax,
    rg_status::PackUnknownConcept,
    rg_status::PackUnknownKind,
    rg_status::PackNoExamples,
    rg_status::PackBadPattern,
    rg_status::PackDuplicateId,
    rg_status::PackExampleFailed,
    rg_status::PackInvalidValue,
];

impl rg_status {
    /// The status of an engine error code: `100 + code.number()`.
    pub fn from_code(code: ErrorCode) -> rg_status {
        match code {
            ErrorCode::InvalidJson => rg_status::InvalidJson,
            ErrorCode::UnknownField => rg_status::UnknownField,
            ErrorCode::MissingField => rg_status::MissingField,
            ErrorCode::InvalidValue => rg_status::InvalidValue,
            ErrorCode::DuplicateId => rg_status::DuplicateId,
            ErrorCode::DanglingReference => rg_status::DanglingReference,
            ErrorCode::RatingOutOfRange => rg_status::RatingOutOfRange,
            ErrorCode::InvalidTimestamp => rg_status::InvalidTimestamp,
            ErrorCode::InvalidAmount => rg_status::InvalidAmount,
            ErrorCode::LimitExceeded => rg_status::LimitExceeded,
            ErrorCode::PackSyntax => rg_status::PackSyntax,
            ErrorCode::PackUnknownConcept => rg_status::PackUnknownConcept,
            ErrorCode::PackUnknownKind => rg_status::PackUnknownKind,
            ErrorCode::PackNoExamples => rg_status::PackNoExamples,
            ErrorCode::PackBadPattern => rg_status::PackBadPattern,
            ErrorCode::PackDuplicateId => rg_status::PackDuplicateId,
            ErrorCode::PackExampleFailed => rg_status::PackExampleFailed,
            ErrorCode::PackInvalidValue => rg_status::PackInvalidValue,
            // A code added to the core after this list: the unit tests catch it.
            _ => rg_status::Internal,
        }
    }

    /// The stable name: the engine's code string for engine errors, else a snake_case word.
    pub fn name(self) -> &'static CStr {
        match self {
            rg_status::Ok => c"ok",
            rg_status::NullPointer => c"null_pointer",
            rg_status::NullWithLength => c"null_with_length",
            rg_status::InvalidUtf8 => c"invalid_utf8",
            rg_status::InputTooLarge => c"input_too_large",
            rg_status::Panic => c"panic",
            rg_status::InvalidArgument => c"invalid_argument",
            rg_status::Internal => c"internal",
            rg_status::InvalidJson => c"invalid_json",
            rg_status::UnknownField => c"unknown_field",
            rg_status::MissingField => c"missing_field",
            rg_status::InvalidValue => c"invalid_value",
            rg_status::DuplicateId => c"duplicate_id",
            rg_status::DanglingReference => c"dangling_reference",
            rg_status::RatingOutOfRange => c"rating_out_of_range",
            rg_status::InvalidTimestamp => c"invalid_timestamp",
            rg_status::InvalidAmount => c"invalid_amount",
            rg_status::LimitExceeded => c"limit_exceeded",
            rg_status::PackSyntax => c"pack_syntax",
            rg_status::PackUnknownConcept => c"pack_unknown_concept",
            rg_status::PackUnknownKind => c"pack_unknown_kind",
            rg_status::PackNoExamples => c"pack_no_examples",
            rg_status::PackBadPattern => c"pack_bad_pattern",
            rg_status::PackDuplicateId => c"pack_duplicate_id",
            rg_status::PackExampleFailed => c"pack_example_failed",
            rg_status::PackInvalidValue => c"pack_invalid_value",
        }
    }
}

/// The stable name of a status number: `"ok"`, `"null_pointer"`, ..., or for an engine error
/// its code string (`"dangling_reference"`); `"unknown"` for a number that is no status.
///
/// Takes the number as `uint32_t` so that any value is safe to pass. Returns a static
/// NUL-terminated string: never NULL, do not free. Thread-safe.
#[no_mangle]
pub extern "C" fn rg_status_name(status: u32) -> *const c_char {
    guard_value(c"unknown".as_ptr(), || {
        ALL.iter()
            .find(|s| **s as u32 == status)
            .map_or(c"unknown", |s| s.name())
            .as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Engine errors are published as `100 + number` with the engine's code string.
    #[test]
    fn engine_codes_map_to_100_plus_number_with_the_same_name() {
        for code in ErrorCode::ALL {
            let s = rg_status::from_code(code);
            assert_eq!(s as u32, 100 + code.number(), "{code}");
            assert_eq!(s.name().to_str().unwrap(), code.as_str());
        }
    }

    /// Numbers and names are unique; the published numbers never move.
    #[test]
    fn statuses_are_unique_and_stable() {
        let mut numbers: Vec<u32> = ALL.iter().map(|s| *s as u32).collect();
        let mut names: Vec<&CStr> = ALL.iter().map(|s| s.name()).collect();
        numbers.dedup();
        names.sort_unstable();
        names.dedup();
        assert_eq!(numbers.len(), ALL.len());
        assert_eq!(names.len(), ALL.len());
        assert!(numbers.windows(2).all(|w| w[0] < w[1]));
        let fixed = [
            (rg_status::Ok, 0),
            (rg_status::NullPointer, 1),
            (rg_status::Panic, 5),
        ];
        for (s, n) in fixed {
            assert_eq!(s as u32, n);
        }
    }

    #[test]
    fn unknown_numbers_have_a_name() {
        let name = |n| {
            // SAFETY: `rg_status_name` returns static NUL-terminated strings.
            unsafe { CStr::from_ptr(rg_status_name(n)) }
                .to_str()
                .unwrap()
        };
        assert_eq!(name(0), "ok");
        assert_eq!(name(106), "dangling_reference");
        assert_eq!(name(99), "unknown");
        assert_eq!(name(u32::MAX), "unknown");
    }
}
