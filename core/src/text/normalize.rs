//! One fused normalisation pass with an offset map back to the original text.
//!
//! Patterns of the policy pack are normalised by this same function when the engine is built,
//! so a pack author writes `fünf Sterne` or `5-star` and both sides meet in the same folded
//! form. What the pass does, in order:
//!
//! 1. **Per character** (ASCII takes a fast path): NFKD compatibility decomposition (full-width
//!    forms, ligatures, `①`), combining marks dropped (accents: `é` → `e`, but the Japanese
//!    voicing marks are kept), zero-width and format characters dropped, look-alike letters
//!    folded to their UTS #39 skeleton (Cyrillic `а`, Greek `ο`), lower-casing, `ß` → `ss`,
//!    star emoji and star symbols folded to one star mark, white space collapsed (line breaks
//!    kept as sentence breaks), punctuation folded to a space except the sentence marks
//!    `. ! ?`, the clause marks `, ; :` and the symbols `$ € £ ¥ % @ *`.
//! 2. **Per token**: letter-spacing collapsed (`f r e e` → `free`, guided by the pack's
//!    vocabulary so `a f r e e` becomes `a free`), masked words resolved against the vocabulary
//!    (`r**view` → `review`), a number glued to a known word split (`5star` → `5 star`),
//!    leetspeak folded in mixed letter-digit tokens (`r3v13w` → `review`), number words and
//!    kanji numerals as digits (`five`, `fünf`, `五` → `5`), star runs counted
//!    (`⭐⭐⭐⭐⭐` → `5 star`, `5⭐` and `5*` → `5 star`).
//!
//! Every byte of the output knows the original byte range it came from, so a match on the
//! normalised text maps back to a span of the original (see [`Normalized::original_span`]).
//! Written by hand, because no crate fuses these steps with an offset map; NFKD and the
//! confusables data come from `unicode-normalization` and `unicode-security`.

use super::confusables_table::CONFUSABLES;
use std::collections::HashSet;

/// Normalised text with its map back to the original.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The folded text.
    pub text: String,
    /// The offset map, in pieces (see [`Piece`]); empty when no map was asked for.
    pieces: Vec<Piece>,
}

/// Output bytes from `out` up to the next piece that map back the same way.
///
/// A piece whose first byte came from `w = e - s` original bytes strides by `w`: its k-th
/// byte came from `[s + q, s + q + w)`, `q` being `k` rounded down to a multiple of `w`. With
/// `w = 1` that is a lower-cased ASCII word and its separators, byte for byte; with `w = 3`
/// a run of kana and ideographs copied as they are, char for char; a folded char (`é` → `e`,
/// `ß` → `ss`) is a piece of its own whose bytes all map to `[s, e)`, and so is a span of
/// width 0. A piece starts only where a byte does not continue the piece before it, so the
/// pieces are a function of the per-byte map (two passes that map every byte alike have
/// equal pieces), and an ASCII or a Japanese text is a few pieces instead of 8 bytes of map
/// per byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    out: u32,
    s: u32,
    e: u32,
}

impl Piece {
    /// The original span of output byte `k` (at or after `out`) if it belongs to this piece.
    fn at(self, k: u32) -> (u32, u32) {
        let w = self.e.wrapping_sub(self.s);
        let d = k.wrapping_sub(self.out);
        let q = match w {
            0 => return (self.s, self.e),
            1 => d,
            // Kana and ideographs: a division by a constant is a multiplication.
            3 => d - d % 3,
            _ => d - d % w,
        };
        let s = self.s.wrapping_add(q);
        (s, s.wrapping_add(w))
    }
}

/// The original span of output byte `k`, by binary search over `pieces`.
fn span_of(pieces: &[Piece], k: usize) -> Option<(u32, u32)> {
    let k = u32::try_from(k).ok()?;
    let i = pieces.partition_point(|p| p.out <= k).checked_sub(1)?;
    pieces.get(i).map(|p| p.at(k))
}

impl Normalized {
    /// The original byte span `[start, end)` that normalised bytes `[start, end)` came from.
    ///
    /// Both ends fall on char boundaries of the original text. An empty or out-of-range span
    /// maps to `None`.
    pub fn original_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end || end > self.text.len() {
            return None;
        }
        let (s, _) = span_of(&self.pieces, start)?;
        let (_, e) = span_of(&self.pieces, end - 1)?;
        Some((s as usize, e.max(s) as usize))
    }
}

/// One output character and the original range it stands for.
#[derive(Debug, Clone, Copy)]
struct Unit {
    c: char,
    s: u32,
    e: u32,
}

/// The canonical star mark that every star emoji and symbol folds to in stage 1.
const STAR: char = '\u{2605}';

/// Words the normaliser may need to rebuild (spaced-out or masked words); built from the pack.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    words: HashSet<String>,
    sorted: Vec<String>,
    /// Bytes of the longest word: bounds the search in a spaced-out run.
    max_len: usize,
}

