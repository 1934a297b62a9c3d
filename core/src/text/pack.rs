//! The policy pack format: TOML files read with spans, validated with compiler-style
//! diagnostics (`FILE:LINE:COLUMN`), every rule's own examples run at validation.
//!
//! A pack is one or more TOML files; each may hold any of these sections, and the files of a
//! pack are merged (see `policies/README.md` for the analyst's guide):
//!
//! ```toml
//! [pack]                       # exactly once per pack
//! name = "amazon-customer-reviews"
//! version = "2026.1"
//! languages = ["en", "de"]
//!
//! [actions]                    # kind -> recommended actions (default: zero tolerance)
//! compensated-review = ["withdraw_selling_privileges", "remove_product_reviews"]
//!
//! [[remap]]                    # report a kind differently in one channel
//! channel = "package_insert"
//! kind = "biased-review-request"
//! report = ["insert-solicitation"]
//!
//! [[concept]]                  # a lexicon entry: one concept in one language
//! name = "review"
//! lang = "en"                  # or "*" for every language
//! terms = ["review", "rating*", "*bewertung"]   # `*` at an end: open word boundary
//! regex = ['\$\d+']            # over the normalised text
//!
//! [[rule]]
//! id = "rp02.incentive-for-review"
//! kind = "compensated-review"
//! source = "message"           # "message" (seller text, payment notes) or "review"
//! channels = ["package_insert"]  # optional; default every channel and payment notes
//! window = 12                  # optional; tokens; default: the same sentence
//! all = ["incentive", "review|rating"]   # one hit of each entry, `|` = any of
//! none = ["change_remove"]     # vetoes in the same sentence(s)
//! negatable = ["incentive"]    # hits preceded by a `negation` hit do not count
//! why = "offers a reward for writing a review"
//! must_match = ["Leave a review and get a $10 gift card"]
//! must_not_match = ["We never offer gifts for reviews"]
//! ```

use crate::case::Channel;
use crate::error::{Error, ErrorCode, Result};
use crate::kind::Kind;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The source text of a pack: `(file name, TOML text)` pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackSource {
    /// The files, in load order.
    pub files: Vec<(String, String)>,
}

impl PackSource {
    /// A pack held in one TOML string (named `<pack>` in diagnostics).
    pub fn from_text(text: &str) -> PackSource {
        PackSource {
            files: vec![("<pack>".to_string(), text.to_string())],
        }
    }

