//! The checks of the core fuzz targets, one function per target, shared with the `cargo test`
//! replay of `fuzz/regressions/` (`core/tests/fuzz_regressions.rs` includes this file with
//! `#[path]`). Each takes the raw fuzz input and panics when an invariant breaks; the only
//! crate it names is `reviewguard` (the core).

use reviewguard::text::reference::Differential;
use reviewguard::{Channel, Engine, ErrorCode, Finding, PackSource};
use std::sync::OnceLock;

/// The bundled default engine (built once per process).
pub fn engine() -> Engine {
    Engine::new().expect("the default engine builds")
}

/// Whether `s` is a well-formed JSON document (as `serde_json` reads it).
fn is_json(s: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(s).is_ok()
}

/// `case_json`: arbitrary bytes as a case. `Ok` or an error with a case code (never a pack
/// code), a message and, when the input is JSON, a location; decisions serialise to JSON and
/// are deterministic; the JSON Lines path agrees.
pub fn case_json(data: &[u8]) {
    let engine = engine();
    let text = String::from_utf8_lossy(data);
    let first = engine.evaluate_json(&text);
    match &first {
        Ok(d) => {
            assert!(is_json(&text), "a decision from input that is not JSON");
            let out = d.to_json();
            assert!(is_json(&out), "decision JSON does not parse: {out}");
            assert!(!out.contains('\n'), "decision JSON holds a line break");
        }
        Err(e) => {
            assert!(!e.code.is_pack_error(), "pack error code for a case: {e:?}");
            assert!(!e.message.is_empty(), "empty message: {e:?}");
            assert!(!e.code.as_str().is_empty());
            if is_json(&text) {
                assert!(
                    e.location.as_deref().is_some_and(|l| !l.is_empty()),
                    "no location for an error in a JSON document: {e:?}"
                );
            } else {
                assert!(
                    matches!(e.code, ErrorCode::InvalidJson | ErrorCode::LimitExceeded),
                    "input that is not JSON gives {e:?}"
                );
            }
        }
    }
    // Deterministic: the same input, the same bytes.
    let again = engine.evaluate_json(&text);
    match (&first, &again) {
        (Ok(a), Ok(b)) => assert_eq!(a.to_json(), b.to_json(), "decision changed"),
        (Err(a), Err(b)) => assert_eq!(a, b, "error changed"),
        _ => panic!("outcome changed: {first:?} then {again:?}"),
    }
    // The `check` line protocol: one line of JSON, the same verdict.
    if !text.contains('\n') {
        let (line, outcome) = reviewguard::jsonl::check_line(&engine, 1, &text);
        assert!(
            !line.contains('\n'),
            "check line holds a line break: {line}"
        );
        assert!(is_json(&line), "check line is not JSON: {line}");
        match (&first, outcome) {
            (Ok(_), reviewguard::jsonl::LineOutcome::Decided(_))
            | (Err(_), reviewguard::jsonl::LineOutcome::Failed(_)) => {}
            (f, o) => panic!("check_line disagrees with evaluate_json: {f:?} vs {o:?}"),
        }
    }
}

/// A small valid pack (manifest, concepts in two languages, a regex, a composite, a rule):
/// the `pack` target appends fuzz input to it half of the time, so fuzzed concepts and rules
/// get past the manifest checks.
pub const PACK_HEAD: &str = r#"[pack]
name = "fuzz"
version = "1"
languages = ["en", "de", "ja"]

[[concept]]
name = "review"
lang = "en"
terms = ["review", "rating*", "(5|five) star(s|)"]
regex = ['\$\d+']

[[concept]]
name = "review"
lang = "de"
terms = ["*bewertung"]

[[concept]]
name = "negation"
lang = "*"
terms = ["not", "never"]

[[concept]]
name = "paid_review"
lang = "en"
near = ["review", "review"]
within = 3

[[rule]]
id = "fuzz.review"
kind = "biased-review-request"
all = ["review"]
negatable = ["review"]
why = "asks for a review"
must_match = ["leave a 5 star review"]
must_not_match = ["nothing here"]
"#;

