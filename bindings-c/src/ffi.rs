//! The boundary checks shared by every entry point: the panic guard, reading `(pointer,
//! length)` inputs and handles, and writing out-parameters. Almost every `unsafe` block of the
//! crate is here, each one pointer operation with its justification.

use crate::error::{self, rg_error};
use crate::status::rg_status;
use crate::RG_MAX_INPUT_LEN;
use std::any::Any;
use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;

/// Why a call failed: what goes into the caller's [`rg_error`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The status returned.
    pub status: rg_status,
    /// A lowercase message without a trailing period.
    pub message: String,
    /// Where the problem is, when there is a place to point at.
    pub location: Option<String>,
}

impl Failure {
    /// A failure of the C boundary itself.
    pub fn new(status: rg_status, message: impl Into<String>) -> Self {
        Failure {
            status,
            message: message.into(),
            location: None,
        }
    }

    fn panic(payload: Box<dyn Any + Send>) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a non-string payload".to_string());
        Failure::new(
            rg_status::Panic,
            format!("panic inside reviewguard: {what}"),
        )
    }
}

impl From<engine::Error> for Failure {
    fn from(e: engine::Error) -> Self {
        Failure {
            status: rg_status::from_code(e.code),
            message: e.message,
            location: e.location,
        }
    }
}

/// Runs the body of a fallible entry point: catches panics, records a failure into `err`
/// (when not NULL) and returns the status.
///
/// The caller of the entry point guarantees that `err` is NULL or a live [`rg_error`] that no
/// other thread uses during the call (the contract of every `rg_error *err` parameter).
pub fn guard(err: *mut rg_error, body: impl FnOnce() -> Result<(), Failure>) -> rg_status {
    let result = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|p| Err(Failure::panic(p)));
    match result {
        Ok(()) => rg_status::Ok,
        Err(failure) => {
            let status = failure.status;
            // Recording allocates; even that is guarded so that nothing unwinds into C.
            let _ = catch_unwind(AssertUnwindSafe(|| error::record(err, failure)));
            status
        }
    }
}

/// Runs the body of an infallible entry point (accessors, free functions) behind the panic
/// guard; `fallback` is returned if it panics.
pub fn guard_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// Reads a `(pointer, length)` input as UTF-8 text; `(NULL, 0)` is the empty string.
///
/// Checks, in order: NULL with a non-zero length, length over [`RG_MAX_INPUT_LEN`], UTF-8.
///
/// # Safety
///
/// When `ptr` is not NULL and `len <= RG_MAX_INPUT_LEN`, `ptr` must point to `len` readable
/// bytes that stay unchanged for `'a`.
pub unsafe fn input_str<'a>(
    ptr: *const c_char,
    len: usize,
    name: &str,
) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return if len == 0 {
            Ok("")
        } else {
            Err(Failure::new(
                rg_status::NullWithLength,
                format!("`{name}` is NULL with length {len}"),
            ))
        };
    }
    if len > RG_MAX_INPUT_LEN {
        return Err(Failure::new(
            rg_status::InputTooLarge,
            format!("`{name}` is {len} bytes, over the limit of {RG_MAX_INPUT_LEN}"),
        ));
    }
    // SAFETY: `ptr` is not NULL and, by the caller's contract, points to `len` readable bytes
    // that stay unchanged for `'a`; `len <= RG_MAX_INPUT_LEN < isize::MAX`.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| Failure {
        status: rg_status::InvalidUtf8,
        message: format!("`{name}` is not valid UTF-8"),
        location: Some(format!("byte {}", e.valid_up_to())),
    })
}

/// Borrows the object behind a handle argument.
///
/// # Safety
///
/// `ptr` must be NULL or point to a live `T` created by this library and not freed during `'a`.
pub unsafe fn handle<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Failure> {
    // SAFETY: by the caller's contract a non-NULL `ptr` points to a live `T` for `'a`.
    unsafe { ptr.as_ref() }.ok_or_else(|| null(name))
}

/// An out-parameter checked for NULL; [`Out::write`] stores the result on success.
pub struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// Checks an out-parameter (before any work is done, so a NULL costs nothing).
    pub fn new(ptr: *mut T, name: &str) -> Result<Self, Failure> {
        NonNull::new(ptr).map(Out).ok_or_else(|| null(name))
    }

    /// Stores `value` without reading or dropping what the location held.
    ///
    /// # Safety
    ///
    /// The pointer given to [`Out::new`] must be valid for a write of one `T`.
    pub unsafe fn write(self, value: T) {
        // SAFETY: non-NULL (checked in `new`) and valid for writes by the caller's contract;
        // `write` neither reads nor drops the (possibly uninitialised) old value.
        unsafe { self.0.as_ptr().write(value) }
    }
}

/// The failure for a NULL required pointer.
pub fn null(name: &str) -> Failure {
    Failure::new(rg_status::NullPointer, format!("`{name}` is NULL"))
}

/// Moves `value` to the heap and gives up ownership to C (freed by the matching `*_free`).
pub fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back ownership of a handle made by [`into_handle`] and drops it; NULL is ignored.
///
/// # Safety
///
/// `ptr` must be NULL or come from [`into_handle`] for this `T` and not be used afterwards.
pub unsafe fn free_handle<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: by the caller's contract `ptr` came from `Box::into_raw` and is not used
        // again, so rebuilding the box and dropping it frees it exactly once.
        drop(unsafe { Box::from_raw(ptr) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_checked_in_order() {
        let s = "héllo";
        // SAFETY: each pointer is NULL or points to `len` bytes of `s` or `bad`.
        unsafe {
            assert_eq!(input_str(std::ptr::null(), 0, "x"), Ok(""));
            assert_eq!(input_str(s.as_ptr().cast(), s.len(), "x"), Ok(s));
            let e = input_str(std::ptr::null(), 3, "json").unwrap_err();
            assert_eq!(
                (e.status, e.message.as_str()),
                (rg_status::NullWithLength, "`json` is NULL with length 3")
            );
            let e = input_str(s.as_ptr().cast(), RG_MAX_INPUT_LEN + 1, "json").unwrap_err();
            assert_eq!(e.status, rg_status::InputTooLarge);
            let bad = b"ab\xffcd";
            let e = input_str(bad.as_ptr().cast(), bad.len(), "json").unwrap_err();
            assert_eq!(
                (e.status, e.location.as_deref()),
                (rg_status::InvalidUtf8, Some("byte 2"))
            );
        }
    }

    #[test]
    fn the_guard_turns_a_panic_into_a_status_and_a_message() {
        let err = into_handle(rg_error::default());
        #[allow(clippy::panic)]
        let status = guard(err, || panic!("boom"));
        assert_eq!(status, rg_status::Panic);
        // SAFETY: `err` is live until freed below.
        let e = unsafe { &*err };
        assert_eq!(e.status(), rg_status::Panic);
        assert_eq!(e.message(), "panic inside reviewguard: boom");
        // SAFETY: made by `into_handle` above, not used afterwards.
        unsafe { free_handle(err) };
    }
}
