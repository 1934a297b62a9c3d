//! [`Engine`]: a compiled policy pack plus the predicates, built once and shared.

use crate::case::{Case, Channel, ValidCase};
use crate::decision::{Confidence, Decision};
use crate::error::{Error, ErrorCode, Result};
use crate::kind::Kind;
use crate::text::pack::{self, PackLimits, PackSource, RuleSource, TextChannel};
use crate::text::{CompiledPack, Finding, Normalized};
use std::sync::{Arc, OnceLock};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_pack.rs"));
}

/// Limits on what one case and one pack may hold; an input over a limit is an error with code
/// `limit_exceeded` and a location, never a partial decision.
///
/// Limits are checked before the expensive work they guard: the case size before anything
/// else, then nesting depth and list lengths in one pass over the raw JSON bytes (so a case
/// with a million relations is refused before a million records are allocated), then text
/// lengths. The same list and text limits are checked again in [`Engine::evaluate`] for
/// cases built in code.
///
/// ```
/// use reviewguard::{Engine, ErrorCode, Limits};
/// let limits = Limits { max_list_len: 2, ..Limits::default() };
/// let engine = Engine::with_limits(Engine::default_pack_source(), limits)?;
/// let err = engine
///     .evaluate_json(r#"{"parties":[{"id":"A","role":"seller"},{"id":"B","role":"buyer"},
///                                  {"id":"C","role":"buyer"}]}"#)
///     .unwrap_err();
/// assert_eq!((err.code, err.location.as_deref()), (ErrorCode::LimitExceeded, Some("parties")));
/// # Ok::<(), reviewguard::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of case JSON (default 64 MiB).
    pub max_case_bytes: usize,
    /// Bytes of one text field: message text, payment note, review text or title, a product's
    /// brand, title, category or type, or a text given to [`Engine::scan`] (default 1 MiB).
    pub max_text_bytes: usize,
    /// Items in one list of a case, at any depth: parties, relations, products, reviews,
    /// messages, payments, catalog events, a review's edits, and in case JSON any other list
    /// (inside a product's theme) (default 200 000 each).
    pub max_list_len: usize,
    /// Depth of JSON nesting, counting every `[` and `{` (default 64; a valid case needs 4).
    /// The JSON parser has its own guard at 128 levels, so values above 127 act as 127.
    pub max_json_depth: usize,
    /// Limits on the policy pack.
    pub pack: PackLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_case_bytes: 64 << 20,
            max_text_bytes: 1 << 20,
            max_list_len: 200_000,
            max_json_depth: 64,
            pack: PackLimits::default(),
        }
    }
}

/// The decision engine: immutable, `Send + Sync`, built once from a policy pack.
///
/// ```
/// let engine = reviewguard::Engine::new()?;
/// let decision = engine.evaluate_json(r#"{"id":"c1","messages":[{"id":"M1",
///     "text":"Please leave us a 5-star review!"}]}"#)?;
/// assert_eq!(decision.violations[0].kind.slug(), "biased-review-request");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// An `Engine` is a cheap handle (`Arc`): cloning it shares the compiled pack. The bundled
/// default engine is built once per process, on the first [`Engine::new`].
#[derive(Debug, Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    pack: CompiledPack,
    source: PackSource,
    limits: Limits,
}

/// The outcome of checking a pack: every diagnostic, and how its rule examples fared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackReport {
    /// Diagnostics, in file order; empty when the pack is valid.
    pub errors: Vec<Error>,
    /// Rules checked.
    pub rules: usize,
    /// Examples run.
    pub examples: usize,
}

impl Engine {
    /// An engine over the bundled default pack (`policies/amazon-reviews`).
    pub fn new() -> Result<Engine> {
        static DEFAULT: OnceLock<Result<Engine>> = OnceLock::new();
        DEFAULT
            .get_or_init(|| Engine::from_pack(Engine::default_pack_source()))
            .clone()
    }

    /// The bundled default pack's files.
    pub fn default_pack_source() -> PackSource {
        PackSource {
            files: embedded::DEFAULT_PACK_FILES
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        }
    }

