//! The command line: golden output and exit codes.

// Tests fail by unwrapping and indexing, and read their fixtures from the repository.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::disallowed_methods
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_reviewguard"))
}

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that reads no standard input may exit before it is written: a broken pipe.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn golden(name: &str) -> String {
    format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Compares with a committed golden file; `BLESS=1` rewrites it (review the diff).
fn assert_golden(name: &str, actual: &str) {
    let path = golden(name);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        actual, want,
        "golden {name} differs; rerun with BLESS=1 and review the diff"
    );
}

#[test]
fn check_judges_good_lines_around_broken_ones() {
    let out = run(&["check", &golden("check.in.jsonl"), "--summary"], "");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_golden("check.out.jsonl", &stdout);
    // One output line per non-blank input line, in order; the broken ones say where.
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 6);
    assert!(lines[0].contains(r#""code":"RP-01""#));
    assert!(lines[1].starts_with(
        r#"{"case":"g-broken","error":{"code":"dangling_reference","location":"reviews[0].product""#
    ));
    assert!(
        lines[2].contains(r#""code":"invalid_json""#)
            && lines[2].contains(r#""line":3"#)
            && lines[2].contains(r#""case":null"#)
    );
    assert_eq!(
        lines[3],
        r#"{"case":"g-clean","pack":"amazon-customer-reviews@2026.1","violations":[]}"#
    );
    assert!(lines[4].contains(r#""line":6"#) && lines[4].contains("rating_out_of_range"));
    assert!(lines[5].contains(r#""code":"RP-03""#));
    // Any unreadable input means exit 2, even with violations elsewhere.
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("RP-01   seller-self-review                1"),
        "{stderr}"
    );
    assert!(stderr.contains("3 cases judged, 3 unreadable"), "{stderr}");
}

#[test]
fn exit_codes_say_clean_violation_or_error() {
    let clean = r#"{"id":"c","messages":[{"id":"M1","text":"Your parcel left today."}]}"#;
    let bad = r#"{"id":"v","messages":[{"id":"M1","text":"Please leave us a 5-star review!"}]}"#;
    assert_eq!(run(&["check"], clean).status.code(), Some(0));
    assert_eq!(
        run(&["check", "-"], &format!("{clean}\n{bad}\n"))
            .status
            .code(),
        Some(1)
    );
    assert_eq!(run(&["check", "/no/such/file"], "").status.code(), Some(2));
    assert_eq!(run(&["frobnicate"], "").status.code(), Some(2));
}

#[test]
fn check_accepts_a_json_array() {
    let out = run(&["check"], r#"[{"id":"a"}, {"id":"b","idd":1}]"#);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        r#"{"case":"a","pack":"amazon-customer-reviews@2026.1","violations":[]}"#
    );
    assert_eq!(
        lines[1],
        r#"{"case":"b","error":{"code":"unknown_field","location":"idd","message":"unknown field `idd`"},"line":2}"#
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn scan_prints_quote_kind_and_why() {
    let out = run(
        &[
            "scan",
            "--channel",
            "package_insert",
            "Love it? Leave us a ⭐⭐⭐⭐⭐ review!",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("RP-09 insert-solicitation ["), "{text}");
    assert!(text.contains("⭐⭐⭐⭐⭐"), "{text}");
    assert!(text.contains("why: "), "{text}");

    let out = run(
        &["scan", "--format", "json", "-"],
        "We'd appreciate your honest review.",
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "[]");

    let out = run(
        &[
            "scan",
            "--review",
            "--format",
            "json",
            "I got it free in exchange for my honest review.",
        ],
        "",
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["kind"], "compensated-review");
    assert_eq!(v[0]["code"], "RP-02");
}

#[test]
fn pack_check_passes_the_default_pack_and_reports_broken_ones() {
    let dir = format!("{}/../policies/amazon-reviews", env!("CARGO_MANIFEST_DIR"));
    let out = run(&["pack", "check", &dir], "");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(" 0 errors"), "{stdout}");

    let tmp = std::env::temp_dir().join(format!("rg-pack-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(
        tmp.join("pack.toml"),
        "[pack]\nname = \"t\"\nversion = \"1\"\nlanguages = [\"en\"]\n\n[[concept]]\nname = \"review\"\nlang = \"en\"\nterms = [\"review\"]\n\n[[rule]]\nid = \"r1\"\nkind = \"biased-review-request\"\nall = [\"reveiw\"]\nwhy = \"w\"\nmust_match = [\"a review\"]\n",
    )
    .unwrap();
    let out = run(&["pack", "check", tmp.to_str().unwrap()], "");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("error[pack_unknown_concept]: rule `r1` names concept `reveiw` that no lexicon defines\n  --> pack.toml:14:8"), "{stdout}");
    // Using a broken pack to check cases is a usage error (exit 2) with the diagnostic.
    let out = run(&["--pack", tmp.to_str().unwrap(), "check"], "{}");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("pack_unknown_concept"));
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn limit_flags_override_the_defaults() {
    let case = r#"{"id":"c","parties":[{"id":"S1","kind":"seller"},{"id":"A1","kind":"customer_account"}]}"#;
    // Defaults: a decision.
    let out = run(&["check"], case);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with(r#"{"case":"c""#));
    // One item per list: an error line at the list, exit 2.
    let out = run(&["check", "--max-list-len", "1"], case);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains(r#""code":"limit_exceeded""#) && stdout.contains(r#""location":"parties""#),
        "{stdout}"
    );
    let out = run(&["check", "--max-json-depth", "2"], case);
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains(r#""location":"line 1 column 22""#));
    let out = run(
        &["--max-text-bytes", "3", "scan", "--format", "json", "hello"],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("limit_exceeded"));
}

#[test]
fn invalid_utf8_fails_its_own_line_only() {
    let input = b"{\"id\":\"a\"}\n{\"id\":\"b\",\"messages\":[{\"id\":\"M\",\"text\":\"x \xff\"}]}\r\n\n{\"id\":\"c\"}\n";
    let path = std::env::temp_dir().join(format!("rg-utf8-{}.jsonl", std::process::id()));
    std::fs::write(&path, input).unwrap();
    for args in [vec!["check", path.to_str().unwrap()], vec!["check"]] {
        let mut child = bin()
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let _ = child.stdin.take().unwrap().write_all(input);
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(lines.len(), 3, "{stdout}");
        assert!(lines[0].starts_with(r#"{"case":"a""#));
        assert_eq!(
            lines[1],
            r#"{"case":null,"error":{"code":"invalid_json","location":"line 1 column 43","message":"invalid UTF-8"},"line":2}"#
        );
        assert!(lines[2].starts_with(r#"{"case":"c""#));
    }
    std::fs::remove_file(&path).unwrap();
}