impl Vocabulary {
    /// A vocabulary of the given words (already normalised, lower-case).
    pub fn new(words: impl IntoIterator<Item = String>) -> Vocabulary {
        let words: HashSet<String> = words
            .into_iter()
            .filter(|w| w.chars().count() >= 2 && w.chars().all(|c| c.is_ascii_alphanumeric()))
            .collect();
        let mut sorted: Vec<String> = words.iter().cloned().collect();
        sorted.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
        let max_len = sorted.last().map_or(0, String::len);
        Vocabulary {
            words,
            sorted,
            max_len,
        }
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    fn contains(&self, w: &str) -> bool {
        self.words.contains(w)
    }

    /// The shortest (then smallest) vocabulary word matching a masked token such as `r**view`,
    /// where a run of k asterisks stands for 1 to k+1 letters.
    ///
    /// Only the words that can match are tried: those of a length the mask allows (each run of
    /// asterisks adds 1 to k+1 letters to the letters shown), and among those, the ones that
    /// begin with the letters before the first asterisk. `sorted` is ordered by length, then
    /// by word, so both are binary searches, and the first match is still the shortest, then
    /// smallest.
    fn unmask(&self, masked: &[char]) -> Option<&str> {
        let stars = masked.iter().filter(|c| **c == '*').count();
        let runs = masked
            .iter()
            .zip(masked.iter().skip(1).chain(std::iter::once(&' ')))
            .filter(|(c, next)| **c == '*' && **next != '*')
            .count();
        let shown = masked.len() - stars;
        let prefix: String = masked.iter().take_while(|c| **c != '*').collect();
        for len in shown + runs..=shown + stars + runs {
            let from = self.sorted.partition_point(|w| w.len() < len);
            let block = self.sorted.get(from..).unwrap_or_default();
            let block = block
                .get(..block.partition_point(|w| w.len() == len))
                .unwrap_or_default();
            let first = block.partition_point(|w| w.as_str() < prefix.as_str());
            let found = block
                .get(first..)
                .unwrap_or_default()
                .iter()
                .take_while(|w| w.starts_with(prefix.as_str()))
                .find(|w| glob_match(masked, w.as_bytes()));
            if let Some(w) = found {
                return Some(w.as_str());
            }
        }
        None
    }
}

fn glob_match(p: &[char], w: &[u8]) -> bool {
    match p.first() {
        None => w.is_empty(),
        Some('*') => {
            let run = p.iter().take_while(|c| **c == '*').count();
            let rest = p.get(run..).unwrap_or_default();
            (1..=run + 1).any(|n| n <= w.len() && glob_match(rest, w.get(n..).unwrap_or_default()))
        }
        Some(c) => match w.first() {
            Some(b) if char::from(*b) == *c => glob_match(
                p.get(1..).unwrap_or_default(),
                w.get(1..).unwrap_or_default(),
            ),
            _ => false,
        },
    }
}

/// The folded text alone, without the offset map: what the pack's terms need when the engine
/// is built (tens of thousands of calls), and the same text as [`normalize`] gives.
pub(crate) fn normalize_text(text: &str, vocab: &Vocabulary) -> String {
    fused(text, vocab, false).text
}

/// Whether `text` is lower-case ASCII words of two or more letters, one space apart, none a
/// number word: text that folds to itself, so the engine build need not fold it (most of the
/// pack's terms are such). Every plain word of two letters or more takes the fused pass's
/// fast path, which only lowers its case and turns number words into digits; a single
/// space between two words is kept as it is. The tests check that [`normalize_text`] returns
/// such text unchanged.
pub(crate) fn is_folded_plain(text: &str) -> bool {
    !text.is_empty()
        && text.as_bytes().split(|&b| b == b' ').all(|w| {
            w.len() >= 2
                && w.iter().all(u8::is_ascii_lowercase)
                && number_word_of(w.len(), w.iter().copied()).is_none()
        })
}

/// [`normalize_text`] into `buf` (cleared first), which the caller keeps from call to call:
/// the pack's tens of thousands of terms are folded without an allocation each.
pub(crate) fn normalize_text_into(text: &str, vocab: &Vocabulary, buf: &mut String) {
    let mut out = Out {
        text: std::mem::take(buf),
        map: false,
        pieces: Vec::new(),
    };
    out.text.clear();
    fused_into(text, vocab, &mut out);
    *buf = out.text;
}

/// Normalises `text`; see the module docs.
///
/// This is the fused single pass: plain ASCII words and separators (most of any Latin-script
/// text) are folded straight into the output, and so are words with accents (their letters
/// from a table of what stage 1 makes of each two-byte char) and runs of kana and ideographs
/// that both stages leave as they are (most of a Japanese text, copied); a stretch that
/// needs the two stages (anything else non-ASCII, `*`, single letters that may be spaced out, letters
/// mixed with digits, kanji numerals) is handed to them, with the output written so far as
/// its context, and ends only where no rule of stage 2 can look across (before a plain word
/// of two or more letters, or between two such kana or ideographs). The result is identical
/// to [`normalize_two_stage`], which the differential tests check.
pub fn normalize(text: &str, vocab: &Vocabulary) -> Normalized {
    fused(text, vocab, true)
}

/// The fused pass; `map` says whether to record the offset map (the folded text does not
/// depend on it).
fn fused(text: &str, vocab: &Vocabulary, map: bool) -> Normalized {
    let mut out = Out::with_capacity(text.len(), map);
    fused_into(text, vocab, &mut out);
    out.finish()
}

/// The fused pass into `out` (empty when called).
fn fused_into(text: &str, vocab: &Vocabulary, out: &mut Out) {
    let bytes = text.as_bytes();
    let mut units: Vec<Unit> = Vec::new();
    let mut folded: Vec<Unit> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let k = kind(b);
        if k == SEPARATOR {
            out.separator(fold_separator(b), i);
            i += 1;
            continue;
        }
        if b >= 0xE0 {
            // Kana and ideographs that both stages leave as stage 1 makes them: all but the
            // last of a run are written straight away (the last one starts the stretch for
            // the two stages, so that a token going on after the run is still read as one
            // non-ASCII token); those that stay as they are, copied.
            let mut copy_from = i;
            while let Some(plain) = plain_cjk_at(bytes, i) {
                if plain_cjk_at(bytes, i + CJK_BYTES).is_none() {
                    break;
                }
                if let PlainCjk::Pair(a, m) = plain {
                    out.copied(text.get(copy_from..i).unwrap_or_default(), copy_from);
                    let (s, e) = (i as u32, (i + CJK_BYTES) as u32);
                    out.unit(Unit { c: a, s, e });
                    out.unit(Unit { c: m, s, e });
                    copy_from = i + CJK_BYTES;
                }
                i += CJK_BYTES;
            }
            out.copied(text.get(copy_from..i).unwrap_or_default(), copy_from);
        }
        let (n, seen) = alnum_run(bytes.get(i..).unwrap_or_default());
        let j = i + n;
        if seen & DIGIT == 0 && bytes.get(j).is_some_and(|&b| (0xC2..0xE0).contains(&b)) {
            // A word with accents (`für`, `Straße`, `été`) between ASCII separators: what
            // the two stages make of it, without them.
            if let Some(end) = accented_word(bytes, i, &mut folded) {
                out.accented(&folded);
                i = end;
                continue;
            }
        }
        // A plain word: ASCII letters and digits between ASCII separators (or the ends).
        let plain = j > i && bytes.get(j).is_none_or(|&b| kind(b) == SEPARATOR);
        if plain && (j - i >= 2 || !single_follows(bytes, j)) {
            out.word(
                text.get(i..j).unwrap_or_default(),
                seen,
                i,
                vocab,
                &mut folded,
            );
            i = j;
            continue;
        }
        let end = region_end(bytes, i);
        out.two_stage(text, i, end, vocab, &mut units, &mut folded);
        i = end;
    }
}

/// The lower-case ASCII letters (one or two) that stage 1 makes of a two-byte char, when it
/// makes only such letters of it (`é` → `e`, `ß` → `ss`, Cyrillic `а` → `a`): a table over
/// U+0080..U+0800 made once from [`fold_non_ascii`] itself.
fn latin_letters(c: char) -> Option<[u8; 2]> {
    static TABLE: std::sync::OnceLock<Vec<[u8; 2]>> = std::sync::OnceLock::new();
    let code = u32::from(c);
    if !(0x80..0x800).contains(&code) {
        return None;
    }
    let table = TABLE.get_or_init(|| {
        let mut units = Vec::new();
        (0x80..0x800u32)
            .map(|code| {
                units.clear();
                if let Some(c) = char::from_u32(code) {
                    fold_non_ascii(&mut units, c, 0, 1);
                }
                let letter = |u: &Unit| u.c.is_ascii_lowercase() && (u.s, u.e) == (0, 1);
                match units.as_slice() {
                    [a] if letter(a) => [a.c as u8, 0],
                    [a, b] if letter(a) && letter(b) => [a.c as u8, b.c as u8],
                    _ => [0, 0],
                }
            })
            .collect()
    });
    table
        .get((code - 0x80) as usize)
        .copied()
        .filter(|l| l[0] != 0)
}

/// The word from byte `i` (a word start) up to the next ASCII separator or the end, folded
/// into `into` as stage 1 makes it, when it is made of ASCII letters and two-byte chars that
/// [`latin_letters`] knows and folds to two letters or more; returns where it ends. Stage 2
/// then reads it as one token of lower-case letters: a number word becomes its digit, any
/// other word stays as it is ([`fold_token`]); a single letter could start a spaced-out run,
/// so it is left to the two stages, like anything else this does not know.
fn accented_word(bytes: &[u8], i: usize, into: &mut Vec<Unit>) -> Option<usize> {
    into.clear();
    let mut k = i;
    while let Some(&b) = bytes.get(k) {
        let s = k as u32;
        match kind(b) {
            LETTER => {
                into.push(Unit {
                    c: char::from(b.to_ascii_lowercase()),
                    s,
                    e: s + 1,
                });
                k += 1;
            }
            SEPARATOR => break,
            _ => {
                let &[b0, b1] = bytes.get(k..k + 2)? else {
                    return None;
                };
                if !(0xC2..0xE0).contains(&b0) {
                    return None;
                }
                let c = char::from_u32((u32::from(b0 & 0x1F) << 6) | u32::from(b1 & 0x3F))?;
                for l in latin_letters(c)?.into_iter().filter(|&l| l != 0) {
                    into.push(Unit {
                        c: char::from(l),
                        s,
                        e: s + 2,
                    });
                }
                k += 2;
            }
        }
    }
    (into.len() >= 2).then_some(k)
}

/// Byte kinds of the fused pass.
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const ALNUM: u8 = LETTER | DIGIT;
/// Not a byte kind: a word's upper-case letters (see [`alnum_run`]).
const UPPER: u8 = 16;
/// Every ASCII byte but letters, digits and `*`: it separates words.
const SEPARATOR: u8 = 4;
/// `*` and every byte of a non-ASCII char: the two stages decide.
const OTHER: u8 = 8;

const KINDS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        let k = match b as u8 {
            b'A'..=b'Z' | b'a'..=b'z' => LETTER,
            b'0'..=b'9' => DIGIT,
            b'*' => OTHER,
            _ => SEPARATOR,
        };
        // In range: `b < 128` and the table has 256 entries (checked when compiling).
        #[allow(clippy::indexing_slicing)]
        {
            t[b] = k;
        }
        b += 1;
    }
    t
};