    /// An engine over a pack held in one TOML string.
    pub fn from_pack_str(text: &str) -> Result<Engine> {
        Engine::from_pack(PackSource::from_text(text))
    }

    /// An engine over a pack given as files.
    ///
    /// The build compiles the pack's regexes on a second thread while it folds and
    /// tables the literal terms (the default pack builds in about 45 ms of wall time on the
    /// benchmark machine); the thread is joined before this returns. In WebAssembly, or when
    /// no thread can be made, everything runs on the calling thread. Errors are the same
    /// either way: the first bad regex term, then the first bad literal term.
    pub fn from_pack(source: PackSource) -> Result<Engine> {
        Engine::with_limits(source, Limits::default())
    }

    /// An engine over a pack, with explicit limits.
    pub fn with_limits(source: PackSource, limits: Limits) -> Result<Engine> {
        let spec = pack::parse_first(&source, &limits.pack)?;
        let pack = CompiledPack::compile(spec, limits.pack.max_regex_bytes)?;
        let automaton_bytes = pack.stats().automaton_bytes;
        if automaton_bytes > limits.pack.max_automaton_bytes {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                format!(
                    "the compiled pack takes {automaton_bytes} bytes, over the limit of {}",
                    limits.pack.max_automaton_bytes
                ),
            ));
        }
        Ok(Engine {
            inner: Arc::new(Inner {
                pack,
                source,
                limits,
            }),
        })
    }

    /// Validates a pack and runs every rule's `must_match` / `must_not_match` examples.
    pub fn check_pack(source: &PackSource) -> PackReport {
        let limits = PackLimits::default();
        let spec = match pack::parse(source, &limits) {
            Ok(s) => s,
            Err(errors) => {
                return PackReport {
                    errors,
                    ..PackReport::default()
                }
            }
        };
        let rules = spec.rules.clone();
        let compiled = match CompiledPack::compile(spec, limits.max_regex_bytes) {
            Ok(c) => c,
            Err(e) => {
                return PackReport {
                    errors: vec![e],
                    ..PackReport::default()
                }
            }
        };
        let mut report = PackReport {
            rules: rules.len(),
            ..PackReport::default()
        };
        for (ri, r) in rules.iter().enumerate() {
            let channel = match r.source {
                RuleSource::Review => TextChannel::Review,
                RuleSource::Message => r
                    .channels
                    .as_ref()
                    .and_then(|c| c.first().copied())
                    .unwrap_or(TextChannel::Message(Channel::BuyerSellerMessage)),
            };
            for (text, loc, must) in r
                .must_match
                .iter()
                .map(|(t, l)| (t, l, true))
                .chain(r.must_not_match.iter().map(|(t, l)| (t, l, false)))
            {
                report.examples += 1;
                let fired = compiled
                    .scan(text, channel, None)
                    .iter()
                    .any(|f| f.rule == ri);
                if fired != must {
                    let what = if must { "does not match" } else { "matches" };
                    let list = if must { "must_match" } else { "must_not_match" };
                    report.errors.push(Error::at(
                        ErrorCode::PackExampleFailed,
                        loc.clone(),
                        format!("rule `{}` {what} its {list} example `{text}`", r.id),
                    ));
                }
            }
        }
        report
    }

    /// `name@version` of the pack, as reported in decisions.
    pub fn pack_id(&self) -> String {
        format!("{}@{}", self.inner.pack.name, self.inner.pack.version)
    }

    /// The pack's source files (what a binding pickles or ships to workers).
    pub fn pack_source(&self) -> &PackSource {
        &self.inner.source
    }

    /// The languages the pack declares.
    pub fn languages(&self) -> &[String] {
        &self.inner.pack.languages
    }

    /// Sizes of the compiled pack: terms, rules, automaton memory.
    pub fn stats(&self) -> crate::text::matcher::PackStats {
        self.inner.pack.stats()
    }

    /// The concept names the pack defines, in definition order.
    pub fn concepts(&self) -> &[String] {
        &self.inner.pack.concepts
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// Reads and judges one case given as JSON.
    pub fn evaluate_json(&self, json: &str) -> Result<Decision> {
        if json.len() > self.inner.limits.max_case_bytes {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                format!(
                    "case is {} bytes, over the limit of {}",
                    json.len(),
                    self.inner.limits.max_case_bytes
                ),
            ));
        }
        crate::case::prescan(
            json,
            self.inner.limits.max_json_depth,
            self.inner.limits.max_list_len,
        )?;
        let vc = Case::from_json(json)?;
        self.evaluate(&vc)
    }

    /// Judges a validated case.
    pub fn evaluate(&self, vc: &ValidCase) -> Result<Decision> {
        self.check_limits(&vc.case)?;
        Ok(Decision {
            case: vc.case.id.clone(),
            pack: self.pack_id(),
            violations: crate::predicates::evaluate(&self.inner.pack, vc),
        })
    }

    /// Judges many cases; results keep the input order.
    pub fn evaluate_batch<'a>(
        &self,
        cases: impl IntoIterator<Item = &'a str>,
    ) -> Vec<Result<Decision>> {
        cases.into_iter().map(|c| self.evaluate_json(c)).collect()
    }

    /// Judges one seller-written text in a channel; `locale` narrows the languages tried.
    pub fn scan(&self, text: &str, channel: Channel, locale: Option<&str>) -> Result<Vec<Finding>> {
        self.check_text(text, "text")?;
        Ok(findings(
            &self.inner.pack,
            text,
            TextChannel::Message(channel),
            locale,
        ))
    }

    /// Judges a review's own text for incentive disclosures.
    pub fn scan_review(&self, text: &str) -> Result<Vec<Finding>> {
        self.check_text(text, "text")?;
        Ok(findings(&self.inner.pack, text, TextChannel::Review, None))
    }

    /// The normalised form of `text` (for debugging rules and for tests).
    pub fn normalize(&self, text: &str) -> Normalized {
        self.inner.pack.normalize(text)
    }

    fn check_text(&self, text: &str, loc: &str) -> Result<()> {
        if text.len() > self.inner.limits.max_text_bytes {
            return Err(Error::at(
                ErrorCode::LimitExceeded,
                loc,
                format!(
                    "text is {} bytes, over the limit of {}",
                    text.len(),
                    self.inner.limits.max_text_bytes
                ),
            ));
        }
        Ok(())
    }

    fn check_limits(&self, case: &Case) -> Result<()> {
        let lists = [
            ("parties", case.parties.len()),
            ("relations", case.relations.len()),
            ("products", case.products.len()),
            ("reviews", case.reviews.len()),
            ("messages", case.messages.len()),
            ("payments", case.payments.len()),
            ("catalog_events", case.catalog_events.len()),
        ];
        let over = |at: String, name: &str, len: usize| {
            Error::at(
                ErrorCode::LimitExceeded,
                at,
                format!(
                    "`{name}` has {len} items, over the limit of {}",
                    self.inner.limits.max_list_len
                ),
            )
        };
        for (name, len) in lists {
            if len > self.inner.limits.max_list_len {
                return Err(over(name.to_string(), name, len));
            }
        }
        for (i, r) in case.reviews.iter().enumerate() {
            if r.edits.len() > self.inner.limits.max_list_len {
                return Err(over(format!("reviews[{i}].edits"), "edits", r.edits.len()));
            }
        }
        for (i, m) in case.messages.iter().enumerate() {
            self.check_text(&m.text, &format!("messages[{i}].text"))?;
        }
        for (i, p) in case.payments.iter().enumerate() {
            if let Some(n) = &p.note {
                self.check_text(n, &format!("payments[{i}].note"))?;
            }
        }
        for (i, r) in case.reviews.iter().enumerate() {
            for (f, t) in [("text", &r.text), ("title", &r.title)] {
                if let Some(t) = t {
                    self.check_text(t, &format!("reviews[{i}].{f}"))?;
                }
            }
        }
        // Catalog attributes are compared and copied into evidence: bounded like text.
        for (i, p) in case.products.iter().enumerate() {
            let fields = [
                ("brand", &p.brand),
                ("title", &p.title),
                ("category", &p.category),
                ("product_type", &p.product_type),
            ];
            for (f, t) in fields {
                if let Some(t) = t {
                    self.check_text(t, &format!("products[{i}].{f}"))?;
                }
            }
        }
        Ok(())
    }
}

