//! Each kind decided from facts, with POLICY.md's hard negatives, as a table of cases.

// Tests fail by unwrapping and indexing, and read their fixtures from the repository.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::disallowed_methods
)]

use reviewguard::{Engine, Evidence};
use serde_json::{json, Value};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new().unwrap())
}

const PARTIES: &str = r#"[
  {"id":"S1","kind":"seller"},{"id":"S2","kind":"seller"},{"id":"S3","kind":"seller"},
  {"id":"P1","kind":"person"},{"id":"P2","kind":"person"},{"id":"P3","kind":"person"},{"id":"P4","kind":"person"},
  {"id":"A1","kind":"customer_account"},{"id":"A2","kind":"customer_account"},{"id":"A3","kind":"customer_account"},
  {"id":"A4","kind":"customer_account"},{"id":"A9","kind":"customer_account"},
  {"id":"X1","kind":"service"}]"#;

const PRODUCTS: &str = r#"[
  {"id":"B01","seller":"S1","brand":"Acme","category":"kitchen/knives","product_type":"KNIFE"},
  {"id":"B02","seller":"S2","brand":"Other","category":"kitchen/knives","product_type":"KNIFE"},
  {"id":"B03","seller":"S2","brand":"Other","category":"books/fiction","product_type":"BOOK"},
  {"id":"B04","seller":"S3","brand":"Third","category":"garden/hoses","product_type":"HOSE"}]"#;

fn case(extra: Value) -> String {
    let mut c = json!({
        "id": "t", "seller": "S1",
        "parties": serde_json::from_str::<Value>(PARTIES).unwrap(),
        "products": serde_json::from_str::<Value>(PRODUCTS).unwrap(),
    });
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c.to_string()
}

fn review(product: &str, author: &str) -> Value {
    json!([{"id":"R1","product":product,"author":author,"rating":5,"text":"Great product.","created_at":"2026-03-01T10:00:00Z"}])
}

fn kinds(json: &str) -> Vec<String> {
    let d = engine().evaluate_json(json).unwrap();
    d.violations
        .iter()
        .map(|v| format!("{}:{}", v.kind.slug(), v.confidence_str()))
        .collect()
}

trait ConfStr {
    fn confidence_str(&self) -> &'static str;
}
impl ConfStr for reviewguard::Violation {
    fn confidence_str(&self) -> &'static str {
        match self.confidence {
            reviewguard::Confidence::High => "high",
            reviewguard::Confidence::Medium => "medium",
        }
    }
}