/// `pack`: arbitrary text as a policy pack (alone, or after [`PACK_HEAD`] when the first
/// byte is odd). Validation reports pack codes with `FILE:LINE:COLUMN` locations and never
/// panics; a pack that builds and checks clean is usable; building and checking agree.
pub fn pack(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let rest = String::from_utf8_lossy(rest);
    let text = if mode & 1 == 1 {
        format!("{PACK_HEAD}\n{rest}")
    } else {
        rest.into_owned()
    };
    let source = PackSource::from_text(&text);
    let report = Engine::check_pack(&source);
    for e in &report.errors {
        assert!(
            e.code.is_pack_error() || e.code == ErrorCode::LimitExceeded,
            "a pack gives a case error code: {e:?}"
        );
        assert!(!e.message.is_empty(), "empty message: {e:?}");
        if let Some(loc) = &e.location {
            assert!(
                loc.starts_with("<pack>:"),
                "location not in the pack: {e:?}"
            );
        }
    }
    let built = Engine::from_pack_str(&text);
    match &built {
        Err(e) => {
            assert!(
                e.code.is_pack_error() || e.code == ErrorCode::LimitExceeded,
                "a pack gives a case error code: {e:?}"
            );
            assert!(
                !report.errors.is_empty(),
                "from_pack_str fails ({e:?}) but check_pack reports nothing"
            );
        }
        Ok(engine) => {
            // Whatever the rules, scanning is well-behaved with this pack.
            for text in [
                "Leave a 5 star review for a $10 gift card, not later!",
                "Bitte eine Produktbewertung: fünf Sterne ⭐⭐⭐⭐⭐",
                "星５つのレビュー",
            ] {
                for channel in Channel::ALL {
                    let f = engine.scan(text, channel, None).expect("scan");
                    check_findings(text, &f);
                }
                check_findings(text, &engine.scan_review(text).expect("scan_review"));
            }
        }
    }
    if report.errors.is_empty() {
        assert!(built.is_ok(), "check_pack is clean but from_pack_str fails");
    }
}

/// `normalize`: arbitrary bytes (lossy UTF-8) through the normaliser. Every normalised
/// character maps back to a span inside the original text, on char boundaries; the spans
/// start in order; the whole normalised text maps to a span; normalising is deterministic;
/// the fused single pass equals the two-stage reference byte for byte, offsets included.
pub fn normalize(data: &[u8]) {
    normalize_text(&String::from_utf8_lossy(data));
}

/// The checks of [`normalize`] on one text.
pub fn normalize_text(text: &str) {
    let engine = engine();
    let n = engine.normalize(text);
    assert_eq!(
        n,
        engine.normalize(text),
        "normalising is not deterministic"
    );
    if let Err(e) = differential_pack().check_normalize(text) {
        panic!("{e}");
    }
    let on_boundaries = |s: usize, e: usize| {
        s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
    };
    let mut prev_start = 0;
    for (i, c) in n.text.char_indices() {
        let (s, e) = n
            .original_span(i, i + c.len_utf8())
            .unwrap_or_else(|| panic!("no span for {c:?} at {i} of {:?}", n.text));
        assert!(
            on_boundaries(s, e),
            "span {s}..{e} of {c:?} outside {text:?}"
        );
        assert!(
            s >= prev_start,
            "spans out of order at {i} of {:?}: {s} < {prev_start}",
            n.text
        );
        prev_start = s;
    }
    if !n.text.is_empty() {
        let (s, e) = n
            .original_span(0, n.text.len())
            .expect("a span for the whole text");
        assert!(on_boundaries(s, e), "whole span {s}..{e} outside {text:?}");
        // Every word of the normalised text maps to a span too (what a finding quotes).
        let mut at = 0;
        for w in n.text.split([' ', '\n']) {
            if !w.is_empty() {
                let (s, e) = n.original_span(at, at + w.len()).expect("a span per word");
                assert!(on_boundaries(s, e), "word span {s}..{e} outside {text:?}");
            }
            at += w.len() + 1;
        }
    }
    assert_eq!(n.original_span(0, 0), None);
    assert_eq!(n.original_span(n.text.len(), n.text.len() + 1), None);
}