/// One bit per byte of a `u64`: the low and the high bit of each byte.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `v` (bytes below 0x80) that lies in `lo..=hi`: adding
/// `0x80 - lo` sets it from `lo` on, adding `0x7f - hi` from `hi + 1` on, and no byte
/// carries into the next.
fn in_range(v: u64, lo: u8, hi: u8) -> u64 {
    let from_lo = v.wrapping_add(ONES.wrapping_mul(u64::from(0x80 - lo)));
    let past_hi = v.wrapping_add(ONES.wrapping_mul(u64::from(0x7f - hi)));
    from_lo & !past_hi & HIGH
}

/// The length of the run of ASCII letters and digits that `rest` starts with, and which of
/// [`LETTER`], [`DIGIT`] and [`UPPER`] it has: eight bytes at a time (the words of a text are where the
/// fused pass spends its time), the last few bytes padded with a separator.
fn alnum_run(rest: &[u8]) -> (usize, u8) {
    let mut n = 0;
    let mut seen = 0;
    loop {
        let x = match rest.get(n..n + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
            Some(chunk) => u64::from_le_bytes(chunk),
            None => {
                let mut chunk = [0u8; 8];
                for (d, &b) in chunk.iter_mut().zip(rest.get(n..).unwrap_or_default()) {
                    *d = b;
                }
                u64::from_le_bytes(chunk)
            }
        };
        let ascii = !x & HIGH;
        let low = x & !HIGH;
        let digit = in_range(low, b'0', b'9') & ascii;
        // Bit 5 set turns `A-Z` into `a-z` and no other byte into a letter.
        let letter = in_range(low | (ONES * 0x20), b'a', b'z') & ascii;
        let stop = !(digit | letter) & HIGH;
        let k = stop.trailing_zeros() as usize / 8;
        // The bytes of the run in this chunk (`k` is 8 when all are letters or digits).
        let run = u64::MAX.checked_shl(8 * k as u32).map_or(u64::MAX, |m| !m);
        if digit & run != 0 {
            seen |= DIGIT;
        }
        if letter & run != 0 {
            seen |= LETTER;
        }
        if in_range(low, b'A', b'Z') & ascii & run != 0 {
            seen |= UPPER;
        }
        n += k;
        if k < 8 {
            return (n, seen);
        }
    }
}

fn kind(b: u8) -> u8 {
    KINDS.get(usize::from(b)).copied().unwrap_or(OTHER)
}

/// The folded form of an ASCII separator, as stage 1 folds it.
fn fold_separator(b: u8) -> u8 {
    match b {
        b'.' | b'!' | b'?' | b',' | b';' | b':' | b'$' | b'%' | b'@' => b,
        b'\n' | b'\r' | 0x0B | 0x0C => b'\n',
        _ => b' ',
    }
}

/// Whether a single letter or digit ending at `q` may start a spaced-out run: the next word
/// after the separators is not a plain word of two ASCII letters or digits (a single letter,
/// `*` or anything non-ASCII may be one, so stage 2 decides).
fn single_follows(bytes: &[u8], q: usize) -> bool {
    let k = past_separators(bytes, q);
    let alnum = |i: usize| bytes.get(i).is_some_and(|&b| kind(b) & ALNUM != 0);
    k < bytes.len() && !(alnum(k) && alnum(k + 1))
}

/// The first byte at or after `i` that is not a separator (or the end).
fn past_separators(bytes: &[u8], i: usize) -> usize {
    bytes
        .get(i..)
        .unwrap_or_default()
        .iter()
        .position(|&b| kind(b) != SEPARATOR)
        .map_or(bytes.len(), |p| p + i)
}

/// Where the stretch for the two stages that starts at `i` may end: the first of
/// - before the separators that precede a plain ASCII word of two or more letters or digits:
///   nothing of stage 2 looks across such a place (a token, a spaced-out run or a star run
///   cannot contain the word, and what they look ahead at there, a word character, is what
///   they see at the end of the stretch: nothing);
/// - between two kana or ideographs that both stages leave as they are ([`cjk_cut`]);
/// - the end of the text.
///
/// Each byte is read once, so a text without either place is not read to its end once per
/// stretch.
fn region_end(bytes: &[u8], i: usize) -> usize {
    let mut k = match cjk_cut(bytes, i) {
        Ok(cut) => return cut,
        Err(chunk_end) => chunk_end,
    };
    while k < bytes.len() {
        let c = past_separators(bytes, k);
        if c >= bytes.len() {
            return k;
        }
        let (n, _) = alnum_run(bytes.get(c..).unwrap_or_default());
        let plain = bytes.get(c + n).is_none_or(|&b| kind(b) == SEPARATOR);
        if n >= 2 && plain {
            return k;
        }
        k = match cjk_cut(bytes, c) {
            Ok(cut) => return cut,
            Err(chunk_end) => chunk_end,
        };
    }
    bytes.len()
}

/// UTF-8 bytes of every char [`plain_cjk_at`] reads (U+3000 to U+9FFF).
const CJK_BYTES: usize = 3;

/// What stage 1 makes of a kana or ideograph that both stages then leave alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlainCjk {
    /// The char itself (most kana and ideographs).
    Same,
    /// A base kana and a voicing mark (`ご` → `こ` U+3099): what NFKD makes of a voiced
    /// kana, both chars from the kana's three bytes.
    Pair(char, char),
}

/// The kana block, where the voiced kana are.
const KANA_FROM: u32 = 0x3040;
const KANA_TO: u32 = 0x3100;

/// The base and mark of a voiced kana, as stage 1 decomposes it: a table of the kana block
/// made once from [`fold_non_ascii`] itself (two word chars from the kana's span, the second
/// a voicing mark), so Japanese text skips the decomposition char by char.
fn kana_pair(c: char) -> Option<(char, char)> {
    static TABLE: std::sync::OnceLock<Vec<Option<(char, char)>>> = std::sync::OnceLock::new();
    let code = u32::from(c);
    if !(KANA_FROM..KANA_TO).contains(&code) {
        return None;
    }
    let table = TABLE.get_or_init(|| {
        let mut units = Vec::new();
        (KANA_FROM..KANA_TO)
            .map(|code| {
                let c = char::from_u32(code)?;
                units.clear();
                fold_non_ascii(&mut units, c, 0, 1);
                match units.as_slice() {
                    [a, m]
                        if a.c != c
                            && !a.c.is_ascii()
                            && is_word(a.c)
                            && kanji_numeral(a.c).is_none()
                            && (m.c == '\u{3099}' || m.c == '\u{309A}')
                            && (a.s, a.e, m.s, m.e) == (0, 1, 0, 1) =>
                    {
                        Some((a.c, m.c))
                    }
                    _ => None,
                }
            })
            .collect()
    });
    table.get((code - KANA_FROM) as usize).copied().flatten()
}

