//! Fuzz target `c_api`: see `reviewguard_fuzz::c_api::c_api` and fuzz/README.md.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reviewguard_fuzz::c_api::{c_api, SharedEngine};
use std::sync::OnceLock;

static ENGINE: OnceLock<SharedEngine> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    c_api(ENGINE.get_or_init(SharedEngine::new), data);
});
