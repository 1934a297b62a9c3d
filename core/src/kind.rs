//! The eleven violation kinds of POLICY.md, their stable codes and slugs.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A violation kind. Codes (`RP-01`) and slugs (`seller-self-review`) are public identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// RP-01: a core party's account reviews the seller's or a competitor's product.
    SellerSelfReview,
    /// RP-02: compensation for a review, a linked payment, or a disclosed incentive.
    CompensatedReview,
    /// RP-03: compensation coupled with changing or removing an existing review.
    RefundForReviewChange,
    /// RP-04: a review club or tester group tied to reviews, or a review by its member.
    ReviewClub,
    /// RP-05: an account of staff or family reviews the seller's or a competitor's product.
    InsiderReview,
    /// RP-06: the seller side asks a reviewer to change or remove a review.
    ReviewChangeRequest,
    /// RP-07: satisfied customers to the review, unhappy ones to the seller's channel.
    ReviewDiversion,
    /// RP-08: a variation family grouping products that are not variations of one item.
    VariationAbuse,
    /// RP-09: a package insert asking for a positive review or offering an incentive.
    InsertSolicitation,
    /// RP-10: a controlled account reviews, or a seller-side party edits another's review.
    CustomerAccountMisuse,
    /// RP-11: seller text (not an insert) asking for a positive review.
    BiasedReviewRequest,
}

impl Kind {
    /// Every kind, in code order.
    pub const ALL: [Kind; 11] = [
        Kind::SellerSelfReview,
        Kind::CompensatedReview,
        Kind::RefundForReviewChange,
        Kind::ReviewClub,
        Kind::InsiderReview,
        Kind::ReviewChangeRequest,
        Kind::ReviewDiversion,
        Kind::VariationAbuse,
        Kind::InsertSolicitation,
        Kind::CustomerAccountMisuse,
        Kind::BiasedReviewRequest,
    ];

    /// The stable code, `RP-01` to `RP-11`.
    pub fn code(self) -> &'static str {
        match self {
            Kind::SellerSelfReview => "RP-01",
            Kind::CompensatedReview => "RP-02",
            Kind::RefundForReviewChange => "RP-03",
            Kind::ReviewClub => "RP-04",
            Kind::InsiderReview => "RP-05",
            Kind::ReviewChangeRequest => "RP-06",
            Kind::ReviewDiversion => "RP-07",
            Kind::VariationAbuse => "RP-08",
            Kind::InsertSolicitation => "RP-09",
            Kind::CustomerAccountMisuse => "RP-10",
            Kind::BiasedReviewRequest => "RP-11",
        }
    }

    /// The stable slug, e.g. `seller-self-review`.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::SellerSelfReview => "seller-self-review",
            Kind::CompensatedReview => "compensated-review",
            Kind::RefundForReviewChange => "refund-for-review-change",
            Kind::ReviewClub => "review-club",
            Kind::InsiderReview => "insider-review",
            Kind::ReviewChangeRequest => "review-change-request",
            Kind::ReviewDiversion => "review-diversion",
            Kind::VariationAbuse => "variation-abuse",
            Kind::InsertSolicitation => "insert-solicitation",
            Kind::CustomerAccountMisuse => "customer-account-misuse",
            Kind::BiasedReviewRequest => "biased-review-request",
        }
    }

    /// Parses a slug or a code.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.slug() == s || k.code() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_policy_order_and_parse_back() {
        for (i, k) in Kind::ALL.iter().enumerate() {
            assert_eq!(k.code(), format!("RP-{:02}", i + 1));
            assert_eq!(Kind::parse(k.slug()), Some(*k));
            assert_eq!(Kind::parse(k.code()), Some(*k));
        }
        assert_eq!(Kind::parse("nope"), None);
    }
}
