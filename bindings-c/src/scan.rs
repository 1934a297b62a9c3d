//! [`rg_engine_scan`]: judge one text and get typed findings, without JSON.

use crate::engine::rg_engine;
use crate::error::rg_error;
use crate::ffi::{self, guard, guard_value, input_str, Failure, Out};
use crate::status::rg_status;
use engine::{Channel, Confidence, Finding, Kind};
use std::ffi::{c_char, CStr};

/// A violation kind; the number is the one in its code (`RG_KIND_INSIDER_REVIEW` = 5 is
/// `RP-05`). [`rg_kind_code`] and [`rg_kind_slug`] give its names.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum rg_kind {
    /// RP-01 `seller-self-review`.
    SellerSelfReview = 1,
    /// RP-02 `compensated-review`.
    CompensatedReview = 2,
    /// RP-03 `refund-for-review-change`.
    RefundForReviewChange = 3,
    /// RP-04 `review-club`.
    ReviewClub = 4,
    /// RP-05 `insider-review`.
    InsiderReview = 5,
    /// RP-06 `review-change-request`.
    ReviewChangeRequest = 6,
    /// RP-07 `review-diversion`.
    ReviewDiversion = 7,
    /// RP-08 `variation-abuse`.
    VariationAbuse = 8,
    /// RP-09 `insert-solicitation`.
    InsertSolicitation = 9,
    /// RP-10 `customer-account-misuse`.
    CustomerAccountMisuse = 10,
    /// RP-11 `biased-review-request`.
    BiasedReviewRequest = 11,
}

impl rg_kind {
    /// The C value of a core kind.
    pub fn of(kind: Kind) -> rg_kind {
        match kind {
            Kind::SellerSelfReview => rg_kind::SellerSelfReview,
            Kind::CompensatedReview => rg_kind::CompensatedReview,
            Kind::RefundForReviewChange => rg_kind::RefundForReviewChange,
            Kind::ReviewClub => rg_kind::ReviewClub,
            Kind::InsiderReview => rg_kind::InsiderReview,
            Kind::ReviewChangeRequest => rg_kind::ReviewChangeRequest,
            Kind::ReviewDiversion => rg_kind::ReviewDiversion,
            Kind::VariationAbuse => rg_kind::VariationAbuse,
            Kind::InsertSolicitation => rg_kind::InsertSolicitation,
            Kind::CustomerAccountMisuse => rg_kind::CustomerAccountMisuse,
            Kind::BiasedReviewRequest => rg_kind::BiasedReviewRequest,
        }
    }
}

/// The channel a text is sent in ([`rg_engine_scan`]), plus `RG_CHANNEL_REVIEW` for a
/// customer's own review text (checked for incentive disclosures).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum rg_channel {
    /// Buyer-seller messaging on the marketplace.
    BuyerSellerMessage = 0,
    /// A card or flyer in the package or shipping box.
    PackageInsert = 1,
    /// Listing text.
    ProductListing = 2,
    /// The seller's own request-for-review email.
    ReviewRequest = 3,
    /// Social media, email, website or SMS outside the marketplace.
    External = 4,
    /// A customer's review text (not a channel of the seller: the `scan --review` of the CLI).
    Review = 5,
}

/// How strong the evidence of a finding is.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum rg_confidence {
    /// Linkage signals or weaker wording.
    Medium = 1,
    /// Explicit text, or ownership, employment or partnership.
    High = 2,
}

/// One finding of [`rg_engine_scan`]: a rule of the pack fired on a span of the text.
///
/// `start` and `end` are UTF-8 byte offsets into the text passed in (`end` exclusive, both on
/// character boundaries). The strings are NUL-terminated, their lengths exclude the NUL, and
/// they are owned by the `rg_findings` the finding came from: valid until
/// [`rg_findings_free`].
#[repr(C)]
#[derive(Debug)]
pub struct rg_finding {
    /// The kind reported (after the pack's channel remapping).
    pub kind: rg_kind,
    /// How strong the evidence is.
    pub confidence: rg_confidence,
    /// UTF-8 byte offset of the start of the span.
    pub start: usize,
    /// UTF-8 byte offset of the end of the span (exclusive).
    pub end: usize,
    /// The rule id, e.g. `"en.incentive.gift_card"`.
    pub rule: *const c_char,
    /// Length of `rule` in bytes.
    pub rule_len: usize,
    /// The text of the span, as passed in.
    pub quote: *const c_char,
    /// Length of `quote` in bytes (`end - start`).
    pub quote_len: usize,
    /// One line: why the rule fires.
    pub why: *const c_char,
    /// Length of `why` in bytes.
    pub why_len: usize,
}

