//! The differential test without a fuzzer: the optimised matcher and the slow reference
//! matcher (`reviewguard::text::reference`) must find the same concept hits on every text of
//! the labelled corpus (`tests/corpus/*.jsonl`), every text field of the examples
//! (`examples/cases.jsonl`, `tests/spec/*.jsonl`) and every rule example of the default pack,
//! with and without the text's locale.

// Tests fail by unwrapping and indexing, and read their fixtures from the repository.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::disallowed_methods
)]

use proptest::prelude::*;
use reviewguard::text::reference::Differential;
use reviewguard::Engine;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every string value in a JSON document (case text fields, corpus texts, locales too: they
/// are harmless extra inputs).
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fn jsonl_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("examples/cases.jsonl")];
    for dir in ["tests/corpus", "tests/spec"] {
        if let Ok(rd) = std::fs::read_dir(root().join(dir)) {
            let mut more: Vec<PathBuf> = rd
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .collect();
            more.sort();
            files.extend(more);
        }
    }
    files
}

/// Every text of the corpus, the examples and the pack's rule examples, with its locale.
fn corpus_texts() -> Vec<(String, Option<String>)> {
    let mut texts: Vec<(String, Option<String>)> = Vec::new();
    for file in jsonl_files() {
        let body = std::fs::read_to_string(&file).unwrap();
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}: {e}: {line}", file.display()));
            let locale = v.get("locale").and_then(Value::as_str).map(String::from);
            let mut all = Vec::new();
            strings(&v, &mut all);
            texts.extend(all.into_iter().map(|t| (t, locale.clone())));
        }
    }
    // The rule examples of the pack, in every language.
    for (_, toml) in Engine::default_pack_source().files {
        for line in toml.lines() {
            let t = line.trim().trim_end_matches(',');
            if let Some(q) = t.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
                texts.push((q.to_string(), None));
            }
        }
    }
    texts
}

#[test]
fn matcher_agrees_with_the_reference_on_the_corpus_and_examples() {
    let diff = differential();
    let (literals, regexes) = diff.reference.sizes();
    assert!(literals > 100 && regexes > 0, "{literals} {regexes}");
    let texts = corpus_texts();
    assert!(texts.len() > 1000, "{}", texts.len());
    let mut failures = Vec::new();
    let mut hits = 0;
    for (text, locale) in &texts {
        for loc in [None, locale.as_deref(), Some("ja"), Some("de")] {
            match diff.check(text, loc) {
                Ok(n) => hits += n,
                Err(e) => failures.push(e),
            }
        }
    }
    all_agree(&failures, texts.len());
    eprintln!(
        "reference: {} texts, {hits} hits, {literals} literal and {regexes} regex terms agree",
        texts.len()
    );
    assert!(hits > 1000);
}

