//! Invariants of the engine over random cases (proptest).
//!
//! - decisions are deterministic and do not depend on the order of the case's lists (edits
//!   and catalog events are sequences in time, so their order is meaningful and kept);
//! - adding an unrelated party or relation never changes a decision;
//! - every text span lies on char boundaries of its field and quotes it exactly;
//! - the seller-side index agrees with a naive fixpoint computed straight from POLICY.md.

// Tests fail by unwrapping and indexing, and read their fixtures from the repository.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::disallowed_methods
)]

use proptest::prelude::*;
use proptest::sample::select;
use reviewguard::affiliation::{Group, SellerSide};
use reviewguard::case::*;
use reviewguard::{Engine, Evidence, Subject};
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new().unwrap())
}

const SELLERS: [&str; 3] = ["S1", "S2", "S3"];
const PERSONS: [&str; 5] = ["P1", "P2", "P3", "P4", "P5"];
const ACCOUNTS: [&str; 5] = ["A1", "A2", "A3", "A4", "A5"];
const SERVICES: [&str; 2] = ["X1", "X2"];

fn all_parties() -> Vec<&'static str> {
    SELLERS
        .iter()
        .chain(&PERSONS)
        .chain(&ACCOUNTS)
        .chain(&SERVICES)
        .copied()
        .collect()
}

const TEXTS: [&str; 14] = [
    "Thanks for your order!",
    "Please leave us a 5-star review!",
    "We will refund the full price once you remove your 1-star review.",
    "Leave a review and get a $10 gift card",
    "f r e e gift for your r e v i e w ⭐⭐⭐⭐⭐",
    "L\u{0435}\u{0430}v\u{0435} \u{0430} 5-st\u{0430}r r\u{0435}vi\u{0435}w",
    "Any problem? Contact us first instead of leaving a negative review.",
    "日本語のテキスト😀 星５つのレビューをお願いします！",
    "Hinterlassen Sie eine Bewertung und Sie erhalten einen Gutschein.",
    "I received this product for free in exchange for my honest review.",
    "Cafe\u{301} re\u{200B}view",
    "",
    "Would you consider updating your review?",
    "We never offer anything in exchange for reviews.",
];

fn relation() -> impl Strategy<Value = Relation> {
    let kinds = vec![
        RelationKind::PrincipalOf,
        RelationKind::Employs,
        RelationKind::Family,
        RelationKind::Owns,
        RelationKind::Controls,
        RelationKind::Partner,
        RelationKind::Member,
        RelationKind::Competitor,
    ];
    (select(kinds), select(all_parties()), select(all_parties())).prop_map(|(kind, from, to)| {
        Relation {
            kind,
            from: from.into(),
            to: to.into(),
            signal: None,
        }
    })
}

fn product(i: usize) -> impl Strategy<Value = Product> {
    (
        proptest::option::of(select(SELLERS.to_vec())),
        select(vec!["kitchen/knives", "beauty/hair", "books"]),
        select(vec!["KNIFE", "SHAMPOO", "BOOK"]),
        select(vec!["Acme", "Other"]),
        proptest::option::of(select(vec!["F0", "F1"])),
    )
        .prop_map(move |(seller, cat, ty, brand, parent)| Product {
            id: format!("B{i}"),
            seller: seller.map(str::to_string),
            brand: Some(brand.into()),
            title: None,
            category: Some(cat.into()),
            product_type: Some(ty.into()),
            parent: parent.map(str::to_string),
            theme: None,
        })
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        select(all_parties()),
        proptest::option::of(1i64..=5),
        any::<bool>(),
        1u32..28,
    )
        .prop_map(|(by, rating, removed, day)| Edit {
            at: Some(format!("2026-03-{day:02}T10:00:00Z")),
            by: Some(by.into()),
            rating,
            text: None,
            title: None,
            removed: Some(removed),
        })
}

