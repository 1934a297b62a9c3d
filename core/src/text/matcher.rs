//! The compiled pack: every concept term of every language in one automaton, built once.
//!
//! Literal terms (the vast majority) go into one `aho-corasick` automaton searched with
//! overlapping semantics, so a term that is part of a longer term still counts; regex terms go
//! into one multi-pattern `regex-automata` meta regex (leftmost-first among regex terms). Both
//! run over the normalised text, whose patterns were normalised by the same function, so no
//! pattern needs case-insensitivity. Matching is linear in the text. Rule checks run over the
//! hits only, so clean text costs one normalisation pass plus one automaton pass.

use super::literals::Literals;
use super::normalize::{
    is_folded_plain, normalize, normalize_text, normalize_text_into, Normalized, Vocabulary,
};
use super::pack::{CompositeDef, PackSpec, RuleSource, TermDef, TextChannel, LANGUAGES};
use super::required::required_literals;
use crate::error::{Error, ErrorCode, Result};
use crate::kind::Kind;
use regex_automata::meta::Regex;
use regex_automata::{Input, PatternSet};
use std::collections::BTreeMap;

/// How far back (in tokens) a negation word reaches.
const NEGATION_REACH: u32 = 6;
/// How far forward (in tokens) a trailing negation (Japanese `ありません`) reaches back.
const NEGATION_AFTER_REACH: u32 = 40;

#[derive(Debug, Clone, Copy)]
struct TermInfo {
    concept: u32,
    lang: Option<u8>,
    /// The term must start at a word start.
    open_start: bool,
    /// The term may end inside a word (a stem); the hit extends to the word end.
    open_end: bool,
    /// The term begins/ends with a character that has word boundaries (Latin letters, digits).
    bounded: bool,
    /// Not a term but a literal that every match of regex term `concept` contains: its
    /// occurrences say whether that regex can match (see [`super::required`]).
    gate: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub id: String,
    pub kind: Kind,
    pub source: RuleSource,
    pub channels: Option<Vec<TextChannel>>,
    pub window: Option<u32>,
    pub all: Vec<Vec<u32>>,
    pub none: Vec<u32>,
    pub negatable: Vec<u32>,
    pub why: String,
    pub high_confidence: bool,
}

/// A rule's hit on a text: the rule and the span, in normalised and original offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFinding {
    /// Index of the rule in the pack.
    pub rule: usize,
    /// Original byte offsets.
    pub start: usize,
    /// Original byte offsets (exclusive).
    pub end: usize,
}

/// Sizes of a compiled pack (see [`crate::Engine::stats`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackStats {
    /// Concept names.
    pub concepts: usize,
    /// Distinct literal terms after `(a|b)` expansion and normalisation, all languages (a term
    /// repeated in a concept with the same attributes counts once).
    pub literal_terms: usize,
    /// Regex terms.
    pub regex_terms: usize,
    /// Composite concept definitions.
    pub composites: usize,
    /// Rules.
    pub rules: usize,
    /// Words the normaliser can rebuild from spaced or masked forms.
    pub vocabulary: usize,
    /// Heap bytes of the compiled automata.
    pub automaton_bytes: usize,
}

/// A compiled policy pack.
#[derive(Debug, Clone)]
pub struct CompiledPack {
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) languages: Vec<String>,
    pub(crate) concepts: Vec<String>,
    pub(crate) rules: Vec<CompiledRule>,
    pub(crate) actions: BTreeMap<Kind, Vec<String>>,
    pub(crate) remap: BTreeMap<(TextChannel, Kind), Vec<Kind>>,
    pub(crate) vocab: Vocabulary,
    /// Every literal term, searched with overlapping semantics (index = `literal_info` index).
    literals: Option<Literals>,
    literal_info: Vec<TermInfo>,
    /// Every regex term in one set, asked only *which* terms match (overlapping semantics).
    regexes: Option<Regex>,
    /// Each regex term on its own, run only when the set says it matches, so that terms of
    /// different concepts or languages that match the same text all count.
    regex_each: Vec<Regex>,
    /// Per pattern of the set (`regexes`): the regex terms it stands for (the same regex in
    /// several lexicons is one pattern).
    set_terms: Vec<Vec<usize>>,
    regex_info: Vec<TermInfo>,
    /// Per regex term: when its concept counts before the regex set has run.
    regex_gate: Vec<RegexGate>,
    /// The regex terms as compiled: only for [`CompiledPack::export_patterns`].
    regex_patterns: Vec<String>,
    composites: Vec<CompositeDef>,
    negation: Option<u32>,
    negation_after: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Hit {
    start: u32,
    end: u32,
    concept: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Placed {
    hit: Hit,
    tok: u32,
    sent: u32,
    clause: u32,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F)
}

/// Rewrites `\b` and `\B` in a regex term to their ASCII forms.
///
/// The normalised text of Latin-script languages is ASCII (accents and look-alikes are
/// folded), so ASCII word boundaries are the right meaning; and unlike Unicode ones they keep
/// the lazy DFA usable on text with Japanese in it, instead of falling back to the PikeVM.
pub(crate) fn ascii_word_boundaries(re: &str) -> String {
    let mut out = String::with_capacity(re.len() + 16);
    let mut chars = re.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(b @ ('b' | 'B')) => {
                    out.push_str("(?-u:\\");
                    out.push(b);
                    out.push(')');
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Folds the non-ASCII characters of a regex term the way text is folded (`ご` becomes
/// `こ` + U+3099, `é` becomes `e`), so a regex meets the normalised text as literal terms do.
/// ASCII is regex syntax and is kept; folded output that is ASCII punctuation is escaped.
pub(crate) fn fold_regex_literals(re: &str) -> String {
    let plain = Vocabulary::default();
    let mut out = String::with_capacity(re.len());
    for c in re.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let mut buf = [0u8; 4];
        for f in normalize_text(c.encode_utf8(&mut buf), &plain).chars() {
            if f.is_ascii_punctuation() {
                out.push('\\');
            }
            if f != ' ' {
                out.push(f);
            }
        }
    }
    out
}

/// At most this many literal terms may come out of one term's `(a|b|)` groups.
const MAX_EXPANSION: usize = 20_000;

/// Expands `(a|b|)` groups into every combination (an empty alternative makes a part
/// optional); groups do not nest. White space is collapsed afterwards.
#[cfg(test)]
pub(crate) fn expand_alternations(term: &str) -> std::result::Result<Vec<String>, String> {
    let (mut text, mut ranges) = (String::new(), Vec::new());
    expand_alternations_into(term, &mut text, &mut ranges)?;
    Ok(ranges
        .into_iter()
        .filter_map(|(a, b)| text.get(a..b).map(str::to_string))
        .collect())
}

/// [`expand_alternations`] into one string: each expansion is appended to `out` and its range
/// pushed to `ranges`, in the same order (the first group varies slowest). Tens of thousands
/// of expansions cost no allocation each.
pub(crate) fn expand_alternations_into(
    term: &str,
    out: &mut String,
    ranges: &mut Vec<(usize, usize)>,
) -> std::result::Result<(), String> {
    let (groups, rest) = alternation_groups(term)?;
    expand_groups_into(&groups, rest, out, ranges);
    Ok(())
}

/// The text before each `(a|b|)` group of `term` and the group's alternatives, then the text
/// after the last group; the errors of [`expand_alternations`], without expanding.
#[allow(clippy::type_complexity)] // a private pair of plain collections
fn alternation_groups(term: &str) -> std::result::Result<(Vec<(&str, Vec<&str>)>, &str), String> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut count = 1usize;
    let mut rest = term;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest.get(open..).and_then(|r| r.find(')')).map(|c| c + open) else {
            return Err(format!("`(` without `)` in `{term}`"));
        };
        let head = rest.get(..open).unwrap_or_default();
        if head.contains(')') {
            return Err(format!("`)` without `(` in `{term}`"));
        }
        let inner = rest.get(open + 1..close).unwrap_or_default();
        if inner.contains('(') {
            return Err(format!("nested `(` in `{term}`"));
        }
        let alts: Vec<&str> = inner.split('|').collect();
        count = count.saturating_mul(alts.len());
        if count > MAX_EXPANSION {
            return Err(format!(
                "`{term}` expands to more than {MAX_EXPANSION} terms"
            ));
        }
        groups.push((head, alts));
        rest = rest.get(close + 1..).unwrap_or_default();
    }
    if rest.contains(')') {
        return Err(format!("`)` without `(` in `{term}`"));
    }
    Ok((groups, rest))
}

