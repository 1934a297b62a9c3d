//! The literal terms of a pack as one small automaton of their heads and a sorted table of
//! their tails.
//!
//! The default pack's 84,000 literal terms come from combinatorial templates (`(please|kindly)
//! (leave|write|post) (a|an|your) (honest|5-star) review`), so they share few beginnings: cut
//! after their first [`HEAD_BYTES`] bytes they are about 11,000 distinct heads. One
//! `aho-corasick` automaton of all the terms took two thirds of an engine build (135 ms) and
//! 14 MB; one of the heads builds in a few milliseconds, is about 1 MB, and scans as fast or
//! faster, since less of it has to stay in cache.
//!
//! Every occurrence of a head (overlapping semantics: at every position, for every head) then
//! walks the tails of the terms with that head, sorted bytewise, from where the head ends: two
//! binary searches per byte narrow the range to the tails that go on as the text does, and a
//! tail that ends at the current depth is an occurrence of its term. So [`Literals::for_each`]
//! reports exactly the (term, start, end) triples that one automaton of the whole terms reports
//! with overlapping semantics, each once: the tests below compare both, and the matcher's hits
//! are compared with the term-by-term reference matcher (`core/tests/reference.rs`, the
//! `differential` fuzz target).
//!
//! Nothing here is specific to the pack; it is hand-written because no crate offers a
//! head/tail split of an overlapping multi-literal search.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Where a term is cut into its head (searched by the automaton) and its tail (walked in the
/// table): after this many bytes, or at the next char boundary. Measured on the default pack
/// (`bench/examples/factor.rs`): 8 bytes give 7,000 heads and 9 % more head occurrences to
/// walk; 12 and 16 bytes build slower (15,000 and 26,000 heads) for no faster scan.
pub(crate) const HEAD_BYTES: usize = 10;

/// One term in the tail table.
#[derive(Debug, Clone, Copy)]
struct Tail {
    /// Byte range of the tail in [`Literals::text`].
    start: u32,
    end: u32,
    /// The term's index in the list given to [`Literals::new`].
    term: u32,
}

/// A multi-literal search with overlapping semantics over a head automaton and a tail table.
#[derive(Debug, Clone)]
pub(crate) struct Literals {
    /// The distinct heads.
    heads: AhoCorasick,
    /// Per head (by its automaton pattern id): its length and its range in `tails`.
    head_meta: Vec<(u32, u32, u32)>,
    /// The terms grouped by head, each group sorted by tail bytes, then by term.
    tails: Vec<Tail>,
    /// The text the terms' ranges point into.
    text: String,
}

/// Why a [`Literals`] could not be built.
#[derive(Debug)]
pub(crate) enum BuildError {
    /// The terms are larger than the 32-bit offsets of the table (4 GiB).
    TooLarge,
    /// The head automaton did not build.
    Automaton(aho_corasick::BuildError),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::TooLarge => f.write_str("literal terms exceed 4 GiB"),
            BuildError::Automaton(e) => write!(f, "{e}"),
        }
    }
}

/// The longest tail: a longer term is searched whole by the automaton. A walk reads at most
/// this many bytes, so a scan stays linear in the text whatever the terms (one term of a
/// million `a` walked from each `a` of a text would be quadratic). The default pack's longest
/// term has 63 bytes.
pub(crate) const MAX_TAIL_BYTES: usize = 64;

/// Whether a term of `len` bytes is searched whole: its tail would pass [`MAX_TAIL_BYTES`].
fn searched_whole(len: usize) -> bool {
    len > HEAD_BYTES + MAX_TAIL_BYTES
}

/// The length of the head of `term`: [`HEAD_BYTES`], or up to the next char boundary; the
/// whole term when it is shorter, or when its tail would be longer than [`MAX_TAIL_BYTES`].
fn head_len(term: &str) -> usize {
    if searched_whole(term.len()) {
        return term.len();
    }
    let mut k = HEAD_BYTES.min(term.len());
    while !term.is_char_boundary(k) {
        k += 1;
    }
    k
}

/// From this many shared bytes on, [`sort_by_text`] compares texts whole instead of recursing.
const MAX_SORT_DEPTH: usize = 256;

