//! The cross-runtime conformance corpus of reviewguard (`tests/conformance/`).
//!
//! Every entry of `cases/*.jsonl` is a case given as a JSON **string** (so that malformed
//! input is represented byte for byte) with the kinds or the error its author expects. The
//! Rust engine's outputs for them are kept in `expected/*.jsonl` (same file names, same
//! order): the exact line `reviewguard check` prints for the case as the only line of its
//! input, and for an error also its code, number and location. Every runtime's runner
//! compares its own outputs with those files; [`check`] is the Rust one. [`bless`] rewrites
//! the expected files from the engine and reports what changed; [`check`] never writes.
//!
//! See `tests/conformance/README.md` for the format and the runners.

use reviewguard::jsonl::check_line;
use reviewguard::{Engine, Error};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Every runner refuses to pass with fewer entries than this (an emptied corpus must fail).
pub const MIN_ENTRIES: usize = 300;

/// The corpus directory of this checkout: `tests/conformance`.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance")
}

/// What the author of an entry expects (checked against the blessed output, so that a wrong
/// engine answer cannot be blessed silently).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// A decision whose violations have exactly these codes (`RP-02`), as a set.
    Kinds(BTreeSet<String>),
    /// An error with this code and, when given, this location.
    Error {
        /// The stable code string (`dangling_reference`).
        code: String,
        /// The location, when the author pinned it.
        location: Option<String>,
    },
}

/// One corpus entry.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Unique over the corpus: `file-stem/what`.
    pub name: String,
    /// The case JSON text (possibly malformed on purpose).
    pub input: String,
    /// The author's expectation.
    pub expect: Expect,
    /// `file:line` of the entry, for messages.
    pub origin: String,
}

/// One `cases/*.jsonl` file.
#[derive(Debug, Clone)]
pub struct CaseFile {
    /// The file name, e.g. `kinds.jsonl`; its expected outputs are `expected/<file>`.
    pub file: String,
    /// Its entries in file order.
    pub entries: Vec<Entry>,
}

/// The outcome of one entry in the Rust engine, rendered as its `expected/*.jsonl` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The line of the expected file (compact JSON, no newline).
    pub line: String,
    /// Whether the entry matches its author's expectation, and if not, why.
    pub intent: Result<(), String>,
}

fn field_str(v: &Value, key: &str, origin: &str) -> Result<String, String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("{origin}: `{key}` must be a string"))
}

fn parse_expect(v: Option<&Value>, origin: &str) -> Result<Expect, String> {
    match v {
        Some(Value::Array(items)) => {
            let mut set = BTreeSet::new();
            for i in items {
                let code = i
                    .as_str()
                    .filter(|c| c.starts_with("RP-"))
                    .ok_or_else(|| format!("{origin}: `expect` lists codes like \"RP-02\""))?;
                set.insert(code.to_string());
            }
            Ok(Expect::Kinds(set))
        }
        Some(Value::Object(o)) => {
            let code = o
                .get("error")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{origin}: `expect.error` must be a code string"))?;
            let location = match o.get("location") {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return Err(format!("{origin}: `expect.location` must be a string")),
            };
            Ok(Expect::Error {
                code: code.to_string(),
                location,
            })
        }
        _ => Err(format!(
            "{origin}: `expect` must be a list of codes or {{\"error\": code}}"
        )),
    }
}

/// Reads one JSON Lines file of entries (`cases/*.jsonl` or `known-issues.jsonl`).
pub fn read_entries(path: &Path) -> Result<Vec<Entry>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.to_string_lossy()))?;
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let origin = format!("{file}:{}", n + 1);
        let v: Value = serde_json::from_str(line).map_err(|e| format!("{origin}: {e}"))?;
        let input = field_str(&v, "input", &origin)?;
        if input.contains('\n') || input.contains('\r') {
            return Err(format!(
                "{origin}: inputs are single lines (they are also run as JSON Lines)"
            ));
        }
        out.push(Entry {
            name: field_str(&v, "name", &origin)?,
            input,
            expect: parse_expect(v.get("expect"), &origin)?,
            origin,
        });
    }
    Ok(out)
}