/// The findings of one [`rg_engine_scan`], in span order. Opaque; read it with
/// [`rg_findings_len`] and [`rg_findings_items`] or [`rg_findings_get`], free it with
/// [`rg_findings_free`].
///
/// Thread safety: immutable; may be read from any thread, freed once.
#[derive(Debug)]
pub struct rg_findings {
    items: Vec<rg_finding>,
    /// The NUL-terminated strings the items point into; boxed slices never move.
    strings: Vec<Box<[u8]>>,
}

impl rg_findings {
    fn new(findings: Vec<Finding>) -> Self {
        let mut all = rg_findings {
            items: Vec::with_capacity(findings.len()),
            strings: Vec::with_capacity(findings.len() * 3),
        };
        for f in findings {
            let (rule, rule_len) = all.keep(f.rule);
            let (quote, quote_len) = all.keep(f.quote);
            let (why, why_len) = all.keep(f.why);
            all.items.push(rg_finding {
                kind: rg_kind::of(f.kind),
                confidence: match f.confidence {
                    Confidence::High => rg_confidence::High,
                    _ => rg_confidence::Medium,
                },
                start: f.start,
                end: f.end,
                rule,
                rule_len,
                quote,
                quote_len,
                why,
                why_len,
            });
        }
        all
    }

    /// Stores `s` with a NUL and returns a pointer to it that stays valid while `self` lives.
    fn keep(&mut self, s: String) -> (*const c_char, usize) {
        let len = s.len();
        let mut bytes = s.into_bytes();
        bytes.push(0);
        let boxed = bytes.into_boxed_slice();
        let ptr = boxed.as_ptr().cast();
        self.strings.push(boxed);
        (ptr, len)
    }

    /// The findings.
    pub fn items(&self) -> &[rg_finding] {
        &self.items
    }
}

/// Judges one text (`text`, `text_len` bytes of UTF-8) sent in `channel` (an `rg_channel`
/// value) and stores the findings at `*findings_out` (possibly zero of them).
///
/// `locale` (`locale_len` bytes, e.g. `"de"`) narrows the languages tried; `(NULL, 0)` tries
/// every language of the pack. An unknown `channel` returns `RG_STATUS_INVALID_ARGUMENT`; a
/// text over the engine's limit (1 MiB) returns `RG_STATUS_LIMIT_EXCEEDED`. Thread-safe
/// (shared engine).
///
/// # Safety
///
/// `engine` must be NULL or a live engine; `text` and `locale` must each be NULL or point to
/// their length in readable bytes; `findings_out` must be NULL or valid for writing one
/// pointer; `err` must be NULL or a live error object not used by another thread.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn rg_engine_scan(
    engine: *const rg_engine,
    text: *const c_char,
    text_len: usize,
    channel: u32,
    locale: *const c_char,
    locale_len: usize,
    findings_out: *mut *mut rg_findings,
    err: *mut rg_error,
) -> rg_status {
    guard(err, || {
        // SAFETY: forwarded caller contract: NULL or a live engine.
        let engine = unsafe { ffi::handle(engine, "engine") }?;
        let out = Out::new(findings_out, "findings_out")?;
        // SAFETY: forwarded caller contract on `text` / `text_len`.
        let text = unsafe { input_str(text, text_len, "text") }?;
        // SAFETY: forwarded caller contract on `locale` / `locale_len`.
        let locale = unsafe { input_str(locale, locale_len, "locale") }?;
        let locale = (!locale.is_empty()).then_some(locale);
        let found = match channel {
            c if c == rg_channel::Review as u32 => engine.inner.scan_review(text)?,
            c => {
                let ch = usize::try_from(c)
                    .ok()
                    .and_then(|i| Channel::ALL.get(i).copied())
                    .ok_or_else(|| {
                        Failure::new(
                            rg_status::InvalidArgument,
                            format!("`channel` is {c}, not an `rg_channel` value"),
                        )
                    })?;
                engine.inner.scan(text, ch, locale)?
            }
        };
        // SAFETY: `findings_out` is valid for writes by the caller's contract.
        unsafe { out.write(ffi::into_handle(rg_findings::new(found))) };
        Ok(())
    })
}

/// The number of findings in `findings`; 0 when it is NULL. Thread-safe.
///
/// # Safety
///
/// `findings` must be NULL or a live `rg_findings`.
#[no_mangle]
pub unsafe extern "C" fn rg_findings_len(findings: *const rg_findings) -> usize {
    guard_value(0, || {
        // SAFETY: forwarded caller contract: NULL or live.
        unsafe { ffi::handle(findings, "findings") }.map_or(0, |f| f.items.len())
    })
}