    /// Joins the files into one TOML string that loads as the same pack: the form the
    /// bindings pass around (`Engine.from_pack(text)`, pickling). Every file holds only
    /// tables and arrays of tables, so concatenation is valid TOML.
    pub fn to_single_string(&self) -> String {
        let mut out = String::new();
        for (name, text) in &self.files {
            out.push_str("# ---- ");
            out.push_str(name);
            out.push('\n');
            out.push_str(text);
            if !text.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    }

    /// Total size in bytes.
    pub fn len(&self) -> usize {
        self.files.iter().map(|(_, t)| t.len()).sum()
    }

    /// Whether the pack has no text at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    pack: Option<Spanned<ManifestDef>>,
    #[serde(default)]
    actions: Option<BTreeMap<String, Spanned<Vec<Spanned<String>>>>>,
    #[serde(default)]
    remap: Vec<Spanned<RemapDef>>,
    #[serde(default)]
    concept: Vec<Spanned<ConceptDef>>,
    #[serde(default)]
    rule: Vec<Spanned<RuleDef>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestDef {
    name: String,
    version: String,
    #[serde(default)]
    description: Option<String>,
    languages: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RemapDef {
    channel: Spanned<String>,
    kind: Spanned<String>,
    report: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConceptDef {
    name: Spanned<String>,
    lang: Spanned<String>,
    #[serde(default)]
    terms: Vec<Spanned<String>>,
    #[serde(default)]
    regex: Vec<Spanned<String>>,
    #[serde(default)]
    near: Vec<Spanned<String>>,
    #[serde(default)]
    within: Option<Spanned<i64>>,
    #[serde(default)]
    ordered: Option<bool>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: Spanned<String>,
    kind: Spanned<String>,
    #[serde(default)]
    source: Option<Spanned<String>>,
    #[serde(default)]
    channels: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    window: Option<Spanned<i64>>,
    all: Vec<Spanned<String>>,
    #[serde(default)]
    none: Vec<Spanned<String>>,
    #[serde(default)]
    negatable: Vec<Spanned<String>>,
    why: String,
    #[serde(default)]
    confidence: Option<Spanned<String>>,
    #[serde(default)]
    must_match: Vec<Spanned<String>>,
    #[serde(default)]
    must_not_match: Vec<Spanned<String>>,
}

/// Where a rule reads text from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleSource {
    /// Seller-side messages in any channel, and payment notes.
    Message,
    /// Review titles and bodies (incentive disclosures).
    Review,
}

/// Channels a message rule applies to, plus payment notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TextChannel {
    /// A message channel.
    Message(Channel),
    /// The `note` of a payment.
    PaymentNote,
    /// A review's own text.
    Review,
}

impl TextChannel {
    fn parse(s: &str) -> Option<TextChannel> {
        if s == "payment_note" {
            Some(TextChannel::PaymentNote)
        } else {
            Channel::parse(s).map(TextChannel::Message)
        }
    }
}

/// The languages a pack may declare.
pub const LANGUAGES: [&str; 6] = ["en", "de", "fr", "es", "it", "ja"];

/// Sizes a pack may not exceed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackLimits {
    /// Total bytes of pack text (default 8 MiB).
    pub max_pack_bytes: usize,
    /// Compiled size of one regex term, in Thompson NFA bytes (default 1 MiB): a counted
    /// repetition that would blow up is a `pack_bad_pattern` error at the term.
    pub max_regex_bytes: usize,
    /// Number of terms over all concepts (default 100 000).
    pub max_terms: usize,
    /// Heap bytes of the compiled automata (see [`crate::text::matcher::PackStats`]); checked
    /// after compilation, which the other limits keep bounded (default 128 MiB).
    pub max_automaton_bytes: usize,
}

impl Default for PackLimits {
    fn default() -> Self {
        PackLimits {
            max_pack_bytes: 8 << 20,
            max_regex_bytes: 1 << 20,
            max_terms: 100_000,
            max_automaton_bytes: 128 << 20,
        }
    }
}

/// A term of a concept, ready for compilation.
#[derive(Debug, Clone)]
pub(crate) struct TermDef {
    pub concept: usize,
    pub lang: Option<usize>,
    pub text: String,
    pub is_regex: bool,
    pub location: String,
}

/// A composite concept: a hit of `first` and a hit of `second` in one sentence, at most
/// `within` tokens apart (and in that order when `ordered`).
#[derive(Debug, Clone)]
pub(crate) struct CompositeDef {
    pub concept: usize,
    pub lang: Option<usize>,
    pub first: Vec<usize>,
    pub second: Vec<usize>,
    pub within: u32,
    pub ordered: bool,
}

/// A validated rule, ready for compilation.
#[derive(Debug, Clone)]
pub(crate) struct RuleSpec {
    pub id: String,
    pub kind: Kind,
    pub source: RuleSource,
    pub channels: Option<Vec<TextChannel>>,
    pub window: Option<u32>,
    pub all: Vec<Vec<usize>>,
    pub none: Vec<usize>,
    pub negatable: Vec<usize>,
    pub why: String,
    pub high_confidence: bool,
    pub must_match: Vec<(String, String)>,
    pub must_not_match: Vec<(String, String)>,
}

/// A parsed and validated pack, before compilation.
#[derive(Debug, Clone)]
pub(crate) struct PackSpec {
    pub name: String,
    pub version: String,
    pub languages: Vec<String>,
    pub concepts: Vec<String>,
    pub terms: Vec<TermDef>,
    pub composites: Vec<CompositeDef>,
    pub rules: Vec<RuleSpec>,
    pub actions: BTreeMap<Kind, Vec<String>>,
    pub remap: BTreeMap<(TextChannel, Kind), Vec<Kind>>,
}

/// The default enforcement actions of POLICY.md (zero tolerance).
pub const DEFAULT_ACTIONS: [&str; 7] = [
    "withdraw_selling_privileges",
    "withhold_funds",
    "remove_product_reviews",
    "block_future_reviews",
    "delist_product",
    "legal_action",
    "public_disclosure",
];

/// Line and column (1-based) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(before.chars().count(), |i| {
        before.get(i + 1..).map_or(0, |s| s.chars().count())
    }) + 1;
    (line, col)
}

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
    errors: &'a mut Vec<Error>,
    /// Byte offsets where the lines of `text` start: a location is a binary search, not a
    /// scan from the start of the file (every term records one, thousands per pack).
    lines: Vec<usize>,
}

