//! Fuzz target `scan`: see `reviewguard_fuzz::checks::scan` and fuzz/README.md.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    reviewguard_fuzz::checks::scan(data);
});