#[test]
fn relation_kinds_table() {
    let rel = |v: Value| v;
    let table: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "principal reviews own product",
            json!({"relations": rel(json!([{"kind":"principal_of","from":"P1","to":"S1"},{"kind":"owns","from":"P1","to":"A1"}])), "reviews": review("B01","A1")}),
            vec!["seller-self-review:high"],
        ),
        (
            "seller's own account",
            json!({"relations": [{"kind":"owns","from":"S1","to":"A1"}], "reviews": review("B02","A1")}),
            vec!["seller-self-review:high"],
        ),
        (
            "partner agency's principal",
            json!({"relations": [{"kind":"partner","from":"S1","to":"X1"},{"kind":"principal_of","from":"P4","to":"X1"},{"kind":"owns","from":"P4","to":"A4"}], "reviews": review("B01","A4")}),
            vec!["seller-self-review:high"],
        ),
        (
            "competitor by relation, other category",
            json!({"relations": [{"kind":"competitor","from":"S3","to":"S1"},{"kind":"owns","from":"S1","to":"A1"}], "reviews": review("B04","A1")}),
            vec!["seller-self-review:high"],
        ),
        (
            "employee reviews competitor (shared category)",
            json!({"relations": [{"kind":"employs","from":"S1","to":"P2"},{"kind":"owns","from":"P2","to":"A2"}], "reviews": review("B02","A2")}),
            vec!["insider-review:high"],
        ),
        (
            "employee's spouse",
            json!({"relations": [{"kind":"employs","from":"S1","to":"P2"},{"kind":"family","from":"P3","to":"P2"},{"kind":"owns","from":"P3","to":"A3"}], "reviews": review("B01","A3")}),
            vec!["insider-review:high"],
        ),
        (
            "partner's employee",
            json!({"relations": [{"kind":"partner","from":"S1","to":"X1"},{"kind":"employs","from":"X1","to":"P2"},{"kind":"owns","from":"P2","to":"A2"}], "reviews": review("B01","A2")}),
            vec!["insider-review:high"],
        ),
        (
            "HARD NEG employee reviews a product neither sells",
            json!({"relations": [{"kind":"employs","from":"S1","to":"P2"},{"kind":"owns","from":"P2","to":"A2"}], "reviews": review("B03","A2")}),
            vec![],
        ),
        (
            "HARD NEG family of family",
            json!({"relations": [{"kind":"employs","from":"S1","to":"P2"},{"kind":"family","from":"P2","to":"P3"},{"kind":"family","from":"P3","to":"P4"},{"kind":"owns","from":"P4","to":"A4"}], "reviews": review("B01","A4")}),
            vec![],
        ),
        (
            "HARD NEG another seller's employee",
            json!({"relations": [{"kind":"employs","from":"S2","to":"P2"},{"kind":"owns","from":"P2","to":"A2"}], "reviews": review("B01","A2")}),
            vec![],
        ),
        (
            "controlled account",
            json!({"relations": [{"kind":"controls","from":"S1","to":"A9","signal":"shared_device"}], "reviews": review("B01","A9")}),
            vec!["customer-account-misuse:medium"],
        ),
        (
            "HARD NEG controlled by a family member only",
            json!({"relations": [{"kind":"employs","from":"S1","to":"P2"},{"kind":"family","from":"P2","to":"P3"},{"kind":"controls","from":"P3","to":"A9"}], "reviews": review("B01","A9")}),
            vec![],
        ),
        (
            "club member reviews seller's product",
            json!({"relations": [{"kind":"partner","from":"S1","to":"X1"},{"kind":"member","from":"A4","to":"X1"}], "reviews": review("B01","A4")}),
            vec!["review-club:high"],
        ),
        (
            "HARD NEG club member reviews a competitor",
            json!({"relations": [{"kind":"partner","from":"S1","to":"X1"},{"kind":"member","from":"A4","to":"X1"}], "reviews": review("B02","A4")}),
            vec![],
        ),
        (
            "HARD NEG member of a club the seller does not use",
            json!({"relations": [{"kind":"member","from":"A4","to":"X1"}], "reviews": review("B01","A4")}),
            vec![],
        ),
    ];
    for (name, extra, want) in table {
        assert_eq!(kinds(&case(extra)), want, "{name}");
    }
}

#[test]
fn payment_and_edit_sequences_table() {
    let r = |edits: Value| json!([{"id":"R1","product":"B01","author":"A2","rating":2,"text":"Meh.","created_at":"2026-03-01T10:00:00Z","edits":edits}]);
    let pay = |review: Value, at: &str| json!([{"id":"PAY1","from":"S1","to":"A2","kind":"refund","amount":"20.00","at":at,"review":review}]);
    let table: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "linked payment, review stays",
            json!({"reviews": r(json!([])), "payments": pay(json!("R1"), "2026-03-02T00:00:00Z")}),
            vec!["compensated-review:medium"],
        ),
        (
            "payment then removal",
            json!({"reviews": r(json!([{"at":"2026-03-05T00:00:00Z","by":"A2","removed":true}])), "payments": pay(json!("R1"), "2026-03-02T00:00:00Z")}),
            vec!["refund-for-review-change:medium"],
        ),
        (
            "payment then rating raised",
            json!({"reviews": r(json!([{"at":"2026-03-05T00:00:00Z","by":"A2","rating":5}])), "payments": pay(json!("R1"), "2026-03-02T00:00:00Z")}),
            vec!["refund-for-review-change:medium"],
        ),
        (
            "raise before payment is not a sequence",
            json!({"reviews": r(json!([{"at":"2026-03-01T12:00:00Z","by":"A2","rating":5}])), "payments": pay(json!("R1"), "2026-03-02T00:00:00Z")}),
            vec!["compensated-review:medium"],
        ),
        (
            "HARD NEG refund not linked to any review",
            json!({"reviews": r(json!([{"at":"2026-03-05T00:00:00Z","by":"A2","removed":true}])), "payments": pay(Value::Null, "2026-03-02T00:00:00Z")}),
            vec![],
        ),
        (
            "HARD NEG linked refund paid by a customer",
            json!({"reviews": r(json!([])), "payments": [{"id":"PAY1","from":"A9","kind":"refund","review":"R1"}]}),
            vec![],
        ),
        (
            "seller-side edit of another's review",
            json!({"relations": [{"kind":"employs","from":"S1","to":"P2"},{"kind":"owns","from":"P2","to":"A3"}], "reviews": r(json!([{"at":"2026-03-05T00:00:00Z","by":"A3","rating":5}]))}),
            vec!["customer-account-misuse:high"],
        ),
        (
            "HARD NEG the author edits their own review",
            json!({"reviews": r(json!([{"at":"2026-03-05T00:00:00Z","by":"A2","rating":4}]))}),
            vec![],
        ),
        (
            "payment note text is read",
            json!({"payments": [{"id":"PAY1","from":"S1","to":"A2","kind":"gift_card","note":"Gift card for your 5-star review, thanks!"}]}),
            vec!["compensated-review:high"],
        ),
    ];
    for (name, extra, want) in table {
        assert_eq!(kinds(&case(extra)), want, "{name}");
    }
}

