//! The decision of CASES.md: violations with evidence and recommended actions.
//!
//! Every list is kept in a canonical order (violations by subject, then code, then seller;
//! evidence by its derived order) so that the same case always serialises to the same bytes in
//! every runtime. Serialise with [`Decision::to_json`].

use crate::kind::Kind;
use serde::{Serialize, Serializer};

/// The answer for one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The case id, when the case has one.
    pub case: Option<String>,
    /// The pack that decided, `name@version`.
    pub pack: String,
    /// Every violation found, in canonical order.
    pub violations: Vec<Violation>,
}

impl Decision {
    /// The canonical JSON form (compact, one line): the bytes every runtime prints.
    pub fn to_json(&self) -> String {
        // Serialising plain strings, numbers and vectors cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The kinds found, deduplicated, in code order.
    pub fn kinds(&self) -> Vec<Kind> {
        let mut k: Vec<Kind> = self.violations.iter().map(|v| v.kind).collect();
        k.sort();
        k.dedup();
        k
    }
}

/// One violation of one kind by one seller about one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// `RP-01` .. `RP-11`.
    #[serde(serialize_with = "ser_code")]
    #[serde(rename = "code")]
    pub kind_code: Kind,
    /// The kind slug.
    pub kind: Kind,
    /// The seller responsible (`null` for an anonymous draft with no seller in the case).
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

fn ser_code<S: Serializer>(k: &Kind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.code())
}

/// What a violation is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
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

/// The strength of the evidence (POLICY.md, "Confidence").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Linkage signals or a payment-then-change sequence without text.
    Medium,
    /// Explicit text, or ownership, employment or partnership.
    High,
}

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
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

/// A quoted span of a text field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// A payment that is part of the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PaymentEvidence {
    /// The payment id.
    pub id: String,
    /// The payment kind (`refund`, `gift_card`, ...).
    pub kind: String,
    /// The linked review.
    pub review: Option<String>,
}

/// A review edit that is part of the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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

    #[test]
    fn serialises_in_the_cases_md_shape() {
        let d = Decision {
            case: Some("c-001".into()),
            pack: "p@1".into(),
            violations: vec![Violation {
                kind_code: Kind::InsiderReview,
                kind: Kind::InsiderReview,
                seller: Some("S1".into()),
                subject: Subject::Review("R1".into()),
                confidence: Confidence::High,
                evidence: vec![Evidence::RelationPath(vec!["S1 employs P2".into()])],
                actions: vec!["remove_product_reviews".into()],
            }],
        };
        assert_eq!(
            d.to_json(),
            r#"{"case":"c-001","pack":"p@1","violations":[{"code":"RP-05","kind":"insider-review","seller":"S1","subject":{"review":"R1"},"confidence":"high","evidence":[{"relation_path":["S1 employs P2"]}],"actions":["remove_product_reviews"]}]}"#
        );
    }
}
