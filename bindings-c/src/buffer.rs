//! [`rg_buffer`]: bytes the library hands over to the caller, with their own free function.

use crate::ffi::{self, guard_value};
use std::ffi::c_char;

/// Text produced by the library (decision JSON, JSON Lines output, a pack id), owned by the
/// caller until [`rg_buffer_free`].
///
/// [`rg_buffer_data`] points to [`rg_buffer_len`] bytes of UTF-8 followed by a NUL byte, so the
/// data can also be used as a C string (JSON output never holds a raw NUL).
///
/// Thread safety: immutable; may be read from any thread, freed once.
#[derive(Debug)]
pub struct rg_buffer {
    /// The text followed by one NUL.
    bytes: Box<[u8]>,
}

impl rg_buffer {
    /// A buffer holding `text`.
    pub fn new(text: String) -> Self {
        let mut bytes = text.into_bytes();
        bytes.push(0);
        rg_buffer {
            bytes: bytes.into_boxed_slice(),
        }
    }

    /// The text, without the NUL.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.strip_suffix(b"\0").unwrap_or(&self.bytes)
    }
}

/// The bytes of `buf`, NUL-terminated; NULL when `buf` is NULL. Owned by `buf`: valid until
/// [`rg_buffer_free`]. Thread-safe.
///
/// # Safety
///
/// `buf` must be NULL or a live buffer.
#[no_mangle]
pub unsafe extern "C" fn rg_buffer_data(buf: *const rg_buffer) -> *const c_char {
    guard_value(std::ptr::null(), || {
        // SAFETY: forwarded caller contract: NULL or a live buffer.
        unsafe { ffi::handle(buf, "buf") }.map_or(std::ptr::null(), |b| b.bytes.as_ptr().cast())
    })
}

/// The length of `buf` in bytes, not counting the terminating NUL; 0 when `buf` is NULL.
/// Thread-safe.
///
/// # Safety
///
/// `buf` must be NULL or a live buffer.
#[no_mangle]
pub unsafe extern "C" fn rg_buffer_len(buf: *const rg_buffer) -> usize {
    guard_value(0, || {
        // SAFETY: forwarded caller contract: NULL or a live buffer.
        unsafe { ffi::handle(buf, "buf") }.map_or(0, |b| b.as_bytes().len())
    })
}

/// Frees a buffer returned by this library. NULL is ignored.
///
/// Thread safety: must not race with any other use of `buf`.
///
/// # Safety
///
/// `buf` must be NULL or a buffer from this library, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_buffer_free(buf: *mut rg_buffer) {
    // SAFETY: forwarded caller contract: NULL or from this library, not used again.
    guard_value((), || unsafe { ffi::free_handle(buf) })
}
