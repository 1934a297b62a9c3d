//! The JavaScript-facing shapes, declared once in Rust so that `tsify` writes the TypeScript.
//!
//! The core's types serialise to JSON but do not derive `Tsify` (the core knows nothing of
//! JavaScript), so this module mirrors their serialised shape. The mirrors are checked, not
//! trusted: the unit tests at the bottom read every decision of the example corpus into
//! [`Decision`] with `deny_unknown_fields` and write it back byte for byte, and compare the
//! string unions ([`Kind`], [`ErrorCode`], [`Channel`]) with the core's lists. A change of
//! shape in the core therefore fails `cargo test` here before it can reach the `.d.ts`.

use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::wasm_bindgen;

/// Options of `Engine.scan`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ScanOptions {
    /// The channel the text is sent in; default `buyer_seller_message`.
    #[serde(default)]
    #[tsify(optional)]
    pub channel: Option<Channel>,
    /// A language hint (`en`, `de`, `fr`, `es`, `it`, `ja`); default: every language of the pack.
    #[serde(default)]
    #[tsify(optional)]
    pub locale: Option<String>,
}

/// Input limits of an engine (`Engine.withLimits`, `engine.limits`); an omitted field keeps
/// its default. Over a limit, a call throws `limit_exceeded` with a location.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Limits {
    /// Bytes of one case's JSON (UTF-8); default 64 MiB.
    #[serde(default)]
    #[tsify(optional)]
    pub max_case_bytes: Option<u32>,
    /// Bytes of one text field or scanned text (UTF-8); default 1 MiB.
    #[serde(default)]
    #[tsify(optional)]
    pub max_text_bytes: Option<u32>,
    /// Items in one list of a case (parties, relations, reviews, ...); default 200 000.
    #[serde(default)]
    #[tsify(optional)]
    pub max_list_len: Option<u32>,
    /// Levels of JSON nesting; default 64.
    #[serde(default)]
    #[tsify(optional)]
    pub max_json_depth: Option<u32>,
}

impl Limits {
    /// The core's limits: given fields over the defaults.
    pub fn to_core(&self) -> reviewguard::Limits {
        let d = reviewguard::Limits::default();
        let or = |v: Option<u32>, d: usize| v.map_or(d, |v| v as usize);
        reviewguard::Limits {
            max_case_bytes: or(self.max_case_bytes, d.max_case_bytes),
            max_text_bytes: or(self.max_text_bytes, d.max_text_bytes),
            max_list_len: or(self.max_list_len, d.max_list_len),
            max_json_depth: or(self.max_json_depth, d.max_json_depth),
            ..d
        }
    }

    /// Every field, from the core's limits.
    pub fn from_core(l: &reviewguard::Limits) -> Limits {
        let n = |v: usize| Some(u32::try_from(v).unwrap_or(u32::MAX));
        Limits {
            max_case_bytes: n(l.max_case_bytes),
            max_text_bytes: n(l.max_text_bytes),
            max_list_len: n(l.max_list_len),
            max_json_depth: n(l.max_json_depth),
        }
    }
}

/// Where a seller's text is sent (CASES.md, message `channel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A message to a buyer through the marketplace.
    BuyerSellerMessage,
    /// A printed insert in the package.
    PackageInsert,
    /// The product listing.
    ProductListing,
    /// The seller's own request-for-review email.
    ReviewRequest,
    /// Social media, email, website, SMS outside the marketplace.
    External,
}

impl Channel {
    /// Every channel, in the core's order.
    pub const ALL: [Channel; 5] = [
        Channel::BuyerSellerMessage,
        Channel::PackageInsert,
        Channel::ProductListing,
        Channel::ReviewRequest,
        Channel::External,
    ];

    /// The core's channel.
    pub fn to_core(self) -> reviewguard::Channel {
        match self {
            Channel::BuyerSellerMessage => reviewguard::Channel::BuyerSellerMessage,
            Channel::PackageInsert => reviewguard::Channel::PackageInsert,
            Channel::ProductListing => reviewguard::Channel::ProductListing,
            Channel::ReviewRequest => reviewguard::Channel::ReviewRequest,
            Channel::External => reviewguard::Channel::External,
        }
    }
}

