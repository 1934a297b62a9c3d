//! The default pack validates and every rule's own examples behave (what `pack check` runs).

// Tests fail by unwrapping and indexing, and read their fixtures from the repository.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::disallowed_methods
)]

use reviewguard::{Engine, ErrorCode, PackSource};

#[test]
fn default_pack_passes_its_own_check() {
    let report = Engine::check_pack(&Engine::default_pack_source());
    let msgs: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert!(msgs.is_empty(), "{}", msgs.join("\n"));
    assert!(report.rules >= 10 && report.examples >= 50, "{report:?}");
}

#[test]
fn default_pack_declares_six_languages() {
    let engine = Engine::new().unwrap();
    assert_eq!(engine.languages(), ["en", "de", "fr", "es", "it", "ja"]);
    assert_eq!(engine.pack_id(), "amazon-customer-reviews@2026.1");
}

#[test]
fn the_single_string_form_rebuilds_the_same_engine() {
    let source = Engine::default_pack_source();
    let one = Engine::from_pack_str(&source.to_single_string()).unwrap();
    let many = Engine::from_pack(source).unwrap();
    let case =
        r#"{"id":"x","messages":[{"id":"M","text":"Leave a 5-star review and get a gift card"}]}"#;
    assert_eq!(
        one.evaluate_json(case).unwrap().to_json(),
        many.evaluate_json(case).unwrap().to_json()
    );
}

#[test]
fn a_failing_example_is_reported_with_its_location() {
    let text = "[pack]\nname = \"t\"\nversion = \"1\"\nlanguages = [\"en\"]\n[[concept]]\nname = \"review\"\nlang = \"en\"\nterms = [\"review\"]\n[[rule]]\nid = \"r\"\nkind = \"biased-review-request\"\nall = [\"review\"]\nwhy = \"w\"\nmust_match = [\"nothing here\"]\nmust_not_match = [\"a review\"]\n";
    let report = Engine::check_pack(&PackSource::from_text(text));
    let got: Vec<(ErrorCode, Option<String>)> = report
        .errors
        .iter()
        .map(|e| (e.code, e.location.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                ErrorCode::PackExampleFailed,
                Some("<pack>:14:15".to_string())
            ),
            (
                ErrorCode::PackExampleFailed,
                Some("<pack>:15:19".to_string())
            ),
        ]
    );
}

#[test]
fn with_several_bad_terms_the_first_bad_regex_is_reported_then_the_first_bad_literal() {
    // The regexes compile on a second thread while the literal terms are folded: the error
    // is still the one of a build on one thread, whichever finishes first.
    let head = "[pack]\nname = \"t\"\nversion = \"1\"\nlanguages = [\"en\"]\n";
    let concept = |name: &str, terms: &str| {
        format!("[[concept]]\nname = \"{name}\"\nlang = \"en\"\n{terms}\n")
    };
    let cases = [
        (
            vec![
                concept("a", "terms = [\"'\"]"),
                concept("b", "regex = ['ok', '(unclosed']"),
                concept("c", "regex = ['[also unclosed']"),
            ],
            "<pack>:12:16",
            "(unclosed",
        ),
        (
            vec![
                concept("a", "terms = [\"fine\", \"'\"]"),
                concept("b", "terms = [\"-\"]"),
                concept("c", "regex = ['fine']"),
            ],
            "<pack>:8:18",
            "empty once normalised",
        ),
    ];
    for (concepts, location, message) in cases {
        let text = format!("{head}{}", concepts.concat());
        for _ in 0..5 {
            let e = Engine::from_pack_str(&text).unwrap_err();
            assert_eq!(e.code, ErrorCode::PackBadPattern, "{e}");
            assert_eq!(e.location.as_deref(), Some(location), "{e}");
            assert!(e.message.contains(message), "{e}");
        }
    }
}

#[test]
fn bad_regex_and_unbalanced_alternation_are_pack_errors() {
    for (terms, code) in [
        ("regex = ['(unclosed']", ErrorCode::PackBadPattern),
        ("terms = [\"(a|b\"]", ErrorCode::PackBadPattern),
        (
            "regex = ['\\w{1000}\\w{1000}\\w{1000}']",
            ErrorCode::PackBadPattern,
        ),
    ] {
        let text = format!("[pack]\nname = \"t\"\nversion = \"1\"\nlanguages = [\"en\"]\n[[concept]]\nname = \"c\"\nlang = \"en\"\n{terms}\n");
        let e = Engine::from_pack_str(&text).unwrap_err();
        assert_eq!(e.code, code, "{terms}: {e}");
        assert_eq!(e.location.as_deref(), Some("<pack>:8:10"), "{terms}: {e}");
    }
}
