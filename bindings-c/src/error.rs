//! [`rg_error`]: the details of a failure, in an object the caller owns.

use crate::ffi::{self, guard, guard_value, Failure, Out};
use crate::status::rg_status;
use std::ffi::c_char;

/// The details of the last failure of the calls it was passed to: status, message, location.
///
/// Create one with [`rg_error_new`], pass it as the last argument of any fallible call (or
/// pass NULL when the details are not wanted), read it after a call returned a status other
/// than `RG_STATUS_OK`, free it with [`rg_error_free`]. A failing call overwrites it; a
/// successful call leaves it untouched, so always look at the returned status first.
///
/// Thread safety: a call writes to the error it is given, so one `rg_error` must not be passed
/// to calls running at the same time. Give each thread its own.
#[derive(Debug, Default)]
pub struct rg_error {
    status: u32,
    /// Message bytes followed by one NUL.
    message: Vec<u8>,
    /// Location bytes followed by one NUL, when there is a location.
    location: Option<Vec<u8>>,
}

impl rg_error {
    /// The status recorded, `RG_STATUS_OK` while nothing failed.
    pub fn status(&self) -> rg_status {
        crate::status::ALL
            .iter()
            .copied()
            .find(|s| *s as u32 == self.status)
            .unwrap_or(rg_status::Ok)
    }

    /// The message recorded (empty while nothing failed).
    pub fn message(&self) -> &str {
        text(&self.message)
    }

    /// The location recorded, if any.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref().map(text)
    }
}

fn text(with_nul: &[u8]) -> &str {
    let bytes = with_nul.strip_suffix(b"\0").unwrap_or(with_nul);
    std::str::from_utf8(bytes).unwrap_or_default()
}

fn with_nul(s: String) -> Vec<u8> {
    let mut v = s.into_bytes();
    v.push(0);
    v
}

/// Records `failure` into `err` unless it is NULL.
///
/// The caller guarantees what every `rg_error *err` parameter promises: NULL or a live
/// `rg_error` that no other thread uses during the call.
pub(crate) fn record(err: *mut rg_error, failure: Failure) {
    // SAFETY: by the contract above a non-NULL `err` is a live, unshared `rg_error`.
    if let Some(e) = unsafe { err.as_mut() } {
        *e = rg_error {
            status: failure.status as u32,
            message: with_nul(failure.message),
            location: failure.location.map(with_nul),
        };
    }
}

/// Creates an empty error object and stores it in `*error_out`.
///
/// Returns `RG_STATUS_NULL_POINTER` when `error_out` is NULL. Free it with [`rg_error_free`].
/// Thread-safe.
///
/// # Safety
///
/// `error_out` must be NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn rg_error_new(error_out: *mut *mut rg_error) -> rg_status {
    guard(std::ptr::null_mut(), || {
        let out = Out::new(error_out, "error_out")?;
        // SAFETY: `error_out` is valid for writes by the caller's contract.
        unsafe { out.write(ffi::into_handle(rg_error::default())) };
        Ok(())
    })
}

/// Frees an error object made by [`rg_error_new`]. NULL is ignored.
///
/// Thread safety: must not race with any other use of `err`.
///
/// # Safety
///
/// `err` must be NULL or come from [`rg_error_new`] and not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_error_free(err: *mut rg_error) {
    // SAFETY: forwarded caller contract: NULL or from `rg_error_new`, not used again.
    guard_value((), || unsafe { ffi::free_handle(err) })
}

/// The status of the last failure recorded in `err` (an `rg_status` number), or
/// `RG_STATUS_OK` when none was recorded, or `RG_STATUS_NULL_POINTER` when `err` is NULL.
///
/// Pass it to [`rg_status_name`](crate::rg_status_name) for the stable code string.
///
/// Thread safety: must not race with a call writing to `err`.
///
/// # Safety
///
/// `err` must be NULL or a live error object.
#[no_mangle]
pub unsafe extern "C" fn rg_error_code(err: *const rg_error) -> rg_status {
    guard_value(rg_status::Panic, || {
        // SAFETY: forwarded caller contract: NULL or a live error object.
        match unsafe { ffi::handle(err, "err") } {
            Ok(e) => e.status(),
            Err(_) => rg_status::NullPointer,
        }
    })
}

/// The message of the last failure recorded in `err`: lowercase, without a trailing period,
/// with the offending input in backticks. `""` when none was recorded, NULL when `err` is
/// NULL.
///
/// The string is NUL-terminated and owned by `err`: valid until the next call that writes to
/// `err` or [`rg_error_free`]. When `len_out` is not NULL the length in bytes (without the NUL)
/// is stored there.
///
/// Thread safety: must not race with a call writing to `err`.
///
/// # Safety
///
/// `err` must be NULL or a live error object; `len_out` must be NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn rg_error_message(
    err: *const rg_error,
    len_out: *mut usize,
) -> *const c_char {
    guard_value(std::ptr::null(), || {
        // SAFETY: forwarded caller contract: NULL or a live error object.
        let Ok(e) = (unsafe { ffi::handle(err, "err") }) else {
            return std::ptr::null();
        };
        let (ptr, len) = if e.message.is_empty() {
            (c"".as_ptr(), 0)
        } else {
            (e.message.as_ptr().cast(), e.message.len() - 1)
        };
        if let Ok(out) = Out::new(len_out, "len_out") {
            // SAFETY: `len_out` is valid for writes by the caller's contract.
            unsafe { out.write(len) };
        }
        ptr
    })
}

/// The location of the last failure recorded in `err`, or NULL when it has none (or `err` is
/// NULL): a JSON path into a case (`reviews[3].rating`), `line L column C` for JSON syntax,
/// `FILE:LINE:COLUMN` for a policy pack, `byte N` for invalid UTF-8.
///
/// Same lifetime and `len_out` rules as [`rg_error_message`]; `len_out` is left untouched when
/// NULL is returned. Thread safety: must not race with a call writing to `err`.
///
/// # Safety
///
/// `err` must be NULL or a live error object; `len_out` must be NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn rg_error_location(
    err: *const rg_error,
    len_out: *mut usize,
) -> *const c_char {
    guard_value(std::ptr::null(), || {
        // SAFETY: forwarded caller contract: NULL or a live error object.
        let Ok(e) = (unsafe { ffi::handle(err, "err") }) else {
            return std::ptr::null();
        };
        let Some(loc) = &e.location else {
            return std::ptr::null();
        };
        if let Ok(out) = Out::new(len_out, "len_out") {
            // SAFETY: `len_out` is valid for writes by the caller's contract.
            unsafe { out.write(loc.len().saturating_sub(1)) };
        }
        loc.as_ptr().cast()
    })
}
