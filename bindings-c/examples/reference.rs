//! The Rust side of the C tests and of the benchmark: what the engine gives when called
//! directly, in the plain formats the C programs print.
//!
//! ```text
//! reference corpus OUT_INPUT OUT_EXPECTED FILE...   text corpus -> C input + expected findings
//! reference bench CASES ROUNDS                       ns per call: Rust engine vs C ABI
//! ```
//!
//! `corpus` reads `tests/corpus/*.jsonl` lines (`text`, `channel`, `locale`, `source`) and
//! writes one C input line per item, `CHANNEL<TAB>LOCALE<TAB>HEX(text)` (channel as its
//! `rg_channel` number, `5` for a review), and the expected output of
//! `bindings-c/tests/test_corpus.c` for it: one line per finding,
//! `ITEM<TAB>KIND<TAB>CONFIDENCE<TAB>START<TAB>END<TAB>RULE<TAB>HEX(quote)<TAB>HEX(why)`,
//! or `ITEM<TAB>error<TAB>STATUS` when the scan fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use engine::{Channel, Confidence, Engine, Finding};
use std::fmt::Write as _;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("corpus") if args.len() >= 3 => corpus(&args[1], &args[2], &args[3..]),
        Some("bench") if args.len() == 3 => bench(&args[1], args[2].parse().expect("ROUNDS")),
        _ => {
            eprintln!(
                "usage: reference corpus OUT_INPUT OUT_EXPECTED FILE... | bench CASES ROUNDS"
            );
            std::process::exit(2);
        }
    }
}

fn hex(s: &str) -> String {
    s.bytes().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn corpus(out_input: &str, out_expected: &str, files: &[String]) {
    let engine = Engine::new().expect("default pack");
    let (mut input, mut expected) = (String::new(), String::new());
    let mut item = 0usize;
    for file in files {
        let text = std::fs::read_to_string(file).expect("corpus file");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("corpus line");
            let body = v["text"].as_str().expect("text");
            let locale = v["locale"].as_str().unwrap_or("");
            let review = v["source"].as_str() == Some("review");
            let channel = v["channel"]
                .as_str()
                .map(|c| Channel::parse(c).expect("channel"))
                .unwrap_or_default();
            let number = if review {
                5
            } else {
                Channel::ALL.iter().position(|c| *c == channel).unwrap()
            };
            writeln!(input, "{number}\t{locale}\t{}", hex(body)).unwrap();
            let found = if review {
                engine.scan_review(body)
            } else {
                engine.scan(body, channel, (!locale.is_empty()).then_some(locale))
            };
            match found {
                Ok(findings) => {
                    for f in findings {
                        writeln!(expected, "{item}\t{}", finding_line(&f)).unwrap();
                    }
                }
                Err(e) => writeln!(expected, "{item}\terror\t{}", 100 + e.code.number()).unwrap(),
            }
            item += 1;
        }
    }
    std::fs::write(out_input, input).expect("write input");
    std::fs::write(out_expected, expected).expect("write expected");
    eprintln!("reference: {item} corpus items");
}

fn finding_line(f: &Finding) -> String {
    let kind: u32 = f.code.trim_start_matches("RP-").parse().unwrap();
    let confidence = if f.confidence == Confidence::High {
        2
    } else {
        1
    };
    format!(
        "{kind}\t{confidence}\t{}\t{}\t{}\t{}\t{}",
        f.start,
        f.end,
        f.rule,
        hex(&f.quote),
        hex(&f.why)
    )
}

/// Times `Engine::evaluate_json` + `Decision::to_json` (the Rust engine called directly) and
/// `rg_engine_evaluate_json` + `rg_buffer_free` (the C ABI, called in-process through the rlib)
/// over every case of CASES, ROUNDS times, alternating the two round by round so that both see
/// the same machine load. Prints `rust CALLS NS_PER_CALL` and `ffi CALLS NS_PER_CALL`; the C
/// program `bench/bench.c` prints `c CALLS NS_PER_CALL` for the same calls made from C.
fn bench(cases: &str, rounds: usize) {
    let engine = Engine::new().expect("default pack");
    let mut handle = std::ptr::null_mut();
    // SAFETY: `handle` is a valid out-parameter; the error object is optional.
    let st = unsafe { reviewguard::rg_engine_new_default(&mut handle, std::ptr::null_mut()) };
    assert_eq!(st, reviewguard::rg_status::Ok);
    let text = std::fs::read_to_string(cases).expect("cases");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let direct = |bytes: &mut usize| {
        for l in &lines {
            *bytes += engine
                .evaluate_json(l)
                .map(|d| d.to_json().len())
                .unwrap_or(0);
        }
    };
    let through_ffi = |bytes: &mut usize| {
        for l in &lines {
            let mut out = std::ptr::null_mut();
            // SAFETY: `handle` is live, `l` is valid for its length, `out` is writable.
            let st = unsafe {
                reviewguard::rg_engine_evaluate_json(
                    handle,
                    l.as_ptr().cast(),
                    l.len(),
                    &mut out,
                    std::ptr::null_mut(),
                )
            };
            if st == reviewguard::rg_status::Ok {
                // SAFETY: `out` is a live buffer, freed once.
                unsafe {
                    *bytes += reviewguard::rg_buffer_len(out);
                    reviewguard::rg_buffer_free(out);
                }
            }
        }
    };
    let (mut bytes_direct, mut bytes_ffi) = (0usize, 0usize);
    // Warm-up round of each.
    direct(&mut bytes_direct);
    through_ffi(&mut bytes_ffi);
    let (mut t_direct, mut t_ffi) = (0u128, 0u128);
    for _ in 0..rounds {
        let t = Instant::now();
        direct(&mut bytes_direct);
        t_direct += t.elapsed().as_nanos();
        let t = Instant::now();
        through_ffi(&mut bytes_ffi);
        t_ffi += t.elapsed().as_nanos();
    }
    // SAFETY: made by `rg_engine_new_default`, not used afterwards.
    unsafe { reviewguard::rg_engine_free(handle) };
    let calls = rounds * lines.len();
    println!(
        "rust {calls} {:.0} (checksum {bytes_direct})",
        t_direct as f64 / calls as f64
    );
    println!(
        "ffi {calls} {:.0} (checksum {bytes_ffi})",
        t_ffi as f64 / calls as f64
    );
}