/// One span of a scanned text that breaks policy.
///
/// `start` and `end` are **UTF-16 code unit** offsets (JavaScript string indices), so
/// `text.slice(f.start, f.end) === f.quote` holds for any text, emoji and CJK included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct Finding {
    /// The violation kind reported (after the pack's channel remapping).
    pub kind: Kind,
    /// The stable policy code of `kind`, `RP-01` .. `RP-11`.
    pub code: String,
    /// The id of the pack rule that matched.
    pub rule: String,
    /// How strong the evidence is.
    pub confidence: Confidence,
    /// UTF-16 offset of the start.
    pub start: usize,
    /// UTF-16 offset of the end (exclusive).
    pub end: usize,
    /// The original text of the span.
    pub quote: String,
    /// One line: why the rule fires.
    pub why: String,
}

/// The eleven violation kinds of POLICY.md, by slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)] // the slugs are documented in POLICY.md
pub enum Kind {
    SellerSelfReview,
    CompensatedReview,
    RefundForReviewChange,
    ReviewClub,
    InsiderReview,
    ReviewChangeRequest,
    ReviewDiversion,
    VariationAbuse,
    InsertSolicitation,
    CustomerAccountMisuse,
    BiasedReviewRequest,
}

/// The strength of the evidence (POLICY.md, "Confidence").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Linkage signals or a payment-then-change sequence without text.
    Medium,
    /// Explicit text, or ownership, employment or partnership.
    High,
}

/// The stable code carried by every error the binding throws (`err.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // documented on `reviewguard::ErrorCode`
pub enum ErrorCode {
    InvalidJson,
    UnknownField,
    MissingField,
    InvalidValue,
    DuplicateId,
    DanglingReference,
    RatingOutOfRange,
    InvalidTimestamp,
    InvalidAmount,
    LimitExceeded,
    PackSyntax,
    PackUnknownConcept,
    PackUnknownKind,
    PackNoExamples,
    PackBadPattern,
    PackDuplicateId,
    PackExampleFailed,
    PackInvalidValue,
}

#[wasm_bindgen(typescript_custom_section)]
const ERROR_TS: &str = r#"
/** What every method throws: a JS `Error` with the core's stable code and location. */
export interface ReviewguardError extends Error {
    name: "ReviewguardError";
    /** The stable machine code; never parse `message`. */
    code: ErrorCode;
    /** A JSON path into the case (`reviews[3].rating`), `line L column C`, `FILE:LINE:COLUMN` of a pack, or null. */
    location: string | null;
}
"#;

/// The answer for one case: exactly `JSON.parse` of the CLI's decision line.
///
/// Text evidence offsets here are UTF-8 byte offsets, as in the CLI output; use
/// `Engine.scan` for JavaScript string offsets of a single text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct Decision {
    /// The case id, when the case has one.
    pub case: Option<String>,
    /// The pack that decided, `name@version`.
    pub pack: String,
    /// Every violation found, in canonical order.
    pub violations: Vec<Violation>,
}

/// One violation of one kind by one seller about one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct Violation {
    /// `RP-01` .. `RP-11`.
    pub code: String,
    /// The kind slug.
    pub kind: Kind,
    /// The seller responsible (`null` for an anonymous draft).
    pub seller: Option<String>,
    /// What the violation is about.
    pub subject: Subject,
    /// How strong the evidence is.
    pub confidence: Confidence,
    /// Why, in canonical order.
    pub evidence: Vec<Evidence>,
    /// The pack's recommended enforcement actions for this kind.
    pub actions: Vec<String>,
}

/// What a violation is about: one key naming the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Subject {
    /// A review, by id.
    Review(String),
    /// A message, by id.
    Message(String),
    /// A payment, by id.
    Payment(String),
    /// A variation family, by parent id.
    VariationFamily(String),
    /// A catalog event, by index in `catalog_events`.
    CatalogEvent(usize),
}

/// One piece of evidence: one key naming its sort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Evidence {
    /// Relations linking a party or account to the seller, e.g. `S1 employs P2`.
    RelationPath(Vec<String>),
    /// A quoted span of text.
    Text(TextEvidence),
    /// Why the reviewed product counts (the seller's own, or a competitor's).
    Product(ProductEvidence),
    /// A payment involved.
    Payment(PaymentEvidence),
    /// A review edit involved.
    Edit(EditEvidence),
    /// Variation-family siblings that are not variations of one item.
    Variation(VariationEvidence),
}

/// A quoted span of a text field (UTF-8 byte offsets, as in the CLI output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct TextEvidence {
    /// The item holding the text.
    #[serde(rename = "in")]
    pub in_: Subject,
    /// The field: `text`, `title` or `note`.
    pub field: String,
    /// UTF-8 byte offset of the start in the original field.
    pub start: usize,
    /// UTF-8 byte offset of the end (exclusive).
    pub end: usize,
    /// The original text between `start` and `end`.
    pub quote: String,
    /// The rule that matched.
    pub rule: String,
    /// One line: why the rule fires.
    pub why: String,
}