/// The findings as an array of [`rg_findings_len`] structs, owned by `findings` (valid until
/// [`rg_findings_free`]); NULL when there are none or `findings` is NULL. Thread-safe.
///
/// # Safety
///
/// `findings` must be NULL or a live `rg_findings`.
#[no_mangle]
pub unsafe extern "C" fn rg_findings_items(findings: *const rg_findings) -> *const rg_finding {
    guard_value(std::ptr::null(), || {
        // SAFETY: forwarded caller contract: NULL or live.
        match unsafe { ffi::handle(findings, "findings") } {
            Ok(f) if !f.items.is_empty() => f.items.as_ptr(),
            _ => std::ptr::null(),
        }
    })
}

/// The finding at `index`, owned by `findings`; NULL when `index` is out of range or
/// `findings` is NULL. Thread-safe.
///
/// # Safety
///
/// `findings` must be NULL or a live `rg_findings`.
#[no_mangle]
pub unsafe extern "C" fn rg_findings_get(
    findings: *const rg_findings,
    index: usize,
) -> *const rg_finding {
    guard_value(std::ptr::null(), || {
        // SAFETY: forwarded caller contract: NULL or live.
        unsafe { ffi::handle(findings, "findings") }
            .ok()
            .and_then(|f| f.items.get(index))
            .map_or(std::ptr::null(), |f| f as *const rg_finding)
    })
}

/// Frees the findings of [`rg_engine_scan`] and every string they hold. NULL is ignored.
///
/// Thread safety: must not race with any other use of `findings`.
///
/// # Safety
///
/// `findings` must be NULL or come from [`rg_engine_scan`] and not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rg_findings_free(findings: *mut rg_findings) {
    // SAFETY: forwarded caller contract: NULL or from `rg_engine_scan`, not used again.
    guard_value((), || unsafe { ffi::free_handle(findings) })
}

/// The stable code of a kind number, `"RP-01"` to `"RP-11"`; NULL for a number that is no
/// kind. Static string: do not free. Thread-safe.
#[no_mangle]
pub extern "C" fn rg_kind_code(kind: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        kind_names(kind).map_or(std::ptr::null(), |(code, _)| code.as_ptr())
    })
}

/// The stable slug of a kind number, e.g. `"insider-review"`; NULL for a number that is no
/// kind. Static string: do not free. Thread-safe.
#[no_mangle]
pub extern "C" fn rg_kind_slug(kind: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        kind_names(kind).map_or(std::ptr::null(), |(_, slug)| slug.as_ptr())
    })
}

/// Code and slug of a kind number as C strings (the unit tests hold them equal to the core's).
fn kind_names(kind: u32) -> Option<(&'static CStr, &'static CStr)> {
    const NAMES: [(&CStr, &CStr); 11] = [
        (c"RP-01", c"seller-self-review"),
        (c"RP-02", c"compensated-review"),
        (c"RP-03", c"refund-for-review-change"),
        (c"RP-04", c"review-club"),
        (c"RP-05", c"insider-review"),
        (c"RP-06", c"review-change-request"),
        (c"RP-07", c"review-diversion"),
        (c"RP-08", c"variation-abuse"),
        (c"RP-09", c"insert-solicitation"),
        (c"RP-10", c"customer-account-misuse"),
        (c"RP-11", c"biased-review-request"),
    ];
    let index = usize::try_from(kind).ok()?.checked_sub(1)?;
    NAMES.get(index).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_numbers_are_the_numbers_of_their_codes() {
        for k in Kind::ALL {
            assert_eq!(format!("RP-{:02}", rg_kind::of(k) as u32), k.code());
            let (code, slug) = kind_names(rg_kind::of(k) as u32).unwrap();
            assert_eq!(
                (code.to_str().unwrap(), slug.to_str().unwrap()),
                (k.code(), k.slug())
            );
        }
        assert!(rg_kind_code(0).is_null());
        assert!(rg_kind_code(12).is_null());
    }

    #[test]
    fn channels_follow_the_core_order() {
        let c = [
            rg_channel::BuyerSellerMessage,
            rg_channel::PackageInsert,
            rg_channel::ProductListing,
            rg_channel::ReviewRequest,
            rg_channel::External,
        ];
        for (i, ch) in Channel::ALL.iter().enumerate() {
            assert_eq!(c[i] as usize, i, "{}", ch.as_str());
        }
    }
}
