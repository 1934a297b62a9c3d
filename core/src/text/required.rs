//! Literals that every match of a regex contains.
//!
//! `\$ ?\d+` cannot match a text without a `$`, and the pack's long regex terms (`(i|we) got
//! … (for free|free of charge|…)`) cannot match without one of a handful of words. The
//! matcher searches these literals along with the literal terms, and runs the regex set (a
//! lazy-DFA pass over the whole text) only when a rule could fire with the regex terms whose
//! literals occurred: most clean text has no rule within reach and skips it. Exact: a regex
//! term that matches contains one of its literals, which the literal search then finds.
//!
//! Hand-written over the regex's syntax tree: `regex-syntax`'s literal extractor gives
//! prefixes and suffixes, not literals that may sit anywhere in a match.

use regex_syntax::hir::{Class, Hir, HirKind};

/// A set of required literals with more members than this is not worth searching.
const MAX_LITERALS: usize = 64;

/// A class with more chars or bytes than this is not turned into literals.
const MAX_CLASS: usize = 8;

/// Literals one of which every match of `hir` contains (UTF-8 or raw bytes, as the regex
/// matches them), or `None` when there is no such set (a match may be empty, or made only of
/// large classes such as `\d+`).
pub(crate) fn required_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let set = required(hir)?;
    (!set.is_empty() && set.len() <= MAX_LITERALS && set.iter().all(|l| !l.is_empty()))
        .then_some(set)
}

fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(lit) => Some(vec![lit.0.to_vec()]),
        HirKind::Class(class) => class_literals(class),
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub),
        HirKind::Repetition(_) => None,
        HirKind::Capture(cap) => required(&cap.sub),
        HirKind::Concat(parts) => {
            // The rarer set: longer shortest literal, then fewer literals, then the first.
            let key = |s: &Vec<Vec<u8>>| {
                let shortest = s.iter().map(Vec::len).min().unwrap_or(0);
                (shortest.min(8), std::cmp::Reverse(s.len()))
            };
            parts
                .iter()
                .filter_map(required)
                .fold(None, |best, set| match best {
                    Some(b) if key(&b) >= key(&set) => Some(b),
                    _ => Some(set),
                })
        }
        HirKind::Alternation(alts) => {
            let mut union: Vec<Vec<u8>> = Vec::new();
            for alt in alts {
                union.extend(required(alt)?);
                if union.len() > MAX_LITERALS {
                    return None;
                }
            }
            union.sort_unstable();
            union.dedup();
            Some(union)
        }
    }
}

/// Each member of a small class as a literal.
fn class_literals(class: &Class) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    match class {
        Class::Unicode(c) => {
            for r in c.ranges() {
                for ch in r.start()..=r.end() {
                    if out.len() >= MAX_CLASS {
                        return None;
                    }
                    let mut buf = [0u8; 4];
                    out.push(ch.encode_utf8(&mut buf).as_bytes().to_vec());
                }
            }
        }
        Class::Bytes(c) => {
            for r in c.ranges() {
                for b in r.start()..=r.end() {
                    if out.len() >= MAX_CLASS {
                        return None;
                    }
                    out.push(vec![b]);
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(re: &str) -> Option<Vec<String>> {
        let hir = regex_automata::util::syntax::parse(re).unwrap();
        required_literals(&hir).map(|v| {
            v.into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect()
        })
    }

    fn strs(v: &[&str]) -> Option<Vec<String>> {
        Some(v.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn the_rarest_part_of_a_sequence_is_required() {
        assert_eq!(req(r"\$ ?\d+"), strs(&["$"]));
        assert_eq!(req(r"\d+ ?%"), strs(&["%"]));
        assert_eq!(req(r"\d+ ?(€|usd|eur)\b"), strs(&["eur", "usd", "€"]));
        assert_eq!(
            req(r"\b(pay|give)( you)? (to|for) (leave|write)\b"),
            strs(&["leave", "write"])
        );
        assert_eq!(req(r"(5|4 or 5) stars?"), strs(&[" star"]));
        assert_eq!(req(r"[a-z0-9._+]+@[a-z0-9-]+(\.[a-z0-9-]+)+"), strs(&["@"]));
        assert_eq!(
            req("(?:ありません|ございません)(?:[^か]|$)"),
            strs(&["ありません", "ございません"])
        );
        assert_eq!(req(r"(?-u:\b)555 ?\d{4}(?-u:\b)"), strs(&["555"]));
    }

    #[test]
    fn nothing_is_required_of_what_may_match_without_a_literal() {
        for re in [
            r"\d{3}[ .]?\d{3,4}[ .]?\d{4}",
            r"\d+",
            r"(a|\d)x?",
            r"(review)?",
            r"\b",
            r"",
            "[a-z]+",
        ] {
            assert_eq!(req(re), None, "{re}");
        }
    }

    #[test]
    fn small_classes_and_bounded_repetitions_count() {
        assert_eq!(req("[$€]x*"), strs(&["$", "€"]));
        assert_eq!(req("(ab){2,3}"), strs(&["ab"]));
        // Equally short sets: the one with fewer literals.
        assert_eq!(req("[xy]z"), strs(&["z"]));
    }

    proptest::proptest! {
        /// Whatever a regex matches contains one of its required literals.
        #[test]
        fn every_match_contains_a_required_literal(
            parts in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "a", "b", "c", "ab", "\\$", "\\d", "x?", "(a|bc)", "(b|\\d)", "[ab]", "(?-u:\\b)",
                    ]),
                    proptest::sample::select(vec!["", "+", "*", "?", "{2}"]),
                ),
                1..7,
            ),
            hay in "[abcx$0-9 ]{0,40}",
        ) {
            let re: String = parts.iter().map(|(atom, rep)| format!("{atom}{rep}")).collect();
            let hir = regex_automata::util::syntax::parse(&re).unwrap();
            let Some(lits) = required_literals(&hir) else {
                return Ok(());
            };
            let matcher = regex_automata::meta::Regex::new(&re).unwrap();
            for m in matcher.find_iter(&hay) {
                let found = hay.as_bytes().get(m.range()).unwrap();
                proptest::prop_assert!(
                    lits.iter()
                        .any(|l| found.windows(l.len()).any(|w| w == l.as_slice())),
                    "{re} matched {:?} without any of {lits:?}",
                    String::from_utf8_lossy(found)
                );
            }
        }
    }
}