/// Text findings of `text` in a channel, one per (rule span, reported kind), in span order.
pub(crate) fn findings(
    pack: &CompiledPack,
    text: &str,
    channel: TextChannel,
    locale: Option<&str>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for raw in pack.scan(text, channel, locale) {
        let Some(rule) = pack.rules.get(raw.rule) else {
            continue;
        };
        let kinds: Vec<Kind> = pack
            .remap
            .get(&(channel, rule.kind))
            .cloned()
            .unwrap_or_else(|| vec![rule.kind]);
        for kind in kinds {
            out.push(Finding {
                kind,
                code: kind.code(),
                rule: rule.id.clone(),
                confidence: if rule.high_confidence {
                    Confidence::High
                } else {
                    Confidence::Medium
                },
                start: raw.start,
                end: raw.end,
                // Quoted once the spans are merged.
                quote: String::new(),
                why: rule.why.clone(),
            });
        }
    }
    merge_overlapping(out, text)
}

/// Several rules often prove one kind on overlapping words; a reader wants one finding per
/// passage. Overlapping findings of the same kind merge into their union span; the rule, why
/// and confidence of the longest one (then the earliest, then the smallest rule id) are kept.
/// Each finding's `quote` is the text of its final span (taken once, after the merging: a chain
/// of overlapping findings over a long text would otherwise copy a growing quote at each step).
fn merge_overlapping(mut all: Vec<Finding>, text: &str) -> Vec<Finding> {
    all.sort_by(|a, b| {
        (a.kind, a.start, std::cmp::Reverse(a.end), &a.rule).cmp(&(
            b.kind,
            b.start,
            std::cmp::Reverse(b.end),
            &b.rule,
        ))
    });
    let mut out: Vec<Finding> = Vec::with_capacity(all.len());
    for f in all {
        match out.last_mut() {
            Some(last) if last.kind == f.kind && f.start < last.end => {
                let longer = f.end - f.start > last.end - last.start;
                let end = last.end.max(f.end);
                if longer {
                    last.rule = f.rule;
                    last.why = f.why;
                    last.confidence = f.confidence;
                }
                last.confidence = last.confidence.max(f.confidence);
                last.end = end;
            }
            _ => out.push(f),
        }
    }
    for f in &mut out {
        f.quote = text.get(f.start..f.end).unwrap_or_default().to_string();
    }
    out.sort_by(|a, b| (a.start, a.end, a.kind, &a.rule).cmp(&(b.start, b.end, b.kind, &b.rule)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_findings_of_one_kind_merge() {
        let engine = Engine::new().unwrap();
        let text = "Love it? Leave us a ⭐⭐⭐⭐⭐ review!";
        let f = engine.scan(text, Channel::PackageInsert, None).unwrap();
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].kind, Kind::InsertSolicitation);
        assert_eq!(&text[f[0].start..f[0].end], f[0].quote);
        // Different kinds on the same words stay apart.
        let f = engine
            .scan(
                "Leave a 5-star review and get a $10 gift card!",
                Channel::BuyerSellerMessage,
                None,
            )
            .unwrap();
        let kinds: std::collections::BTreeSet<Kind> = f.iter().map(|x| x.kind).collect();
        assert_eq!(kinds.len(), f.len());
        assert!(
            kinds.contains(&Kind::CompensatedReview) && kinds.contains(&Kind::BiasedReviewRequest)
        );
    }

    #[test]
    fn engine_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
    }

    #[test]
    fn limits_give_errors_with_locations() {
        let limits = Limits {
            max_text_bytes: 10,
            ..Limits::default()
        };
        let engine = Engine::with_limits(Engine::default_pack_source(), limits).unwrap();
        let e = engine
            .evaluate_json(r#"{"messages":[{"id":"M","text":"this text is too long"}]}"#)
            .unwrap_err();
        assert_eq!(
            (e.code, e.location.as_deref()),
            (ErrorCode::LimitExceeded, Some("messages[0].text"))
        );
        let e = engine
            .scan("this text is too long", Channel::External, None)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::LimitExceeded);
    }
}
