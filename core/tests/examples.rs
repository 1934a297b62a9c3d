//! The public labelled examples (tests/spec/examples.jsonl) give exactly their expected kinds.
//! `expect` is test metadata: it is stripped before the case is judged.

// Tests fail by unwrapping and indexing, and read their fixtures from the repository.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::disallowed_methods
)]

use reviewguard::Engine;
use std::collections::BTreeSet;

#[test]
fn public_examples_give_exactly_their_expected_kinds() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/spec/examples.jsonl");
    let text = std::fs::read_to_string(path).unwrap();
    let engine = Engine::new().unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let mut value: serde_json::Value = serde_json::from_str(line).unwrap();
        let expect: BTreeSet<String> = value
            .as_object_mut()
            .unwrap()
            .remove("expect")
            .and_then(|e| serde_json::from_value(e).ok())
            .unwrap();
        let id = value["id"].as_str().unwrap_or("?").to_string();
        let decision = engine.evaluate_json(&value.to_string()).unwrap();
        let got: BTreeSet<String> = decision
            .violations
            .iter()
            .map(|v| v.kind.slug().to_string())
            .collect();
        count += 1;
        if got != expect {
            failures.push(format!(
                "line {}: {id}: expected {expect:?}, got {got:?}",
                n + 1
            ));
        }
    }
    assert!(count >= 41, "only {count} examples read");
    assert!(
        failures.is_empty(),
        "{} of {count} examples differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_stripped_example_file_matches_the_spec() {
    // examples/cases.jsonl (what the README's run command uses) is the spec file minus `expect`.
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/spec/examples.jsonl"
    ))
    .unwrap();
    let cases = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/cases.jsonl"
    ))
    .unwrap();
    let strip = |l: &str| {
        let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
        v.as_object_mut().unwrap().remove("expect");
        v
    };
    let a: Vec<_> = spec
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(strip)
        .collect();
    let b: Vec<serde_json::Value> = cases
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(a, b);
}