/// The char at byte `i` if it is a kana or ideograph that both stages leave as stage 1 makes
/// it: in the table of [`folds_to_itself`] and not a kanji numeral (stage 2 makes those
/// digits), or a voiced kana ([`kana_pair`]).
fn plain_cjk_at(bytes: &[u8], i: usize) -> Option<PlainCjk> {
    let &[b0, b1, b2] = bytes.get(i..i + CJK_BYTES)? else {
        return None;
    };
    // A three-byte UTF-8 sequence (the text is valid UTF-8, so the other two bytes are its
    // continuation bytes).
    if b0 & 0xF0 != 0xE0 {
        return None;
    }
    let code = (u32::from(b0 & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
    let c = char::from_u32(code)?;
    if folds_to_itself(c) {
        return kanji_numeral(c).is_none().then_some(PlainCjk::Same);
    }
    kana_pair(c).map(|(a, m)| PlainCjk::Pair(a, m))
}

/// The first place in the chunk of non-separator bytes from `from` (a char boundary) between
/// two [`plain_cjk_at`] chars, or else (`Err`) the end of the chunk. Stage 2 reads a run of such chars char by char
/// whatever token it is in (a token with a non-ASCII char is copied, kanji numerals aside),
/// and looks at most one char past a star run or the letters of a spaced-out run: nothing
/// looks across such a place.
fn cjk_cut(bytes: &[u8], from: usize) -> Result<usize, usize> {
    let mut k = from;
    let mut after_plain = false;
    while let Some(&b) = bytes.get(k) {
        if kind(b) == SEPARATOR {
            return Err(k);
        }
        let plain = b >= 0xE0 && plain_cjk_at(bytes, k).is_some();
        if plain && after_plain {
            return Ok(k);
        }
        after_plain = plain;
        // The length of the char from its first byte.
        k += match b {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
    }
    Err(bytes.len())
}

/// The two stages of the module docs over the whole text, unit by unit: the reference the
/// fused [`normalize`] must equal byte for byte, offsets included (differential tests).
#[doc(hidden)]
pub fn normalize_two_stage(text: &str, vocab: &Vocabulary) -> Normalized {
    // The stage-1 units are dropped before the output is allocated (peak memory).
    let mut units = Vec::with_capacity(text.len());
    fold_chars(text, 0, &mut units);
    let mut folded = Vec::with_capacity(units.len() + 8);
    fold_tokens(&units, vocab, &mut folded);
    drop(units);
    let mut out = Out::with_capacity(folded.len(), true);
    for u in folded {
        out.unit(u);
    }
    out.finish()
}

/// The output being built: the folded text (written char by char or from slices of the
/// original, so never validated again), and the original span of each byte in pieces.
struct Out {
    text: String,
    /// Whether the map is kept (not for the pack's terms).
    map: bool,
    pieces: Vec<Piece>,
}

impl Out {
    fn with_capacity(n: usize, map: bool) -> Out {
        Out {
            text: String::with_capacity(n),
            map,
            pieces: Vec::new(),
        }
    }

    fn finish(self) -> Normalized {
        Normalized {
            text: self.text,
            pieces: self.pieces,
        }
    }

    /// Records that output byte `k` (the next one, or one of the char being written) comes
    /// from `[s, e)`: a new piece unless the last one continues so. Returns whether the byte
    /// starts a stride of its piece (so that the next `e - s - 1` bytes from `[s, e)`
    /// continue it without a note each).
    #[inline]
    fn note(&mut self, k: usize, s: u32, e: u32) -> bool {
        if !self.map {
            return true;
        }
        let k = k as u32;
        match self.pieces.last() {
            Some(p) if p.at(k) == (s, e) => {
                let d = k.wrapping_sub(p.out);
                // The usual widths without a division.
                match e.wrapping_sub(s) {
                    0 | 1 => true,
                    3 => d % 3 == 0,
                    w => d % w == 0,
                }
            }
            _ => {
                self.pieces.push(Piece { out: k, s, e });
                true
            }
        }
    }

    /// An ASCII char from `[s, e)`.
    #[inline]
    fn ascii(&mut self, b: u8, s: u32, e: u32) {
        let _ = self.note(self.text.len(), s, e);
        self.text.push(char::from(b));
    }

    fn unit(&mut self, u: Unit) {
        let k = self.text.len();
        let len = u.c.len_utf8();
        let whole_stride = self.note(k, u.s, u.e);
        if !(whole_stride && len <= u.e.saturating_sub(u.s) as usize) {
            // Longer than its span, or not from the start of a stride: a note per byte. (No
            // longer, from the start of a stride, the other bytes continue the piece: see
            // `Piece::at`.)
            for t in 1..len {
                let _ = self.note(k + t, u.s, u.e);
            }
        }
        self.text.push(u.c);
    }

    /// [`Out::unit`] with a note for every byte: the reference of the tests.
    #[cfg(test)]
    fn unit_by_bytes(&mut self, u: Unit) {
        let k = self.text.len();
        for t in 0..u.c.len_utf8() {
            let _ = self.note(k + t, u.s, u.e);
        }
        self.text.push(u.c);
    }

    /// An ASCII separator at byte `at`, white space collapsed as [`push`] does.
    #[inline]
    fn separator(&mut self, c: u8, at: usize) {
        if (c == b' ' || c == b'\n') && matches!(self.text.as_bytes().last(), Some(b' ' | b'\n')) {
            if c == b'\n' {
                // The same byte, so the map is unchanged.
                self.text.pop();
                self.text.push('\n');
            }
            return;
        }
        self.ascii(c, at as u32, at as u32 + 1);
    }

    /// A word that [`accented_word`] folded: its digit if it is a number word, else its
    /// letters.
    fn accented(&mut self, letters: &[Unit]) {
        let (Some(first), Some(last)) = (letters.first(), letters.last()) else {
            return;
        };
        match number_word_of(letters.len(), letters.iter().map(|u| u.c as u8)) {
            Some(d) => self.ascii(d as u8, first.s, last.e),
            None => {
                for &u in letters {
                    self.unit(u);
                }
            }
        }
    }

    /// Kana and ideographs at byte `at` that both stages leave as they are (three bytes each):
    /// copied, each char mapped to its own three bytes.
    fn copied(&mut self, run: &str, at: usize) {
        if run.is_empty() {
            return;
        }
        // One note: the chars after the first continue its piece, three bytes at a time (a
        // piece that this first char continues is one of such chars too).
        let _ = self.note(self.text.len(), at as u32, (at + CJK_BYTES) as u32);
        self.text.push_str(run);
    }

    /// A plain word of ASCII letters and digits at byte `at` (a single one only when it
    /// cannot start a spaced-out run): what [`fold_token`] makes of it. `seen` is which of
    /// [`LETTER`], [`DIGIT`] and [`UPPER`] it has.
    fn word(&mut self, w: &str, seen: u8, at: usize, vocab: &Vocabulary, scratch: &mut Vec<Unit>) {
        let at = at as u32;
        if seen & ALNUM == ALNUM {
            // Letters and digits mixed: leetspeak or `5star`, the rare case.
            let tok: Vec<Unit> = (at..)
                .zip(w.bytes())
                .map(|(s, b)| Unit {
                    c: char::from(b.to_ascii_lowercase()),
                    s,
                    e: s + 1,
                })
                .collect();
            scratch.clear();
            fold_token(&tok, vocab, scratch);
            for &u in scratch.iter() {
                self.unit(u);
            }
            return;
        }
        let end = at + w.len() as u32;
        if let Some(d) = number_word_of(w.len(), w.bytes().map(|b| b.to_ascii_lowercase())) {
            self.ascii(d as u8, at, end);
            return;
        }
        // The word's bytes map one to one: one note makes the piece they continue.
        let _ = self.note(self.text.len(), at, at + 1);
        if seen & UPPER == 0 {
            // Already lower case (most words): one copy.
            self.text.push_str(w);
        } else {
            // Setting bit 5 lowers an ASCII letter and leaves a digit as it is.
            self.text.extend(w.bytes().map(|b| char::from(b | 0x20)));
        }
    }

    /// Bytes `[a, b)` of `text` through the two stages, the output so far as context.
    fn two_stage(
        &mut self,
        text: &str,
        a: usize,
        b: usize,
        vocab: &Vocabulary,
        units: &mut Vec<Unit>,
        folded: &mut Vec<Unit>,
    ) {
        units.clear();
        fold_chars(text.get(a..b).unwrap_or_default(), a as u32, units);
        // Stage 2 looks back at what it wrote: white space to collapse, a digit or a word
        // before a star run. The last three units written stand in for that.
        folded.clear();
        let seeds = self.tail(3, folded);
        fold_tokens(units, vocab, folded);
        // Collapsing white space may have turned the last seed (a space) into a line break.
        if seeds > 0
            && folded.get(seeds - 1).is_some_and(|u| u.c == '\n')
            && self.text.ends_with(' ')
        {
            // The same byte, so the map is unchanged.
            self.text.pop();
            self.text.push('\n');
        }
        for &u in folded.get(seeds..).unwrap_or_default() {
            self.unit(u);
        }
    }

    /// Pushes the last `n` (or fewer) units written onto `into`; returns how many.
    fn tail(&self, n: usize, into: &mut Vec<Unit>) -> usize {
        let from = into.len();
        for (k, c) in self.text.char_indices().rev().take(n) {
            // Without the map the offsets are not known, and nothing of the text needs them.
            // The piece of a byte this near the end is one of the last few.
            let (s, e) = u32::try_from(k)
                .ok()
                .and_then(|k| {
                    self.pieces
                        .iter()
                        .rev()
                        .find(|p| p.out <= k)
                        .map(|p| p.at(k))
                })
                .unwrap_or((0, 0));
            into.push(Unit { c, s, e });
        }
        // Collected last first.
        if let Some(seeds) = into.get_mut(from..) {
            seeds.reverse();
        }
        into.len() - from
    }
}

fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{E0000}'..='\u{E0FFF}' | '\u{1D173}'..='\u{1D17A}')
}

fn is_star(c: char) -> bool {
    matches!(c, '\u{2B50}' | '\u{1F31F}' | '\u{1F320}' | '\u{2605}' | '\u{2606}' | '\u{2729}'..='\u{2730}' | '\u{22C6}' | '\u{2B51}' | '\u{2BE8}'..='\u{2BEF}')
}

fn confusable(c: char) -> Option<char> {
    CONFUSABLES
        .binary_search_by(|(k, _)| k.cmp(&c))
        .ok()
        .and_then(|i| CONFUSABLES.get(i))
        .map(|(_, v)| *v)
}

/// Letters without a decomposition that still read as ASCII letters.
fn latin_extra(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' => "d",
        'ı' => "i",
        _ => return None,
    })
}