fn review(i: usize) -> impl Strategy<Value = Review> {
    (
        0usize..4,
        select(ACCOUNTS.to_vec()),
        1i64..=5,
        select(TEXTS.to_vec()),
        proptest::collection::vec(edit(), 0..3),
        any::<bool>(),
    )
        .prop_map(move |(p, author, rating, text, edits, vine)| Review {
            id: format!("R{i}"),
            product: format!("B{p}"),
            author: author.into(),
            rating: Some(rating),
            title: None,
            text: Some(text.into()),
            created_at: Some("2026-03-01T10:00:00Z".into()),
            verified_purchase: None,
            program: vine.then_some(Program::Vine),
            edits,
        })
}

fn message(i: usize) -> impl Strategy<Value = Message> {
    (
        proptest::option::of(select(all_parties())),
        select(Channel::ALL.to_vec()),
        select(TEXTS.to_vec()),
    )
        .prop_map(move |(from, channel, text)| Message {
            id: format!("M{i}"),
            channel,
            from: from.map(str::to_string),
            to: None,
            text: text.into(),
            sent_at: None,
            locale: None,
            review: None,
        })
}

fn payment(i: usize) -> impl Strategy<Value = Payment> {
    (
        select(all_parties()),
        proptest::option::of(0usize..3),
        1u32..28,
        proptest::option::of(select(TEXTS.to_vec())),
    )
        .prop_map(move |(from, review, day, note)| Payment {
            id: format!("PAY{i}"),
            from: from.into(),
            to: None,
            kind: PaymentKind::Refund,
            amount: Some("10.00".into()),
            currency: None,
            method: None,
            at: Some(format!("2026-03-{day:02}T09:00:00Z")),
            review: review.map(|r| format!("R{r}")),
            note: note.map(str::to_string),
        })
}

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(relation(), 0..14),
        (product(0), product(1), product(2), product(3)),
        (review(0), review(1), review(2)),
        (message(0), message(1)),
        (payment(0), payment(1)),
        proptest::option::of(select(SELLERS.to_vec())),
    )
        .prop_map(
            |(relations, (p0, p1, p2, p3), (r0, r1, r2), (m0, m1), (y0, y1), seller)| {
                let mut parties: Vec<Party> = Vec::new();
                for (ids, kind) in [
                    (&SELLERS[..], PartyKind::Seller),
                    (&PERSONS[..], PartyKind::Person),
                    (&ACCOUNTS[..], PartyKind::CustomerAccount),
                    (&SERVICES[..], PartyKind::Service),
                ] {
                    parties.extend(ids.iter().map(|id| Party {
                        id: id.to_string(),
                        kind,
                        name: None,
                    }));
                }
                let mut products = vec![p0, p1, p2, p3];
                for f in ["F0", "F1"] {
                    products.push(Product {
                        id: f.into(),
                        seller: Some("S1".into()),
                        brand: None,
                        title: None,
                        category: None,
                        product_type: None,
                        parent: None,
                        theme: None,
                    });
                }
                Case {
                    id: Some("prop".into()),
                    seller: seller.map(str::to_string),
                    parties,
                    relations,
                    products,
                    reviews: vec![r0, r1, r2],
                    messages: vec![m0, m1],
                    payments: vec![y0, y1],
                    catalog_events: vec![CatalogEvent {
                        kind: CatalogEventKind::VariationAdded,
                        parent: "F0".into(),
                        child: Some("B1".into()),
                        other_parent: None,
                        by: Some("S1".into()),
                        at: None,
                    }],
                }
            },
        )
}

fn decide(case: &Case) -> String {
    let json = serde_json::to_string(case).unwrap();
    engine().evaluate_json(&json).unwrap().to_json()
}

