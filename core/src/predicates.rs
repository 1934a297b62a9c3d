//! The eleven kinds as predicates over one validated case.
//!
//! Relation kinds (RP-01, RP-05, RP-10, RP-04 by membership), payment and edit sequences
//! (RP-02 by linked payment, RP-03 by payment-then-removal-or-raise, RP-10 by seller-side
//! edits) and variation abuse (RP-08) are decided from facts here. Text kinds are decided by the
//! compiled policy pack over messages, payment notes and review text.
//!
//! Decisions written down where POLICY.md is silent (also in ARCHITECTURE.md):
//! - A review's `rating` is its rating at creation; `edits[].rating` are later ratings.
//! - A payment linked to a review with no timestamps on either side is taken to precede the
//!   review's edits.
//! - A message without a sender is the draft of the case's `seller`, else of its only seller
//!   party, else of an anonymous seller reported as `null`.
//! - Case-level findings (review disclosures, variation families, catalog events) belong to the
//!   product's seller; when the case names a `seller`, only its findings (and those with no
//!   known seller, attributed to it) are reported.
//! - Products compare by `product_type` when every sibling has one, else by `category`; brand
//!   always; comparisons ignore case and surrounding spaces.

use crate::affiliation::{Group, Path, RelationsByParty, SellerSide};
use crate::case::{CatalogEventKind, PartyKind, Product, RelationKind, ValidCase};
use crate::decision::{
    Confidence, EditEvidence, Evidence, PaymentEvidence, ProductEvidence, Subject, TextEvidence,
    VariationEvidence, Violation,
};
use crate::kind::Kind;
use crate::text::{CompiledPack, TextChannel};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

type Key = (Option<String>, Subject, Kind);

/// Collects violations, merging evidence per (seller, subject, kind).
#[derive(Default)]
struct Sink {
    found: BTreeMap<Key, (Confidence, BTreeSet<Evidence>)>,
}

impl Sink {
    fn add(
        &mut self,
        seller: Option<&str>,
        subject: Subject,
        kind: Kind,
        conf: Confidence,
        evidence: Vec<Evidence>,
    ) {
        let entry = self
            .found
            .entry((seller.map(str::to_string), subject, kind))
            .or_insert((conf, BTreeSet::new()));
        entry.0 = entry.0.max(conf);
        entry.1.extend(
            evidence
                .into_iter()
                .filter(|e| !matches!(e, Evidence::RelationPath(p) if p.is_empty())),
        );
    }

    fn finish(self, pack: &CompiledPack) -> Vec<Violation> {
        let mut out: Vec<Violation> = self
            .found
            .into_iter()
            .map(
                |((seller, subject, kind), (confidence, evidence))| Violation {
                    kind_code: kind,
                    kind,
                    seller,
                    subject,
                    confidence,
                    evidence: evidence.into_iter().collect(),
                    actions: pack.actions.get(&kind).cloned().unwrap_or_default(),
                },
            )
            .collect();
        out.sort_by(|a, b| {
            (&a.subject, a.kind.code(), &a.seller).cmp(&(&b.subject, b.kind.code(), &b.seller))
        });
        out
    }
}

struct Ctx<'a> {
    vc: &'a ValidCase,
    pack: &'a CompiledPack,
    products: HashMap<&'a str, &'a Product>,
    /// Review index by id.
    reviews: HashMap<&'a str, usize>,
    /// Normalised categories of the products each seller sells.
    categories: HashMap<&'a str, HashSet<String>>,
    /// The children of each variation parent, sorted by id (built once: looking them up by
    /// scanning the catalog for each parent was quadratic in the catalog).
    families: BTreeMap<&'a str, Vec<&'a Product>>,
    /// The relations by party and kind, for the seller sides and membership lookups.
    relations: RelationsByParty<'a>,
    /// Where each party appears: what a seller side reads of the case is what its own parties
    /// did (scanning every review, message and payment for each seller was quadratic in a case
    /// of many sellers).
    by_party: ByParty<'a>,
    /// For each review a payment links to (by index), the edits that remove it or raise its
    /// rating, with their times: what a payment is checked against (computed once; walking
    /// every edit for every payment was quadratic).
    review_changes: HashMap<usize, Vec<(Option<i128>, EditEvidence)>>,
    /// The sellers evaluated, sorted.
    sellers: Vec<&'a str>,
    /// Who a case-level finding is attributed to when no seller is known.
    fallback_seller: Option<&'a str>,
}

