//! # reviewguard-ffi: the C ABI of reviewguard
//!
//! Builds `libreviewguard.so` and `libreviewguard.a`; the header `include/reviewguard.h` is
//! generated from this crate by a pinned cbindgen (`cbindgen.toml`) and committed. The rustdoc
//! of every item below is copied into the header, so the header is the C programmer's manual.
//!
//! ## Conventions (after rustls-ffi)
//!
//! - Every name starts with `rg_` (functions, types) or `RG_` (constants, enum values).
//! - Handles are opaque and come in pairs: [`rg_engine_new_default`] / [`rg_engine_free`],
//!   [`rg_error_new`] / [`rg_error_free`]; results are owned objects with their own free
//!   function: [`rg_buffer`] / [`rg_buffer_free`], [`rg_findings`] / [`rg_findings_free`].
//! - Every fallible function returns an [`rg_status`] (stable numbers, never renumbered), checks
//!   every pointer for NULL, and writes its out-parameters **only on success**.
//! - Details of a failure go into an [`rg_error`] the caller owns and passes as the last
//!   argument (NULL when the details are not wanted). There is no thread-local last error.
//! - Inputs are `(pointer, length)` pairs of UTF-8; `(NULL, 0)` is the empty string, a NULL
//!   pointer with a non-zero length, invalid UTF-8 and an input over [`RG_MAX_INPUT_LEN`] bytes
//!   are each a distinct status.
//! - Every entry point runs behind a panic guard ([`std::panic::catch_unwind`]); a panic (there
//!   should be none: the core is panic-free by construction) becomes [`rg_status::Panic`].
//!
//! ## Thread safety
//!
//! An [`rg_engine`] is immutable: any number of threads may call the `rg_engine_*` functions
//! that take a `const rg_engine *` on one engine at the same time. [`rg_engine_free`] must not
//! race with any other use of that engine. An [`rg_error`] is written by the call it is passed
//! to: give each thread its own. Results ([`rg_buffer`], [`rg_findings`]) are immutable until
//! freed and may be read from any thread.
//!
//! ## Safety of this crate
//!
//! The workspace forbids `unsafe`; this crate allows it because a C ABI takes raw pointers.
//! Each `unsafe` block is a single pointer operation with a `// SAFETY:` note, and all of
//! them live in [`ffi`] (argument checks) and the `*_free` functions.

#![allow(non_camel_case_types)]

pub mod buffer;
pub mod engine;
pub mod error;
pub mod ffi;
pub mod scan;
pub mod status;
#[cfg(feature = "testing")]
pub mod testing;

pub use buffer::{rg_buffer, rg_buffer_data, rg_buffer_free, rg_buffer_len};
pub use engine::{
    rg_check_summary, rg_engine, rg_engine_check_jsonl, rg_engine_check_line,
    rg_engine_evaluate_json, rg_engine_free, rg_engine_new_default, rg_engine_new_from_pack,
    rg_engine_pack_id, rg_outcome,
};
pub use error::{
    rg_error, rg_error_code, rg_error_free, rg_error_location, rg_error_message, rg_error_new,
};
pub use scan::{
    rg_channel, rg_confidence, rg_engine_scan, rg_finding, rg_findings, rg_findings_free,
    rg_findings_get, rg_findings_items, rg_findings_len, rg_kind, rg_kind_code, rg_kind_slug,
};
pub use status::{rg_status, rg_status_name};

use std::ffi::c_char;

/// The major version of the library this header belongs to (compare with [`rg_version`]).
///
/// The unit tests hold the three numbers equal to Cargo.toml; the header derives the string
/// `RG_VERSION` from them.
pub const RG_VERSION_MAJOR: u32 = 0;
/// The minor version of the library this header belongs to.
pub const RG_VERSION_MINOR: u32 = 1;
/// The patch version of the library this header belongs to.
pub const RG_VERSION_PATCH: u32 = 0;

/// The largest input, in bytes, that any `(pointer, length)` argument may have: 1 GiB.
///
/// A longer input is refused with `RG_STATUS_INPUT_TOO_LARGE` before it is read. Below this
/// cap the engine's own limits apply (a case over 64 MiB, a text over 1 MiB:
/// `RG_STATUS_LIMIT_EXCEEDED`).
pub const RG_MAX_INPUT_LEN: usize = 1 << 30;

/// The version of the loaded library, `"MAJOR.MINOR.PATCH"`, as a static NUL-terminated string.
///
/// Compare it with the header's `RG_VERSION` (`"MAJOR.MINOR.PATCH"`, built from
/// [`RG_VERSION_MAJOR`], [`RG_VERSION_MINOR`] and [`RG_VERSION_PATCH`]) to detect a header/library mismatch. Never NULL; do not free.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn rg_version() -> *const c_char {
    const V: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
    ) {
        Ok(v) => v,
        Err(_) => c"",
    };
    V.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The version constants copied into the header follow Cargo.toml.
    #[test]
    fn version_constants_follow_cargo_toml() {
        assert_eq!(
            RG_VERSION_MAJOR.to_string(),
            env!("CARGO_PKG_VERSION_MAJOR")
        );
        assert_eq!(
            RG_VERSION_MINOR.to_string(),
            env!("CARGO_PKG_VERSION_MINOR")
        );
        assert_eq!(
            RG_VERSION_PATCH.to_string(),
            env!("CARGO_PKG_VERSION_PATCH")
        );
        // SAFETY: `rg_version` returns a static NUL-terminated string.
        let v = unsafe { std::ffi::CStr::from_ptr(rg_version()) };
        assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    }
}