/// The invariants of findings on `text`: spans inside the text on char boundaries, the quote
/// is the original slice, codes match kinds, order is (start, end, kind, rule).
pub fn check_findings(text: &str, findings: &[Finding]) {
    for f in findings {
        assert!(
            f.start < f.end && f.end <= text.len(),
            "finding span {}..{} in {} bytes: {f:?}",
            f.start,
            f.end,
            text.len()
        );
        assert!(
            text.is_char_boundary(f.start) && text.is_char_boundary(f.end),
            "finding span off char boundaries: {f:?}"
        );
        assert_eq!(text.get(f.start..f.end), Some(f.quote.as_str()), "{f:?}");
        assert_eq!(f.code, f.kind.code());
        assert!(!f.rule.is_empty() && !f.why.is_empty(), "{f:?}");
    }
    for w in findings.windows(2) {
        let key = |f: &Finding| (f.start, f.end, f.kind, f.rule.clone());
        assert!(key(&w[0]) <= key(&w[1]), "findings out of order: {w:?}");
    }
}

/// The channel, locale and text of a `scan` input: byte 0 picks the channel (or a review
/// text), byte 1 the locale, the rest is the text (lossy UTF-8).
pub fn scan_input(data: &[u8]) -> (Option<Channel>, Option<&'static str>, String) {
    const LOCALES: [&str; 10] = [
        "en", "de", "fr", "es", "it", "ja", "en-GB", "de_AT", "xx", "",
    ];
    let pick = |i: usize| data.get(i).copied().unwrap_or(0) as usize;
    let channel = Channel::ALL
        .get(pick(0) % (Channel::ALL.len() + 1))
        .copied();
    let locale = match pick(1) % (LOCALES.len() + 1) {
        0 => None,
        i => LOCALES.get(i - 1).copied(),
    };
    let text = String::from_utf8_lossy(data.get(2..).unwrap_or_default()).into_owned();
    (channel, locale, text)
}

/// `scan`: arbitrary text in a channel (or as a review) with a locale. Findings keep their
/// invariants ([`check_findings`]) and scanning twice gives the same findings.
pub fn scan(data: &[u8]) {
    let engine = engine();
    let (channel, locale, text) = scan_input(data);
    let run = || match channel {
        Some(c) => engine.scan(&text, c, locale),
        None => engine.scan_review(&text),
    };
    let findings = run().expect("a text under the limit scans");
    check_findings(&text, &findings);
    assert_eq!(
        findings,
        run().expect("scan"),
        "scanning is not deterministic"
    );
}

/// The default pack compiled twice (optimised and reference), once per process.
pub fn differential_pack() -> &'static Differential {
    static D: OnceLock<Differential> = OnceLock::new();
    D.get_or_init(|| {
        Differential::new(&Engine::default_pack_source()).expect("the default pack compiles")
    })
}

/// At most this many bytes of text go to the reference matcher (it searches every term on its
/// own, so it is slow on long texts).
pub const DIFFERENTIAL_MAX: usize = 256;

/// `differential`: byte 0 picks a locale, the rest (lossy UTF-8, cut to [`DIFFERENTIAL_MAX`]
/// bytes) is normalised and matched by the optimised matcher and the reference; the sets of
/// concept hits must be equal, and the indexed rule stage must give the same rule hits as the
/// direct one (`Differential::check_rules`).
pub fn differential(data: &[u8]) {
    const LOCALES: [&str; 6] = ["en", "de", "fr", "es", "it", "ja"];
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let locale = match sel as usize % (LOCALES.len() + 1) {
        0 => None,
        i => LOCALES.get(i - 1).copied(),
    };
    let text = String::from_utf8_lossy(rest);
    let mut cut = text.len().min(DIFFERENTIAL_MAX);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let text = &text[..cut];
    if let Err(e) = differential_pack().check(text, locale) {
        panic!("{e}");
    }
    if let Err(e) = differential_pack().check_rules(text, locale) {
        panic!("{e}");
    }
}