fn shuffled<T: Clone>(v: &[T], seed: u64) -> Vec<T> {
    let mut out = v.to_vec();
    let mut s = seed | 1;
    for i in (1..out.len()).rev() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        out.swap(i, (s % (i as u64 + 1)) as usize);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn decisions_are_deterministic_and_order_independent(c in case(), seed in any::<u64>()) {
        let base = decide(&c);
        prop_assert_eq!(&base, &decide(&c));
        let mut s = c.clone();
        s.parties = shuffled(&c.parties, seed);
        s.relations = shuffled(&c.relations, seed.wrapping_add(1));
        s.products = shuffled(&c.products, seed.wrapping_add(2));
        s.reviews = shuffled(&c.reviews, seed.wrapping_add(3));
        s.messages = shuffled(&c.messages, seed.wrapping_add(4));
        s.payments = shuffled(&c.payments, seed.wrapping_add(5));
        prop_assert_eq!(base, decide(&s));
    }

    #[test]
    fn unrelated_parties_and_relations_change_nothing(c in case(), kind in select(vec![RelationKind::Family, RelationKind::Owns, RelationKind::Employs, RelationKind::Member, RelationKind::Competitor])) {
        let base = decide(&c);
        let mut more = c.clone();
        more.parties.push(Party { id: "Z1".into(), kind: PartyKind::Person, name: None });
        more.parties.push(Party { id: "Z2".into(), kind: PartyKind::CustomerAccount, name: None });
        more.parties.push(Party { id: "Z3".into(), kind: PartyKind::Seller, name: None });
        more.relations.push(Relation { kind, from: "Z1".into(), to: "Z2".into(), signal: None });
        more.relations.push(Relation { kind: RelationKind::Employs, from: "Z3".into(), to: "Z1".into(), signal: None });
        if c.seller.is_some() {
            // With a named seller, Z3 is not evaluated, so nothing may change at all.
            prop_assert_eq!(base, decide(&more));
        } else {
            // Every seller is evaluated, so Z3 may have violations of its own; S1..S3's stay.
            let without_z3 = |s: String| {
                let v: serde_json::Value = serde_json::from_str(&s).unwrap();
                v["violations"].as_array().unwrap().iter().filter(|x| x["seller"] != "Z3").cloned().collect::<Vec<_>>()
            };
            prop_assert_eq!(without_z3(base), without_z3(decide(&more)));
        }
    }

    #[test]
    fn text_spans_lie_on_char_boundaries_and_quote_the_field(c in case()) {
        let json = serde_json::to_string(&c).unwrap();
        let d = engine().evaluate_json(&json).unwrap();
        for v in &d.violations {
            for e in &v.evidence {
                if let Evidence::Text(t) = e {
                    let field: &str = match (&t.in_, t.field.as_str()) {
                        (Subject::Message(id), "text") => &c.messages.iter().find(|m| &m.id == id).unwrap().text,
                        (Subject::Payment(id), "note") => c.payments.iter().find(|p| &p.id == id).unwrap().note.as_deref().unwrap(),
                        (Subject::Review(id), "text") => c.reviews.iter().find(|r| &r.id == id).unwrap().text.as_deref().unwrap(),
                        other => panic!("unexpected text location {other:?}"),
                    };
                    prop_assert!(t.start < t.end && t.end <= field.len());
                    prop_assert!(field.is_char_boundary(t.start) && field.is_char_boundary(t.end));
                    prop_assert_eq!(&field[t.start..t.end], t.quote.as_str());
                }
            }
        }
    }

    #[test]
    fn scan_spans_stay_inside_arbitrary_text(text in "\\PC{0,80}", glue in select(vec!["", "\u{200B}", " ", "⭐", "é", "\u{301}"])) {
        let t = format!("{glue}{text}{glue} leave a 5-star review{glue}");
        for f in engine().scan(&t, Channel::BuyerSellerMessage, None).unwrap() {
            prop_assert!(f.start < f.end && f.end <= t.len());
            prop_assert!(t.is_char_boundary(f.start) && t.is_char_boundary(f.end));
            prop_assert_eq!(&t[f.start..f.end], f.quote.as_str());
        }
        let n = engine().normalize(&t);
        prop_assert!(n.original_span(0, n.text.len()).is_none_or(|(s, e)| s <= e && e <= t.len()));
    }

    #[test]
    fn seller_side_agrees_with_a_naive_fixpoint(rels in proptest::collection::vec(relation(), 0..20), seller in select(SELLERS.to_vec())) {
        let c = Case { relations: rels.clone(), ..Case::default() };
        let side = SellerSide::build(&c, seller);
        let has = |k: RelationKind, f: &str, t: &str| rels.iter().any(|r| r.kind == k && r.from == f && r.to == t);
        let sym = |k: RelationKind, a: &str, b: &str| has(k, a, b) || has(k, b, a);
        let everyone = all_parties();
        let partners: BTreeSet<&str> = everyone.iter().copied().filter(|x| has(RelationKind::Partner, seller, x)).collect();
        let core: BTreeSet<&str> = everyone.iter().copied().filter(|x| {
            *x == seller || has(RelationKind::PrincipalOf, x, seller) || partners.contains(x)
                || partners.iter().any(|p| has(RelationKind::PrincipalOf, x, p))
        }).collect();
        let staff: BTreeSet<&str> = everyone.iter().copied().filter(|x| {
            has(RelationKind::Employs, seller, x) || partners.iter().any(|p| has(RelationKind::Employs, p, x))
        }).collect();
        let family: BTreeSet<&str> = everyone.iter().copied().filter(|x| {
            core.iter().chain(&staff).any(|a| a != x && sym(RelationKind::Family, a, x))
        }).collect();
        for a in &everyone {
            let owners: Vec<Group> = everyone.iter().filter(|o| has(RelationKind::Owns, o, a)).flat_map(|o| {
                [(core.contains(o), Group::Core), (staff.contains(o), Group::Staff), (family.contains(o), Group::Family)]
                    .into_iter().filter(|(m, _)| *m).map(|(_, g)| g)
            }).collect();
            let strongest = owners.iter().min().copied();
            prop_assert_eq!(side.owned(a).map(|(g, _)| g), strongest, "account {}", a);
            let controlled = strongest.is_none()
                && everyone.iter().any(|o| has(RelationKind::Controls, o, a) && (core.contains(o) || staff.contains(o)));
            prop_assert_eq!(side.controlled(a).is_some(), controlled, "account {}", a);
            // Every path is made of relations of the case and starts at the seller's side.
            let path = side.owned(a).map(|(_, p)| p.clone()).or_else(|| side.controlled(a).cloned());
            if let Some(path) = path {
                prop_assert!(!path.is_empty());
                for step in &path {
                    let parts: Vec<&str> = step.split(' ').collect();
                    prop_assert_eq!(parts.len(), 3);
                    let kind: RelationKind = serde_json::from_value(serde_json::json!(parts[1])).unwrap();
                    let symmetric = matches!(kind, RelationKind::Family | RelationKind::Competitor);
                    prop_assert!(has(kind, parts[0], parts[2]) || (symmetric && has(kind, parts[2], parts[0])), "step {}", step);
                }
                let tail = format!(" {}", a);
                prop_assert!(path.last().unwrap().ends_with(&tail));
            }
        }
    }
}