#[test]
fn overlapping_and_stem_terms_agree_on_a_small_pack() {
    let pack = r#"
[pack]
name = "t"
version = "1"
languages = ["en", "de", "ja"]

[[concept]]
name = "review"
lang = "en"
terms = ["review", "rev*", "*view", "re(view|vu|)s", "five star", "5 star"]
regex = ['\brev\w+', '[a-z]+@[a-z]+\.[a-z]+', '\$\d+']

[[concept]]
name = "review"
lang = "de"
terms = ["*bewertung*", "sterne"]

[[concept]]
name = "review"
lang = "ja"
terms = ["レビュー", "星5"]
regex = ['ございません']

[[rule]]
id = "r"
kind = "biased-review-request"
all = ["review"]
why = "w"
must_match = ["review"]
"#;
    let diff = Differential::new(&reviewguard::PackSource::from_text(pack))
        .unwrap_or_else(|e| panic!("{e}"));
    for text in [
        "reviews reviewing a review! prereview",
        "Produktbewertungen und Bewertung, 5 Sterne",
        "星５つのレビューをお願いします。ございません",
        "⭐⭐⭐⭐⭐ five-star r e v i e w help@example.com $10",
        "revrevrev vvviewview",
        "",
    ] {
        for loc in [None, Some("en"), Some("de-AT"), Some("ja"), Some("xx")] {
            diff.check(text, loc).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// The reference itself, checked by hand on a tiny pack: stems, open starts, word boundaries,
/// expansions, regexes and locales give exactly the hits the pack format describes.
#[test]
fn the_reference_finds_what_the_pack_format_says() {
    let pack = r#"
[pack]
name = "t"
version = "1"
languages = ["en", "de"]

[[concept]]
name = "review"
lang = "en"
terms = ["review", "rev*", "*view", "re(view|vu|)s"]
regex = ['\$\d+']

[[rule]]
id = "r"
kind = "biased-review-request"
all = ["review"]
why = "w"
must_match = ["review"]
"#;
    let diff = Differential::new(&reviewguard::PackSource::from_text(pack)).unwrap();
    let text = "Reviews prereview $10 $20";
    let norm = diff.pack.normalize(text).text;
    assert_eq!(norm, "reviews prereview $10 $20");
    let hits: Vec<(u32, usize, usize)> = diff.reference.hits(&norm, None).into_iter().collect();
    // `rev*` and `reviews` on the first word (`review` is cut off by the `s`), `*view` inside
    // `prereview` (`review` and `rev` there follow a letter), and both amounts.
    assert_eq!(hits, vec![(0, 0, 7), (0, 13, 17), (0, 18, 21), (0, 22, 25)]);
    assert!(
        diff.reference.hits(&norm, Some(1)).is_empty(),
        "English terms under `de`"
    );
    assert_eq!(diff.check(text, None), Ok(4));
}

#[test]
fn fused_normaliser_equals_the_two_stages_on_the_corpus() {
    let diff = differential();
    let texts = corpus_texts();
    assert!(texts.len() > 1000, "{}", texts.len());
    let failures: Vec<String> = texts
        .iter()
        .filter_map(|(t, _)| diff.check_normalize(t).err())
        .collect();
    all_agree(&failures, texts.len());
}

/// Text made of the pieces where the fused pass hands over to the two stages and back: plain
/// words, single letters and digits (spaced-out runs), mixed letter-digit tokens, number
/// words, masks and star marks, accents and look-alikes, CJK, and every kind of separator.
fn tricky_text() -> impl Strategy<Value = String> {
    let single = prop::sample::select(vec!["a", "I", "f", "r", "e", "v", "w", "5", "1", "0", "3"]);
    let word = prop::sample::select(vec![
        "review", "Free", "REFUND", "five", "Fünf", "cinq", "star", "stars", "leave", "ok",
        "5star", "r3v13w", "fr33", "r**view", "*", "**", "5*", "10", "2024",
    ]);
    let other = prop::sample::select(vec![
        "⭐",
        "⭐️",
        "★",
        "é",
        "ü",
        "ß",
        "Straße",
        "café",
        "für",
        "à",
        "Été",
        "naïve",
        "ÇA",
        "ñ",
        "ä5",
        "vıer",
        "\u{00AD}",
        "fün",
        "\u{0430}",
        "\u{0435}",
        "\u{200B}",
        "ｒｅ",
        "レビュー",
        "星",
        "五",
        "つ",
        "の",
        "書いて",
        "レビューを書いて",
        "三つ星",
        "ー",
        "一",
        "㋀",
        "㍻",
        "ｶﾞ",
        "。",
        "、",
        "🙂",
        "—",
        "\u{2028}",
        "¥",
        "€",
        "\u{0}",
        "ａ",
        "Ⅴ",
        "ﬁ",
        "①",
    ]);
    let sep = prop::sample::select(vec![
        " ", " ", " ", " ", ".", "", "", "", "  ", "\n", "\r\n", "\t", ",", "!", "?", ";", ":",
        "-", "'", "\"", "$", "%", "@", "(", "_", " . ", "🙂", "\u{2028}",
    ]);
    let piece = prop_oneof![4 => single, 3 => word, 2 => other];
    prop::collection::vec((piece, sep), 0..40)
        .prop_map(|v| v.into_iter().flat_map(|(p, s)| [p, s]).collect::<String>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn fused_normaliser_equals_the_two_stages_on_tricky_text(text in tricky_text()) {
        differential().check_normalize(&text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn fused_normaliser_equals_the_two_stages_on_any_text(text in "\\PC{0,80}") {
        differential().check_normalize(&text).map_err(TestCaseError::fail)?;
    }
}

/// Fails with every disagreement when there is any.
fn all_agree(failures: &[String], texts: usize) {
    assert!(
        failures.is_empty(),
        "{} of {texts} texts disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn differential() -> &'static Differential {
    static DIFF: std::sync::OnceLock<Differential> = std::sync::OnceLock::new();
    DIFF.get_or_init(|| Differential::new(&Engine::default_pack_source()).unwrap())
}

/// The indexed rule stage (composites, negation, rules) gives the same rule hits, in the same
/// order, as the direct one that compares every hit with every other
/// (`Differential::check_rules`): on every corpus text in three channels, with and without its
/// locale, and on long texts dense with hits, where the direct one is quadratic.
#[test]
fn indexed_rule_stage_equals_the_direct_one() {
    let diff = differential();
    let mut texts = corpus_texts();
    for (dense, locale) in dense_texts() {
        texts.push((dense, Some(locale.to_string())));
    }
    let (mut findings, mut failures) = (0, Vec::new());
    for (text, locale) in &texts {
        for loc in [None, locale.as_deref()] {
            match diff.check_rules(text, loc) {
                Ok(n) => findings += n,
                Err(e) => failures.push(e),
            }
        }
    }
    all_agree(&failures, texts.len());
    assert!(findings > 2000, "{findings}");
}

/// Long texts of violations, negations and clean sentences, by language: thousands of hits in
/// a few hundred sentences, and one long sentence without a full stop.
fn dense_texts() -> Vec<(String, &'static str)> {
    let phrases: [(&str, &[&str]); 3] = [
        (
            "en",
            &[
                "Leave a 5-star review and we will send you a $10 gift card.",
                "Please do not leave a bad review, contact us first",
                "if you are not happy, email us instead of writing a review;",
                "we never offer anything for reviews!",
                "Thanks for your order, we hope the blender works well.",
            ],
        ),
        (
            "de",
            &[
                "Bitte geben Sie uns 5 Sterne und Sie bekommen einen Gutschein.",
                "Wenn Sie nicht zufrieden sind, kontaktieren Sie uns bevor Sie bewerten,",
                "keine negative Bewertung bitte!",
            ],
        ),
        (
            "ja",
            &[
                "星5つのレビューを書いてくれたらギフト券を差し上げます。",
                "悪いレビューを書かないでください、",
                "ご不満があればレビューの前にご連絡ください。",
            ],
        ),
    ];
    let mut out = Vec::new();
    for (lang, list) in phrases {
        let mut text = String::new();
        for i in 0..300 {
            text.push_str(list[(i * 7 + i / 5) % list.len()]);
            text.push(' ');
        }
        out.push((text.clone(), lang));
        // The same without sentence ends: one sentence of thousands of tokens.
        out.push((text.replace(['.', '!', '?', '。'], ","), lang));
    }
    out
}