/// Sorts `order` (its second fields index the texts `text_of` gives) by text, then index:
/// by the 8 bytes at `depth` as a number (padded with NUL, which no term contains, so a
/// shorter text comes first), then each run that shares them from the next 8 bytes on. Most
/// comparisons are of two numbers; a comparison of whole texts would start over at the first
/// byte each time, and the terms of one template share long beginnings.
fn sort_by_text<'t>(order: &mut [(u64, u32)], depth: usize, text_of: &impl Fn(u32) -> &'t [u8]) {
    if depth >= MAX_SORT_DEPTH {
        // Texts that share this many bytes (a hostile pack): compared whole from here, so
        // the recursion stays shallow whatever their length.
        let rest = |i: u32| text_of(i).get(depth..).unwrap_or_default();
        order.sort_unstable_by(|&(_, x), &(_, y)| rest(x).cmp(rest(y)).then(x.cmp(&y)));
        return;
    }
    for (key, i) in order.iter_mut() {
        let text = text_of(*i);
        let mut k = [0u8; 8];
        match text.get(depth..depth + 8) {
            Some(eight) => k.copy_from_slice(eight),
            None => {
                for (slot, &b) in k.iter_mut().zip(text.get(depth..).unwrap_or_default()) {
                    *slot = b;
                }
            }
        }
        *key = u64::from_be_bytes(k);
    }
    order.sort_unstable();
    let mut from = 0;
    while from < order.len() {
        let key = order.get(from).map(|&(k, _)| k);
        let run = order
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&(k, _)| Some(k) == key)
            .count();
        if let Some(same) = order.get_mut(from..from + run) {
            if run > 1 && same.iter().any(|&(_, i)| text_of(i).len() > depth + 8) {
                sort_by_text(same, depth + 8, text_of);
            }
        }
        from += run;
    }
}