/// Indices of the case's records by the parties in them.
#[derive(Default)]
struct ByParty<'a> {
    /// Reviews by author, by the editor of one of their edits, and by the seller of the
    /// product reviewed.
    reviews: HashMap<&'a str, Vec<usize>>,
    /// Messages by sender.
    messages: HashMap<&'a str, Vec<usize>>,
    /// Payments by payer.
    payments: HashMap<&'a str, Vec<usize>>,
}

impl<'a> ByParty<'a> {
    /// `products`: the case's products by id.
    fn new(case: &'a crate::case::Case, products: &HashMap<&str, &'a Product>) -> ByParty<'a> {
        let mut by = ByParty::default();
        for (i, r) in case.reviews.iter().enumerate() {
            let editors = r.edits.iter().filter_map(|e| e.by.as_deref());
            let seller = products
                .get(r.product.as_str())
                .and_then(|p| p.seller.as_deref());
            for party in std::iter::once(r.author.as_str())
                .chain(editors)
                .chain(seller)
            {
                by.reviews.entry(party).or_default().push(i);
            }
        }
        for (i, m) in case.messages.iter().enumerate() {
            if let Some(from) = m.from.as_deref() {
                by.messages.entry(from).or_default().push(i);
            }
        }
        for (i, p) in case.payments.iter().enumerate() {
            by.payments.entry(p.from.as_str()).or_default().push(i);
        }
        by
    }

    /// The indices listed for any of `parties`, in order, each once.
    fn of<'s>(
        index: &HashMap<&str, Vec<usize>>,
        parties: impl Iterator<Item = &'s str>,
    ) -> Vec<usize> {
        let mut v: Vec<usize> = parties
            .filter_map(|p| index.get(p))
            .flatten()
            .copied()
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Evaluates every kind on a validated case.
pub(crate) fn evaluate(pack: &CompiledPack, vc: &ValidCase) -> Vec<Violation> {
    let case = &vc.case;
    let mut sellers: Vec<&str> = match &case.seller {
        Some(s) => vec![s.as_str()],
        None => case
            .parties
            .iter()
            .filter(|p| p.kind == PartyKind::Seller)
            .map(|p| p.id.as_str())
            .collect(),
    };
    sellers.sort_unstable();
    sellers.dedup();
    let fallback_seller = match (&case.seller, sellers.as_slice()) {
        (Some(s), _) => Some(s.as_str()),
        (None, [only]) => Some(*only),
        _ => None,
    };
    let products: HashMap<&str, &Product> =
        case.products.iter().map(|p| (p.id.as_str(), p)).collect();
    let reviews: HashMap<&str, usize> = case
        .reviews
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let cx = Ctx {
        vc,
        pack,
        categories: {
            let mut m: HashMap<&str, HashSet<String>> = HashMap::new();
            for p in &case.products {
                if let (Some(seller), Some(cat)) = (p.seller.as_deref(), norm_attr(&p.category)) {
                    m.entry(seller).or_default().insert(cat);
                }
            }
            m
        },
        families: {
            let mut m: BTreeMap<&str, Vec<&Product>> = BTreeMap::new();
            for p in &case.products {
                if let Some(parent) = p.parent.as_deref() {
                    m.entry(parent).or_default().push(p);
                }
            }
            for kids in m.values_mut() {
                kids.sort_by(|a, b| a.id.cmp(&b.id));
            }
            m
        },
        relations: RelationsByParty::new(&case.relations),
        by_party: ByParty::new(case, &products),
        review_changes: {
            let linked: BTreeSet<usize> = case
                .payments
                .iter()
                .filter_map(|p| reviews.get(p.review.as_deref()?).copied())
                .collect();
            linked
                .into_iter()
                .filter_map(|ri| {
                    let r = case.reviews.get(ri)?;
                    Some((ri, review_changes(r, vc.edit_times.get(ri))))
                })
                .collect()
        },
        products,
        reviews,
        sellers,
        fallback_seller,
    };
    let mut sink = Sink::default();
    for seller in &cx.sellers {
        let side = SellerSide::build_with(&cx.relations, seller);
        reviews_by_seller_side(&cx, &side, &mut sink);
        payments(&cx, &side, &mut sink);
        messages_from_seller_side(&cx, &side, &mut sink);
    }
    drafts(&cx, &mut sink);
    review_disclosures(&cx, &mut sink);
    variation_families(&cx, &mut sink);
    catalog_events(&cx, &mut sink);
    sink.finish(pack)
}

fn norm_attr(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(|v| v.trim().to_lowercase())
        .filter(|v| !v.is_empty())
}

/// Why `product` counts for `seller`: its own, or a competitor's.
fn product_relation(cx: &Ctx<'_>, side: &SellerSide, product: &Product) -> Option<ProductEvidence> {
    let seller = side.seller.as_str();
    let ev = |owner: &str, basis: &str, category: Option<String>| ProductEvidence {
        id: product.id.clone(),
        owner: owner.into(),
        basis: basis.into(),
        seller: product.seller.clone(),
        category,
    };
    if product.seller.as_deref() == Some(seller) {
        return Some(ev("own", "seller", None));
    }
    if let Some(t) = &product.seller {
        if side.competitor(t).is_some() {
            return Some(ev("competitor", "competitor_relation", None));
        }
    }
    let cat = norm_attr(&product.category)?;
    let shares = cx.categories.get(seller).is_some_and(|c| c.contains(&cat));
    shares.then(|| ev("competitor", "shared_category", product.category.clone()))
}

fn path_ev(p: &Path) -> Evidence {
    Evidence::RelationPath(p.clone())
}

/// RP-01, RP-05, RP-10 (authorship and edits), RP-04 (membership).
fn reviews_by_seller_side(cx: &Ctx<'_>, side: &SellerSide, sink: &mut Sink) {
    let seller = Some(side.seller.as_str());
    // Only reviews written or edited by the side, or of the seller's own products (the seller
    // is a core party), can give a finding below.
    let relevant = ByParty::of(&cx.by_party.reviews, side.parties());
    for r in relevant.iter().filter_map(|&i| cx.vc.case.reviews.get(i)) {
        let subject = || Subject::Review(r.id.clone());
        if let Some(product) = cx.products.get(r.product.as_str()) {
            if let Some(pe) = product_relation(cx, side, product) {
                if let Some((group, path)) = side.owned(&r.author) {
                    let kind = if group == Group::Core {
                        Kind::SellerSelfReview
                    } else {
                        Kind::InsiderReview
                    };
                    sink.add(
                        seller,
                        subject(),
                        kind,
                        Confidence::High,
                        vec![path_ev(path), Evidence::Product(pe.clone())],
                    );
                }
                if let Some(path) = side.controlled(&r.author) {
                    sink.add(
                        seller,
                        subject(),
                        Kind::CustomerAccountMisuse,
                        Confidence::Medium,
                        vec![path_ev(path), Evidence::Product(pe.clone())],
                    );
                }
                if pe.owner == "own" {
                    for m in cx.relations.from(RelationKind::Member, &r.author) {
                        if side.is_partner(&m.to) {
                            let path = vec![
                                format!("{} partner {}", side.seller, m.to),
                                format!("{} member {}", m.from, m.to),
                            ];
                            sink.add(
                                seller,
                                subject(),
                                Kind::ReviewClub,
                                Confidence::High,
                                vec![Evidence::RelationPath(path), Evidence::Product(pe.clone())],
                            );
                        }
                    }
                }
            }
        }
        let mut rating = r.rating;
        for (i, e) in r.edits.iter().enumerate() {
            let before = rating;
            if e.rating.is_some() {
                rating = e.rating;
            }
            let Some(by) = e.by.as_deref() else { continue };
            if by == r.author {
                continue;
            }
            if let Some(path) = side.any_side(by) {
                let change = edit_change(e.removed, before, e.rating);
                let ev = Evidence::Edit(EditEvidence {
                    review: r.id.clone(),
                    index: i,
                    by: e.by.clone(),
                    change: change.into(),
                    rating_before: before,
                    rating_after: e.rating,
                });
                sink.add(
                    seller,
                    subject(),
                    Kind::CustomerAccountMisuse,
                    Confidence::High,
                    vec![ev, path_ev(path)],
                );
            }
        }
    }
}

/// The edits of `review` that remove it or raise its rating, with their times (`times`: the
/// review's `edit_times`), in order.
fn review_changes(
    review: &crate::case::Review,
    times: Option<&Vec<Option<i128>>>,
) -> Vec<(Option<i128>, EditEvidence)> {
    let mut rating = review.rating;
    let mut out = Vec::new();
    for (ei, e) in review.edits.iter().enumerate() {
        let at = times.and_then(|t| t.get(ei)).copied().flatten();
        let before = rating;
        if e.rating.is_some() {
            rating = e.rating;
        }
        let change = edit_change(e.removed, before, e.rating);
        if change != "edited" {
            out.push((
                at,
                EditEvidence {
                    review: review.id.clone(),
                    index: ei,
                    by: e.by.clone(),
                    change: change.into(),
                    rating_before: before,
                    rating_after: e.rating,
                },
            ));
        }
    }
    out
}

fn edit_change(removed: Option<bool>, before: Option<i64>, after: Option<i64>) -> &'static str {
    if removed == Some(true) {
        "removed"
    } else if matches!((before, after), (Some(b), Some(a)) if a > b) {
        "rating_raised"
    } else {
        "edited"
    }
}