#[test]
fn text_kinds_need_seller_side_senders() {
    let msg = |from: Value| json!([{"id":"M1","channel":"buyer_seller_message","from":from,"text":"Refund me and I'll change my review to 5 stars."}]);
    let ask = |from: Value| json!([{"id":"M1","channel":"buyer_seller_message","from":from,"text":"Please leave us a 5-star review!"}]);
    let table: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "HARD NEG customer's own message",
            json!({"messages": msg(json!("A1"))}),
            vec![],
        ),
        (
            "seller asks",
            json!({"messages": ask(json!("S1"))}),
            vec!["biased-review-request:high"],
        ),
        (
            "employee asks",
            json!({"relations": [{"kind":"employs","from":"S1","to":"P2"}], "messages": ask(json!("P2"))}),
            vec!["biased-review-request:high"],
        ),
        (
            "controlled account asks",
            json!({"relations": [{"kind":"controls","from":"S1","to":"A9"}], "messages": ask(json!("A9"))}),
            vec!["biased-review-request:high"],
        ),
        (
            "HARD NEG unrelated customer asks",
            json!({"messages": ask(json!("A4"))}),
            vec![],
        ),
        (
            "draft without sender",
            json!({"messages": ask(Value::Null)}),
            vec!["biased-review-request:high"],
        ),
        (
            "insert asks for 5 stars",
            json!({"messages": [{"id":"M1","channel":"package_insert","from":"S1","text":"Please leave us a 5-star review!"}]}),
            vec!["insert-solicitation:high"],
        ),
    ];
    for (name, extra, want) in table {
        assert_eq!(kinds(&case(extra)), want, "{name}");
    }
}

#[test]
fn review_disclosures_and_exempt_programs() {
    let r = |text: &str, program: Value| json!([{"id":"R1","product":"B03","author":"A4","rating":5,"text":text,"program":program}]);
    let table: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "disclosed incentive",
            json!({"seller": null, "reviews": r("I received this product at a discount in exchange for my honest review.", Value::Null)}),
            vec!["compensated-review:high"],
        ),
        (
            "HARD NEG vine review of free product",
            json!({"seller": null, "reviews": r("Vine Customer Review of Free Product. I received it free in exchange for my honest review.", json!("vine"))}),
            vec![],
        ),
        (
            "HARD NEG advance review copy",
            json!({"seller": null, "reviews": r("I received an advance copy in exchange for an honest review.", json!("advance_review_copy"))}),
            vec![],
        ),
        (
            "HARD NEG customer bought a gift card",
            json!({"seller": null, "reviews": r("Bought a gift card for my sister; she loves this book.", Value::Null)}),
            vec![],
        ),
        (
            "HARD NEG free samples from a dentist",
            json!({"seller": null, "reviews": r("My dentist gave me free samples and I liked them.", Value::Null)}),
            vec![],
        ),
        (
            "HARD NEG self-initiated update",
            json!({"seller": null, "reviews": r("Update: support replaced it quickly, so I'm changing my review to 4 stars.", Value::Null)}),
            vec![],
        ),
        (
            "case seller S1 does not take S2's product disclosure",
            json!({"reviews": r("I got it free in exchange for my honest review.", Value::Null)}),
            vec![],
        ),
    ];
    for (name, extra, want) in table {
        let mut c: Value = serde_json::from_str(&case(extra.clone())).unwrap();
        if extra.get("seller") == Some(&Value::Null) {
            c.as_object_mut().unwrap().remove("seller");
        }
        assert_eq!(kinds(&c.to_string()), want, "{name}");
    }
}