/// Every combination of `groups`' alternatives, followed by `rest`, white space collapsed,
/// appended to `out` (ranges in `ranges`); the first group varies slowest.
fn expand_groups_into(
    groups: &[(&str, Vec<&str>)],
    rest: &str,
    out: &mut String,
    ranges: &mut Vec<(usize, usize)>,
) {
    // An odometer over the alternatives, the last group turning fastest.
    let mut pick = vec![0usize; groups.len()];
    let mut scratch = String::new();
    loop {
        scratch.clear();
        for ((head, alts), &k) in groups.iter().zip(&pick) {
            scratch.push_str(head);
            scratch.push_str(alts.get(k).copied().unwrap_or_default());
        }
        scratch.push_str(rest);
        let at = out.len();
        // ASCII text has ASCII white space only, and `split_ascii_whitespace` (a byte test)
        // splits where `split_whitespace` does, but for U+000B, which it does not count.
        let words: &mut dyn Iterator<Item = &str> =
            if scratch.is_ascii() && !scratch.contains('\u{B}') {
                &mut scratch.split_ascii_whitespace()
            } else {
                &mut scratch.split_whitespace()
            };
        for w in words {
            if out.len() > at {
                out.push(' ');
            }
            out.push_str(w);
        }
        if out.len() > at {
            ranges.push((at, out.len()));
        }
        let mut g = pick.len();
        loop {
            let Some(i) = g.checked_sub(1) else {
                return;
            };
            g = i;
            let (Some(slot), Some((_, alts))) = (pick.get_mut(i), groups.get(i)) else {
                return;
            };
            *slot += 1;
            if *slot < alts.len() {
                break;
            }
            *slot = 0;
        }
    }
}

/// When the concept of a regex term counts as present before the regex set has run (the
/// check that lets clean text skip the set).
#[derive(Debug, Clone)]
enum RegexGate {
    /// Never: no rule needs the concept, directly or through a composite (negation words).
    Never,
    /// Always: the regex has no literal that every match contains, or only common ones.
    Always,
    /// When one of these literals (searched with the literal terms) occurs.
    IfLiteral(Vec<String>),
}

/// The gate of each regex term (`info` per term): the set's distinct regexes are `sources`,
/// `terms` the regex terms each stands for, so a regex in several lexicons is read once.
///
/// A literal gates a regex only if it is at least two bytes long, or one byte that is not an
/// ASCII letter or digit (`$`, `%`, `@`, `€`): every occurrence of a gate is reported by the
/// literal search, and `5` or `n` would be reported all the time.
fn regex_gates(
    spec: &PackSpec,
    sources: &[&str],
    terms: &[Vec<usize>],
    info: &[TermInfo],
) -> Vec<RegexGate> {
    // The concepts some rule needs: those of its groups, and the parts of a composite needed.
    let mut needed = vec![false; spec.concepts.len()];
    for c in spec.rules.iter().flat_map(|r| r.all.iter().flatten()) {
        if let Some(slot) = needed.get_mut(*c) {
            *slot = true;
        }
    }
    // Composites may be made of earlier composites: later ones first.
    for comp in spec.composites.iter().rev() {
        if needed.get(comp.concept).copied().unwrap_or(false) {
            for &c in comp.first.iter().chain(&comp.second) {
                if let Some(slot) = needed.get_mut(c) {
                    *slot = true;
                }
            }
        }
    }
    let selective =
        |l: &str| l.len() >= 2 || l.bytes().next().is_some_and(|b| !b.is_ascii_alphanumeric());
    let read = |source: &str| {
        regex_automata::util::syntax::parse(source)
            .ok()
            .and_then(|hir| required_literals(&hir))
            .and_then(|lits| {
                // Not UTF-8 (from a byte class): it cannot be searched as a term.
                lits.into_iter()
                    .map(|l| String::from_utf8(l).ok().filter(|l| selective(l)))
                    .collect::<Option<Vec<String>>>()
            })
            .map_or(RegexGate::Always, RegexGate::IfLiteral)
    };
    let mut gates = vec![RegexGate::Never; info.len()];
    for (source, terms) in sources.iter().zip(terms) {
        // Read once, and only when some term of the regex has a concept a rule needs.
        let mut gate: Option<RegexGate> = None;
        for &i in terms {
            let concept = info.get(i).map_or(usize::MAX, |t| t.concept as usize);
            if !needed.get(concept).copied().unwrap_or(true) {
                continue;
            }
            if let Some(slot) = gates.get_mut(i) {
                *slot = gate.get_or_insert_with(|| read(source)).clone();
            }
        }
    }
    gates
}

fn split_stars(raw: &str) -> (bool, &str, bool) {
    let open_start = raw.starts_with('*');
    let open_end = raw.ends_with('*') && raw.len() > 1;
    let core = raw.trim_start_matches('*').trim_end_matches('*');
    (open_start, core, open_end)
}

/// `(a(job), b())`, with `a` on a second thread where there are threads (not in
/// WebAssembly; on the calling thread when one cannot be made): an engine build compiles its
/// regexes while it tables its literal terms. The thread owns what it works on and is joined
/// before this returns (no scoped thread: a scope records the calling thread's handle, which
/// the standard library then keeps for the life of a C program's main thread); a panic on it
/// (there are none: the crate denies them) would be passed on.
fn both<J, A, B>(job: J, a: fn(J) -> A, b: impl FnOnce() -> B) -> (A, B)
where
    J: Clone + Send + 'static,
    A: Send + 'static,
{
    #[cfg(not(target_family = "wasm"))]
    {
        let spare = job.clone();
        if let Ok(handle) = std::thread::Builder::new().spawn(move || a(job)) {
            let rb = b();
            let ra = handle
                .join()
                .unwrap_or_else(|payload| std::panic::resume_unwind(payload));
            return (ra, rb);
        }
        (a(spare), b())
    }
    #[cfg(target_family = "wasm")]
    {
        (a(job), b())
    }
}

/// The regexes of a pack to compile, owned (they compile on their own thread).
#[derive(Clone)]
struct RegexJob {
    /// Each distinct regex, as the set sees it.
    patterns: Vec<String>,
    /// Per distinct regex, the regex terms (indexes) it stands for.
    terms: Vec<Vec<usize>>,
    /// Per distinct regex, its first term's text and location (for the error).
    first: Vec<(String, String)>,
    /// How many regex terms there are.
    term_count: usize,
    max_regex_bytes: usize,
}

/// Each term's regex (the first that does not compile, in the pack's order, is the error),
/// then the set of the distinct ones.
fn compile_regexes(job: RegexJob) -> (Result<Vec<Regex>>, Result<Option<Regex>>) {
    let mut distinct: Vec<Regex> = Vec::with_capacity(job.patterns.len());
    for (p, (text, location)) in job.patterns.iter().zip(&job.first) {
        let re = regex_automata::meta::Builder::new()
            .configure(Regex::config().nfa_size_limit(Some(job.max_regex_bytes)))
            .build(p)
            .map_err(|e| {
                Error::at(
                    ErrorCode::PackBadPattern,
                    location.clone(),
                    format!(
                        "regex `{text}` does not compile: {}",
                        e.to_string().replace('\n', " ")
                    ),
                )
            });
        match re {
            Ok(re) => distinct.push(re),
            Err(e) => return (Err(e), Ok(None)),
        }
    }
    // A regex is cheap to clone: each term gets its own handle.
    let mut each: Vec<Option<Regex>> = vec![None; job.term_count];
    for (re, terms) in distinct.iter().zip(&job.terms) {
        for &i in terms {
            if let Some(slot) = each.get_mut(i) {
                *slot = Some(re.clone());
            }
        }
    }
    let each: Vec<Regex> = each.into_iter().flatten().collect();
    let set = if job.patterns.is_empty() {
        Ok(None)
    } else {
        regex_automata::meta::Builder::new()
            .configure(
                Regex::config()
                    .match_kind(regex_automata::MatchKind::All)
                    .nfa_size_limit(Some(job.max_regex_bytes.saturating_mul(8)))
                    .hybrid_cache_capacity(16 << 20),
            )
            .build_many(&job.patterns)
            .map(Some)
            .map_err(|e| {
                Error::new(
                    ErrorCode::PackBadPattern,
                    format!("regex set does not compile: {e}"),
                )
            })
    };
    (Ok(each), set)
}