/// RP-02 / RP-03 by linked payments, and payment notes read like messages.
fn payments(cx: &Ctx<'_>, side: &SellerSide, sink: &mut Sink) {
    let seller = Some(side.seller.as_str());
    let case = &cx.vc.case;
    let relevant = ByParty::of(&cx.by_party.payments, side.parties());
    for (pi, p) in relevant
        .iter()
        .filter_map(|&i| case.payments.get(i).map(|p| (i, p)))
    {
        let Some(path) = side.conduct(&p.from) else {
            continue;
        };
        let subject = Subject::Payment(p.id.clone());
        if let Some(note) = &p.note {
            text_violations(
                cx,
                seller,
                &subject,
                "note",
                note,
                TextChannel::PaymentNote,
                None,
                Some(path),
                sink,
            );
        }
        let Some(rid) = &p.review else { continue };
        let Some(ri) = cx
            .reviews
            .get(rid.as_str())
            .copied()
            .filter(|&i| i < case.reviews.len())
        else {
            continue;
        };
        let pay_ev = Evidence::Payment(PaymentEvidence {
            id: p.id.clone(),
            kind: p.kind.as_str().to_string(),
            review: Some(rid.clone()),
        });
        let paid_at = cx.vc.payment_times.get(pi).copied().flatten();
        // The removals and raises at or after the payment (all of them when either time is
        // unknown).
        let changes: Vec<Evidence> = cx
            .review_changes
            .get(&ri)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter(|(at, _)| match (paid_at, at) {
                (Some(p), Some(a)) => *a >= p,
                _ => true,
            })
            .map(|(_, e)| Evidence::Edit(e.clone()))
            .collect();
        let mut ev = vec![pay_ev, path_ev(path)];
        if changes.is_empty() {
            sink.add(
                seller,
                subject,
                Kind::CompensatedReview,
                Confidence::Medium,
                ev,
            );
        } else {
            ev.extend(changes);
            sink.add(
                seller,
                subject,
                Kind::RefundForReviewChange,
                Confidence::Medium,
                ev,
            );
        }
    }
}