impl Literals {
    /// Builds the search for the terms at byte ranges `spans` of `text` (term `i` is
    /// `text[spans[i]]`; [`Literals::for_each`] reports these indexes). A term whose text
    /// equals that of an earlier term `j` with `same(j, i)` is left out: it would only repeat
    /// `j`'s occurrences. Terms must be non-empty.
    pub(crate) fn new(
        text: String,
        spans: Vec<(u32, u32)>,
        same: impl Fn(usize, usize) -> bool,
    ) -> Result<Literals, BuildError> {
        if text.len() > u32::MAX as usize || spans.len() > u32::MAX as usize {
            return Err(BuildError::TooLarge);
        }
        let term_of = |i: u32| {
            let (a, e) = spans.get(i as usize).copied().unwrap_or_default();
            text.get(a as usize..e as usize).unwrap_or_default()
        };
        // The same as bytes, without checking char boundaries on every call of the sort.
        let bytes_of = |i: u32| {
            let (a, e) = spans.get(i as usize).copied().unwrap_or_default();
            text.as_bytes()
                .get(a as usize..e as usize)
                .unwrap_or_default()
        };
        // Sorted by text, then index, the terms searched whole last. Terms that share their
        // first `HEAD_BYTES` bytes are cut at the same place (UTF-8 is self-synchronising),
        // so among the terms that are cut the terms of one head are one run (one pattern of
        // the automaton) with their tails in order; a term searched whole is its own head.
        let mut order: Vec<(u64, u32)> = (0..spans.len() as u32).map(|i| (0, i)).collect();
        sort_by_text(&mut order, 0, &bytes_of);
        let whole = |i: u32| searched_whole(bytes_of(i).len());
        let searched_whole: Vec<(u64, u32)> =
            order.iter().copied().filter(|&(_, i)| whole(i)).collect();
        order.retain(|&(_, i)| !whole(i));
        order.extend(searched_whole);
        let mut heads: Vec<&str> = Vec::new();
        let mut head_meta: Vec<(u32, u32, u32)> = Vec::new();
        let mut tails: Vec<Tail> = Vec::with_capacity(order.len());
        // The terms kept so far with the same text as the current one.
        let mut twins: Vec<u32> = Vec::new();
        for &(_, i) in &order {
            let (a, e) = spans.get(i as usize).copied().unwrap_or_default();
            let term = term_of(i);
            if twins.last().is_some_and(|&j| term_of(j) != term) {
                twins.clear();
            }
            if twins.iter().any(|&j| same(j as usize, i as usize)) {
                continue;
            }
            twins.push(i);
            let h = head_len(term);
            let head = term.get(..h).unwrap_or_default();
            let at = tails.len() as u32;
            if heads.last() != Some(&head) {
                heads.push(head);
                head_meta.push((h as u32, at, at));
            }
            tails.push(Tail {
                start: a + h as u32,
                end: e,
                term: i,
            });
            if let Some(m) = head_meta.last_mut() {
                m.2 = at + 1;
            }
        }
        let heads = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            // The default dense depth (3) scans faster than deeper dense tables here: the
            // automaton stays small enough for the cache.
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&heads)
            .map_err(BuildError::Automaton)?;
        Ok(Literals {
            heads,
            head_meta,
            tails,
            text,
        })
    }

    /// Calls `f(term, start, end)` for every occurrence of every term in `hay`, overlapping
    /// ones included, each once (in no particular order).
    pub(crate) fn for_each(&self, hay: &str, mut f: impl FnMut(usize, usize, usize)) {
        let bytes = hay.as_bytes();
        let text = self.text.as_bytes();
        let tail_byte = |t: &Tail, d: usize| text.get(t.start as usize + d).copied();
        for m in self.heads.find_overlapping_iter(hay) {
            let Some(&(len, lo, hi)) = self.head_meta.get(m.pattern().as_usize()) else {
                continue;
            };
            let Some(mut range) = self.tails.get(lo as usize..hi as usize) else {
                continue;
            };
            let base = m.start() + len as usize;
            let mut d = 0usize;
            loop {
                // The tails that end here come first in the range (a tail sorts before its
                // extensions).
                let ended = range
                    .iter()
                    .take_while(|t| (t.end - t.start) as usize == d)
                    .count();
                for t in range.get(..ended).unwrap_or_default() {
                    f(t.term as usize, m.start(), base + d);
                }
                range = range.get(ended..).unwrap_or_default();
                let Some(&b) = bytes.get(base + d) else {
                    break;
                };
                if range.is_empty() {
                    break;
                }
                // Every tail left is longer than `d`: keep those whose byte `d` is `b`.
                let from = range.partition_point(|t| tail_byte(t, d) < Some(b));
                let to = range.partition_point(|t| tail_byte(t, d) <= Some(b));
                range = range.get(from..to).unwrap_or_default();
                d += 1;
            }
        }
    }

    /// The terms searched (without the ones left out as repeats) with their indexes: by text,
    /// the terms searched whole last.
    pub(crate) fn terms(&self) -> impl Iterator<Item = (usize, &str)> {
        self.head_meta.iter().flat_map(move |&(len, lo, hi)| {
            self.tails
                .get(lo as usize..hi as usize)
                .unwrap_or_default()
                .iter()
                .filter_map(move |t| {
                    let text = self.text.get((t.start - len) as usize..t.end as usize)?;
                    Some((t.term as usize, text))
                })
        })
    }

    /// Heap bytes: the head automaton, the tail table and the terms' text.
    pub(crate) fn memory_usage(&self) -> usize {
        self.heads.memory_usage()
            + self.head_meta.capacity() * std::mem::size_of::<(u32, u32, u32)>()
            + self.tails.capacity() * std::mem::size_of::<Tail>()
            + self.text.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every (term, start, end) of one overlapping automaton of the whole terms, sorted.
    fn whole(terms: &[&str], hay: &str) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(terms)
            .unwrap();
        let mut v: Vec<_> = ac
            .find_overlapping_iter(hay)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect();
        v.sort_unstable();
        v
    }

    fn build(terms: &[&str], same: impl Fn(usize, usize) -> bool) -> Literals {
        let (mut text, mut spans) = (String::new(), Vec::new());
        for t in terms {
            let a = text.len() as u32;
            text.push_str(t);
            spans.push((a, text.len() as u32));
        }
        Literals::new(text, spans, same).unwrap()
    }

    fn split(terms: &[&str], hay: &str) -> Vec<(usize, usize, usize)> {
        let lit = build(terms, |_, _| false);
        let mut v = Vec::new();
        lit.for_each(hay, |t, s, e| v.push((t, s, e)));
        v.sort_unstable();
        v
    }

    #[test]
    fn terms_sharing_a_head_are_all_found_where_they_overlap() {
        let terms = [
            "leave a review",
            "leave a review for",
            "leave a 5-star review",
            "leave a review",
            "leave",
            "review",
            "a review for us",
            "5-star",
            "レビューを書いてください",
            "レビュー",
        ];
        let hay =
            "please leave a review for us, or leave a 5-star review: レビューを書いてください";
        let got = split(&terms, hay);
        assert_eq!(got, whole(&terms, hay));
        // Term 3 repeats term 0: both are reported, each once per occurrence.
        assert!(got.contains(&(0, 7, 21)) && got.contains(&(3, 7, 21)));
        assert!(got.contains(&(1, 7, 25)));
        assert_eq!(got.iter().filter(|m| m.0 == 4).count(), 2);
        assert!(got.iter().any(|m| m.0 == 8) && got.iter().any(|m| m.0 == 9));
    }

    #[test]
    fn a_term_cut_inside_a_char_keeps_the_char_in_its_head() {
        // 10 bytes end inside the fourth kana: the head takes all four.
        let term = "レビューを";
        assert_eq!(head_len(term), 12);
        assert_eq!(split(&[term], "あレビューを"), vec![(0, 3, 18)]);
    }

    #[test]
    fn a_long_term_is_searched_whole_even_between_terms_of_one_head() {
        let long = format!("abcdefghij{}", "m".repeat(MAX_TAIL_BYTES + 1));
        assert_eq!(head_len(&long), long.len());
        assert_eq!(head_len(&long[..HEAD_BYTES + MAX_TAIL_BYTES]), HEAD_BYTES);
        // By text the long term sorts between `…a` and `…z`; it goes last, and the head
        // `abcdefghij` stays one pattern.
        let terms = ["abcdefghija", long.as_str(), "abcdefghijz", "abcdefghij"];
        let lit = build(&terms, |_, _| false);
        assert_eq!(lit.head_meta.len(), 2);
        let hay = format!("abcdefghija abcdefghijz {long}m");
        let got = split(&terms, &hay);
        assert_eq!(got, whole(&terms, &hay));
        // `abcdefghij` three times, the other three once each.
        assert_eq!(got.len(), 6);
    }

    #[test]
    fn terms_that_share_hundreds_of_bytes_are_sorted_without_deep_recursion() {
        let (a, b) = ("x".repeat(300) + "b", "x".repeat(300) + "a");
        let terms = [a.as_str(), b.as_str(), "xxxxxxxxxxxx"];
        let lit = build(&terms, |_, _| false);
        assert_eq!(
            lit.terms().map(|(i, _)| i).collect::<Vec<_>>(),
            vec![2, 1, 0]
        );
        let hay = format!("{a} {b}");
        assert_eq!(split(&terms, &hay), whole(&terms, &hay));
    }

    #[test]
    fn tails_stop_at_the_end_of_the_text_and_at_the_first_difference() {
        let terms = ["abcdefghijklmnop", "abcdefghijkl", "abcdefghijxyz"];
        assert_eq!(split(&terms, "abcdefghijklmno"), vec![(1, 0, 12)]);
        assert_eq!(split(&terms, "abcdefghijx"), vec![]);
        assert_eq!(
            split(&terms, "abcdefghijklmnop abcdefghijxyz"),
            vec![(0, 0, 16), (1, 0, 12), (2, 17, 30)]
        );
    }

    #[test]
    fn repeats_the_caller_calls_the_same_are_left_out() {
        // Terms 0, 2 and 3 have one text; 2 is "the same" as 0 (even indexes), 3 is not.
        // Terms 4 and 5 have one text but are not the same.
        let terms = [
            "ab",
            "b",
            "ab",
            "ab",
            "abcdefghijklmnopq",
            "abcdefghijklmnopq",
        ];
        let lit = build(&terms, |i, j| i % 2 == j % 2);
        assert_eq!(lit.terms().count(), 5);
        assert_eq!(
            lit.terms().map(|(_, t)| t).collect::<Vec<_>>(),
            vec!["ab", "ab", "abcdefghijklmnopq", "abcdefghijklmnopq", "b"]
        );
        let mut found = Vec::new();
        lit.for_each("xab abcdefghijklmnopq", |t, s, e| found.push((t, s, e)));
        found.sort_unstable();
        assert_eq!(
            found,
            vec![
                (0, 1, 3),
                (0, 4, 6),
                (1, 2, 3),
                (1, 5, 6),
                (3, 1, 3),
                (3, 4, 6),
                (4, 4, 21),
                (5, 4, 21)
            ]
        );
        assert!(lit.memory_usage() > 0);
    }

    #[test]
    fn terms_longer_than_the_sort_key_are_ordered_by_their_whole_text() {
        // The first 16 bytes are equal; the rest decides, and the walk depends on it.
        let terms = [
            "0123456789abcdefz",
            "0123456789abcdefa",
            "0123456789abcdefm",
            "0123456789abcdef",
        ];
        let lit = build(&terms, |_, _| false);
        assert_eq!(
            lit.terms().map(|(_, t)| t).collect::<Vec<_>>(),
            vec![terms[3], terms[1], terms[2], terms[0]]
        );
        assert_eq!(
            split(&terms, "0123456789abcdefm"),
            vec![(2, 0, 17), (3, 0, 16)]
        );
    }

    proptest! {
        /// Terms over a small alphabet, so that heads, tails and overlaps collide often, and
        /// terms around the length from which a term is searched whole.
        #[test]
        fn equals_one_automaton_of_the_whole_terms(
            terms in proptest::collection::vec(
                "[ab ]{1,14}|[ab]{0,9}é[ab]{0,4}|a{10}b{60,66}",
                1..30,
            ),
            hay in "[ab é]{0,80}|a{10}b{58,70}",
        ) {
            let terms: Vec<&str> = terms.iter().map(String::as_str).collect();
            prop_assert_eq!(split(&terms, &hay), whole(&terms, &hay));
        }
    }
}