impl CompiledPack {
    pub(crate) fn compile(spec: PackSpec, max_regex_bytes: usize) -> Result<CompiledPack> {
        // Pass 1: a vocabulary from the literal words, so normalising the terms themselves
        // rebuilds glued forms (`5star`) the same way as in text.
        let plain = Vocabulary::default();
        let mut words = Vec::new();
        // Every literal term's `(a|b)` groups are checked here; they are expanded one term at a
        // time when the terms are folded, below.
        let mut raw_words: Vec<&str> = Vec::new();
        // How many expansions there will be: their attributes are allocated once.
        let mut expansions = 0usize;
        for t in spec.terms.iter().filter(|t| !t.is_regex) {
            let (groups, _) = alternation_groups(&t.text)
                .map_err(|m| Error::at(ErrorCode::PackBadPattern, t.location.clone(), m))?;
            let n = groups.iter().map(|(_, alts)| alts.len()).product::<usize>();
            expansions = expansions.saturating_add(n);
            // The vocabulary needs words, not every expansion: normalise each raw word once.
            raw_words.extend(
                t.text
                    .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '|' | '*'))
                    .filter(|w| !w.is_empty()),
            );
        }
        raw_words.sort_unstable();
        raw_words.dedup();
        for raw in raw_words {
            for w in normalize_text(raw, &plain).split(|c: char| !c.is_alphanumeric()) {
                if !w.is_empty() {
                    words.push(w.to_string());
                }
            }
        }
        let vocab = Vocabulary::new(words);

        // The literal terms as folded, in one string (one allocation instead of tens of
        // thousands, which the allocator would otherwise keep as scattered holes), each one's
        // range, and its attributes (same index).
        let mut joined = String::new();
        // (At most a few million reserved: a pack at its limits could ask for billions.)
        let reserve = expansions.min(1 << 22);
        let mut spans: Vec<(u32, u32)> = Vec::with_capacity(reserve);
        let mut literal_info: Vec<TermInfo> = Vec::with_capacity(reserve);
        let mut folded = String::new();
        // The regex terms as the set and the gates see them: folded, `\b` made ASCII.
        let regex_terms: Vec<&TermDef> = spec.terms.iter().filter(|t| t.is_regex).collect();
        let re_patterns: Vec<String> = regex_terms
            .iter()
            .map(|t| ascii_word_boundaries(&fold_regex_literals(&t.text)))
            .collect();
        let regex_info: Vec<TermInfo> = regex_terms
            .iter()
            .map(|t| TermInfo {
                concept: u32::try_from(t.concept).unwrap_or(u32::MAX),
                lang: t.lang.and_then(|l| u8::try_from(l).ok()),
                open_start: true,
                open_end: true,
                bounded: false,
                gate: false,
            })
            .collect();
        // The set holds each distinct regex once, with the terms it stands for (a regex in
        // several lexicons, an amount or an e-mail address, is also compiled once).
        let mut set_patterns: Vec<&str> = Vec::new();
        let mut set_terms: Vec<Vec<usize>> = Vec::new();
        let mut pattern_of: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::new();
        for (i, p) in re_patterns.iter().enumerate() {
            match pattern_of.get(p.as_str()) {
                Some(&k) => {
                    if let Some(terms) = set_terms.get_mut(k) {
                        terms.push(i);
                    }
                }
                None => {
                    pattern_of.insert(p, set_patterns.len());
                    set_patterns.push(p);
                    set_terms.push(vec![i]);
                }
            }
        }
        // When a regex term can match, read off its syntax tree (see `RegexGate`).
        let regex_gate = regex_gates(&spec, &set_patterns, &set_terms, &regex_info);
        // The regexes compile while the literal terms are folded and tabled (on a second
        // thread where there are threads).
        let job = RegexJob {
            patterns: set_patterns.iter().map(|p| p.to_string()).collect(),
            terms: set_terms.clone(),
            first: set_terms
                .iter()
                .map(|terms| {
                    terms
                        .first()
                        .and_then(|&i| regex_terms.get(i))
                        .map(|t| (t.text.clone(), t.location.clone()))
                        .unwrap_or_default()
                })
                .collect(),
            term_count: re_patterns.len(),
            max_regex_bytes,
        };
        let literal_stage = || -> Result<(Option<Literals>, Vec<TermInfo>)> {
            // One term's expansions at a time, folded into `joined`.
            let (mut expanded, mut ranges) = (String::new(), Vec::new());
            for t in spec.terms.iter().filter(|t| !t.is_regex) {
                expanded.clear();
                ranges.clear();
                // Checked above: cannot fail here.
                let _ = expand_alternations_into(&t.text, &mut expanded, &mut ranges);
                for &(a, b) in &ranges {
                    let Some(text) = expanded.get(a..b) else {
                        continue;
                    };
                    let concept = u32::try_from(t.concept).unwrap_or(u32::MAX);
                    let lang = t.lang.and_then(|l| u8::try_from(l).ok());
                    let (open_start, core, open_end) = split_stars(text);
                    let norm = if is_folded_plain(core) {
                        core
                    } else {
                        normalize_text_into(core, &vocab, &mut folded);
                        folded.trim()
                    };
                    if norm.is_empty() {
                        return Err(Error::at(
                            ErrorCode::PackBadPattern,
                            t.location.clone(),
                            format!("term `{text}` is empty once normalised"),
                        ));
                    }
                    let bounded = norm
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric());
                    let info = TermInfo {
                        concept,
                        lang,
                        open_start,
                        open_end,
                        bounded,
                        gate: false,
                    };
                    let start = u32::try_from(joined.len()).unwrap_or(u32::MAX);
                    joined.push_str(norm);
                    spans.push((start, u32::try_from(joined.len()).unwrap_or(u32::MAX)));
                    literal_info.push(info);
                }
            }
            // The literals that every match of a regex term contains, searched with the terms.
            for (ri, gate) in regex_gate.iter().enumerate() {
                let RegexGate::IfLiteral(lits) = gate else {
                    continue;
                };
                for lit in lits {
                    let start = u32::try_from(joined.len()).unwrap_or(u32::MAX);
                    joined.push_str(lit);
                    spans.push((start, u32::try_from(joined.len()).unwrap_or(u32::MAX)));
                    literal_info.push(TermInfo {
                        concept: u32::try_from(ri).unwrap_or(u32::MAX),
                        lang: None,
                        open_start: true,
                        open_end: false,
                        bounded: false,
                        gate: true,
                    });
                }
            }
            // The engine keeps this text: no room reserved for longer expansions.
            joined.shrink_to_fit();
            // A term repeated with the same attributes is searched once (the first one).
            let same = |i: usize, j: usize| {
                let key = |i: usize| {
                    literal_info
                        .get(i)
                        .map(|o| (o.concept, o.lang, o.open_start, o.open_end, o.gate))
                };
                key(i) == key(j)
            };
            let literals = if spans.is_empty() {
                None
            } else {
                Some(Literals::new(joined, spans, same).map_err(|e| {
                    Error::new(
                        ErrorCode::PackBadPattern,
                        format!("literal automaton does not build: {e}"),
                    )
                })?)
            };
            Ok((literals, literal_info))
        };
        let ((regex_each, regexes), literal_stage) = both(job, compile_regexes, literal_stage);
        // The errors in the order of a build on one thread.
        let regex_each = regex_each?;
        let (literals, literal_info) = literal_stage?;
        let regexes = regexes?;
        let find = |n: &str| {
            spec.concepts
                .iter()
                .position(|c| c == n)
                .and_then(|i| u32::try_from(i).ok())
        };
        let rules = spec
            .rules
            .iter()
            .map(|r| {
                let ids = |v: &[usize]| {
                    v.iter()
                        .filter_map(|i| u32::try_from(*i).ok())
                        .collect::<Vec<u32>>()
                };
                CompiledRule {
                    id: r.id.clone(),
                    kind: r.kind,
                    source: r.source,
                    channels: r.channels.clone(),
                    window: r.window,
                    all: r.all.iter().map(|g| ids(g)).collect(),
                    none: ids(&r.none),
                    negatable: ids(&r.negatable),
                    why: r.why.clone(),
                    high_confidence: r.high_confidence,
                }
            })
            .collect();
        Ok(CompiledPack {
            negation: find("negation"),
            negation_after: find("negation_after"),
            name: spec.name,
            version: spec.version,
            languages: spec.languages,
            concepts: spec.concepts,
            rules,
            actions: spec.actions,
            remap: spec.remap,
            vocab,
            literals,
            literal_info,
            regexes,
            regex_each,
            set_terms,
            regex_info,
            regex_gate,
            regex_patterns: re_patterns,
            composites: spec.composites,
        })
    }

    /// Sizes of the compiled pack.
    pub fn stats(&self) -> PackStats {
        PackStats {
            concepts: self.concepts.len(),
            literal_terms: self.literal_terms().count(),
            regex_terms: self.regex_info.len(),
            composites: self.composites.len(),
            rules: self.rules.len(),
            vocabulary: self.vocab.len(),
            automaton_bytes: self.literals.as_ref().map_or(0, Literals::memory_usage)
                + self.regexes.as_ref().map_or(0, Regex::memory_usage),
        }
    }

    /// Compiles a pack from source with default limits, without an [`crate::Engine`]: for the
    /// benchmark harness (`bench/`), which times the stages of the engine separately.
    #[doc(hidden)]
    pub fn from_source(source: &super::pack::PackSource) -> Result<CompiledPack> {
        let limits = super::pack::PackLimits::default();
        let spec = super::pack::parse_first(source, &limits)?;
        CompiledPack::compile(spec, limits.max_regex_bytes)
    }

    /// The matching stage alone over already normalised text: the number of concept hits
    /// (literal and regex terms, word-boundary checks included; no composites, no rules). For
    /// the benchmark harness.
    #[doc(hidden)]
    pub fn count_hits(&self, normalized: &str) -> usize {
        self.hits(normalized, None).len()
    }

    /// Every term the matcher searches for, as it meets the normalised text: literal terms
    /// after expansion and folding (`false`), then regex terms after folding (`true`, in the
    /// syntax of `regex-automata`). The benchmark harness hands them to Hyperscan and Python
    /// `re` so that every engine runs the same phrases over the same folded text.
    #[doc(hidden)]
    pub fn export_patterns(&self) -> Vec<(String, bool)> {
        let mut out: Vec<(String, bool)> = self
            .literal_terms()
            .map(|p| (p.to_string(), false))
            .collect();
        out.extend(self.regex_patterns.iter().map(|p| (p.clone(), true)));
        out
    }

    /// The literal terms searched, without the regex terms' required literals.
    fn literal_terms(&self) -> impl Iterator<Item = &str> {
        self.literals.iter().flat_map(|l| {
            l.terms().filter_map(|(i, t)| {
                self.literal_info
                    .get(i)
                    .is_some_and(|info| !info.gate)
                    .then_some(t)
            })
        })
    }

    /// Normalises text with this pack's vocabulary.
    pub fn normalize(&self, text: &str) -> Normalized {
        normalize(text, &self.vocab)
    }

    /// The folded text alone, as the pack's own terms are folded (differential tests).
    pub(crate) fn normalize_text_only(&self, text: &str) -> String {
        normalize_text(text, &self.vocab)
    }

    /// The same normalisation by the unfused two-stage reference (differential tests).
    #[doc(hidden)]
    pub fn normalize_two_stage(&self, text: &str) -> Normalized {
        super::normalize::normalize_two_stage(text, &self.vocab)
    }

    fn lang_ok(info: &TermInfo, locale: Option<usize>) -> bool {
        match (info.lang, locale) {
            (None, _) | (_, None) => true,
            (Some(l), Some(want)) => usize::from(l) == want,
        }
    }

    /// Concept hits on normalised text, sorted, each once.
    fn hits(&self, norm: &str, locale: Option<usize>) -> Vec<Hit> {
        let mut hits = Vec::new();
        self.literal_hits(norm, locale, &mut hits, &mut Vec::new());
        self.regex_hits(norm, locale, &mut hits);
        hits.sort_unstable();
        hits.dedup();
        hits
    }

    /// Appends the hits of the literal terms, and marks in `gates` (by regex term, grown as
    /// needed) the regex terms whose required literals occur.
    fn literal_hits(
        &self,
        norm: &str,
        locale: Option<usize>,
        hits: &mut Vec<Hit>,
        gates: &mut Vec<bool>,
    ) {
        let bytes = norm.as_bytes();
        // Word boundaries are about alphabetic scripts: a CJK neighbour never joins a Latin
        // word (`星5つ`, `1切` after kanji numerals are folded to digits).
        let joins = |c: char| is_word_char(c) && !is_cjk(c);
        let word_before = |at: usize| {
            norm.get(..at)
                .and_then(|s| s.chars().next_back())
                .is_some_and(joins)
        };
        let word_after = |at: usize| {
            norm.get(at..)
                .and_then(|s| s.chars().next())
                .is_some_and(joins)
        };
        if let Some(literals) = &self.literals {
            literals.for_each(norm, |term, s, mut e| {
                let Some(info) = self.literal_info.get(term) else {
                    return;
                };
                if info.gate {
                    let ri = info.concept as usize;
                    if gates.len() <= ri {
                        gates.resize(ri + 1, false);
                    }
                    if let Some(g) = gates.get_mut(ri) {
                        *g = true;
                    }
                    return;
                }
                if !Self::lang_ok(info, locale) {
                    return;
                }
                if info.bounded && !info.open_start && word_before(s) {
                    return;
                }
                let last_bounded = norm
                    .get(..e)
                    .and_then(|x| x.chars().next_back())
                    .is_some_and(|c| c.is_ascii_alphanumeric());
                if info.open_end {
                    while e < bytes.len()
                        && word_after(e)
                        && !norm
                            .get(e..)
                            .and_then(|x| x.chars().next())
                            .is_some_and(is_cjk)
                    {
                        e += norm
                            .get(e..)
                            .and_then(|x| x.chars().next())
                            .map_or(1, char::len_utf8);
                    }
                } else if last_bounded && word_after(e) {
                    return;
                }
                hits.push(Hit {
                    start: s as u32,
                    end: e as u32,
                    concept: info.concept,
                });
            });
        }
    }

    /// Appends the hits of the regex terms.
    fn regex_hits(&self, norm: &str, locale: Option<usize>, hits: &mut Vec<Hit>) {
        if let Some(set_re) = &self.regexes {
            // One pass says which regex terms match at all; only those run on their own, so a
            // term is never hidden by another term (of any concept or language) that matches
            // the same text first.
            let mut set = PatternSet::new(set_re.pattern_len());
            set_re.which_overlapping_matches(&Input::new(norm), &mut set);
            let mut spans: Vec<(u32, u32)> = Vec::new();
            for pid in set.iter() {
                let terms = self
                    .set_terms
                    .get(pid.as_usize())
                    .map_or(&[][..], Vec::as_slice);
                let infos: Vec<&TermInfo> = terms
                    .iter()
                    .filter_map(|&i| self.regex_info.get(i))
                    .filter(|info| Self::lang_ok(info, locale))
                    .collect();
                let Some(re) = terms.first().and_then(|&i| self.regex_each.get(i)) else {
                    continue;
                };
                if infos.is_empty() {
                    continue;
                }
                // One search for every term of the pattern: they are the same regex.
                spans.clear();
                spans.extend(
                    re.find_iter(norm)
                        .filter(|m| m.end() > m.start())
                        .map(|m| (m.start() as u32, m.end() as u32)),
                );
                for info in infos {
                    hits.extend(spans.iter().map(|&(start, end)| Hit {
                        start,
                        end,
                        concept: info.concept,
                    }));
                }
            }
        }
    }

    /// Token, sentence and clause index of every hit, in one pass over the text.
    ///
    /// Tokens are runs of letters and digits; every CJK character is a token of its own.
    /// Sentences end at `.`, `!`, `?` or a line break (a dot glued to the next word, as in
    /// `example.com` or `$10.00`, ends nothing); clauses also end at `,`, `;` and `:`.
    ///
    /// The walk stops after the last hit is placed, and goes through a run of ASCII letters
    /// and digits in one step up to the next hit: inside such a run nothing changes but the
    /// previous char.
    fn place(norm: &str, hits: &[Hit]) -> Vec<Placed> {
        let bytes = norm.as_bytes();
        let mut walk = Walk::new(hits);
        let mut pos = 0usize;
        while !walk.done() {
            // The char at `pos`, or a space at the end (where a hit is never placed but the
            // walk must not stop before every hit is).
            let c = norm
                .get(pos..)
                .and_then(|r| r.chars().next())
                .unwrap_or(' ');
            walk.step(pos, c, pos < norm.len());
            if pos >= norm.len() {
                break;
            }
            pos += c.len_utf8();
            if c.is_ascii_alphanumeric() {
                let limit = walk.next_start().unwrap_or(norm.len()).min(norm.len());
                while pos < limit {
                    match bytes.get(pos) {
                        Some(&b) if b.is_ascii_alphanumeric() => {
                            walk.prev = Some(char::from(b));
                            pos += 1;
                        }
                        _ => break,
                    }
                }
            }
        }
        walk.placed
    }

    /// Runs every rule that applies to `channel` over `text`: the rule hits, in original byte
    /// offsets (the engine turns them into findings).
    #[doc(hidden)]
    pub fn scan(&self, text: &str, channel: TextChannel, locale: Option<&str>) -> Vec<RawFinding> {
        self.scan_with(text, channel, locale, false)
    }

    /// The same as [`CompiledPack::scan`] through the first, direct implementation of the rule
    /// stage (composites, negation and rules by comparing every hit with every other, hits
    /// placed char by char, the regex set run on every text): the
    /// reference the indexed rule stage must equal, finding for finding (differential tests).
    #[doc(hidden)]
    pub fn scan_naive(
        &self,
        text: &str,
        channel: TextChannel,
        locale: Option<&str>,
    ) -> Vec<RawFinding> {
        self.scan_with(text, channel, locale, true)
    }

    fn scan_with(
        &self,
        text: &str,
        channel: TextChannel,
        locale: Option<&str>,
        naive: bool,
    ) -> Vec<RawFinding> {
        let norm = self.normalize(text);
        let locale = locale.and_then(|l| {
            let l = l.split(['-', '_']).next().unwrap_or(l).to_ascii_lowercase();
            LANGUAGES.iter().position(|x| *x == l)
        });
        let mut hits = Vec::new();
        let mut gates = Vec::new();
        self.literal_hits(&norm.text, locale, &mut hits, &mut gates);
        // The regex set (a lazy-DFA pass over the whole text) only when a rule could fire
        // with the concepts of the regex terms that may match: those without required
        // literals and those whose literals occur. Most clean text stops here; a rule that
        // fires needs its concepts, so stopping gives what the whole check would give.
        let regex_may_match = self
            .regex_info
            .iter()
            .zip(&self.regex_gate)
            .enumerate()
            .filter(|&(ri, (_, gate))| match gate {
                RegexGate::Never => false,
                RegexGate::Always => true,
                RegexGate::IfLiteral(_) => gates.get(ri).copied().unwrap_or(false),
            })
            .map(|(_, (info, _))| info.concept);
        // (The reference, `scan_naive`, always runs the set: the differential tests check that
        // stopping here loses nothing.)
        if !naive && !self.any_rule_possible(&hits, regex_may_match, channel, locale) {
            return Vec::new();
        }
        self.regex_hits(&norm.text, locale, &mut hits);
        hits.sort_unstable();
        hits.dedup();
        if hits.is_empty() || !self.any_rule_possible(&hits, [], channel, locale) {
            return Vec::new();
        }
        let mut placed = if naive {
            naive::place(&norm.text, &hits)
        } else {
            Self::place(&norm.text, &hits)
        };
        // Which concepts occur at all: most rules of most texts stop at this check.
        let mut present = vec![false; self.concepts.len()];
        for p in &placed {
            if let Some(slot) = present.get_mut(p.hit.concept as usize) {
                *slot = true;
            }
        }
        let negated = if naive {
            naive::add_composites(self, &mut placed, locale, &mut present);
            naive::negated(self, &placed)
        } else {
            self.add_composites(&mut placed, locale, &mut present);
            self.negated(&placed)
        };
        let is_present = |c: &u32| present.get(*c as usize).copied().unwrap_or(false);
        let mut out = Vec::new();
        for (ri, rule) in self.rules.iter().enumerate() {
            if !applies(rule, channel) || !rule.all.iter().all(|g| g.iter().any(is_present)) {
                continue;
            }
            let spans = if naive {
                naive::eval_rule(rule, &placed, &negated)
            } else {
                eval_rule(rule, &placed, &negated)
            };
            for (s, e) in spans {
                if let Some((os, oe)) = norm.original_span(s as usize, e as usize) {
                    out.push(RawFinding {
                        rule: ri,
                        start: os,
                        end: oe,
                    });
                }
            }
        }
        out
    }

    /// Whether any rule of `channel` could fire on these hits: every group of its `all` has a
    /// concept among the hits or among the composites that could form from them (ignoring
    /// distances and sentences, so this over-approximates). Clean text often hits a few common
    /// words and stops here, before the hits are placed in tokens and sentences.
    /// The concepts of `more` count as present too.
    fn any_rule_possible(
        &self,
        hits: &[Hit],
        more: impl IntoIterator<Item = u32>,
        channel: TextChannel,
        locale: Option<usize>,
    ) -> bool {
        let mut maybe = vec![false; self.concepts.len()];
        for c in hits.iter().map(|h| h.concept).chain(more) {
            if let Some(slot) = maybe.get_mut(c as usize) {
                *slot = true;
            }
        }
        for c in &self.composites {
            if let (Some(l), Some(want)) = (c.lang, locale) {
                if l != want {
                    continue;
                }
            }
            let any = |set: &[usize]| set.iter().any(|&i| maybe.get(i).copied().unwrap_or(false));
            if any(&c.first) && any(&c.second) {
                if let Some(slot) = maybe.get_mut(c.concept) {
                    *slot = true;
                }
            }
        }
        let could = |c: &u32| maybe.get(*c as usize).copied().unwrap_or(false);
        self.rules
            .iter()
            .any(|r| applies(r, channel) && r.all.iter().all(|g| g.iter().any(could)))
    }

    /// Adds the hits of composite concepts, in definition order (a composite may use the
    /// composites defined before it).
    ///
    /// The pairs and their order are those of comparing every hit of `first` with every hit of
    /// `second` (in `placed` order), but each hit of `first` only meets the hits of `second`
    /// in its sentence within `within` tokens, found by binary search: linear in the hits for
    /// a bounded `within`, where comparing all pairs was quadratic in the text.
    fn add_composites(
        &self,
        placed: &mut Vec<Placed>,
        locale: Option<usize>,
        present: &mut [bool],
    ) {
        let mut candidates: Vec<usize> = Vec::new();
        self.add_composites_by(placed, locale, present, |c, concept, placed, new| {
            // The hits of `second` by sentence and token.
            let mut seconds: Vec<(u32, u32, usize)> = placed
                .iter()
                .enumerate()
                .filter(|(_, p)| has(p, &c.second))
                .map(|(i, p)| (p.sent, p.tok, i))
                .collect();
            seconds.sort_unstable();
            for a in placed.iter().filter(|p| has(p, &c.first)) {
                let lowest = if c.ordered {
                    a.tok
                } else {
                    a.tok.saturating_sub(c.within)
                };
                let highest = a.tok.saturating_add(c.within);
                let from = seconds.partition_point(|&(s, t, _)| (s, t) < (a.sent, lowest));
                candidates.clear();
                candidates.extend(
                    seconds
                        .get(from..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(|&&(s, t, _)| s == a.sent && t <= highest)
                        .map(|&(_, _, i)| i),
                );
                // Back in `placed` order, the order of the pairs.
                candidates.sort_unstable();
                for b in candidates.iter().filter_map(|&i| placed.get(i)) {
                    new.extend(pair(c, concept, a, b));
                }
            }
        });
    }

    /// The frame of both ways of adding composites: for each composite of the locale whose two
    /// parts are present, `pairs` appends its hits (given the placed hits so far), which are
    /// then placed after them.
    fn add_composites_by(
        &self,
        placed: &mut Vec<Placed>,
        locale: Option<usize>,
        present: &mut [bool],
        mut pairs: impl FnMut(&CompositeDef, u32, &[Placed], &mut Vec<Placed>),
    ) {
        for c in &self.composites {
            if let (Some(l), Some(want)) = (c.lang, locale) {
                if l != want {
                    continue;
                }
            }
            let any = |set: &[usize]| {
                set.iter()
                    .any(|&i| present.get(i).copied().unwrap_or(false))
            };
            if !any(&c.first) || !any(&c.second) {
                continue;
            }
            let Ok(concept) = u32::try_from(c.concept) else {
                continue;
            };
            let mut new = Vec::new();
            pairs(c, concept, placed, &mut new);
            if !new.is_empty() {
                if let Some(slot) = present.get_mut(c.concept) {
                    *slot = true;
                }
            }
            placed.extend(new);
        }
    }

    /// Whether each placed hit is negated: a `negation` hit shortly before it or a
    /// `negation_after` hit after it, in the same clause.
    ///
    /// A hit's token index is that of its start, so a `negation` hit that ends before `p`
    /// starts has a token index of at most `p.tok`, and a `negation_after` hit that starts
    /// after `p` ends one of at least `p.tok`: only the negators of the clause with a token
    /// index in `[p.tok - NEGATION_REACH, p.tok + NEGATION_AFTER_REACH]` are looked at (binary
    /// search), then checked as [`naive::negated`] checks every one.
    fn negated(&self, placed: &[Placed]) -> Vec<bool> {
        let mut negators: Vec<(u32, u32, u32, usize)> = placed
            .iter()
            .enumerate()
            .filter(|(_, n)| self.is_negator(n))
            .map(|(i, n)| (n.sent, n.clause, n.tok, i))
            .collect();
        if negators.is_empty() {
            return vec![false; placed.len()];
        }
        negators.sort_unstable();
        placed
            .iter()
            .map(|p| {
                let lowest = p.tok.saturating_sub(NEGATION_REACH);
                let highest = p.tok.saturating_add(NEGATION_AFTER_REACH);
                let from = negators
                    .partition_point(|&(s, c, t, _)| (s, c, t) < (p.sent, p.clause, lowest));
                negators
                    .get(from..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|&&(s, c, t, _)| s == p.sent && c == p.clause && t <= highest)
                    .filter_map(|&(_, _, _, i)| placed.get(i))
                    .any(|n| self.negates(n, p))
            })
            .collect()
    }

    fn is_negator(&self, n: &Placed) -> bool {
        Some(n.hit.concept) == self.negation || Some(n.hit.concept) == self.negation_after
    }

    /// Whether negator `n` negates `p`.
    fn negates(&self, n: &Placed, p: &Placed) -> bool {
        n.sent == p.sent
            && n.clause == p.clause
            && ((Some(n.hit.concept) == self.negation
                && n.hit.end <= p.hit.start
                && p.tok.saturating_sub(n.tok) <= NEGATION_REACH)
                || (Some(n.hit.concept) == self.negation_after
                    && n.hit.start >= p.hit.end
                    && n.tok.saturating_sub(p.tok) <= NEGATION_AFTER_REACH))
    }
}

