//! The labelled text corpus (`tests/corpus/*.jsonl`): every line is one text with the exact set
//! of kinds the default pack must report for it.
//!
//! Line format (JSON):
//!
//! ```json
//! {"text": "...", "channel": "buyer_seller_message", "locale": "en", "source": "message",
//!  "expect": ["compensated-review"], "note": "why this case exists"}
//! ```
//!
//! `source` is `"message"` (seller text, judged with [`Engine::scan`] in `channel`, `locale`
//! may be `null`) or `"review"` (a review's own text, judged with [`Engine::scan_review`]).
//! The set of reported kind slugs must equal `expect` exactly; every mismatch is printed with
//! its file and line, and any mismatch fails the test. Counts per language and kind
//! (positives and negatives) are printed for the closing notes.

// Tests fail by unwrapping and indexing, and read their fixtures from the repository.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::disallowed_methods
)]
#![allow(clippy::disallowed_types)]

use reviewguard::{Channel, Engine, Kind};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    text: String,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    locale: Option<String>,
    source: String,
    expect: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// Positives (texts expecting the kind) and negatives (texts expecting nothing at all).
#[derive(Debug, Default)]
struct Counts {
    texts: usize,
    negatives: usize,
    per_kind: BTreeMap<String, usize>,
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus")
}

#[test]
fn corpus_gives_exactly_the_expected_kinds() {
    let engine = Engine::new().unwrap();
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files in {}", dir.display());

    let mut failures: Vec<String> = Vec::new();
    let mut by_lang: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_file: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut kind_totals: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut total = 0usize;

    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let body = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        for (i, raw) in body.lines().enumerate() {
            let at = format!("{name}:{}", i + 1);
            if raw.trim().is_empty() {
                continue;
            }
            let line: Line = match serde_json::from_str(raw) {
                Ok(l) => l,
                Err(e) => {
                    failures.push(format!("{at}: unreadable line: {e}"));
                    continue;
                }
            };
            let mut expect = BTreeSet::new();
            for k in &line.expect {
                match Kind::parse(k) {
                    Some(kind) => {
                        expect.insert(kind.slug().to_string());
                    }
                    None => failures.push(format!("{at}: unknown kind `{k}` in expect")),
                }
            }
            let result = match line.source.as_str() {
                "message" => {
                    let Some(channel) = line.channel.as_deref().and_then(Channel::parse) else {
                        failures.push(format!(
                            "{at}: message without a valid channel: {:?}",
                            line.channel
                        ));
                        continue;
                    };
                    engine.scan(&line.text, channel, line.locale.as_deref())
                }
                "review" => engine.scan_review(&line.text),
                other => {
                    failures.push(format!("{at}: unknown source `{other}`"));
                    continue;
                }
            };
            let findings = match result {
                Ok(f) => f,
                Err(e) => {
                    failures.push(format!("{at}: engine error: {e}"));
                    continue;
                }
            };
            let got: BTreeSet<String> =
                findings.iter().map(|f| f.kind.slug().to_string()).collect();

            total += 1;
            let lang = line.locale.clone().unwrap_or_else(|| {
                // Files are named for their language; `obfuscation.jsonl` and others fall
                // under their file stem when a line names no locale.
                name.trim_end_matches(".jsonl").to_string()
            });
            let c = by_lang.entry(lang).or_default();
            c.texts += 1;
            let f = by_file.entry(name.clone()).or_default();
            f.0 += 1;
            if expect.is_empty() {
                c.negatives += 1;
            }
            for k in &expect {
                *c.per_kind.entry(k.clone()).or_default() += 1;
            }
            for k in Kind::ALL {
                let slug = k.slug().to_string();
                let t = kind_totals.entry(slug.clone()).or_default();
                if expect.contains(&slug) {
                    t.0 += 1;
                } else {
                    t.1 += 1;
                }
            }

            if got != expect {
                f.1 += 1;
                let detail: Vec<String> = findings
                    .iter()
                    .map(|x| format!("{} by {} on {:?}", x.kind.slug(), x.rule, x.quote))
                    .collect();
                failures.push(format!(
                    "{at} [{}{}]\n    text:     {}\n    expected: {:?}\n    got:      {:?}\n    findings: {}",
                    line.source,
                    line.channel
                        .as_deref()
                        .map(|c| format!(" {c}"))
                        .unwrap_or_default(),
                    line.text,
                    expect,
                    got,
                    if detail.is_empty() {
                        "none".to_string()
                    } else {
                        detail.join("; ")
                    }
                ));
            }
        }
    }

    println!("corpus: {total} texts in {} files", files.len());
    for (file, (n, bad)) in &by_file {
        println!("  {file}: {n} texts, {bad} mismatches");
    }
    println!("per language (texts / clean negatives / positives per kind):");
    for (lang, c) in &by_lang {
        let kinds: Vec<String> = c.per_kind.iter().map(|(k, n)| format!("{k}={n}")).collect();
        println!(
            "  {lang}: {} texts, {} negatives; {}",
            c.texts,
            c.negatives,
            kinds.join(", ")
        );
    }
    println!("per kind over all languages (positives / negatives):");
    for (k, (pos, neg)) in &kind_totals {
        println!("  {k}: {pos} / {neg}");
    }

    if !failures.is_empty() {
        for f in &failures {
            println!("MISMATCH {f}");
        }
        panic!(
            "{} of {total} corpus lines do not give exactly their expected kinds (see above)",
            failures.len()
        );
    }
}
