//! The Rust runner of the conformance corpus: `cargo test --workspace` fails when the engine's
//! output for any entry differs from `tests/conformance/expected/` (or from its `expect`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::disallowed_methods
)]

use reviewguard::Engine;
use reviewguard_conformance as conf;

#[test]
fn every_entry_gives_its_blessed_output() {
    let engine = Engine::new().unwrap();
    let report = conf::check(&engine, &conf::default_dir()).unwrap();
    assert!(
        report.failures.is_empty(),
        "{} of {} entries mismatch (bless with `cargo run -p reviewguard-conformance -- bless` \
         only after reviewing the change):\n{}",
        report.failures.len(),
        report.entries,
        report.failures.join("\n")
    );
    assert!(report.entries >= conf::MIN_ENTRIES, "{}", report.entries);
}

#[test]
fn a_changed_output_is_caught_and_located() {
    let a = r#"{"case":"x","violations":[]}"#;
    let b = r#"{"case":"y","violations":[]}"#;
    assert_eq!(conf::first_difference(a, b), Some(9));
    assert_eq!(conf::first_difference(a, a), None);
}