/// Whether `p` is a hit of one of the concepts of `set`.
fn has(p: &Placed, set: &[usize]) -> bool {
    set.iter().any(|&i| i as u64 == u64::from(p.hit.concept))
}

/// The composite hit of `a` (of `first`) and `b` (of `second`), when they pair: same sentence,
/// not the same span, within `c.within` tokens (and in order, for an ordered composite).
fn pair(c: &CompositeDef, concept: u32, a: &Placed, b: &Placed) -> Option<Placed> {
    if a.sent != b.sent || (a.hit.start == b.hit.start && a.hit.end == b.hit.end) {
        return None;
    }
    let ok = if c.ordered {
        b.hit.start >= a.hit.end && b.tok >= a.tok && b.tok - a.tok <= c.within
    } else {
        (b.hit.start >= a.hit.end || a.hit.start >= b.hit.end) && a.tok.abs_diff(b.tok) <= c.within
    };
    if !ok {
        return None;
    }
    let first = if a.hit.start <= b.hit.start { a } else { b };
    Some(Placed {
        hit: Hit {
            start: a.hit.start.min(b.hit.start),
            end: a.hit.end.max(b.hit.end),
            concept,
        },
        tok: first.tok,
        sent: first.sent,
        clause: first.clause,
    })
}

/// The walk that places hits in tokens, sentences and clauses, one char at a time (shared by
/// [`CompiledPack::place`] and the char-by-char reference, which differ only in the chars they
/// skip).
struct Walk<'h> {
    hits: &'h [Hit],
    /// The first hit not placed yet (hits are sorted by start).
    next: usize,
    placed: Vec<Placed>,
    tok: u32,
    sent: u32,
    clause: u32,
    prev: Option<char>,
    pending_break: bool,
}

