//! Test-only entry points (feature `testing`), so the C tests can provoke what the public API
//! cannot: a panic inside the library.

use crate::error::rg_error;
use crate::ffi::guard;
use crate::status::rg_status;

/// Panics inside the library on purpose; returns `RG_STATUS_PANIC` from the panic guard with
/// the panic message in `err`. Only in builds with the `testing` feature (`RG_TESTING`).
///
/// # Safety
///
/// `err` must be NULL or a live error object not used by another thread during the call.
#[no_mangle]
pub unsafe extern "C" fn rg_testing_panic(err: *mut rg_error) -> rg_status {
    #[allow(clippy::panic)]
    guard(err, || panic!("deliberate panic of rg_testing_panic"))
}