/// Text kinds over messages sent by the seller side.
fn messages_from_seller_side(cx: &Ctx<'_>, side: &SellerSide, sink: &mut Sink) {
    let seller = Some(side.seller.as_str());
    let relevant = ByParty::of(&cx.by_party.messages, side.parties());
    for m in relevant.iter().filter_map(|&i| cx.vc.case.messages.get(i)) {
        let Some(from) = m.from.as_deref() else {
            continue;
        };
        let Some(path) = side.conduct(from) else {
            continue;
        };
        let subject = Subject::Message(m.id.clone());
        text_violations(
            cx,
            seller,
            &subject,
            "text",
            &m.text,
            TextChannel::Message(m.channel),
            m.locale.as_deref(),
            Some(path),
            sink,
        );
    }
}

/// Messages without a sender: the seller's own drafts.
fn drafts(cx: &Ctx<'_>, sink: &mut Sink) {
    for m in cx.vc.case.messages.iter().filter(|m| m.from.is_none()) {
        let subject = Subject::Message(m.id.clone());
        text_violations(
            cx,
            cx.fallback_seller,
            &subject,
            "text",
            &m.text,
            TextChannel::Message(m.channel),
            m.locale.as_deref(),
            None,
            sink,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn text_violations(
    cx: &Ctx<'_>,
    seller: Option<&str>,
    subject: &Subject,
    field: &str,
    text: &str,
    channel: TextChannel,
    locale: Option<&str>,
    path: Option<&Path>,
    sink: &mut Sink,
) {
    for f in crate::engine::findings(cx.pack, text, channel, locale) {
        let mut ev = vec![Evidence::Text(TextEvidence {
            in_: subject.clone(),
            field: field.into(),
            start: f.start,
            end: f.end,
            quote: f.quote,
            rule: f.rule,
            why: f.why,
        })];
        if let Some(p) = path {
            ev.push(path_ev(p));
        }
        sink.add(seller, subject.clone(), f.kind, f.confidence, ev);
    }
}

/// Whom a case-level finding about `product` belongs to, or `None` to drop it.
fn attribute<'a>(cx: &Ctx<'a>, product_seller: Option<&'a str>) -> Option<Option<&'a str>> {
    match (cx.vc.case.seller.as_deref(), product_seller) {
        (Some(s), Some(p)) if s != p => None,
        (Some(s), _) => Some(Some(s)),
        (None, Some(p)) => Some(Some(p)),
        (None, None) => Some(cx.fallback_seller),
    }
}

/// RP-02 by a review's own incentive disclosure (exempt programs excepted).
fn review_disclosures(cx: &Ctx<'_>, sink: &mut Sink) {
    for r in cx.vc.case.reviews.iter().filter(|r| r.program.is_none()) {
        let product_seller = cx
            .products
            .get(r.product.as_str())
            .and_then(|p| p.seller.as_deref());
        let Some(seller) = attribute(cx, product_seller) else {
            continue;
        };
        let subject = Subject::Review(r.id.clone());
        for (field, text) in [("title", &r.title), ("text", &r.text)] {
            if let Some(t) = text {
                text_violations(
                    cx,
                    seller,
                    &subject,
                    field,
                    t,
                    TextChannel::Review,
                    None,
                    None,
                    sink,
                );
            }
        }
    }
}

/// Evidence for a group compared pairwise between `left` and `right`: for each attribute on
/// which some product of `left` and a different product of `right` differ (both set), the values
/// and the products of every such pair.
///
/// Linear in the group, without enumerating the pairs: a product with value `x` is in a
/// differing pair exactly when the other side has a set value other than `x` (ids are unique,
/// and a product paired with itself never differs), so counting each side's values is enough.
/// [`compare_groups_pairwise`] (tests) is the direct definition it is checked against.
fn compare_groups(parent: &str, left: &[&Product], right: &[&Product]) -> Vec<Evidence> {
    let by_type = left
        .iter()
        .chain(right.iter())
        .all(|p| norm_attr(&p.product_type).is_some());
    let mut per_attr: BTreeMap<&'static str, (BTreeSet<String>, BTreeSet<String>)> =
        BTreeMap::new();
    for (attr, get) in compared_attributes(by_type) {
        let side = |group: &[&Product]| -> Vec<Option<String>> {
            group.iter().map(|p| norm_attr(get(p))).collect()
        };
        let (lv, rv) = (side(left), side(right));
        let (l_set, l_counts) = value_counts(&lv);
        let (r_set, r_counts) = value_counts(&rv);
        let mut values = BTreeSet::new();
        let mut products = BTreeSet::new();
        let mut involve = |group: &[&Product],
                           vals: &[Option<String>],
                           others_set: usize,
                           others: &HashMap<&str, usize>| {
            for (p, v) in group.iter().zip(vals) {
                let Some(v) = v else {
                    continue;
                };
                if others_set > others.get(v.as_str()).copied().unwrap_or(0) {
                    values.insert(v.clone());
                    products.insert(p.id.clone());
                }
            }
        };
        involve(left, &lv, r_set, &r_counts);
        involve(right, &rv, l_set, &l_counts);
        if !products.is_empty() {
            per_attr.insert(attr, (values, products));
        }
    }
    variation_evidence(parent, per_attr)
}

/// Reads one attribute of a product.
type Attribute = fn(&Product) -> &Option<String>;

/// How many values are set, and how many times each occurs.
fn value_counts(values: &[Option<String>]) -> (usize, HashMap<&str, usize>) {
    let mut m: HashMap<&str, usize> = HashMap::new();
    for v in values.iter().flatten() {
        *m.entry(v.as_str()).or_default() += 1;
    }
    (m.values().sum(), m)
}

/// The attributes compared between variations, and how to read each: product type and brand
/// when every product has a type, else category and brand.
fn compared_attributes(by_type: bool) -> [(&'static str, Attribute); 2] {
    if by_type {
        [
            ("product_type", |p| &p.product_type),
            ("brand", |p| &p.brand),
        ]
    } else {
        [("category", |p| &p.category), ("brand", |p| &p.brand)]
    }
}

fn variation_evidence(
    parent: &str,
    per_attr: BTreeMap<&'static str, (BTreeSet<String>, BTreeSet<String>)>,
) -> Vec<Evidence> {
    per_attr
        .into_iter()
        .map(|(attr, (values, products))| {
            Evidence::Variation(VariationEvidence {
                parent: parent.to_string(),
                attribute: attr.into(),
                values: values.into_iter().collect(),
                products: products.into_iter().collect(),
            })
        })
        .collect()
}

/// The direct definition of [`compare_groups`]: every pair compared (quadratic in the group).
#[cfg(test)]
fn compare_groups_pairwise(parent: &str, left: &[&Product], right: &[&Product]) -> Vec<Evidence> {
    let by_type = left
        .iter()
        .chain(right.iter())
        .all(|p| norm_attr(&p.product_type).is_some());
    let mut per_attr: BTreeMap<&'static str, (BTreeSet<String>, BTreeSet<String>)> =
        BTreeMap::new();
    for a in left {
        for b in right {
            if a.id == b.id {
                continue;
            }
            for (attr, get) in compared_attributes(by_type) {
                if let (Some(x), Some(y)) = (norm_attr(get(a)), norm_attr(get(b))) {
                    if x != y {
                        let e = per_attr.entry(attr).or_default();
                        e.0.insert(x);
                        e.0.insert(y);
                        e.1.insert(a.id.clone());
                        e.1.insert(b.id.clone());
                    }
                }
            }
        }
    }
    variation_evidence(parent, per_attr)
}

/// The children of `parent`, sorted by id.
fn children<'a>(cx: &Ctx<'a>, parent: &str) -> Vec<&'a Product> {
    cx.families.get(parent).cloned().unwrap_or_default()
}

fn family_seller<'a>(cx: &Ctx<'a>, parent: &str, members: &[&'a Product]) -> Option<&'a str> {
    cx.products
        .get(parent)
        .and_then(|p| p.seller.as_deref())
        .or_else(|| members.iter().find_map(|p| p.seller.as_deref()))
}

/// RP-08 over the families as they stand.
fn variation_families(cx: &Ctx<'_>, sink: &mut Sink) {
    for (&parent, kids) in &cx.families {
        if kids.len() < 2 {
            continue;
        }
        let ev = compare_groups(parent, kids, kids);
        if ev.is_empty() {
            continue;
        }
        let Some(seller) = attribute(cx, family_seller(cx, parent, kids)) else {
            continue;
        };
        sink.add(
            seller,
            Subject::VariationFamily(parent.to_string()),
            Kind::VariationAbuse,
            Confidence::High,
            ev,
        );
    }
}

/// RP-08 by `variation_added` / `family_merged` events.
fn catalog_events(cx: &Ctx<'_>, sink: &mut Sink) {
    let seller_parties: HashSet<&str> = cx
        .vc
        .case
        .parties
        .iter()
        .filter(|p| p.kind == PartyKind::Seller)
        .map(|p| p.id.as_str())
        .collect();
    for (i, e) in cx.vc.case.catalog_events.iter().enumerate() {
        let (incoming, existing): (Vec<&Product>, Vec<&Product>) = match e.kind {
            CatalogEventKind::VariationRemoved => continue,
            CatalogEventKind::VariationAdded => {
                let Some(child) = e.child.as_deref().and_then(|c| cx.products.get(c)) else {
                    continue;
                };
                let mut existing: Vec<&Product> = children(cx, &e.parent)
                    .into_iter()
                    .filter(|p| p.id != child.id)
                    .collect();
                if existing.is_empty() {
                    existing.extend(cx.products.get(e.parent.as_str()).copied());
                }
                (vec![*child], existing)
            }
            CatalogEventKind::FamilyMerged => {
                let Some(other) = e.other_parent.as_deref() else {
                    continue;
                };
                let mut incoming = children(cx, other);
                if incoming.is_empty() {
                    incoming.extend(cx.products.get(other).copied());
                }
                let mut existing = children(cx, &e.parent);
                if existing.is_empty() {
                    existing.extend(cx.products.get(e.parent.as_str()).copied());
                }
                (incoming, existing)
            }
        };
        let ev = compare_groups(&e.parent, &incoming, &existing);
        if ev.is_empty() {
            continue;
        }
        let all: Vec<&Product> = incoming.iter().chain(existing.iter()).copied().collect();
        let known = family_seller(cx, &e.parent, &all)
            .or_else(|| e.by.as_deref().filter(|b| seller_parties.contains(b)));
        let Some(seller) = attribute(cx, known) else {
            continue;
        };
        sink.add(
            seller,
            Subject::CatalogEvent(i),
            Kind::VariationAbuse,
            Confidence::High,
            ev,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn product(i: usize, attrs: (u8, u8, u8)) -> Product {
        // 0 = not set; 4 = set but blank (normalised away); otherwise one of a few values, in
        // varying case and padding (normalised to the same value).
        let value = |v: u8, name: &str| match v {
            0 => None,
            4 => Some("  ".to_string()),
            v if v % 2 == 0 => Some(format!(" {name}{} ", v / 2)),
            v => Some(format!("{}{}", name.to_uppercase(), v / 2)),
        };
        Product {
            id: format!("B{i}"),
            seller: None,
            brand: value(attrs.0, "brand"),
            title: None,
            category: value(attrs.1, "cat"),
            product_type: value(attrs.2, "type"),
            parent: None,
            theme: None,
        }
    }

    proptest! {
        /// Counting values gives exactly the evidence of comparing every pair, for one family
        /// (`left` = `right`) and for two groups that share products or not.
        #[test]
        fn compare_groups_equals_the_pairwise_definition(
            attrs in proptest::collection::vec((0u8..6, 0u8..6, 0u8..6), 0..12),
            split in 0usize..12,
            overlap in 0usize..4,
        ) {
            let all: Vec<Product> = attrs.iter().enumerate().map(|(i, a)| product(i, *a)).collect();
            let refs: Vec<&Product> = all.iter().collect();
            prop_assert_eq!(
                compare_groups("F", &refs, &refs),
                compare_groups_pairwise("F", &refs, &refs)
            );
            let cut = split.min(refs.len());
            let left = &refs[..cut];
            let right = &refs[cut.saturating_sub(overlap)..];
            prop_assert_eq!(
                compare_groups("F", left, right),
                compare_groups_pairwise("F", left, right)
            );
        }
    }

    #[test]
    fn a_family_that_differs_in_brand_names_every_product_that_differs() {
        let a = product(0, (1, 1, 1));
        let b = product(1, (2, 1, 1));
        let c = product(2, (0, 1, 1));
        let d = product(3, (1, 1, 1));
        let family = [&a, &b, &c, &d];
        let ev = compare_groups("F", &family, &family);
        let Some(Evidence::Variation(v)) = ev.first() else {
            panic!("{ev:?}");
        };
        assert_eq!(ev.len(), 1, "{ev:?}");
        assert_eq!(v.attribute, "brand");
        assert_eq!(v.values, ["brand0", "brand1"]);
        // `c` has no brand, so it differs from nobody.
        assert_eq!(v.products, ["B0", "B1", "B3"]);
    }
}