/// Stage 1: one pass over the characters of `text`, which starts at byte `offset` of the
/// original.
fn fold_chars(text: &str, offset: u32, out: &mut Vec<Unit>) {
    for (b, c) in text.char_indices() {
        let s = offset + b as u32;
        let e = s + c.len_utf8() as u32;
        if c.is_ascii() {
            push_ascii(out, c, s, e);
        } else if folds_to_itself(c) {
            out.push(Unit { c, s, e });
        } else if let Some((a, m)) = kana_pair(c) {
            out.push(Unit { c: a, s, e });
            out.push(Unit { c: m, s, e });
        } else {
            fold_non_ascii(out, c, s, e);
        }
    }
}

/// The block of chars [`folds_to_itself`] knows: kana, CJK punctuation and ideographs.
const SELF_FOLD_FROM: u32 = 0x3000;
const SELF_FOLD_TO: u32 = 0xA000;

/// Whether `c` is a word character that stage 1 leaves exactly as it is (most kana and
/// ideographs): a bit table over U+3000..U+A000 made once from [`fold_non_ascii`] itself, so
/// Japanese text skips the decomposition and confusable lookups char by char.
fn folds_to_itself(c: char) -> bool {
    static TABLE: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let code = u32::from(c);
    if !(SELF_FOLD_FROM..SELF_FOLD_TO).contains(&code) {
        return false;
    }
    let table = TABLE.get_or_init(|| {
        let mut bits = vec![0u64; ((SELF_FOLD_TO - SELF_FOLD_FROM) as usize).div_ceil(64)];
        let mut units = Vec::new();
        for (i, code) in (SELF_FOLD_FROM..SELF_FOLD_TO).enumerate() {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            units.clear();
            fold_non_ascii(&mut units, c, 0, 1);
            let same = matches!(units.as_slice(), [u] if u.c == c && u.s == 0 && u.e == 1);
            if same && c.is_alphanumeric() {
                if let Some(w) = bits.get_mut(i / 64) {
                    *w |= 1 << (i % 64);
                }
            }
        }
        bits
    });
    let i = (code - SELF_FOLD_FROM) as usize;
    table.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

fn push_ascii(out: &mut Vec<Unit>, c: char, s: u32, e: u32) {
    let c = match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'a'..='z' | '0'..='9' | '.' | '!' | '?' | ',' | ';' | ':' | '$' | '%' | '@' | '*' => c,
        '\n' | '\r' | '\x0b' | '\x0c' => '\n',
        _ => ' ',
    };
    push(out, Unit { c, s, e });
}

/// Pushes a unit, collapsing white space (a line break wins over spaces).
fn push(out: &mut Vec<Unit>, u: Unit) {
    if u.c == ' ' || u.c == '\n' {
        if let Some(last) = out.last_mut() {
            if last.c == ' ' || last.c == '\n' {
                if u.c == '\n' {
                    last.c = '\n';
                }
                return;
            }
        }
    }
    out.push(u);
}

fn fold_non_ascii(out: &mut Vec<Unit>, c: char, s: u32, e: u32) {
    if is_format_char(c) {
        return;
    }
    if is_star(c) {
        out.push(Unit { c: STAR, s, e });
        return;
    }
    match c {
        '\u{3002}' | '\u{FF61}' => return push(out, Unit { c: '.', s, e }),
        '\u{3001}' | '\u{FF64}' => return push(out, Unit { c: ',', s, e }),
        '\u{2028}' | '\u{2029}' | '\u{0085}' => return push(out, Unit { c: '\n', s, e }),
        '€' | '£' | '¥' => return push(out, Unit { c, s, e }),
        _ => {}
    }
    if let Some(x) = latin_extra(c) {
        for c in x.chars() {
            out.push(Unit { c, s, e });
        }
        return;
    }
    if let Some(x) = confusable(c) {
        out.push(Unit { c: x, s, e });
        return;
    }
    unicode_normalization::char::decompose_compatible(c, |d| fold_decomposed(out, d, s, e));
}

fn fold_decomposed(out: &mut Vec<Unit>, d: char, s: u32, e: u32) {
    if d.is_ascii() {
        return push_ascii(out, d, s, e);
    }
    let kana_mark = d == '\u{3099}' || d == '\u{309A}';
    if (unicode_normalization::char::is_combining_mark(d) && !kana_mark) || is_format_char(d) {
        return;
    }
    if let Some(x) = latin_extra(d) {
        for c in x.chars() {
            out.push(Unit { c, s, e });
        }
        return;
    }
    if let Some(x) = confusable(d) {
        return out.push(Unit { c: x, s, e });
    }
    if kana_mark {
        out.push(Unit { c: d, s, e });
    } else if d.is_alphanumeric() {
        for l in d.to_lowercase() {
            if !unicode_normalization::char::is_combining_mark(l) {
                out.push(Unit { c: l, s, e });
            }
        }
    } else {
        // White space and every other symbol or punctuation mark separate words.
        push(out, Unit { c: ' ', s, e });
    }
}

fn is_word(c: char) -> bool {
    folds_to_itself(c) || c.is_alphanumeric() || c == '*' || c == '\u{3099}' || c == '\u{309A}'
}

/// The digit of a lower-case ASCII word of `len` bytes that is a number word. Number words
/// are 3 to 7 letters: their bytes are checked in a buffer, without allocating or validating
/// UTF-8 (this runs for most words of every text).
fn number_word_of(len: usize, bytes: impl Iterator<Item = u8>) -> Option<char> {
    if !(3..=7).contains(&len) {
        return None;
    }
    let mut buf = [0u8; 7];
    for (d, b) in buf.iter_mut().zip(bytes) {
        *d = b;
    }
    buf.get(..len).and_then(number_word)
}

/// Number words of the six languages (accents already folded), 1 to 5: what star ratings use.
fn number_word(w: &[u8]) -> Option<char> {
    Some(match w {
        b"one" | b"eins" => '1',
        b"two" | b"zwei" | b"deux" | b"dos" | b"due" => '2',
        b"three" | b"drei" | b"trois" | b"tres" | b"tre" => '3',
        b"four" | b"vier" | b"quatre" | b"cuatro" | b"quattro" => '4',
        b"five" | b"funf" | b"cinq" | b"cinco" | b"cinque" => '5',
        _ => return None,
    })
}

fn kanji_numeral(c: char) -> Option<char> {
    Some(match c {
        '一' => '1',
        '二' => '2',
        '三' => '3',
        '四' => '4',
        '五' => '5',
        _ => return None,
    })
}

fn leet(c: char) -> char {
    match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        _ => c,
    }
}

