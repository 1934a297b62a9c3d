//! Fuzz target `pack`: see `reviewguard_fuzz::checks::pack` and fuzz/README.md.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    reviewguard_fuzz::checks::pack(data);
});
