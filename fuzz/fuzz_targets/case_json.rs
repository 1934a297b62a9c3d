//! Fuzz target `case_json`: see `reviewguard_fuzz::checks::case_json` and fuzz/README.md.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    reviewguard_fuzz::checks::case_json(data);
});