impl<'a> Ctx<'a> {
    fn new(file: &'a str, text: &'a str, errors: &'a mut Vec<Error>) -> Ctx<'a> {
        let lines = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Ctx {
            file,
            text,
            errors,
            lines,
        }
    }

    fn loc(&self, offset: usize) -> String {
        let offset = offset.min(self.text.len());
        let line = self.lines.partition_point(|&start| start <= offset).max(1);
        let start = self.lines.get(line - 1).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        format!("{}:{}:{}", self.file, line, col)
    }

    fn err(&mut self, code: ErrorCode, offset: usize, msg: String) {
        let loc = self.loc(offset);
        self.errors.push(Error::at(code, loc, msg));
    }
}

fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> Error {
    let offset = e.span().map_or(0, |s| s.start);
    let (l, c) = line_col(text, offset);
    let msg = e.message().trim().replace('\n', " ");
    Error::at(ErrorCode::PackSyntax, format!("{file}:{l}:{c}"), msg)
}

/// A composite seen in pass 1, resolved once every concept name is known:
/// (concept, language, `near` entries with their locations, within, ordered).
type PendingComposite = (usize, Option<usize>, Vec<(String, String)>, u32, bool);

/// Parses and validates a pack, collecting every diagnostic (rule examples are not run here;
/// see [`crate::Engine::check_pack`]).
pub(crate) fn parse(
    source: &PackSource,
    limits: &PackLimits,
) -> std::result::Result<PackSpec, Vec<Error>> {
    let mut errors = Vec::new();
    if source.len() > limits.max_pack_bytes {
        return Err(vec![Error::new(
            ErrorCode::LimitExceeded,
            format!(
                "pack is {} bytes, over the limit of {}",
                source.len(),
                limits.max_pack_bytes
            ),
        )]);
    }
    let mut docs = Vec::new();
    for (file, text) in &source.files {
        match toml::from_str::<FileDoc>(text) {
            Ok(doc) => docs.push((file.as_str(), text.as_str(), doc)),
            Err(e) => errors.push(toml_error(file, text, &e)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut manifest: Option<(String, String, Vec<String>)> = None;
    let mut concepts: Vec<String> = Vec::new();
    let mut concept_langs: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut terms = Vec::new();
    let mut actions: BTreeMap<Kind, Vec<String>> = Kind::ALL
        .iter()
        .map(|k| (*k, DEFAULT_ACTIONS.iter().map(|s| s.to_string()).collect()))
        .collect();
    let mut remap = BTreeMap::new();
    let mut pending_composites: Vec<PendingComposite> = Vec::new();

    // Pass 1: manifest, actions, remaps and concepts (rules may name concepts of any file).
    for (file, text, doc) in &docs {
        let mut cx = Ctx::new(file, text, &mut errors);
        if let Some(m) = &doc.pack {
            let at = m.span().start;
            let m = m.get_ref();
            if manifest.is_some() {
                cx.err(
                    ErrorCode::PackDuplicateId,
                    at,
                    "`[pack]` is declared twice".into(),
                );
            }
            let mut langs = Vec::new();
            for l in &m.languages {
                if LANGUAGES.contains(&l.get_ref().as_str()) {
                    langs.push(l.get_ref().clone());
                } else {
                    cx.err(
                        ErrorCode::PackInvalidValue,
                        l.span().start,
                        format!(
                            "unknown language `{}`; expected one of {}",
                            l.get_ref(),
                            LANGUAGES.join(", ")
                        ),
                    );
                }
            }
            let _ = &m.description;
            manifest = Some((m.name.clone(), m.version.clone(), langs));
        }
        if let Some(map) = &doc.actions {
            for (k, list) in map {
                match Kind::parse(k) {
                    Some(kind) => {
                        actions.insert(
                            kind,
                            list.get_ref().iter().map(|s| s.get_ref().clone()).collect(),
                        );
                    }
                    None => {
                        let at = text
                            .find(&format!("{k} ="))
                            .or_else(|| text.find(k.as_str()))
                            .unwrap_or(list.span().start);
                        cx.err(
                            ErrorCode::PackUnknownKind,
                            at,
                            format!("unknown kind `{k}` in `[actions]`"),
                        );
                    }
                }
            }
        }
        for r in &doc.remap {
            let r = r.get_ref();
            let channel = TextChannel::parse(r.channel.get_ref());
            let kind = Kind::parse(r.kind.get_ref());
            if channel.is_none() {
                cx.err(
                    ErrorCode::PackInvalidValue,
                    r.channel.span().start,
                    format!("unknown channel `{}`", r.channel.get_ref()),
                );
            }
            if kind.is_none() {
                cx.err(
                    ErrorCode::PackUnknownKind,
                    r.kind.span().start,
                    format!("unknown kind `{}`", r.kind.get_ref()),
                );
            }
            let mut report = Vec::new();
            for k in &r.report {
                match Kind::parse(k.get_ref()) {
                    Some(k) => report.push(k),
                    None => cx.err(
                        ErrorCode::PackUnknownKind,
                        k.span().start,
                        format!("unknown kind `{}`", k.get_ref()),
                    ),
                }
            }
            if let (Some(c), Some(k)) = (channel, kind) {
                remap.insert((c, k), report);
            }
        }
        for c in &doc.concept {
            let c = c.get_ref();
            let name = c.name.get_ref().clone();
            let lang = c.lang.get_ref().clone();
            if lang != "*" && !LANGUAGES.contains(&lang.as_str()) {
                cx.err(
                    ErrorCode::PackInvalidValue,
                    c.lang.span().start,
                    format!("unknown language `{lang}`"),
                );
                continue;
            }
            if name.is_empty()
                || !name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
            {
                cx.err(
                    ErrorCode::PackInvalidValue,
                    c.name.span().start,
                    format!(
                        "concept name `{name}` must be lowercase ascii letters, digits and `_`"
                    ),
                );
                continue;
            }
            let here = cx.loc(c.name.span().start);
            // A composite and a term list may share a (name, language): both give hits.
            let key = (
                name.clone(),
                format!(
                    "{lang}{}",
                    if c.near.is_empty() {
                        ""
                    } else {
                        " (composite)"
                    }
                ),
            );
            if let Some(prev) = concept_langs.insert(key, here) {
                cx.err(
                    ErrorCode::PackDuplicateId,
                    c.name.span().start,
                    format!("concept `{name}` for language `{lang}` is already defined at {prev}"),
                );
            }
            let idx = match concepts.iter().position(|n| n == &name) {
                Some(i) => i,
                None => {
                    concepts.push(name.clone());
                    concepts.len() - 1
                }
            };
            let lang_idx = LANGUAGES.iter().position(|l| *l == lang);
            if c.terms.is_empty() && c.regex.is_empty() && c.near.is_empty() {
                cx.err(
                    ErrorCode::PackBadPattern,
                    c.name.span().start,
                    format!("concept `{name}` ({lang}) has no terms"),
                );
            }
            if !c.near.is_empty() {
                if c.near.len() != 2 || !c.terms.is_empty() || !c.regex.is_empty() {
                    cx.err(ErrorCode::PackInvalidValue, c.name.span().start, format!("composite concept `{name}` needs exactly two `near` entries and no terms"));
                } else {
                    let within = match &c.within {
                        Some(w) if !(0..=50).contains(w.get_ref()) => {
                            cx.err(
                                ErrorCode::PackInvalidValue,
                                w.span().start,
                                format!("`within` is `{}`; expected 0..=50 tokens", w.get_ref()),
                            );
                            3
                        }
                        Some(w) => u32::try_from(*w.get_ref()).unwrap_or(3),
                        None => 3,
                    };
                    pending_composites.push((
                        idx,
                        lang_idx,
                        c.near
                            .iter()
                            .map(|n| (n.get_ref().clone(), cx.loc(n.span().start)))
                            .collect::<Vec<_>>(),
                        within,
                        c.ordered.unwrap_or(true),
                    ));
                }
            }
            for (list, is_regex) in [(&c.terms, false), (&c.regex, true)] {
                for t in list {
                    let s = t.get_ref();
                    if s.trim().is_empty() || (!is_regex && s.trim_matches('*').trim().is_empty()) {
                        cx.err(
                            ErrorCode::PackBadPattern,
                            t.span().start,
                            format!("empty term in concept `{name}`"),
                        );
                        continue;
                    }
                    terms.push(TermDef {
                        concept: idx,
                        lang: lang_idx,
                        text: s.clone(),
                        is_regex,
                        location: cx.loc(t.span().start),
                    });
                }
            }
            let _ = &c.note;
        }
    }
    if terms.len() > limits.max_terms {
        errors.push(Error::new(
            ErrorCode::LimitExceeded,
            format!(
                "pack has {} terms, over the limit of {}",
                terms.len(),
                limits.max_terms
            ),
        ));
    }

    // Composite concepts may name any concept of the pack.
    let mut composites = Vec::new();
    for (concept, lang, parts, within, ordered) in pending_composites {
        let mut resolved = Vec::new();
        for (names, loc) in &parts {
            let mut ids = Vec::new();
            for part in names.split('|').map(str::trim) {
                match concepts.iter().position(|c| c == part) {
                    Some(i) => ids.push(i),
                    None => errors.push(Error::at(
                        ErrorCode::PackUnknownConcept,
                        loc.clone(),
                        format!("composite names concept `{part}` that no lexicon defines"),
                    )),
                }
            }
            resolved.push(ids);
        }
        let mut it = resolved.into_iter();
        if let (Some(first), Some(second)) = (it.next(), it.next()) {
            composites.push(CompositeDef {
                concept,
                lang,
                first,
                second,
                within,
                ordered,
            });
        }
    }

    // Pass 2: rules.
    let mut rules: Vec<RuleSpec> = Vec::new();
    let mut rule_ids: BTreeMap<String, String> = BTreeMap::new();
    for (file, text, doc) in &docs {
        let mut cx = Ctx::new(file, text, &mut errors);
        for r in &doc.rule {
            let at = r.span().start;
            let r = r.get_ref();
            let id = r.id.get_ref().clone();
            let here = cx.loc(r.id.span().start);
            if let Some(prev) = rule_ids.insert(id.clone(), here.clone()) {
                cx.err(
                    ErrorCode::PackDuplicateId,
                    r.id.span().start,
                    format!("rule id `{id}` is already used at {prev}"),
                );
            }
            let kind = Kind::parse(r.kind.get_ref());
            if kind.is_none() {
                cx.err(
                    ErrorCode::PackUnknownKind,
                    r.kind.span().start,
                    format!("rule `{id}` names unknown kind `{}`", r.kind.get_ref()),
                );
            }
            let source = match r
                .source
                .as_ref()
                .map(|s| (s.get_ref().as_str(), s.span().start))
            {
                None | Some(("message", _)) => RuleSource::Message,
                Some(("review", _)) => RuleSource::Review,
                Some((other, at)) => {
                    cx.err(ErrorCode::PackInvalidValue, at, format!("rule `{id}` has unknown source `{other}`; expected `message` or `review`"));
                    RuleSource::Message
                }
            };
            let channels = r.channels.as_ref().map(|list| {
                let mut out = Vec::new();
                for c in list {
                    match TextChannel::parse(c.get_ref()) {
                        Some(ch) => out.push(ch),
                        None => cx.err(
                            ErrorCode::PackInvalidValue,
                            c.span().start,
                            format!("rule `{id}` names unknown channel `{}`", c.get_ref()),
                        ),
                    }
                }
                out
            });
            let window = match &r.window {
                Some(w) if !(1..=200).contains(w.get_ref()) => {
                    cx.err(
                        ErrorCode::PackInvalidValue,
                        w.span().start,
                        format!(
                            "rule `{id}` has window `{}`; expected 1..=200 tokens",
                            w.get_ref()
                        ),
                    );
                    None
                }
                Some(w) => u32::try_from(*w.get_ref()).ok(),
                None => None,
            };
            let resolve = |name: &Spanned<String>, cx: &mut Ctx<'_>| -> Vec<usize> {
                let mut out = Vec::new();
                for part in name.get_ref().split('|') {
                    let part = part.trim();
                    match concepts.iter().position(|c| c == part) {
                        Some(i) => out.push(i),
                        None => cx.err(
                            ErrorCode::PackUnknownConcept,
                            name.span().start,
                            format!("rule `{id}` names concept `{part}` that no lexicon defines"),
                        ),
                    }
                }
                out
            };
            let all: Vec<Vec<usize>> = r.all.iter().map(|n| resolve(n, &mut cx)).collect();
            let none: Vec<usize> = r.none.iter().flat_map(|n| resolve(n, &mut cx)).collect();
            let negatable: Vec<usize> = r
                .negatable
                .iter()
                .flat_map(|n| resolve(n, &mut cx))
                .collect();
            if all.is_empty() {
                cx.err(
                    ErrorCode::PackInvalidValue,
                    at,
                    format!("rule `{id}` has an empty `all`"),
                );
            }
            if r.must_match.is_empty() {
                cx.err(
                    ErrorCode::PackNoExamples,
                    r.id.span().start,
                    format!("rule `{id}` has no `must_match` example"),
                );
            }
            let high = match r
                .confidence
                .as_ref()
                .map(|c| (c.get_ref().as_str(), c.span().start))
            {
                None | Some(("high", _)) => true,
                Some(("medium", _)) => false,
                Some((other, at)) => {
                    cx.err(
                        ErrorCode::PackInvalidValue,
                        at,
                        format!(
                            "rule `{id}` has confidence `{other}`; expected `high` or `medium`"
                        ),
                    );
                    true
                }
            };
            let ex = |v: &Vec<Spanned<String>>, cx: &Ctx<'_>| {
                v.iter()
                    .map(|s| (s.get_ref().clone(), cx.loc(s.span().start)))
                    .collect()
            };
            if let Some(kind) = kind {
                rules.push(RuleSpec {
                    id,
                    kind,
                    source,
                    channels,
                    window,
                    all,
                    none,
                    negatable,
                    why: r.why.clone(),
                    high_confidence: high,
                    must_match: ex(&r.must_match, &cx),
                    must_not_match: ex(&r.must_not_match, &cx),
                });
            }
        }
    }
    let Some((name, version, languages)) = manifest else {
        errors.push(Error::new(
            ErrorCode::PackSyntax,
            "the pack has no `[pack]` manifest",
        ));
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PackSpec {
        name,
        version,
        languages,
        concepts,
        terms,
        composites,
        rules,
        actions,
        remap,
    })
}

/// Shortcut used by the engine: the first diagnostic as the error.
pub(crate) fn parse_first(source: &PackSource, limits: &PackLimits) -> Result<PackSpec> {
    parse(source, limits).map_err(|mut v| {
        if v.is_empty() {
            Error::new(ErrorCode::PackSyntax, "invalid pack")
        } else {
            v.swap_remove(0)
        }
    })
}

#[cfg(test)]
mod tests {
    /// A location from the line table is the location a scan from the file start gives.
    #[test]
    fn locations_from_the_line_table_match_a_scan() {
        let text = "a = 1\n\n[x]\nname = \"é ü\"\nz";
        let mut errors = Vec::new();
        let cx = Ctx::new("f", text, &mut errors);
        for (i, _) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            let (l, c) = line_col(text, i);
            assert_eq!(cx.loc(i), format!("f:{l}:{c}"), "offset {i}");
        }
    }

    use super::*;

    const HEAD: &str = "[pack]\nname = \"t\"\nversion = \"1\"\nlanguages = [\"en\"]\n";

    fn diag(body: &str) -> Vec<(ErrorCode, String)> {
        let src = PackSource {
            files: vec![("p.toml".into(), format!("{HEAD}{body}"))],
        };
        match parse(&src, &PackLimits::default()) {
            Ok(_) => vec![],
            Err(v) => v
                .into_iter()
                .map(|e| (e.code, e.location.unwrap_or_default()))
                .collect(),
        }
    }

    const CONCEPT: &str = "[[concept]]\nname = \"review\"\nlang = \"en\"\nterms = [\"review\"]\n";

    #[test]
    fn a_minimal_pack_is_valid() {
        let rule = "[[rule]]\nid = \"r\"\nkind = \"biased-review-request\"\nall = [\"review\"]\nwhy = \"w\"\nmust_match = [\"review\"]\n";
        assert_eq!(diag(&format!("{CONCEPT}{rule}")), vec![]);
    }

    #[test]
    fn diagnostics_name_code_file_line_and_column() {
        let table: Vec<(String, ErrorCode, &str)> = vec![
            (format!("{CONCEPT}[[rule]]\nid = \"r\"\nkind = \"biased-review-request\"\nall = [\"reveiw\"]\nwhy = \"w\"\nmust_match = [\"x\"]\n"), ErrorCode::PackUnknownConcept, "p.toml:12:8"),
            (format!("{CONCEPT}[[rule]]\nid = \"r\"\nkind = \"no-such-kind\"\nall = [\"review\"]\nwhy = \"w\"\nmust_match = [\"x\"]\n"), ErrorCode::PackUnknownKind, "p.toml:11:8"),
            (format!("{CONCEPT}[[rule]]\nid = \"r\"\nkind = \"biased-review-request\"\nall = [\"review\"]\nwhy = \"w\"\n"), ErrorCode::PackNoExamples, "p.toml:10:6"),
            (format!("{CONCEPT}{CONCEPT}"), ErrorCode::PackDuplicateId, "p.toml:10:8"),
            ("[[concept]]\nname = \"x\"\nlang = \"xx\"\nterms = [\"a\"]\n".into(), ErrorCode::PackInvalidValue, "p.toml:7:8"),
            ("[[concept]]\nname = \"x\"\nlang = \"en\"\nterms = [\"\"]\n".into(), ErrorCode::PackBadPattern, "p.toml:8:10"),
            ("[[concept]]\nname = \"x\"\nlang = \"en\"\nterms = [\"a\"]\nbogus = 1\n".into(), ErrorCode::PackSyntax, "p.toml:9:1"),
            ("[actions]\nnot-a-kind = [\"x\"]\n".into(), ErrorCode::PackUnknownKind, "p.toml:6:1"),
        ];
        for (body, code, loc) in table {
            let d = diag(&body);
            assert_eq!(d.first(), Some(&(code, loc.to_string())), "{body}\n{d:?}");
        }
    }

    #[test]
    fn a_pack_without_manifest_is_rejected() {
        let src = PackSource::from_text(CONCEPT);
        let e = parse_first(&src, &PackLimits::default()).unwrap_err();
        assert_eq!(e.code, ErrorCode::PackSyntax);
    }

    #[test]
    fn single_string_form_round_trips() {
        let src = PackSource {
            files: vec![
                ("a.toml".into(), HEAD.into()),
                ("b.toml".into(), CONCEPT.into()),
            ],
        };
        let one = PackSource::from_text(&src.to_single_string());
        let spec = parse_first(&one, &PackLimits::default()).unwrap();
        assert_eq!(spec.concepts, vec!["review"]);
    }
}
