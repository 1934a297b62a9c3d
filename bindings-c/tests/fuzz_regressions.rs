//! Replays the committed regression corpus of the `c_api` fuzz target
//! (`fuzz/regressions/c_api/*`) under `cargo test`, with the very checks the fuzz target runs
//! (`fuzz/src/c_api.rs`, included here): arbitrary bytes through the `extern "C"` entry
//! points, every status checked, every result read back and freed.

// Tests fail by unwrapping, indexing and panicking, and read their fixtures from disk.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::disallowed_methods,
    missing_docs
)]

// The shared checks call this crate `ffi` (as the fuzz crate does).
extern crate reviewguard as ffi;

#[path = "../../fuzz/src/c_api.rs"]
mod c_api;

#[path = "../../fuzz/src/replay.rs"]
mod replay;

#[test]
fn c_api() {
    let engine = c_api::SharedEngine::new();
    replay::replay("c_api", |bytes| c_api::c_api(&engine, bytes));
    // SAFETY: the engine came from `rg_engine_new_default` and is not used afterwards.
    unsafe { ffi::rg_engine_free(engine.0) };
}