#[test]
fn variation_families_table() {
    let fam = |a: Value, b: Value| {
        json!({"products": [
        {"id":"F0","seller":"S1","brand":"Acme"},
        {"id":"V1","seller":"S1","parent":"F0","brand":a[0],"product_type":a[1],"category":a[2],"theme":{"size":"M"}},
        {"id":"V2","seller":"S1","parent":"F0","brand":b[0],"product_type":b[1],"category":b[2],"theme":{"size":"L"}}]})
    };
    let table: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "HARD NEG theme-only differences",
            fam(
                json!(["Acme", "SHIRT", "clothing"]),
                json!(["acme ", "shirt", "clothing"]),
            ),
            vec![],
        ),
        (
            "different product type",
            fam(
                json!(["Acme", "SHAMPOO", "beauty"]),
                json!(["Acme", "FLAT_IRON", "beauty"]),
            ),
            vec!["variation-abuse:high"],
        ),
        (
            "different brand",
            fam(
                json!(["Acme", "SHIRT", "clothing"]),
                json!(["Other", "SHIRT", "clothing"]),
            ),
            vec!["variation-abuse:high"],
        ),
        (
            "no product types: different category",
            fam(
                json!(["Acme", null, "beauty/hair"]),
                json!(["Acme", null, "beauty/tools"]),
            ),
            vec!["variation-abuse:high"],
        ),
        (
            "HARD NEG same type, different category path",
            fam(
                json!(["Acme", "SHIRT", "clothing/men"]),
                json!(["Acme", "SHIRT", "clothing/women"]),
            ),
            vec![],
        ),
    ];
    for (name, extra, want) in table {
        assert_eq!(kinds(&case(extra)), want, "{name}");
    }
    // Events: attaching a product of another type to a family.
    let c = case(json!({"products": [
        {"id":"F0","seller":"S1","brand":"Acme"},
        {"id":"V1","seller":"S1","parent":"F0","brand":"Acme","product_type":"SHIRT"},
        {"id":"V9","seller":"S1","brand":"Acme","product_type":"BLENDER"}],
        "catalog_events": [{"kind":"variation_added","parent":"F0","child":"V9","by":"S1","at":"2026-02-01T00:00:00Z"},
                           {"kind":"variation_removed","parent":"F0","child":"V1"}]}));
    let d = engine().evaluate_json(&c).unwrap();
    assert_eq!(d.violations.len(), 1);
    assert_eq!(
        d.violations[0].subject,
        reviewguard::Subject::CatalogEvent(0)
    );
    assert!(
        matches!(&d.violations[0].evidence[0], Evidence::Variation(v) if v.attribute == "product_type" && v.values == ["blender", "shirt"])
    );
}

#[test]
fn evidence_carries_the_relation_path() {
    let c = case(
        json!({"relations": [{"kind":"employs","from":"S1","to":"P2"},{"kind":"family","from":"P2","to":"P3"},{"kind":"owns","from":"P3","to":"A3"}], "reviews": review("B01","A3")}),
    );
    let d = engine().evaluate_json(&c).unwrap();
    let json = d.to_json();
    assert!(
        json.contains(r#"{"relation_path":["S1 employs P2","P2 family P3","P3 owns A3"]}"#),
        "{json}"
    );
    assert!(
        json.contains(r#""actions":["withdraw_selling_privileges","#),
        "{json}"
    );
}

/// A seller-side party that edits another author's review of a product the seller does not
/// sell is still found: the review is reached through its editor (each seller side reads only
/// the reviews its parties wrote, edited or whose product it sells), in a case of several
/// sellers evaluated at once.
#[test]
fn an_edit_by_the_seller_side_is_found_on_any_product_among_several_sellers() {
    let mut c: Value = serde_json::from_str(&case(json!({
        "relations": [{"kind":"employs","from":"S1","to":"P2"}],
        "reviews": [{"id":"R1","product":"B04","author":"A9","rating":2,
            "created_at":"2026-03-01T10:00:00Z",
            "edits":[{"by":"P2","rating":5,"at":"2026-03-02T10:00:00Z"}]}],
    })))
    .unwrap();
    // No `seller`: every seller party is evaluated.
    c.as_object_mut().unwrap().remove("seller");
    let d = engine().evaluate_json(&c.to_string()).unwrap();
    let found: Vec<(String, String)> = d
        .violations
        .iter()
        .map(|v| {
            (
                v.seller.clone().unwrap_or_default(),
                v.kind.slug().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("S1".to_string(), "customer-account-misuse".to_string())],
        "{}",
        d.to_json()
    );
}