/// Stage 2: token-level folding, appended to `out` (which may hold the output before `units`).
fn fold_tokens(units: &[Unit], vocab: &Vocabulary, out: &mut Vec<Unit>) {
    let mut i = 0;
    // The end of the last spaced-out run found to have no known reading: the letters before
    // it start no run either (so "a a a a ..." is read once, not once per letter).
    let mut no_reading_until = 0;
    while let Some(u) = units.get(i) {
        if u.c == STAR {
            i = fold_star_run(units, i, out);
        } else if is_word(u.c) {
            let end = token_end(units, i);
            if end == i + 1 && u.c.is_ascii_alphanumeric() && i >= no_reading_until {
                if let Some(next) = fold_spaced_run(units, i, vocab, out, &mut no_reading_until) {
                    i = next;
                    continue;
                }
            }
            fold_token(units.get(i..end).unwrap_or_default(), vocab, out);
            i = end;
        } else {
            push(out, *u);
            i += 1;
        }
    }
}

fn token_end(units: &[Unit], start: usize) -> usize {
    let mut j = start;
    while units.get(j).is_some_and(|u| is_word(u.c)) {
        j += 1;
    }
    j
}

/// Counts a run of stars (spaces between them allowed) and writes `N star`.
fn fold_star_run(units: &[Unit], start: usize, out: &mut Vec<Unit>) -> usize {
    let mut j = start;
    let mut count = 0u32;
    let mut last = start;
    while let Some(u) = units.get(j) {
        if u.c == STAR {
            count += 1;
            last = j;
        } else if u.c != ' ' {
            break;
        }
        j += 1;
    }
    let (s, e) = match (units.get(start), units.get(last)) {
        (Some(a), Some(b)) => (a.s, b.e),
        _ => return last + 1,
    };
    let prev_digit = out
        .iter()
        .rev()
        .find(|u| u.c != ' ')
        .is_some_and(|u| u.c.is_ascii_digit());
    if out.last().is_some_and(|u| is_word(u.c)) {
        out.push(Unit { c: ' ', s, e: s });
    }
    if !(count == 1 && prev_digit) {
        for c in count.min(99).to_string().chars() {
            out.push(Unit { c, s, e });
        }
        out.push(Unit { c: ' ', s, e });
    }
    for c in "star".chars() {
        out.push(Unit { c, s, e });
    }
    if units.get(last + 1).is_some_and(|u| is_word(u.c)) {
        out.push(Unit { c: ' ', s: e, e });
    }
    last + 1
}

/// Collapses `f r e e` (single letters separated by one space or dot) when there are at least
/// three; returns where the run ended, or `None` when there is no such run.
fn fold_spaced_run(
    units: &[Unit],
    start: usize,
    vocab: &Vocabulary,
    out: &mut Vec<Unit>,
    no_reading_until: &mut usize,
) -> Option<usize> {
    // Cheap test first (no allocation): are there at least three single letters in a row?
    let single_at = |k: usize| {
        units.get(k).is_some_and(|u| u.c.is_ascii_alphanumeric())
            && units.get(k + 1).is_none_or(|f| !is_word(f.c))
            && units
                .get(k.wrapping_sub(1))
                .is_some_and(|p| p.c == ' ' || p.c == '.')
    };
    if !(single_at(start + 2) && single_at(start + 4)) {
        return None;
    }
    let mut letters = vec![start];
    let mut j = start + 1;
    while let (Some(sep), Some(next)) = (units.get(j), units.get(j + 1)) {
        let single =
            next.c.is_ascii_alphanumeric() && units.get(j + 2).is_none_or(|f| !is_word(f.c));
        if (sep.c == ' ' || sep.c == '.') && single {
            letters.push(j + 1);
            j += 2;
        } else {
            break;
        }
    }
    let n = letters.len();
    if n < 3 {
        return None;
    }
    let word: String = letters
        .iter()
        .filter_map(|&k| units.get(k))
        .map(|u| leet(u.c))
        .collect();
    // Only readings the pack knows are collapsed. The run is cut into known words (3 letters
    // or more) and one-letter words, preferring long words (the cut with the largest sum of
    // squared lengths): "a f r e e" -> "a free", "a r e v i e w" -> "a review" (not "are
    // view"), "L e a v e a 5" -> "leave a 5". "A B C D" has no known reading and stays.
    let known = |a: usize, b: usize| word.get(a..b).is_some_and(|w| vocab.contains(w));
    // best[p]: (score, end of the first segment) of the best cut of letters p..n.
    let mut best: Vec<(usize, usize)> = vec![(0, n); n + 1];
    for p in (0..n).rev() {
        let tail = |q: usize| best.get(q).map_or(0, |b| b.0);
        let mut choice = (1 + tail(p + 1), p + 1);
        for q in p + 3..=n.min(p + vocab.max_len) {
            let score = (q - p) * (q - p) + tail(q);
            if known(p, q) && score >= choice.0 {
                choice = (score, q);
            }
        }
        if let Some(slot) = best.get_mut(p) {
            *slot = choice;
        }
    }
    let mut segments: Vec<(usize, usize)> = Vec::new();
    let mut p = 0;
    while p < n {
        let q = best.get(p).map_or(n, |b| b.1).max(p + 1);
        segments.push((p, q));
        p = q;
    }
    if segments.iter().all(|&(a, b)| b - a == 1) {
        // No word of the pack anywhere in the run, so in none of its suffixes either.
        *no_reading_until = j;
        return None;
    }
    let letter = |k: usize| letters.get(k).and_then(|&i| units.get(i)).copied();
    let space_after = |k: usize| {
        letters
            .get(k)
            .and_then(|&i| units.get(i + 1))
            .map(|u| Unit { c: ' ', ..*u })
    };
    for &(a, b) in &segments {
        if a > 0 {
            out.extend(space_after(a - 1));
        }
        if b - a == 1 {
            out.extend(letter(a));
        } else {
            let joined: Vec<Unit> = (a..b).filter_map(letter).collect();
            fold_token(&joined, vocab, out);
        }
    }
    Some(j)
}

/// Folds one token: masks, number+word splits, leetspeak, number words.
fn fold_token(tok: &[Unit], vocab: &Vocabulary, out: &mut Vec<Unit>) {
    let (Some(first), Some(last)) = (tok.first(), tok.last()) else {
        return;
    };
    let span = (first.s, last.e);
    // Fast path, most tokens: plain lower-case ASCII letters.
    if tok.iter().all(|u| u.c.is_ascii_lowercase()) {
        emit_word(tok, span, out);
        return;
    }
    let all_ascii = tok.iter().all(|u| u.c.is_ascii());
    if !all_ascii {
        for u in tok {
            let c = kanji_numeral(u.c).unwrap_or(u.c);
            out.push(Unit { c, ..*u });
        }
        return;
    }
    let chars: Vec<char> = tok.iter().map(|u| u.c).collect();
    let has_star = chars.contains(&'*');
    let letters = chars.iter().filter(|c| c.is_ascii_alphabetic()).count();
    let digits = chars.iter().filter(|c| c.is_ascii_digit()).count();
    if has_star {
        // `5*` is a star rating.
        let lead_digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
        if lead_digits > 0
            && chars
                .get(lead_digits..)
                .is_some_and(|r| r.iter().all(|c| *c == '*'))
        {
            out.extend(tok.iter().take(lead_digits).copied());
            let star = tok.get(lead_digits).copied().unwrap_or(*last);
            out.push(Unit {
                c: ' ',
                s: star.s,
                e: star.s,
            });
            for c in "star".chars() {
                out.push(Unit {
                    c,
                    s: star.s,
                    e: last.e,
                });
            }
            return;
        }
        if letters > 0 {
            let folded: Vec<char> = chars.iter().map(|c| leet(*c)).collect();
            if let Some(w) = vocab.unmask(&folded) {
                for c in w.chars() {
                    out.push(Unit {
                        c,
                        s: span.0,
                        e: span.1,
                    });
                }
                return;
            }
        }
        // Unresolved: keep the letters, drop the asterisks.
        for u in tok.iter().filter(|u| u.c != '*') {
            out.push(*u);
        }
        if tok.iter().all(|u| u.c == '*') {
            out.extend(tok.iter().copied());
        }
        return;
    }
    if letters > 0 && digits > 0 {
        // `5star` -> `5 star` when the letters are a known word.
        let lead = chars.iter().take_while(|c| c.is_ascii_digit()).count();
        let rest: String = chars.get(lead..).unwrap_or_default().iter().collect();
        if lead > 0 && rest.chars().all(|c| c.is_ascii_alphabetic()) && vocab.contains(&rest) {
            out.extend(tok.iter().take(lead).copied());
            let at = tok.get(lead).map_or(span.1, |u| u.s);
            out.push(Unit {
                c: ' ',
                s: at,
                e: at,
            });
            out.extend(tok.iter().skip(lead).copied());
            return;
        }
        let folded: Vec<Unit> = tok.iter().map(|u| Unit { c: leet(u.c), ..*u }).collect();
        emit_word(&folded, span, out);
        return;
    }
    emit_word(tok, span, out);
}