impl<'h> Walk<'h> {
    fn new(hits: &'h [Hit]) -> Walk<'h> {
        Walk {
            hits,
            next: 0,
            placed: Vec::with_capacity(hits.len()),
            tok: 0,
            sent: 0,
            clause: 0,
            prev: None,
            pending_break: false,
        }
    }

    /// Whether every hit is placed.
    fn done(&self) -> bool {
        self.next >= self.hits.len()
    }

    /// Where the first hit not placed yet starts.
    fn next_start(&self) -> Option<usize> {
        self.hits.get(self.next).map(|h| h.start as usize)
    }

    /// Takes char `c` at byte `pos` (`in_text` false for the space past the end), placing the
    /// hits that start there.
    #[inline]
    fn step(&mut self, pos: usize, c: char, in_text: bool) {
        let word = in_text && is_word_char(c);
        if word {
            // A dot glued to the next word (`example.com`) is not a sentence end.
            if self.pending_break && self.prev != Some('.') {
                self.sent += 1;
                self.clause += 1;
            }
            self.pending_break = false;
            if self
                .prev
                .is_none_or(|p| !is_word_char(p) || is_cjk(p) || is_cjk(c))
            {
                self.tok += 1;
            }
        }
        while let Some(h) = self.hits.get(self.next) {
            if h.start as usize > pos {
                break;
            }
            let pending = u32::from(self.pending_break);
            self.placed.push(Placed {
                hit: *h,
                tok: if word {
                    self.tok.saturating_sub(1)
                } else {
                    self.tok
                },
                sent: self.sent + pending,
                clause: self.clause + pending,
            });
            self.next += 1;
        }
        match c {
            '\n' | '!' | '?' | '.' => self.pending_break = true,
            ',' | ';' | ':' => self.clause += 1,
            _ => {}
        }
        self.prev = Some(c);
    }
}

fn applies(rule: &CompiledRule, channel: TextChannel) -> bool {
    match (rule.source, channel) {
        (RuleSource::Review, TextChannel::Review) => true,
        (RuleSource::Review, _) | (RuleSource::Message, TextChannel::Review) => false,
        (RuleSource::Message, c) => rule.channels.as_ref().is_none_or(|list| list.contains(&c)),
    }
}

/// Spans (normalised offsets) where the rule fires.
///
/// For each anchor (every usable hit of every group, by token), each group contributes its
/// first usable hit (in `placed` order) that fits the anchor's window or sentence; the rule
/// fires unless a `none` concept occurs in the sentences the chosen hits span. The same
/// choices as [`naive::eval_rule`] (which scans every group and every hit for each anchor), from
/// per-group indexes: the first hit of each sentence, or the hits sorted by token (binary
/// search for the window); and the sentences with a `none` concept, sorted.
fn eval_rule(rule: &CompiledRule, placed: &[Placed], negated: &[bool]) -> Vec<(u32, u32)> {
    let groups = usable_groups(rule, placed, negated);
    if groups.iter().any(Vec::is_empty) {
        return Vec::new();
    }
    let mut vetoes: Vec<u32> = placed
        .iter()
        .filter(|p| rule.none.contains(&p.hit.concept))
        .map(|p| p.sent)
        .collect();
    vetoes.sort_unstable();
    vetoes.dedup();
    let vetoed = |lo_sent: u32, hi_sent: u32| {
        vetoes
            .get(vetoes.partition_point(|&s| s < lo_sent))
            .is_some_and(|&s| s <= hi_sent)
    };
    // Per group: (sentence or token, index) sorted, so the first fitting hit of a sentence is
    // the first entry of that sentence, and those of a window a contiguous run.
    let keyed: Vec<Vec<(u32, usize)>> = groups
        .iter()
        .map(|g| {
            let mut v: Vec<(u32, usize)> = g
                .iter()
                .filter_map(|&i| {
                    let p = placed.get(i)?;
                    Some((if rule.window.is_some() { p.tok } else { p.sent }, i))
                })
                .collect();
            v.sort_unstable();
            v
        })
        .collect();
    let first_fitting = |g: &[(u32, usize)], a: &Placed| -> Option<usize> {
        match rule.window {
            None => {
                let at = g.partition_point(|&(s, _)| s < a.sent);
                g.get(at).filter(|&&(s, _)| s == a.sent).map(|&(_, i)| i)
            }
            Some(n) => {
                let at = g.partition_point(|&(t, _)| t < a.tok);
                let last = a.tok.saturating_add(n);
                g.get(at..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|&&(t, _)| t <= last)
                    .map(|&(_, i)| i)
                    .min()
            }
        }
    };
    let mut spans: Vec<(u32, u32)> = Vec::new();
    for anchor in anchors(&groups, placed) {
        let Some(a) = placed.get(anchor) else {
            continue;
        };
        let mut chosen = Vec::with_capacity(groups.len());
        for g in &keyed {
            match first_fitting(g, a).and_then(|i| placed.get(i)) {
                Some(p) => chosen.push(*p),
                None => break,
            }
        }
        if let Some(span) = chosen_span(&chosen, groups.len(), &vetoed) {
            spans.push(span);
        }
    }
    merge_spans(spans)
}

/// For each group of the rule's `all`, the indices (ascending) of the hits that can serve it:
/// of one of its concepts, and not negated when the concept is negatable.
fn usable_groups(rule: &CompiledRule, placed: &[Placed], negated: &[bool]) -> Vec<Vec<usize>> {
    let usable = |i: usize, group: &[u32]| {
        placed
            .get(i)
            .is_some_and(|p| group.contains(&p.hit.concept))
            && !(negated.get(i).copied().unwrap_or(false)
                && placed
                    .get(i)
                    .is_some_and(|p| rule.negatable.contains(&p.hit.concept)))
    };
    rule.all
        .iter()
        .map(|g| (0..placed.len()).filter(|&i| usable(i, g)).collect())
        .collect()
}

/// Every usable hit of every group, by token and start.
fn anchors(groups: &[Vec<usize>], placed: &[Placed]) -> Vec<usize> {
    let mut a: Vec<usize> = groups.iter().flatten().copied().collect();
    a.sort_by_key(|&i| placed.get(i).map_or((0, 0), |p| (p.tok, p.hit.start)));
    a.dedup();
    a
}

/// The span of one firing: every group chose a hit and no `none` concept vetoes the
/// sentences they span.
fn chosen_span(
    chosen: &[Placed],
    groups: usize,
    vetoed: &dyn Fn(u32, u32) -> bool,
) -> Option<(u32, u32)> {
    if chosen.len() != groups {
        return None;
    }
    let lo_sent = chosen.iter().map(|p| p.sent).min().unwrap_or(0);
    let hi_sent = chosen.iter().map(|p| p.sent).max().unwrap_or(0);
    if vetoed(lo_sent, hi_sent) {
        return None;
    }
    let s = chosen.iter().map(|p| p.hit.start).min().unwrap_or(0);
    let e = chosen.iter().map(|p| p.hit.end).max().unwrap_or(0);
    Some((s, e))
}

/// Overlapping spans of one rule merged.
fn merge_spans(mut spans: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    spans.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// The first, direct implementation of the rule stage: every hit compared with every other
/// (quadratic in the hits of a text), hits placed by a walk over every char. Kept as the
/// reference of the differential tests
/// ([`CompiledPack::scan_naive`]); the engine uses the indexed versions above.
mod naive {
    use super::{
        anchors, chosen_span, has, merge_spans, pair, usable_groups, CompiledPack, CompiledRule,
        Hit, Placed, Walk,
    };
    // The reference keeps the old, direct shape on purpose (see the module docs).

    /// Token, sentence and clause index of every hit, char by char over the whole text.
    pub(super) fn place(norm: &str, hits: &[Hit]) -> Vec<Placed> {
        let mut walk = Walk::new(hits);
        for (pos, c) in norm
            .char_indices()
            .chain(std::iter::once((norm.len(), ' ')))
        {
            walk.step(pos, c, pos < norm.len());
        }
        walk.placed
    }

    /// Every hit of `first` with every hit of `second`, in `placed` order.
    pub(super) fn add_composites(
        pack: &CompiledPack,
        placed: &mut Vec<Placed>,
        locale: Option<usize>,
        present: &mut [bool],
    ) {
        pack.add_composites_by(placed, locale, present, |c, concept, placed, new| {
            for a in placed.iter().filter(|p| has(p, &c.first)) {
                for b in placed.iter().filter(|p| has(p, &c.second)) {
                    new.extend(pair(c, concept, a, b));
                }
            }
        });
    }

    /// Every hit checked against every negator.
    pub(super) fn negated(pack: &CompiledPack, placed: &[Placed]) -> Vec<bool> {
        let negators: Vec<&Placed> = placed.iter().filter(|n| pack.is_negator(n)).collect();
        placed
            .iter()
            .map(|p| negators.iter().any(|n| pack.negates(n, p)))
            .collect()
    }

    /// For each anchor, each group scanned from its start for the first hit that fits, and
    /// every hit scanned for a veto.
    pub(super) fn eval_rule(
        rule: &CompiledRule,
        placed: &[Placed],
        negated: &[bool],
    ) -> Vec<(u32, u32)> {
        let groups = usable_groups(rule, placed, negated);
        if groups.iter().any(Vec::is_empty) {
            return Vec::new();
        }
        let vetoed = |lo_sent: u32, hi_sent: u32| {
            placed.iter().any(|p| {
                rule.none.contains(&p.hit.concept) && p.sent >= lo_sent && p.sent <= hi_sent
            })
        };
        let mut spans: Vec<(u32, u32)> = Vec::new();
        for anchor in anchors(&groups, placed) {
            let Some(a) = placed.get(anchor) else {
                continue;
            };
            let fits = |p: &Placed| match rule.window {
                None => p.sent == a.sent,
                Some(n) => p.tok >= a.tok && p.tok <= a.tok + n,
            };
            let mut chosen = Vec::with_capacity(groups.len());
            for g in &groups {
                match g.iter().filter_map(|&i| placed.get(i)).find(|p| fits(p)) {
                    Some(p) => chosen.push(*p),
                    None => break,
                }
            }
            if let Some(span) = chosen_span(&chosen, groups.len(), &vetoed) {
                spans.push(span);
            }
        }
        merge_spans(spans)
    }
}

/// The hook of the differential test ([`super::reference`]).
impl CompiledPack {
    /// Concept hits of already normalised text before composites and rules, as
    /// `(concept, start, end)` in normalised byte offsets; `locale` indexes `LANGUAGES`.
    #[doc(hidden)]
    pub fn raw_hits(&self, normalized: &str, locale: Option<usize>) -> Vec<(u32, usize, usize)> {
        let hits = self.hits(normalized, locale);
        hits.iter()
            .map(|h| (h.concept, h.start as usize, h.end as usize))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Channel;
    use crate::text::pack::{parse_first, PackLimits, PackSource};

    /// Regex terms used to be searched leftmost-first as one set, so a term that matched the
    /// same text as an earlier term (the same e-mail regex in two lexicons, or `\$\d+` inside
    /// a longer term) was never reported, and a German hit then dropped by `locale = "en"`
    /// hid the English one.
    #[test]
    fn overlapping_regex_terms_of_other_languages_and_concepts_all_count() {
        let text = r#"
[pack]
name = "t"
version = "1"
languages = ["en", "de"]

[[concept]]
name = "contact"
lang = "de"
regex = ['[a-z]+@[a-z]+\.[a-z]+']

[[concept]]
name = "contact"
lang = "en"
regex = ['[a-z]+@[a-z]+\.[a-z]+']

[[concept]]
name = "money"
lang = "en"
regex = ['\$\d+']

[[concept]]
name = "pay"
lang = "en"
regex = ['pay you \$\d+']

[[rule]]
id = "r.contact"
kind = "review-diversion"
all = ["contact"]
why = "w"
must_match = ["x"]

[[rule]]
id = "r.pay"
kind = "compensated-review"
all = ["money", "pay"]
why = "w"
must_match = ["x"]
"#;
        let spec = parse_first(&PackSource::from_text(text), &PackLimits::default()).unwrap();
        let pack = CompiledPack::compile(spec, PackLimits::default().max_regex_bytes).unwrap();
        let bsm = TextChannel::Message(Channel::BuyerSellerMessage);
        let fired = |t: &str, locale: Option<&str>| -> Vec<usize> {
            pack.scan(t, bsm, locale).iter().map(|f| f.rule).collect()
        };
        assert_eq!(fired("mail help@example.com first", Some("en")), vec![0]);
        assert_eq!(fired("mail help@example.com first", Some("de")), vec![0]);
        assert_eq!(fired("we pay you $10", Some("en")), vec![1]);
    }

    /// The indexed composites and negation produce the same placed hits, in the same order,
    /// and the same negation flags as the direct ones (the findings are compared over the
    /// corpus in `tests/reference.rs`; this compares the intermediate lists, whose order the
    /// findings depend on only now and then).
    #[test]
    #[allow(clippy::disallowed_methods)] // reads the test corpus
    fn indexed_composites_and_negation_equal_the_direct_ones() {
        let pack = CompiledPack::from_source(&crate::Engine::default_pack_source()).unwrap();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus");
        let mut texts: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let body = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in body.lines().filter(|l| !l.trim().is_empty()) {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                if let Some(t) = v.get("text").and_then(serde_json::Value::as_str) {
                    texts.push(t.to_string());
                }
            }
        }
        assert!(texts.len() > 1000, "{}", texts.len());
        // Several corpus texts run together, with and without sentence ends.
        let joined: Vec<String> = texts.chunks(40).map(|c| c.join(" ")).collect();
        texts.extend(
            joined
                .iter()
                .map(|t| t.replace(['.', '!', '?', '。', '\n'], ",")),
        );
        texts.extend(joined);
        let (mut composites, mut negated_hits) = (0, 0);
        for text in &texts {
            let norm = pack.normalize(text);
            let hits = pack.hits(&norm.text, None);
            let base = CompiledPack::place(&norm.text, &hits);
            assert_eq!(base, naive::place(&norm.text, &hits), "places in {text:?}");
            let mut present = vec![false; pack.concepts.len()];
            for p in &base {
                present[p.hit.concept as usize] = true;
            }
            let (mut fast, mut slow) = (base.clone(), base.clone());
            let (mut fast_present, mut slow_present) = (present.clone(), present);
            pack.add_composites(&mut fast, None, &mut fast_present);
            naive::add_composites(&pack, &mut slow, None, &mut slow_present);
            assert_eq!(fast, slow, "composites of {text:?}");
            assert_eq!(fast_present, slow_present, "{text:?}");
            let negated = pack.negated(&fast);
            assert_eq!(
                negated,
                naive::negated(&pack, &fast),
                "negation in {text:?}"
            );
            composites += fast.len() - base.len();
            negated_hits += negated.iter().filter(|&&n| n).count();
        }
        assert!(
            composites > 300 && negated_hits > 500,
            "{composites} {negated_hits}"
        );
    }

    /// A composite whose second part is both a plain concept and an earlier composite: the
    /// earlier composite's hits come last in the placed list but may start first, so the
    /// indexed pairing must put its candidates back in placed order.
    #[test]
    fn composites_of_composites_pair_in_placed_order() {
        let text = r#"
[pack]
name = "t"
version = "1"
languages = ["en"]

[[concept]]
name = "a"
lang = "en"
terms = ["alpha"]

[[concept]]
name = "b"
lang = "en"
terms = ["beta"]

[[concept]]
name = "c"
lang = "en"
terms = ["gamma"]

[[concept]]
name = "ab"
lang = "*"
near = ["a", "b"]
within = 2
ordered = true

[[concept]]
name = "x"
lang = "*"
near = ["c", "b|ab"]
within = 10
ordered = false

[[rule]]
id = "r"
kind = "review-diversion"
all = ["x"]
why = "w"
must_match = ["gamma beta"]
"#;
        let spec = parse_first(&PackSource::from_text(text), &PackLimits::default()).unwrap();
        let pack = CompiledPack::compile(spec, PackLimits::default().max_regex_bytes).unwrap();
        let norm = pack.normalize("alpha beta gamma one two beta");
        let hits = pack.hits(&norm.text, None);
        let base = CompiledPack::place(&norm.text, &hits);
        let mut present = vec![false; pack.concepts.len()];
        for p in &base {
            present[p.hit.concept as usize] = true;
        }
        let (mut fast, mut slow) = (base.clone(), base);
        pack.add_composites(&mut fast, None, &mut present.clone());
        naive::add_composites(&pack, &mut slow, None, &mut present);
        let x = pack.concepts.iter().position(|c| c == "x").unwrap() as u32;
        let spans = |v: &[Placed]| -> Vec<(u32, u32)> {
            v.iter()
                .filter(|p| p.hit.concept == x)
                .map(|p| (p.hit.start, p.hit.end))
                .collect()
        };
        // `gamma` with the first `beta`, the second `beta`, then `alpha beta` (normalised
        // offsets: `one two` is folded to `1 2`).
        assert_eq!(spans(&slow), [(6, 16), (11, 25), (0, 16)]);
        assert_eq!(fast, slow);
    }

    #[test]
    fn regex_literals_are_folded_like_text() {
        assert_eq!(
            fold_regex_literals("ございません(?:[^か]|$)"),
            "こ\u{3099}さ\u{3099}いません(?:[^か]|$)"
        );
        assert_eq!(fold_regex_literals(r"\d+ ?€"), r"\d+ ?€");
        assert_eq!(fold_regex_literals("ＡＢ＄"), r"ab\$");
    }

    #[test]
    fn word_boundaries_become_ascii_and_escapes_survive() {
        assert_eq!(ascii_word_boundaries(r"\bpay\b"), r"(?-u:\b)pay(?-u:\b)");
        assert_eq!(ascii_word_boundaries(r"\Bx\\b\d"), r"(?-u:\B)x\\b\d");
        assert_eq!(ascii_word_boundaries(r"a\"), r"a\");
    }

    /// The engine build does not fold terms that are already plain; with the pack's own
    /// vocabulary, folding would leave each of them as it is.
    #[test]
    fn plain_terms_of_the_default_pack_fold_to_themselves() {
        let pack = CompiledPack::from_source(&crate::Engine::default_pack_source()).unwrap();
        let plain: Vec<String> = pack
            .export_patterns()
            .into_iter()
            .filter(|(p, regex)| !regex && is_folded_plain(p))
            .map(|(p, _)| p)
            .collect();
        assert!(plain.len() > 50_000, "{}", plain.len());
        for p in &plain {
            assert_eq!(&pack.normalize_text_only(p), p);
        }
    }

    /// Rules that fire only through a regex term: a phone number (no literal every match
    /// contains, so its concept always counts before the regex set runs), an amount in dollars
    /// (gated by `$`) and a helpful-vote request (gated by ` helpful`). The regex set must
    /// run on each, and what it adds must be what the reference finds.
    #[test]
    fn rules_that_need_a_regex_term_still_fire_when_the_set_may_be_skipped() {
        let pack = CompiledPack::from_source(&crate::Engine::default_pack_source()).unwrap();
        let cases = [
            (
                "Unhappy with it? Text 212 867 5309 before you leave a review.",
                "rp07.contact-before-review",
            ),
            (
                "If you are unhappy, 212.867.5309, before writing a review.",
                "rp07.contact-before-review",
            ),
            (
                "Leave a review and we'll send you $10 as a thank-you!",
                "rp02.incentive-for-review",
            ),
            (
                "Vote our review as helpful and get a gift card.",
                "rp02.incentive-for-review",
            ),
        ];
        for (text, rule) in cases {
            let channel = TextChannel::Message(Channel::BuyerSellerMessage);
            let fast = pack.scan(text, channel, None);
            assert_eq!(fast, pack.scan_naive(text, channel, None), "{text}");
            assert!(
                fast.iter().any(|f| pack.rules[f.rule].id == rule),
                "{text}: {fast:?}"
            );
        }
    }

    #[test]
    fn alternations_expand_and_reject_bad_groups() {
        assert_eq!(
            expand_alternations("(a|b) (c |)d").unwrap(),
            vec!["a c d", "a d", "b c d", "b d"]
        );
        // White space of every kind collapses: ASCII (U+000B too), and not ASCII.
        assert_eq!(
            expand_alternations(" a\u{B}b\t(c|\u{3000}d\u{A0}) ").unwrap(),
            vec!["a b c", "a b d"]
        );
        assert!(expand_alternations("(a|b").is_err());
        assert!(expand_alternations("a)b").is_err());
        assert!(expand_alternations("((a))").is_err());
    }
}
