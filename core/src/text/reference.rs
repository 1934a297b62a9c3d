//! A slow, obviously correct reference for the matcher's concept hits: the other half of the
//! differential test (the fuzz target `differential` in `fuzz/`, and `core/tests/reference.rs`
//! over the labelled corpus and the examples).
//!
//! Not part of the API: the module is `#[doc(hidden)]`, always compiled (it is small and has
//! no dependencies of its own), and may change with the matcher's semantics at any time.
//!
//! The optimised matcher ([`super::matcher`]) finds every term of every concept in one
//! automaton pass (plus a regex set that says which regex terms to run). The reference says,
//! term by term and from the pack's own definitions only, what that pass must produce:
//!
//! - **Literal terms.** Each term is expanded (`(a|b|)` groups, every combination, white space
//!   collapsed), its `*` ends are taken off, and the rest is normalised with the pack's own
//!   normaliser ([`CompiledPack::normalize`]), as the pack format defines. Every occurrence of
//!   the folded term in the normalised text is found by looking up every substring of the
//!   text (every start, every end, on char boundaries) in the set of folded terms, so
//!   overlapping and nested occurrences all count; an occurrence is kept when the word
//!   boundaries hold:
//!   - a term whose first character is an ASCII letter or digit, without a leading `*`, may
//!     not start right after a word character;
//!   - a term whose last character is an ASCII letter or digit, without a trailing `*`, may not
//!     end right before a word character;
//!   - a trailing `*` (a stem) extends the hit to the end of the word.
//!
//!   A *word character* is a letter or digit that is not CJK (kana, CJK ideographs, half-width
//!   katakana): a CJK neighbour never joins a Latin word.
//! - **Regex terms.** Each term is folded like text (non-ASCII literals normalised, `\b` and
//!   `\B` made ASCII) and compiled **on its own** into a `regex-automata` meta regex, which runs
//!   alone over the whole normalised text (leftmost-first, non-overlapping, as
//!   `find_iter`); every non-empty match is a hit. No set, no prefilter.
//! - **Languages.** A term of a language counts when no locale is given or the locale is its
//!   language; a term of `lang = "*"` always counts.
//!
//! The result is the set of `(concept, start, end)` triples (normalised byte offsets), which
//! [`Differential::check`] compares with the optimised matcher's
//! [`CompiledPack::raw_hits`].

use super::matcher::CompiledPack;
use super::normalize::{normalize, Vocabulary};
use super::pack::{parse_first, PackLimits, PackSource, TextChannel, LANGUAGES};
use crate::error::{Error, ErrorCode, Result};
use regex_automata::meta::Regex;
use std::collections::{BTreeSet, HashMap};

/// One concept hit: `(concept index, start, end)` in normalised byte offsets.
pub type RawHit = (u32, usize, usize);

/// What a literal term is, besides its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Literal {
    concept: u32,
    lang: Option<usize>,
    open_start: bool,
    open_end: bool,
}

#[derive(Debug, Clone)]
struct RegexTerm {
    re: Regex,
    concept: u32,
    lang: Option<usize>,
}

/// The reference matcher of one pack.
#[derive(Debug, Clone)]
pub struct ReferenceMatcher {
    /// Every folded literal term, with each way the pack defines it.
    literals: HashMap<String, BTreeSet<Literal>>,
    /// The longest folded literal term, in bytes.
    longest: usize,
    regexes: Vec<RegexTerm>,
}

/// Every combination of the `(a|b|)` groups of a term, white space collapsed, empty ones
/// dropped. Groups do not nest (a valid pack has none).
fn expand(term: &str) -> Vec<String> {
    let Some(open) = term.find('(') else {
        let collapsed = term.split_whitespace().collect::<Vec<_>>().join(" ");
        return if collapsed.is_empty() {
            Vec::new()
        } else {
            vec![collapsed]
        };
    };
    let head = term.get(..open).unwrap_or_default();
    let after = term.get(open + 1..).unwrap_or_default();
    let Some(close) = after.find(')') else {
        return Vec::new();
    };
    let inner = after.get(..close).unwrap_or_default();
    let tail = after.get(close + 1..).unwrap_or_default();
    let mut out = Vec::new();
    for alt in inner.split('|') {
        out.extend(expand(&format!("{head}{alt}{tail}")));
    }
    out
}

/// A regex term as it meets normalised text: non-ASCII characters folded like text (ASCII
/// punctuation that comes out of the fold escaped, spaces dropped), `\b` / `\B` made ASCII.
fn fold_regex(re: &str) -> String {
    let plain = Vocabulary::default();
    let mut out = String::new();
    let mut chars = re.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(b @ ('b' | 'B')) => {
                    out.push_str("(?-u:\\");
                    out.push(b);
                    out.push(')');
                }
                Some(other) if other.is_ascii() => {
                    out.push('\\');
                    out.push(other);
                }
                Some(other) => {
                    out.push('\\');
                    out.push_str(&fold_char(other, &plain));
                }
                None => out.push('\\'),
            }
        } else if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&fold_char(c, &plain));
        }
    }
    out
}