fn emit_word(tok: &[Unit], span: (u32, u32), out: &mut Vec<Unit>) {
    // A char that is not ASCII becomes a NUL byte, which no number word has.
    let bytes = tok
        .iter()
        .map(|u| if u.c.is_ascii() { u.c as u8 } else { 0 });
    match number_word_of(tok.len(), bytes) {
        Some(d) => out.push(Unit {
            c: d,
            s: span.0,
            e: span.1,
        }),
        None => out.extend(tok.iter().copied()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        Vocabulary::new(
            [
                "free", "review", "refund", "star", "stars", "product", "sterne", "after",
            ]
            .map(String::from),
        )
    }

    fn n(s: &str) -> String {
        normalize(s, &vocab()).text
    }

    #[test]
    fn folds_obfuscations_to_the_same_form() {
        let table = [
            ("Leave a 5-STAR review!", "leave a 5 star review!"),
            ("f r e e product", "free product"),
            ("f r 3 3 stuff", "free stuff"),
            ("f.r.e.e", "free"),
            (
                "Get a f r e e product for your r e v i e w, DM us.",
                "get a free product for your review, dm us.",
            ),
            ("r3v13w for fr33", "review for free"),
            ("5tar", "star"),
            ("5star review", "5 star review"),
            ("R**fund aftr r**view", "refund aftr review"),
            ("⭐⭐⭐⭐⭐ review", "5 star review"),
            ("⭐️⭐️⭐️⭐️⭐️", "5 star"),
            ("a 5⭐ review", "a 5 star review"),
            ("a 5* review", "a 5 star review"),
            ("five-star", "5 star"),
            ("fünf Sterne", "5 sterne"),
            ("cinq étoiles", "5 etoiles"),
            ("re\u{200B}vi\u{200D}ew", "review"),
            (
                "L\u{0435}\u{0430}v\u{0435} \u{0430} r\u{0435}vi\u{0435}w",
                "leave a review",
            ),
            ("ｒｅｖｉｅｗ", "review"),
            ("gοοd", "good"),
            ("Bewertung für Straße", "bewertung fur strasse"),
            ("reseña", "resena"),
            ("星５つのレビュー", "星5つのレヒ\u{3099}ュー"),
            ("星五つ", "星5つ"),
            ("Hello,   world\n\n  next", "hello, world\nnext"),
            ("help@example.com", "help@example.com"),
            ("$10 gift-card", "$10 gift card"),
        ];
        for (input, want) in table {
            assert_eq!(n(input), want, "{input:?}");
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for (input, want) in [
            ("I bought 2 packs", "i bought 2 packs"),
            ("a b testing", "a b testing"),
            ("U.S. shipping", "u.s. shipping"),
            ("A B C D", "a b c d"),
        ] {
            assert_eq!(n(input), want, "{input:?}");
        }
    }

    #[test]
    fn spans_map_back_to_the_original() {
        let text = "Please leave a ⭐⭐⭐⭐⭐ r\u{0435}view, f r e e gift";
        let norm = normalize(text, &vocab());
        for needle in ["5 star", "review", "free", "gift"] {
            let at = norm.text.find(needle).unwrap();
            let (s, e) = norm.original_span(at, at + needle.len()).unwrap();
            assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            let quote = &text[s..e];
            match needle {
                "5 star" => assert_eq!(quote, "⭐⭐⭐⭐⭐"),
                "review" => assert_eq!(quote, "r\u{0435}view"),
                "free" => assert_eq!(quote, "f r e e"),
                _ => assert_eq!(quote, "gift"),
            }
        }
    }

    /// Every char of `codes` with what stage 1 makes of it (from bytes `0..3`).
    fn stage_one(codes: std::ops::Range<u32>) -> impl Iterator<Item = (char, Vec<Unit>)> {
        codes.filter_map(char::from_u32).map(|c| {
            let mut units = Vec::new();
            fold_non_ascii(&mut units, c, 0, 3);
            (c, units)
        })
    }

    #[test]
    fn the_self_fold_table_agrees_with_stage_one() {
        let mut table_says = 0;
        for (c, slow) in stage_one(SELF_FOLD_FROM - 16..SELF_FOLD_TO + 16) {
            if folds_to_itself(c) {
                table_says += 1;
                assert!(
                    matches!(slow.as_slice(), [u] if u.c == c) && is_word(c),
                    "{c:?}"
                );
            }
        }
        // Kana and ideographs (the kanji numerals too: stage 2 makes them digits), not voiced
        // kana (they decompose) or punctuation.
        assert!(folds_to_itself('レ') && folds_to_itself('星') && folds_to_itself('五'));
        assert!(!folds_to_itself('ご') && !folds_to_itself('。') && !folds_to_itself('a'));
        assert!(table_says > 20_000, "{table_says}");
    }

    #[test]
    fn the_latin_letters_table_agrees_with_stage_one() {
        let mut known = 0;
        for (c, slow) in stage_one(0x70..0x810) {
            if let Some(letters) = latin_letters(c) {
                known += 1;
                let want: Vec<u8> = letters.into_iter().filter(|&l| l != 0).collect();
                let got: Vec<u8> = slow.iter().map(|u| u.c as u8).collect();
                assert!(c.len_utf8() == 2 && got == want, "{c:?}: {slow:?}");
            }
        }
        assert_eq!(latin_letters('é'), Some([b'e', 0]));
        assert_eq!(latin_letters('Ü'), Some([b'u', 0]));
        assert_eq!(latin_letters('ß'), Some([b's', b's']));
        assert_eq!(latin_letters('\u{0430}'), Some([b'a', 0]), "Cyrillic a");
        // Not letters: a soft hyphen (dropped), a symbol, ASCII, a three-byte char.
        for c in ['\u{00AD}', '©', 'e', '€'] {
            assert_eq!(latin_letters(c), None, "{c:?}");
        }
        assert!(known > 150, "{known}");
    }

    #[test]
    fn the_voiced_kana_table_agrees_with_stage_one() {
        let mut pairs = 0;
        for (c, slow) in stage_one(KANA_FROM - 16..KANA_TO + 16) {
            if let Some((a, m)) = kana_pair(c) {
                pairs += 1;
                assert!(
                    matches!(slow.as_slice(), [x, y] if (x.c, y.c) == (a, m)),
                    "{c:?}: {slow:?}"
                );
            }
        }
        assert_eq!(kana_pair('ご'), Some(('こ', '\u{3099}')));
        assert_eq!(kana_pair('パ'), Some(('ハ', '\u{309A}')));
        assert_eq!(kana_pair('か'), None);
        assert_eq!(kana_pair('レ'), None);
        // The spacing marks fold to a space and a mark: not a pair of word chars.
        assert_eq!(kana_pair('\u{309B}'), None);
        // The voiced hiragana and katakana (ga to po, vu): 25 + 25 + 3 and more.
        assert!(pairs >= 50, "{pairs}");
    }

    /// What [`Vocabulary::unmask`] must find: the first word, in the sorted order, that matches.
    fn unmask_by_scan<'v>(vocab: &'v Vocabulary, m: &[char]) -> Option<&'v str> {
        vocab
            .sorted
            .iter()
            .find(|w| glob_match(m, w.as_bytes()))
            .map(String::as_str)
    }

    /// The indexed search gives what trying every word in order gives.
    #[test]
    fn unmask_finds_what_a_scan_of_every_word_finds() {
        let words: Vec<String> = [
            "review", "reviews", "refund", "rfund", "star", "stars", "start", "free", "fee",
            "five", "fiverr", "a1", "ab", "abc", "b", "product", "products", "reward",
        ]
        .map(String::from)
        .to_vec();
        let vocab = Vocabulary::new(words.clone());
        let mut masks = Vec::new();
        for w in &words {
            let chars: Vec<char> = w.chars().collect();
            for i in 0..chars.len() {
                for j in i + 1..=chars.len().min(i + 3) {
                    for k in 1..=3 {
                        let mut m: Vec<char> = chars.get(..i).unwrap().to_vec();
                        m.extend(std::iter::repeat_n('*', k));
                        m.extend_from_slice(chars.get(j..).unwrap());
                        masks.push(m);
                    }
                }
            }
        }
        masks.push("r*v**w".chars().collect());
        masks.push("**".chars().collect());
        masks.push("*e*".chars().collect());
        masks.push("zz*".chars().collect());
        let mut found = 0;
        for m in &masks {
            let want = unmask_by_scan(&vocab, m);
            found += usize::from(want.is_some());
            assert_eq!(vocab.unmask(m), want, "{}", m.iter().collect::<String>());
        }
        assert!(found > masks.len() / 2, "{found} of {}", masks.len());

        // Every word of the default pack's vocabulary, masked in the middle and at the ends.
        let pack =
            crate::text::CompiledPack::from_source(&crate::Engine::default_pack_source()).unwrap();
        let vocab = &pack.vocab;
        assert!(vocab.len() > 1000, "{}", vocab.len());
        for w in &vocab.sorted {
            let c: Vec<char> = w.chars().collect();
            let n = c.len();
            for m in [
                [&c[..1], &['*', '*'], &c[n.min(3)..]].concat(),
                [&c[..n / 2], &['*'], &c[(n / 2 + 1).min(n)..]].concat(),
                [&['*'], &c[1..]].concat(),
                [&c[..n - 1], &['*']].concat(),
            ] {
                let want = unmask_by_scan(vocab, &m);
                assert_eq!(vocab.unmask(&m), want, "{}", m.iter().collect::<String>());
            }
        }
    }

    #[test]
    fn glob_matches_masks() {
        let g = |p: &str, w: &str| glob_match(&p.chars().collect::<Vec<_>>(), w.as_bytes());
        assert!(g("r**view", "review"));
        assert!(g("r*view", "review"));
        assert!(g("r**fund", "refund"));
        assert!(!g("r*view", "rview"));
        assert!(!g("r**view", "reviews"));
    }

    #[test]
    fn plain_text_is_recognised_only_when_it_folds_to_itself() {
        for plain in ["leave a review", "free product", "star after star", "ab cd"] {
            // "a" alone is a single letter: not plain.
            let want = !plain.split(' ').any(|w| w.len() < 2);
            assert_eq!(is_folded_plain(plain), want, "{plain}");
        }
        for not_plain in [
            "",
            "review ",
            " review",
            "leave  review",
            "five stars",
            "Review",
            "r3view",
            "5tar",
            "f r e e",
            "revïew",
            "review!",
            "re*view",
        ] {
            assert!(!is_folded_plain(not_plain), "{not_plain:?}");
        }
    }

    proptest::proptest! {
        /// Text the engine build does not fold is text that folding leaves as it is: words
        /// of the vocabulary, number words and single letters, one or two spaces apart.
        #[test]
        fn plain_text_folds_to_itself(
            words in proptest::collection::vec(
                "[a-z]{1,7}|free|review|stars|star|five|two|eins|cinque|a|i|f r e e|s t a r",
                1..8,
            ),
            double in proptest::collection::vec(proptest::bool::ANY, 8),
        ) {
            let mut text = String::new();
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    text.push_str(if double.get(i).copied().unwrap_or(false) { "  " } else { " " });
                }
                text.push_str(w);
            }
            if is_folded_plain(&text) {
                proptest::prop_assert_eq!(normalize_text(&text, &vocab()), text);
            }
        }

        /// Chars written whole (one note when they can) map like the same bytes written
        /// one at a time, whatever their widths and spans: a char wider than its span, a
        /// span shared by chars of different widths (`㋀` → `1月`), spans of width 0.
        #[test]
        fn chars_written_whole_map_like_their_bytes(
            units in proptest::collection::vec(
                (proptest::sample::select(vec!['a', 'é', '月', 'の', '😀', ' ']), 0u32..5, 0u32..5, proptest::bool::ANY),
                0..40,
            ),
        ) {
            let (mut whole, mut bytes) = (Out::with_capacity(0, true), Out::with_capacity(0, true));
            let mut want = Vec::new();
            let mut at = 0u32;
            let mut last = (0, 0);
            for &(c, jump, width, repeat) in &units {
                let (s, e) = if repeat { last } else { (at + jump, at + jump + width) };
                at = e;
                last = (s, e);
                whole.unit(Unit { c, s, e });
                bytes.unit_by_bytes(Unit { c, s, e });
                want.extend(std::iter::repeat_n((s, e), c.len_utf8()));
            }
            let (whole, bytes) = (whole.finish(), bytes.finish());
            for (k, &span) in want.iter().enumerate() {
                proptest::prop_assert_eq!(span_of(&bytes.pieces, k), Some(span));
            }
            proptest::prop_assert_eq!(whole, bytes);
        }

        /// The eight-bytes-at-a-time run of letters and digits is the byte-at-a-time one.
        #[test]
        fn alnum_run_is_the_bytewise_run(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    b'a'..=b'z', b'A'..=b'Z', b'0'..=b'9', proptest::num::u8::ANY,
                ],
                0..40,
            ),
            from in 0usize..40,
        ) {
            let rest = bytes.get(from.min(bytes.len())..).unwrap_or_default();
            let n = rest.iter().position(|&b| kind(b) & ALNUM == 0).unwrap_or(rest.len());
            let upper = if rest.iter().take(n).any(u8::is_ascii_uppercase) { UPPER } else { 0 };
            let seen = rest.iter().take(n).fold(upper, |k, &b| k | kind(b));
            proptest::prop_assert_eq!(alnum_run(rest), (n, seen));
        }

        /// The pieces give back every byte's span as it was written, whichever way the bytes
        /// were written (one at a time or as a word), and the same spans make the same pieces.
        #[test]
        fn pieces_give_back_each_bytes_span(
            bytes in proptest::collection::vec((0u32..6, 0u32..3, proptest::bool::ANY), 0..60),
        ) {
            // Spans that run on (`s` one past the last), repeat, jump or cover several bytes.
            let mut spans = Vec::new();
            let mut at = 0u32;
            for &(jump, width, repeat) in &bytes {
                if !repeat || spans.is_empty() {
                    at += jump;
                    spans.push((at, at + width));
                    at += width.max(1);
                } else if let Some(&last) = spans.last() {
                    spans.push(last);
                }
            }
            let mut by_byte = Out::with_capacity(spans.len(), true);
            for &(s, e) in &spans {
                by_byte.ascii(b'x', s, e);
            }
            // The same map written as words wherever spans run on one byte at a time.
            let mut by_word = Out::with_capacity(spans.len(), true);
            let mut k = 0;
            while let Some(&(s, e)) = spans.get(k) {
                let run = spans
                    .get(k..)
                    .unwrap_or_default()
                    .iter()
                    .zip(s..)
                    .take_while(|&(&(a, b), i)| a == i && b == i + 1)
                    .count();
                if run >= 2 && number_word_of(run, std::iter::repeat_n(b'x', run)).is_none() {
                    by_word.word(&"x".repeat(run), LETTER, s as usize, &vocab(), &mut Vec::new());
                    k += run;
                } else {
                    by_word.ascii(b'x', s, e);
                    k += 1;
                }
            }
            // The same map written as whole chars wherever spans allow it.
            let mut by_char = Out::with_capacity(spans.len(), true);
            for &(s, e) in &spans {
                by_char.unit(Unit { c: 'x', s, e });
            }
            let (a, b) = (by_byte.finish(), by_word.finish());
            proptest::prop_assert_eq!(&a, &by_char.finish());
            for (k, &(s, e)) in spans.iter().enumerate() {
                proptest::prop_assert_eq!(span_of(&a.pieces, k), Some((s, e)));
                proptest::prop_assert_eq!(a.original_span(k, k + 1), Some((s as usize, e.max(s) as usize)));
            }
            proptest::prop_assert_eq!(a, b);
        }
    }
}