/// Why a reviewed product is the seller's or a competitor's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct ProductEvidence {
    /// The product id.
    pub id: String,
    /// `own` or `competitor`.
    pub owner: String,
    /// `seller`, `competitor_relation` or `shared_category`.
    pub basis: String,
    /// The selling party, when given.
    pub seller: Option<String>,
    /// The shared category, for `shared_category`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub category: Option<String>,
}

/// A payment that is part of the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct PaymentEvidence {
    /// The payment id.
    pub id: String,
    /// The payment kind (`refund`, `gift_card`, ...).
    pub kind: String,
    /// The linked review.
    pub review: Option<String>,
}

/// A review edit that is part of the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct EditEvidence {
    /// The review id.
    pub review: String,
    /// Index into the review's `edits`.
    pub index: usize,
    /// Who made the edit.
    pub by: Option<String>,
    /// `removed`, `rating_raised` or `edited`.
    pub change: String,
    /// Rating before the edit, when known.
    pub rating_before: Option<i64>,
    /// Rating after the edit, when known.
    pub rating_after: Option<i64>,
}

/// Siblings of a variation family that differ in a non-theme attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
#[tsify(missing_as_null)]
pub struct VariationEvidence {
    /// The family parent.
    pub parent: String,
    /// `product_type`, `category` or `brand`.
    pub attribute: String,
    /// The distinct values, sorted.
    pub values: Vec<String>,
    /// The products involved, sorted.
    pub products: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::disallowed_methods)] // tests read the corpus files
    fn corpus() -> Vec<String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let mut lines = Vec::new();
        for file in ["examples/cases.jsonl", "tests/spec/examples.jsonl"] {
            let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
                v.as_object_mut().unwrap().remove("expect");
                lines.push(v.to_string());
            }
        }
        lines
    }

    /// The `Decision` mirror describes the core's output exactly: every decision of the
    /// example corpus reads into it strictly and writes back to the same bytes.
    #[test]
    fn decision_mirror_round_trips_every_example() {
        let engine = reviewguard::Engine::new().unwrap();
        let mut violations = 0;
        for case in corpus() {
            let Ok(d) = engine.evaluate_json(&case) else {
                continue;
            };
            let line = d.to_json();
            let mirror: Decision = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("mirror rejects {line}: {e}"));
            assert_eq!(serde_json::to_string(&mirror).unwrap(), line);
            violations += mirror.violations.len();
        }
        assert!(violations > 10, "the corpus should exercise violations");
    }

    /// The `Finding` mirror has the core's fields (offsets aside, which the binding converts).
    #[test]
    fn finding_mirror_matches_the_core() {
        let engine = reviewguard::Engine::new().unwrap();
        let found = engine
            .scan(
                "Leave a 5-star review and get a $10 gift card!",
                reviewguard::Channel::BuyerSellerMessage,
                None,
            )
            .unwrap();
        assert!(!found.is_empty());
        for f in found {
            let json = serde_json::to_string(&f).unwrap();
            let mirror: Finding = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&mirror).unwrap(), json);
        }
    }

    /// The string unions list exactly the core's values, in the core's order.
    #[test]
    fn unions_match_the_core() {
        let kinds: Vec<String> = reviewguard::Kind::ALL
            .iter()
            .map(|k| {
                serde_json::to_string(&serde_json::from_str::<Kind>(&format!("\"{k}\"")).unwrap())
                    .unwrap()
            })
            .collect();
        assert_eq!(kinds.len(), 11);
        let ts = Kind::DECL;
        for k in &kinds {
            assert!(ts.contains(k.as_str()), "{k} missing from {ts}");
        }
        assert_eq!(ts.matches('"').count(), 2 * reviewguard::Kind::ALL.len());

        let ts = ErrorCode::DECL;
        for c in reviewguard::ErrorCode::ALL {
            assert!(
                ts.contains(&format!("\"{}\"", c.as_str())),
                "{c} missing from {ts}"
            );
        }
        assert_eq!(
            ts.matches('"').count(),
            2 * reviewguard::ErrorCode::ALL.len()
        );

        for (c, core) in Channel::ALL.iter().zip(reviewguard::Channel::ALL) {
            assert_eq!(c.to_core(), core);
            assert_eq!(serde_json::to_value(c).unwrap(), core.as_str());
        }
        assert_eq!(Channel::ALL.len(), reviewguard::Channel::ALL.len());
    }
}