fn fold_char(c: char, plain: &Vocabulary) -> String {
    let mut out = String::new();
    for f in normalize(&c.to_string(), plain).text.chars() {
        if f.is_ascii_punctuation() {
            out.push('\\');
        }
        if f != ' ' {
            out.push(f);
        }
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F)
}

/// A character that joins a Latin word: a letter or digit that is not CJK.
fn joins(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// The index in [`LANGUAGES`] of a locale such as `en-GB` or `de_AT`; `None` for an unknown
/// one (then every language counts, as in [`crate::Engine::scan`]).
pub fn locale_index(locale: &str) -> Option<usize> {
    let lang = locale
        .split(['-', '_'])
        .next()
        .unwrap_or(locale)
        .to_ascii_lowercase();
    LANGUAGES.iter().position(|l| *l == lang)
}

impl ReferenceMatcher {
    /// The reference of a pack; `compiled` is the same pack compiled (its normaliser, with the
    /// pack's vocabulary, folds the terms).
    pub fn new(source: &PackSource, compiled: &CompiledPack) -> Result<ReferenceMatcher> {
        let spec = parse_first(source, &PackLimits::default())?;
        let mut literals: HashMap<String, BTreeSet<Literal>> = HashMap::new();
        let mut regexes = Vec::new();
        for t in &spec.terms {
            let concept = u32::try_from(t.concept).unwrap_or(u32::MAX);
            if t.is_regex {
                let re = Regex::new(&fold_regex(&t.text)).map_err(|e| {
                    Error::at(
                        ErrorCode::PackBadPattern,
                        t.location.clone(),
                        format!("reference: regex `{}` does not compile: {e}", t.text),
                    )
                })?;
                regexes.push(RegexTerm {
                    re,
                    concept,
                    lang: t.lang,
                });
                continue;
            }
            for e in expand(&t.text) {
                let open_start = e.starts_with('*');
                let open_end = e.len() > 1 && e.ends_with('*');
                let core = e.trim_start_matches('*').trim_end_matches('*');
                let term = compiled.normalize(core).text.trim().to_string();
                if !term.is_empty() {
                    literals.entry(term).or_default().insert(Literal {
                        concept,
                        lang: t.lang,
                        open_start,
                        open_end,
                    });
                }
            }
        }
        let longest = literals.keys().map(String::len).max().unwrap_or(0);
        Ok(ReferenceMatcher {
            literals,
            longest,
            regexes,
        })
    }

    /// Number of distinct folded literal terms and of regex terms.
    pub fn sizes(&self) -> (usize, usize) {
        (self.literals.len(), self.regexes.len())
    }

    /// Every concept hit of already normalised text; `locale` as an index into [`LANGUAGES`].
    pub fn hits(&self, norm: &str, locale: Option<usize>) -> BTreeSet<RawHit> {
        let lang_ok = |lang: Option<usize>| match (lang, locale) {
            (Some(l), Some(want)) => l == want,
            _ => true,
        };
        let before = |at: usize| {
            norm.get(..at)
                .and_then(|s| s.chars().next_back())
                .is_some_and(joins)
        };
        let after = |at: usize| {
            norm.get(at..)
                .and_then(|s| s.chars().next())
                .is_some_and(joins)
        };
        let mut out = BTreeSet::new();
        let bounded = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        for (start, _) in norm.char_indices() {
            let last = norm.len().min(start + self.longest);
            for end in start + 1..=last {
                let Some(term) = norm.get(start..end) else {
                    continue; // not a char boundary
                };
                let Some(defs) = self.literals.get(term) else {
                    continue;
                };
                let first_bounded = bounded(term.chars().next());
                let last_bounded = bounded(term.chars().next_back());
                for lit in defs.iter().filter(|l| lang_ok(l.lang)) {
                    if first_bounded && !lit.open_start && before(start) {
                        continue;
                    }
                    let mut hit_end = end;
                    if lit.open_end {
                        while let Some(c) = norm.get(hit_end..).and_then(|s| s.chars().next()) {
                            if !joins(c) {
                                break;
                            }
                            hit_end += c.len_utf8();
                        }
                    } else if last_bounded && after(end) {
                        continue;
                    }
                    out.insert((lit.concept, start, hit_end));
                }
            }
        }
        for r in self.regexes.iter().filter(|r| lang_ok(r.lang)) {
            for m in r.re.find_iter(norm) {
                if m.end() > m.start() {
                    out.insert((r.concept, m.start(), m.end()));
                }
            }
        }
        out
    }
}

/// A pack compiled twice: the optimised matcher and the reference, for the differential test.
#[derive(Debug, Clone)]
pub struct Differential {
    /// The optimised matcher (the engine's own compiled pack).
    pub pack: CompiledPack,
    /// The reference.
    pub reference: ReferenceMatcher,
}

impl Differential {
    /// Compiles `source` both ways (default limits).
    pub fn new(source: &PackSource) -> Result<Differential> {
        let limits = PackLimits::default();
        let spec = parse_first(source, &limits)?;
        let pack = CompiledPack::compile(spec, limits.max_regex_bytes)?;
        let reference = ReferenceMatcher::new(source, &pack)?;
        Ok(Differential { pack, reference })
    }

    /// Normalises `text` with the pack, runs both matchers over it, and compares the sets of
    /// concept hits. `Ok` holds the number of hits; `Err` says which hits only one side has,
    /// with the normalised text and the concept names.
    pub fn check(&self, text: &str, locale: Option<&str>) -> std::result::Result<usize, String> {
        let norm = self.pack.normalize(text).text;
        let locale = locale.and_then(locale_index);
        let fast: BTreeSet<RawHit> = self.pack.raw_hits(&norm, locale).into_iter().collect();
        let slow = self.reference.hits(&norm, locale);
        if fast == slow {
            return Ok(fast.len());
        }
        let show = |set: Vec<&RawHit>| -> Vec<String> {
            set.into_iter()
                .map(|(c, s, e)| {
                    let name = self
                        .pack
                        .concepts
                        .get(*c as usize)
                        .map_or("?", String::as_str);
                    format!("{name} {s}..{e} {:?}", norm.get(*s..*e).unwrap_or("?"))
                })
                .collect()
        };
        Err(format!(
            "matcher and reference disagree on {norm:?} (locale {locale:?}):\n  only the \
             matcher: {:?}\n  only the reference: {:?}",
            show(fast.difference(&slow).collect()),
            show(slow.difference(&fast).collect()),
        ))
    }

    /// Runs the rule stage (composites, negation, rules) both ways, indexed
    /// ([`CompiledPack::scan`]) and direct ([`CompiledPack::scan_naive`], every hit compared
    /// with every other), in a message, a package insert and a review; returns how many rule
    /// hits agreed, or shows the first channel where they differ (the same hits in the same
    /// order are required).
    pub fn check_rules(
        &self,
        text: &str,
        locale: Option<&str>,
    ) -> std::result::Result<usize, String> {
        use crate::case::Channel;
        let mut agreed = 0;
        for channel in [
            TextChannel::Message(Channel::BuyerSellerMessage),
            TextChannel::Message(Channel::PackageInsert),
            TextChannel::Review,
        ] {
            let fast = self.pack.scan(text, channel, locale);
            let slow = self.pack.scan_naive(text, channel, locale);
            if fast != slow {
                return Err(format!(
                    "indexed and direct rule stages disagree on {text:?} ({channel:?}, locale \
                     {locale:?}):\n  indexed: {fast:?}\n  direct:  {slow:?}"
                ));
            }
            agreed += fast.len();
        }
        Ok(agreed)
    }

    /// Normalises `text` with the fused single pass and with the two stages unit by unit;
    /// `Err` shows the first byte where the folded text or its map to the original differ.
    pub fn check_normalize(&self, text: &str) -> std::result::Result<(), String> {
        let fast = self.pack.normalize(text);
        let slow = self.pack.normalize_two_stage(text);
        let text_only = self.pack.normalize_text_only(text);
        if text_only != fast.text {
            return Err(format!(
                "the folded text alone differs on {text:?}: {text_only:?} against {:?}",
                fast.text
            ));
        }
        if fast == slow {
            return Ok(());
        }
        let spans = |n: &super::Normalized| -> Vec<Option<(usize, usize)>> {
            (0..n.text.len())
                .map(|i| n.original_span(i, i + 1))
                .collect()
        };
        let (a, b) = (spans(&fast), spans(&slow));
        let at = fast
            .text
            .bytes()
            .zip(slow.text.bytes())
            .zip(a.iter().zip(&b))
            .position(|((x, y), (p, q))| x != y || p != q)
            .unwrap_or(fast.text.len().min(slow.text.len()));
        Err(format!(
            "normalisers disagree on {text:?} at output byte {at}:\n  fused:     {:?} {:?}\n  \
             two-stage: {:?} {:?}",
            fast.text,
            a.get(at),
            slow.text,
            b.get(at),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion_and_regex_folding() {
        assert_eq!(expand("(a|b) (c |)d"), vec!["a c d", "a d", "b c d", "b d"]);
        assert_eq!(expand("x ( |)"), vec!["x", "x"]);
        assert_eq!(fold_regex(r"\bpay\b"), r"(?-u:\b)pay(?-u:\b)");
        assert_eq!(fold_regex("ＡＢ＄"), r"ab\$");
    }
}