/// Violating and neutral texts whose decision must survive obfuscation.
const OBFUSCATION_POOL: [&str; 8] = [
    "Please leave us a 5-star review!",
    "Leave a review and we'll send you a free gift card.",
    "We will refund the full price once you remove your negative review.",
    "Not satisfied? Contact us first before leaving a review.",
    "Would you consider updating your review?",
    "We'd appreciate your honest review.",
    "Thanks for your order, your parcel ships today.",
    "We never offer anything in exchange for reviews.",
];

fn kinds_of(text: &str) -> BTreeSet<&'static str> {
    engine()
        .scan(text, Channel::BuyerSellerMessage, None)
        .unwrap()
        .iter()
        .map(|f| f.kind.slug())
        .collect()
}

fn lookalike(c: char) -> char {
    match c {
        'a' => '\u{0430}',
        'e' => '\u{0435}',
        'o' => '\u{043E}',
        'p' => '\u{0440}',
        'c' => '\u{0441}',
        'y' => '\u{0443}',
        'x' => '\u{0445}',
        'i' => '\u{0456}',
        _ => c,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn zero_width_characters_change_nothing(i in 0usize..8, positions in proptest::collection::vec(any::<proptest::sample::Index>(), 1..6), zw in select(vec!['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}'])) {
        let text = OBFUSCATION_POOL[i];
        let mut chars: Vec<char> = text.chars().collect();
        for p in positions {
            let at = p.index(chars.len() + 1);
            chars.insert(at, zw);
        }
        let obf: String = chars.into_iter().collect();
        prop_assert_eq!(kinds_of(text), kinds_of(&obf), "{:?}", obf);
    }

    #[test]
    fn look_alike_letters_change_nothing(i in 0usize..8, mask in any::<u64>()) {
        let text = OBFUSCATION_POOL[i];
        let obf: String = text.chars().enumerate().map(|(k, c)| if mask >> (k % 64) & 1 == 1 { lookalike(c) } else { c }).collect();
        prop_assert_eq!(kinds_of(text), kinds_of(&obf), "{:?}", obf);
    }

    #[test]
    fn spacing_out_a_keyword_changes_nothing(i in 0usize..8, pick in any::<proptest::sample::Index>(), sep in select(vec![" ", "."])) {
        let text = OBFUSCATION_POOL[i];
        let words: Vec<&str> = text.split(' ').collect();
        let w = pick.index(words.len());
        let word = words[w].trim_matches(|c: char| !c.is_ascii_alphabetic());
        // Only words the pack knows can be rebuilt ("r e v i e w"); others stay spaced.
        let spaced: String = word.chars().map(|c| c.to_string()).collect::<Vec<_>>().join(sep);
        prop_assume!(word.len() >= 3 && word.chars().all(|c| c.is_ascii_alphabetic()));
        prop_assume!(engine().normalize(&spaced).text == engine().normalize(word).text);
        let obf = words.iter().enumerate().map(|(k, x)| if k == w { x.replacen(word, &spaced, 1) } else { x.to_string() }).collect::<Vec<_>>().join(" ");
        prop_assert_eq!(kinds_of(text), kinds_of(&obf), "{:?}", obf);
    }
}

/// Keys whose string values are ids (or references to ids) in the case format.
const ID_KEYS: [&str; 11] = [
    "id",
    "from",
    "to",
    "seller",
    "product",
    "author",
    "by",
    "parent",
    "child",
    "other_parent",
    "review",
];

/// Renames every id of a case (as JSON) by appending `suffix`, so two cases share nothing.
fn rename_ids(v: &mut serde_json::Value, suffix: &str) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                match x {
                    serde_json::Value::String(s) if ID_KEYS.contains(&k.as_str()) => {
                        s.push_str(suffix)
                    }
                    _ => rename_ids(x, suffix),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|x| rename_ids(x, suffix)),
        _ => {}
    }
}

