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
    /// The terms as given, NUL-separated (a NUL is never part of a term: folding turns every
    /// control character into a space).
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

/// The length of the head of `term`: [`HEAD_BYTES`], or up to the next char boundary, or the
/// whole term when it is shorter.
fn head_len(term: &str) -> usize {
    let mut k = HEAD_BYTES.min(term.len());
    while !term.is_char_boundary(k) {
        k += 1;
    }
    k
}

impl Literals {
    /// Builds the search for `terms` (in this order: [`Literals::for_each`] reports their
    /// indexes). `terms` must be non-empty, without empty terms and without NUL bytes.
    pub(crate) fn new<'a>(
        terms: impl IntoIterator<Item = &'a str>,
    ) -> Result<Literals, BuildError> {
        let mut text = String::new();
        let mut spans: Vec<(u32, u32, u32)> = Vec::new();
        for t in terms {
            if !text.is_empty() {
                text.push('\0');
            }
            let at = u32::try_from(text.len()).map_err(|_| BuildError::TooLarge)?;
            text.push_str(t);
            let end = u32::try_from(text.len()).map_err(|_| BuildError::TooLarge)?;
            let head = u32::try_from(head_len(t)).map_err(|_| BuildError::TooLarge)?;
            spans.push((at, at + head, end));
        }
        let term_count = u32::try_from(spans.len()).map_err(|_| BuildError::TooLarge)?;
        let slice = |a: u32, b: u32| text.get(a as usize..b as usize).unwrap_or_default();
        // By head, then tail, then term, so that each head's terms are a run with their tails
        // sorted. That is the order of the whole terms: two terms that share their first
        // `HEAD_BYTES` bytes are cut at the same place (UTF-8 is self-synchronising), and a
        // head shorter than that is the whole term. The first 8 bytes, as a number, decide
        // most comparisons (no term has a NUL byte, so padding with NUL keeps the order).
        let term_of = |i: u32| {
            let (a, _, e) = spans.get(i as usize).copied().unwrap_or_default();
            slice(a, e).as_bytes()
        };
        let mut order: Vec<(u64, u32)> = (0..term_count)
            .map(|i| {
                let mut k = [0u8; 8];
                for (slot, &b) in k.iter_mut().zip(term_of(i)) {
                    *slot = b;
                }
                (u64::from_be_bytes(k), i)
            })
            .collect();
        order.sort_unstable_by(|&(kx, x), &(ky, y)| {
            kx.cmp(&ky)
                .then_with(|| term_of(x).cmp(term_of(y)))
                .then(x.cmp(&y))
        });
        let mut heads: Vec<&str> = Vec::new();
        let mut head_meta: Vec<(u32, u32, u32)> = Vec::new();
        let mut tails: Vec<Tail> = Vec::with_capacity(order.len());
        for (_, i) in order {
            let (a, h, e) = spans.get(i as usize).copied().unwrap_or_default();
            let head = slice(a, h);
            let at = u32::try_from(tails.len()).map_err(|_| BuildError::TooLarge)?;
            if heads.last() != Some(&head) {
                heads.push(head);
                head_meta.push((h - a, at, at));
            }
            tails.push(Tail {
                start: h,
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

    /// The terms as given to [`Literals::new`], in order.
    pub(crate) fn terms(&self) -> impl Iterator<Item = &str> {
        self.text.split('\0')
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

    fn split(terms: &[&str], hay: &str) -> Vec<(usize, usize, usize)> {
        let lit = Literals::new(terms.iter().copied()).unwrap();
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
    fn the_terms_come_back_in_order() {
        let lit = Literals::new(["b", "a", "ab"]).unwrap();
        assert_eq!(lit.terms().collect::<Vec<_>>(), vec!["b", "a", "ab"]);
        assert!(lit.memory_usage() > 0);
    }

    proptest! {
        /// Terms over a small alphabet, so that heads, tails and overlaps collide often.
        #[test]
        fn equals_one_automaton_of_the_whole_terms(
            terms in proptest::collection::vec("[ab ]{1,14}|[ab]{0,9}é[ab]{0,4}", 1..30),
            hay in "[ab é]{0,80}",
        ) {
            let terms: Vec<&str> = terms.iter().map(String::as_str).collect();
            prop_assert_eq!(split(&terms, &hay), whole(&terms, &hay));
        }
    }
}
