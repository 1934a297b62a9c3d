//! `conformance`: checks or blesses the conformance corpus (tests/conformance/).
//!
//! ```text
//! cargo run -p reviewguard-conformance -- check   [--dir DIR]  # compare; never writes
//! cargo run -p reviewguard-conformance -- bless   [--dir DIR]  # rewrite expected/, print the changes
//! cargo run -p reviewguard-conformance -- issues  [--dir DIR]  # what the engine says on known-issues.jsonl
//! cargo run -p reviewguard-conformance -- export-c OUT.tsv      # the corpus as hex TSV for the C runner
//! ```
//!
//! Exit status: 0 success, 1 mismatches (check) or intent mismatches (bless: the expected
//! files are written all the same, for review), 2 usage or I/O error.

use reviewguard::Engine;
use reviewguard_conformance as conf;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = conf::default_dir();
    let mut command = None;
    let mut out_file = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--dir" => match it.next() {
                Some(d) => dir = PathBuf::from(d),
                None => return usage(),
            },
            "check" | "bless" | "issues" | "export-c" if command.is_none() => {
                command = Some(a.clone())
            }
            f if command.as_deref() == Some("export-c") && out_file.is_none() => {
                out_file = Some(PathBuf::from(f))
            }
            _ => return usage(),
        }
    }
    if command.as_deref() == Some("export-c") {
        let Some(out) = out_file else {
            return usage();
        };
        return match conf::export_c(&dir) {
            Ok((text, n)) => match std::fs::write(&out, text) {
                Ok(()) => {
                    eprintln!(
                        "conformance: {n} entries written to {}",
                        out.to_string_lossy()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("conformance: {}: {e}", out.to_string_lossy());
                    ExitCode::from(2)
                }
            },
            Err(e) => {
                eprintln!("conformance: {e}");
                ExitCode::from(2)
            }
        };
    }
    let engine = match Engine::new() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("conformance: cannot build the engine: {e}");
            return ExitCode::from(2);
        }
    };
    match command.as_deref() {
        Some("check") => match conf::check(&engine, &dir) {
            Ok(r) => {
                for f in &r.failures {
                    eprintln!("MISMATCH {f}");
                }
                for (file, n) in &r.per_file {
                    println!("{file}: {n} entries");
                }
                if r.failures.is_empty() {
                    println!("conformance: {} entries, all match", r.entries);
                    ExitCode::SUCCESS
                } else {
                    eprintln!(
                        "conformance: {} entries, {} mismatches",
                        r.entries,
                        r.failures.len()
                    );
                    ExitCode::from(1)
                }
            }
            Err(e) => {
                eprintln!("conformance: {e}");
                ExitCode::from(2)
            }
        },
        Some("bless") => match conf::bless(&engine, &dir) {
            Ok(s) => {
                print!("{}", s.text);
                if s.intent_failures > 0 {
                    eprintln!(
                        "conformance: {} entries disagree with their `expect`: review them \
                         (fix the entry, or move it to known-issues.jsonl if the engine is wrong)",
                        s.intent_failures
                    );
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(e) => {
                eprintln!("conformance: {e}");
                ExitCode::from(2)
            }
        },
        Some("issues") => match conf::known_issues(&engine, &dir) {
            Ok(lines) => {
                for l in lines {
                    println!("{l}");
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("conformance: {e}");
                ExitCode::from(2)
            }
        },
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: conformance check|bless|issues [--dir DIR] | conformance export-c OUT.tsv [--dir DIR]");
    ExitCode::from(2)
}