/// A case made independent: every seller evaluated (no `seller`), every message with a sender
/// (a draft without one is the case's seller's, which a union would change), ids suffixed.
fn independent(c: &Case, suffix: &str) -> serde_json::Value {
    let mut c = c.clone();
    c.seller = None;
    for m in &mut c.messages {
        m.from.get_or_insert_with(|| "S1".into());
    }
    let mut v = serde_json::to_value(&c).unwrap();
    rename_ids(&mut v, suffix);
    v["id"] = "union".into();
    v
}

/// The violations of a case (as JSON), each serialised, sorted: a multiset to compare.
/// Catalog events have no ids and are named by position, so `shift` moves those positions as
/// if the case's events followed `shift` others.
fn violations_of(case: &serde_json::Value, shift: u64) -> Vec<String> {
    let d = engine().evaluate_json(&case.to_string()).unwrap();
    let mut out: Vec<String> = d
        .violations
        .iter()
        .map(|v| {
            let mut v = serde_json::to_value(v).unwrap();
            if let Some(i) = v["subject"]["catalog_event"].as_u64() {
                v["subject"]["catalog_event"] = (i + shift).into();
            }
            v.to_string()
        })
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A case's decision is the union of the decisions of its independent sub-cases: two cases
    /// with disjoint ids judged together give exactly the violations of each judged alone.
    #[test]
    fn a_case_is_the_union_of_its_independent_sub_cases(a in case(), b in case()) {
        let (a, b) = (independent(&a, ""), independent(&b, "_b"));
        let mut merged = a.clone();
        for list in ["parties", "relations", "products", "reviews", "messages", "payments", "catalog_events"] {
            let extra = b[list].as_array().cloned().unwrap_or_default();
            if let Some(items) = merged[list].as_array_mut() {
                items.extend(extra);
            } else if !extra.is_empty() {
                merged[list] = extra.into();
            }
        }
        let events = a["catalog_events"].as_array().map_or(0, Vec::len) as u64;
        let mut want = violations_of(&a, 0);
        want.extend(violations_of(&b, events));
        want.sort();
        prop_assert_eq!(violations_of(&merged, 0), want);
    }
}