/// Reads every `cases/*.jsonl` file of `dir`, in file name order; names must be unique.
pub fn load(dir: &Path) -> Result<Vec<CaseFile>, String> {
    let cases = dir.join("cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&cases)
        .map_err(|e| format!("{}: {e}", cases.to_string_lossy()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for path in files {
        let entries = read_entries(&path)?;
        for e in &entries {
            if !seen.insert(e.name.clone()) {
                return Err(format!("{}: duplicate name `{}`", e.origin, e.name));
            }
        }
        out.push(CaseFile {
            file: path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            entries,
        });
    }
    Ok(out)
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn location_json(e: &Error) -> String {
    e.location
        .as_deref()
        .map_or_else(|| "null".to_string(), json_string)
}

/// Runs one entry through the Rust engine: its expected-file line and the intent check.
pub fn run(engine: &Engine, entry: &Entry) -> Outcome {
    // The CLI's own protocol, with the entry as the only (first) line of the input.
    let (output, outcome) = check_line(engine, 1, &entry.input);
    let name = json_string(&entry.name);
    match outcome {
        reviewguard::jsonl::LineOutcome::Decided(d) => {
            let got: BTreeSet<String> = d
                .violations
                .iter()
                .map(|v| v.kind.code().to_string())
                .collect();
            let intent = match &entry.expect {
                Expect::Kinds(want) if *want == got => Ok(()),
                Expect::Kinds(want) => Err(format!("expected kinds {want:?}, engine gave {got:?}")),
                Expect::Error { code, .. } => {
                    Err(format!("expected error {code}, engine gave kinds {got:?}"))
                }
            };
            Outcome {
                line: format!("{{\"name\":{name},\"output\":{}}}", json_string(&output)),
                intent,
            }
        }
        reviewguard::jsonl::LineOutcome::Failed(e) => {
            let intent = match &entry.expect {
                Expect::Error { code, location }
                    if code == e.code.as_str()
                        && location
                            .as_ref()
                            .is_none_or(|l| e.location.as_deref() == Some(l.as_str())) =>
                {
                    Ok(())
                }
                _ => Err(format!(
                    "expected {:?}, engine gave error {} at {}",
                    entry.expect,
                    e.code.as_str(),
                    e.location.as_deref().unwrap_or("(no location)")
                )),
            };
            Outcome {
                line: format!(
                    "{{\"name\":{name},\"error\":{{\"code\":{},\"number\":{},\"location\":{}}},\"output\":{}}}",
                    json_string(e.code.as_str()),
                    e.code.number(),
                    location_json(&e),
                    json_string(&output)
                ),
                intent,
            }
        }
    }
}

/// The expected file of a cases file.
pub fn expected_path(dir: &Path, file: &str) -> PathBuf {
    dir.join("expected").join(file)
}

/// Where two strings first differ, as a byte offset (`None` when equal).
pub fn first_difference(a: &str, b: &str) -> Option<usize> {
    if a == b {
        return None;
    }
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    Some(common)
}

/// A few characters of `s` around byte `at` (on char boundaries).
pub fn around(s: &str, at: usize) -> String {
    let mut start = at.saturating_sub(40);
    while start > 0 && !s.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 40).min(s.len());
    while end < s.len() && !s.is_char_boundary(end) {
        end += 1;
    }
    s.get(start..end).unwrap_or_default().to_string()
}

/// The result of [`check`].
#[derive(Debug, Default)]
pub struct Report {
    /// Entries compared.
    pub entries: usize,
    /// Entries per cases file.
    pub per_file: BTreeMap<String, usize>,
    /// One message per mismatch (output or intent), naming the entry.
    pub failures: Vec<String>,
}

/// Compares the Rust engine's outputs with `expected/*.jsonl`, entry by entry, and checks each
/// output against its author's expectation. Never writes.
pub fn check(engine: &Engine, dir: &Path) -> Result<Report, String> {
    let files = load(dir)?;
    let mut report = Report::default();
    let mut known = BTreeSet::new();
    for cf in &files {
        known.insert(cf.file.clone());
        let path = expected_path(dir, &cf.file);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                report.failures.push(format!(
                    "{}: {e} (run `cargo run -p reviewguard-conformance -- bless`)",
                    path.to_string_lossy()
                ));
                continue;
            }
        };
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() != cf.entries.len() {
            report.failures.push(format!(
                "expected/{}: {} lines for {} entries (stale: bless and review)",
                cf.file,
                lines.len(),
                cf.entries.len()
            ));
        }
        for (i, entry) in cf.entries.iter().enumerate() {
            report.entries += 1;
            *report.per_file.entry(cf.file.clone()).or_default() += 1;
            let got = run(engine, entry);
            if let Err(why) = &got.intent {
                report
                    .failures
                    .push(format!("{} ({}): intent: {why}", entry.name, entry.origin));
            }
            let Some(want) = lines.get(i) else {
                report
                    .failures
                    .push(format!("{}: no expected line", entry.name));
                continue;
            };
            if let Some(at) = first_difference(want, &got.line) {
                report.failures.push(format!(
                    "{} ({}): output differs at byte {at} of its expected line\n  expected: …{}…\n  engine:   …{}…",
                    entry.name,
                    entry.origin,
                    around(want, at),
                    around(&got.line, at)
                ));
            }
        }
    }
    if let Ok(rd) = std::fs::read_dir(dir.join("expected")) {
        for e in rd.flatten() {
            let f = e.file_name().to_string_lossy().into_owned();
            if !known.contains(&f) {
                report
                    .failures
                    .push(format!("expected/{f}: no cases/{f} (remove it)"));
            }
        }
    }
    if report.entries < MIN_ENTRIES {
        report.failures.push(format!(
            "only {} entries; the corpus must hold at least {MIN_ENTRIES}",
            report.entries
        ));
    }
    Ok(report)
}

/// The result of [`bless`]: what changed, per file.
#[derive(Debug, Default)]
pub struct BlessSummary {
    /// A human-readable summary (counts per file, changed names, intent mismatches).
    pub text: String,
    /// Entries whose output no longer matches the author's expectation.
    pub intent_failures: usize,
    /// Entries whose expected line changed (added, removed or different).
    pub changed: usize,
}

fn name_of(line: &str) -> String {
    serde_json::from_str::<Value>(line)
        .ok()
        .and_then(|v| v.get("name").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| "?".to_string())
}

/// Rewrites `expected/*.jsonl` from the Rust engine and summarises the changes.
pub fn bless(engine: &Engine, dir: &Path) -> Result<BlessSummary, String> {
    let files = load(dir)?;
    let mut s = BlessSummary::default();
    let expected_dir = dir.join("expected");
    std::fs::create_dir_all(&expected_dir).map_err(|e| e.to_string())?;
    let mut total = 0;
    let mut known = BTreeSet::new();
    for cf in &files {
        known.insert(cf.file.clone());
        let path = expected_path(dir, &cf.file);
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        let old_by_name: BTreeMap<String, String> =
            old.lines().map(|l| (name_of(l), l.to_string())).collect();
        let mut new = String::new();
        let (mut added, mut changed, mut same) = (Vec::new(), Vec::new(), 0usize);
        let mut names = BTreeSet::new();
        for entry in &cf.entries {
            let got = run(engine, entry);
            if let Err(why) = &got.intent {
                s.intent_failures += 1;
                let _ = writeln!(s.text, "  INTENT {} ({}): {why}", entry.name, entry.origin);
            }
            match old_by_name.get(&entry.name) {
                None => added.push(entry.name.clone()),
                Some(l) if *l != got.line => changed.push(entry.name.clone()),
                Some(_) => same += 1,
            }
            names.insert(entry.name.clone());
            new.push_str(&got.line);
            new.push('\n');
        }
        let removed: Vec<String> = old_by_name
            .keys()
            .filter(|n| !names.contains(*n))
            .cloned()
            .collect();
        total += cf.entries.len();
        s.changed += added.len() + changed.len() + removed.len();
        let _ = writeln!(
            s.text,
            "{}: {} entries: {} unchanged, {} changed, {} added, {} removed",
            cf.file,
            cf.entries.len(),
            same,
            changed.len(),
            added.len(),
            removed.len()
        );
        for (what, list) in [
            ("changed", &changed),
            ("added", &added),
            ("removed", &removed),
        ] {
            for n in list {
                let _ = writeln!(s.text, "  {what}: {n}");
            }
        }
        if new != old {
            std::fs::write(&path, new).map_err(|e| format!("{}: {e}", path.to_string_lossy()))?;
        }
    }
    if let Ok(rd) = std::fs::read_dir(&expected_dir) {
        for e in rd.flatten() {
            let f = e.file_name().to_string_lossy().into_owned();
            if !known.contains(&f) {
                std::fs::remove_file(e.path()).map_err(|e| e.to_string())?;
                s.changed += 1;
                let _ = writeln!(s.text, "expected/{f}: removed (no cases/{f})");
            }
        }
    }
    let _ = writeln!(
        s.text,
        "total: {total} entries, {} expected lines changed, {} intent mismatches",
        s.changed, s.intent_failures
    );
    Ok(s)
}

/// Runs `known-issues.jsonl`: entries where the engine disagrees with POLICY.md. Returns one
/// line per entry saying what the engine does now (these are reported, never blessed).
pub fn known_issues(engine: &Engine, dir: &Path) -> Result<Vec<String>, String> {
    let path = dir.join("known-issues.jsonl");
    if !path.exists() {
        return Ok(Vec::new());
    }
    Ok(read_entries(&path)?
        .iter()
        .map(|e| {
            let got = run(engine, e);
            match got.intent {
                Ok(()) => format!(
                    "{}: FIXED (the engine now gives what POLICY.md says; move it to cases/)",
                    e.name
                ),
                Err(why) => format!("{}: still open: {why}", e.name),
            }
        })
        .collect())
}

fn hex(s: &str) -> String {
    s.bytes()
        .fold(String::with_capacity(s.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// The corpus as one tab-separated line per entry for the C runner (which has no JSON
/// parser): `hex(name) hex(input) hex(expected output) status code hex(location)`, where
/// `status` is the C `rg_status` (0 for a decision, `100 + number` for an error), `code` the
/// error's code string and `location` its location (`-` for none). A re-encoding of
/// `cases/` and `expected/` only: the engine is not run. Returns the text and the entry count.
pub fn export_c(dir: &Path) -> Result<(String, usize), String> {
    let mut out = String::new();
    let mut count = 0;
    for cf in load(dir)? {
        let path = expected_path(dir, &cf.file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: {e}", path.to_string_lossy()))?;
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() != cf.entries.len() {
            return Err(format!("expected/{}: stale (bless and review)", cf.file));
        }
        for (entry, line) in cf.entries.iter().zip(lines) {
            let v: Value = serde_json::from_str(line).map_err(|e| format!("{}: {e}", cf.file))?;
            if v.get("name").and_then(Value::as_str) != Some(entry.name.as_str()) {
                return Err(format!(
                    "expected/{}: `{}` out of place",
                    cf.file, entry.name
                ));
            }
            let output = v.get("output").and_then(Value::as_str).unwrap_or_default();
            let (status, code, location) = match v.get("error") {
                None => (0, "-".to_string(), "-".to_string()),
                Some(e) => (
                    100 + e.get("number").and_then(Value::as_u64).unwrap_or_default(),
                    e.get("code")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    e.get("location")
                        .and_then(Value::as_str)
                        .map_or_else(|| "-".to_string(), hex),
                ),
            };
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{status}\t{code}\t{location}",
                hex(&entry.name),
                hex(&entry.input),
                hex(output)
            );
            count += 1;
        }
    }
    Ok((out, count))
}
