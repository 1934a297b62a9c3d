//! Limits and hostile inputs: every one gives a decision or a `limit_exceeded` (or other
//! stable) error with a location; never a panic, a hang or a partial decision.
//!
//! Peak memory and time of the largest inputs (a 64 MB message, a million relations) are
//! measured against the release CLI by `scripts/hostile.py`; these tests pin the behaviour.

// Tests fail by unwrapping and indexing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::disallowed_methods
)]

use reviewguard::text::pack::PackLimits;
use reviewguard::{Channel, Engine, ErrorCode, Limits, PackSource};
use std::fmt::Write;

fn engine_with(limits: Limits) -> Engine {
    Engine::with_limits(Engine::default_pack_source(), limits).unwrap()
}

fn err(engine: &Engine, json: &str) -> (ErrorCode, String) {
    let e = engine.evaluate_json(json).unwrap_err();
    (e.code, e.location.unwrap_or_default())
}

/// `n` relations over a small set of parties (the same few edges repeat).
fn many_relations(n: usize) -> String {
    let mut s = String::with_capacity(n * 48 + 256);
    s.push_str(r#"{"id":"big","seller":"S1","parties":[{"id":"S1","kind":"seller"},"#);
    for p in 0..100 {
        let _ = write!(s, r#"{{"id":"P{p}","kind":"person"}},"#);
    }
    s.push_str(r#"{"id":"A1","kind":"customer_account"}],"relations":["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, r#"{{"kind":"employs","from":"S1","to":"P{}"}}"#, i % 100);
    }
    s.push_str(r#"],"products":[{"id":"B1","seller":"S1"}],"#);
    s.push_str(r#""reviews":[{"id":"R1","product":"B1","author":"A1","rating":5}]}"#);
    s
}

#[test]
fn defaults_are_documented_values() {
    let l = Limits::default();
    assert_eq!(
        (
            l.max_case_bytes,
            l.max_text_bytes,
            l.max_list_len,
            l.max_json_depth
        ),
        (64 << 20, 1 << 20, 200_000, 64)
    );
    let p = PackLimits::default();
    assert_eq!(
        (
            p.max_pack_bytes,
            p.max_regex_bytes,
            p.max_terms,
            p.max_automaton_bytes
        ),
        (8 << 20, 1 << 20, 100_000, 128 << 20)
    );
}

#[test]
fn nesting_deeper_than_the_limit_is_refused_where_it_starts() {
    let engine = Engine::new().unwrap();
    // 100 000 levels inside a product's theme: refused at the 65th bracket.
    let prefix = r#"{"products":[{"id":"P","theme":{"x":"#;
    let json = format!(
        "{prefix}{}{}}}}}]}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let column = prefix.len() + (65 - 4);
    assert_eq!(
        err(&engine, &json),
        (ErrorCode::LimitExceeded, format!("line 1 column {column}"))
    );
    // Lines count too.
    let json = format!("{{\n\"products\":\n{}", "[".repeat(200));
    assert_eq!(
        err(&engine, &json),
        (ErrorCode::LimitExceeded, "line 3 column 64".to_string())
    );
    // A small limit: a real case fits in 4 levels, 3 is too few.
    let case = r#"{"id":"c","products":[{"id":"P","theme":{"color":"red"}}]}"#;
    assert!(engine_with(Limits {
        max_json_depth: 4,
        ..Limits::default()
    })
    .evaluate_json(case)
    .is_ok());
    assert_eq!(
        err(
            &engine_with(Limits {
                max_json_depth: 3,
                ..Limits::default()
            }),
            case
        ),
        (ErrorCode::LimitExceeded, "line 1 column 41".to_string())
    );
    // Brackets inside strings are text, not nesting.
    let case = format!(
        r#"{{"messages":[{{"id":"M","text":"{}"}}]}}"#,
        "[{".repeat(500)
    );
    assert!(engine.evaluate_json(&case).is_ok());
}

#[test]
fn a_million_relations_are_refused_at_their_key_by_default() {
    let json = many_relations(1_000_000);
    assert!(json.len() < 64 << 20, "under the case size limit");
    let engine = Engine::new().unwrap();
    assert_eq!(
        err(&engine, &json),
        (ErrorCode::LimitExceeded, "relations".to_string())
    );
    // Exactly at the limit passes the list check.
    let engine = engine_with(Limits {
        max_list_len: 1000,
        ..Limits::default()
    });
    let d = engine.evaluate_json(&many_relations(1000)).unwrap();
    assert_eq!(d.case.as_deref(), Some("big"));
    assert_eq!(
        err(&engine, &many_relations(1001)),
        (ErrorCode::LimitExceeded, "relations".to_string())
    );
}

#[test]
fn a_large_graph_under_raised_limits_gets_a_decision() {
    let engine = engine_with(Limits {
        max_list_len: 2_000_000,
        ..Limits::default()
    });
    let d = engine.evaluate_json(&many_relations(100_000)).unwrap();
    // The seller employs everyone; A1 is nobody's: the review is clean.
    assert!(d.violations.is_empty(), "{}", d.to_json());
}

#[test]
fn relation_cycles_terminate_with_the_shortest_path() {
    let engine = Engine::new().unwrap();
    let case = r#"{"id":"cyc","seller":"S1",
      "parties":[{"id":"S1","kind":"seller"},{"id":"S2","kind":"seller"},
        {"id":"P1","kind":"person"},{"id":"P2","kind":"person"},{"id":"P3","kind":"person"},
        {"id":"A3","kind":"customer_account"},{"id":"X","kind":"service"}],
      "relations":[
        {"kind":"employs","from":"S1","to":"P1"},{"kind":"principal_of","from":"P1","to":"S1"},
        {"kind":"family","from":"P1","to":"P2"},{"kind":"family","from":"P2","to":"P3"},
        {"kind":"family","from":"P3","to":"P1"},{"kind":"owns","from":"P3","to":"A3"},
        {"kind":"competitor","from":"S1","to":"S2"},{"kind":"competitor","from":"S2","to":"S1"},
        {"kind":"partner","from":"S1","to":"X"},{"kind":"member","from":"A3","to":"X"},
        {"kind":"employs","from":"X","to":"P1"},{"kind":"principal_of","from":"P1","to":"X"}],
      "products":[{"id":"B1","seller":"S1"}],
      "reviews":[{"id":"R1","product":"B1","author":"A3","rating":5,"text":"Great"}]}"#;
    let d = engine.evaluate_json(case).unwrap();
    let json = d.to_json();
    assert!(
        json.contains(r#""kind":"insider-review""#)
            && json.contains(r#"["P1 principal_of S1","P1 family P3","P3 owns A3"]"#)
            && json.contains(r#""kind":"review-club""#),
        "{json}"
    );
    // Deterministic, however the cycle is entered.
    assert_eq!(engine.evaluate_json(case).unwrap().to_json(), json);
}

#[test]
fn oversized_texts_and_cases_are_refused_before_work() {
    let engine = Engine::new().unwrap();
    let big = "a".repeat(64 << 20);
    let e = engine
        .scan(&big, Channel::BuyerSellerMessage, None)
        .unwrap_err();
    assert_eq!(
        (e.code, e.location.as_deref()),
        (ErrorCode::LimitExceeded, Some("text"))
    );
    let case = format!(r#"{{"messages":[{{"id":"M","text":"{big}"}}]}}"#);
    let e = engine.evaluate_json(&case).unwrap_err();
    assert_eq!((e.code, e.location), (ErrorCode::LimitExceeded, None));
    // Under the case limit but over the text limit: the field is named.
    let case = format!(
        r#"{{"messages":[{{"id":"M","text":"{}"}}]}}"#,
        "b".repeat(2 << 20)
    );
    assert_eq!(
        err(&engine, &case),
        (ErrorCode::LimitExceeded, "messages[0].text".to_string())
    );
}

#[test]
fn nul_bytes_and_escapes_are_text() {
    let engine = Engine::new().unwrap();
    let case = "{\"messages\":[{\"id\":\"M\",\"text\":\"Leave\\u0000 a 5-star\\u0000 review\"}]}";
    assert!(engine.evaluate_json(case).is_ok());
    // A lone surrogate escape is invalid JSON text, refused with a location.
    let case = r#"{"messages":[{"id":"M","text":"\ud800 review"}]}"#;
    assert_eq!(err(&engine, case).0, ErrorCode::InvalidJson);
    let f = engine
        .scan("5\0-star\0 review please\0", Channel::PackageInsert, None)
        .unwrap();
    for x in &f {
        assert!(x.start <= x.end && x.end <= 24);
    }
}

fn one_concept_pack(terms: &str) -> String {
    format!("[pack]\nname = \"t\"\nversion = \"1\"\nlanguages = [\"en\"]\n[[concept]]\nname = \"c\"\nlang = \"en\"\n{terms}\n[[rule]]\nid = \"r\"\nkind = \"biased-review-request\"\nall = [\"c\"]\nwhy = \"w\"\nmust_match = [\"{}\"]\n", "a".repeat(25))
}

#[test]
fn a_pack_regex_that_would_explode_a_dfa_stays_bounded() {
    // The classic exponential DFA: the lazy DFA's cache bounds it, so it builds and scans.
    let engine = Engine::from_pack_str(&one_concept_pack("regex = ['(a|b)*a(a|b){24}']"))
        .expect("builds within the limits");
    let text: String = "ab".repeat(50_000);
    let f = engine
        .scan(&text, Channel::BuyerSellerMessage, None)
        .unwrap();
    assert!(f.iter().all(|x| x.end <= text.len()));
    // Counted repetition that needs a huge NFA is a pack error with its location.
    let e = Engine::from_pack_str(&one_concept_pack("regex = ['(\\w{100}){100}']")).unwrap_err();
    assert_eq!(
        (e.code, e.location.as_deref()),
        (ErrorCode::PackBadPattern, Some("<pack>:8:10"))
    );
}

#[test]
fn pack_limits_are_enforced() {
    let tiny = |p: PackLimits| {
        Engine::with_limits(
            Engine::default_pack_source(),
            Limits {
                pack: p,
                ..Limits::default()
            },
        )
        .unwrap_err()
        .code
    };
    let d = PackLimits::default();
    assert_eq!(
        tiny(PackLimits {
            max_pack_bytes: 1000,
            ..d
        }),
        ErrorCode::LimitExceeded
    );
    assert_eq!(
        tiny(PackLimits {
            max_terms: 100,
            ..d
        }),
        ErrorCode::LimitExceeded
    );
    assert_eq!(
        tiny(PackLimits {
            max_automaton_bytes: 1 << 20,
            ..d
        }),
        ErrorCode::LimitExceeded
    );
    // A pack over the size limit is refused before it is parsed.
    let huge = PackSource::from_text(&"# comment\n".repeat(1 << 20));
    assert_eq!(
        Engine::from_pack(huge).unwrap_err().code,
        ErrorCode::LimitExceeded
    );
}

#[test]
fn a_long_spaced_out_run_is_read_once_not_once_per_letter() {
    // Spaced letters with no word of the pack ("a a a ...") were re-read from every letter:
    // quadratic, minutes for 10 000 letters. Now one pass; and a known word inside a long run
    // is still rebuilt.
    let engine = Engine::new().unwrap();
    let text = "a ".repeat(200_000);
    assert!(engine
        .scan(&text, Channel::BuyerSellerMessage, None)
        .unwrap()
        .is_empty());
    let text = format!("{}L e a v e a 5-star r e v i e w", "x ".repeat(100_000));
    let f = engine
        .scan(&text, Channel::BuyerSellerMessage, None)
        .unwrap();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].kind.slug(), "biased-review-request");
    assert!(f[0].quote.starts_with("L e a v e"), "{}", f[0].quote);
}

/// Lists inside records count against the list limit too (a review's edits used to be
/// unbounded: a million `{}` edits fit in a case and every seller and payment walked them), as
/// do lists in free-form JSON; product attributes against the text limit.
#[test]
fn nested_lists_and_product_attributes_are_bounded_with_their_paths() {
    let engine = engine_with(Limits {
        max_list_len: 3,
        max_text_bytes: 16,
        ..Limits::default()
    });
    let review = |edits: usize| {
        let e = vec![r#"{"rating":4}"#; edits].join(",");
        format!(
            r#"{{"id":"c","parties":[{{"id":"S1","kind":"seller"}},{{"id":"A1","kind":"customer_account"}}],
            "products":[{{"id":"B1","seller":"S1"}}],
            "reviews":[{{"id":"R0","product":"B1","author":"A1","rating":5}},
              {{"id":"R1","product":"B1","author":"A1","rating":5,"edits":[{e}]}}]}}"#
        )
    };
    assert!(engine.evaluate_json(&review(3)).is_ok());
    assert_eq!(
        err(&engine, &review(4)),
        (ErrorCode::LimitExceeded, "reviews[1].edits".to_string())
    );
    let e = engine.evaluate_json(&review(4)).unwrap_err();
    assert!(e.message.contains("`edits` has more than 3 items"), "{e}");
    let theme = |n: usize| {
        let list = vec!["1"; n].join(",");
        format!(r#"{{"id":"c","products":[{{"id":"B1","theme":{{"sizes":[{list}]}}}}]}}"#)
    };
    assert!(engine.evaluate_json(&theme(3)).is_ok());
    assert_eq!(
        err(&engine, &theme(4)),
        (
            ErrorCode::LimitExceeded,
            "products[0].theme.sizes".to_string()
        )
    );
    // A list of lists is located by index.
    assert_eq!(
        err(
            &engine,
            r#"{"id":"c","products":[{"id":"B1","theme":{"grid":[[1],[1,2,3,4]]}}]}"#
        ),
        (
            ErrorCode::LimitExceeded,
            "products[0].theme.grid[1]".to_string()
        )
    );
    let category = |c: &str| {
        format!(r#"{{"id":"c","products":[{{"id":"B1"}},{{"id":"B2","category":"{c}"}}]}}"#)
    };
    assert!(engine.evaluate_json(&category("kitchen/knives")).is_ok());
    assert_eq!(
        err(&engine, &category("kitchen/knives/chef")),
        (ErrorCode::LimitExceeded, "products[1].category".to_string())
    );
}

/// The same limits hold for a case built in code, which skips the raw-bytes pass.
#[test]
fn nested_lists_of_a_case_built_in_code_are_bounded() {
    let engine = engine_with(Limits {
        max_list_len: 3,
        ..Limits::default()
    });
    let json = r#"{"id":"c","parties":[{"id":"S1","kind":"seller"},{"id":"A1","kind":"customer_account"}],
        "products":[{"id":"B1","seller":"S1"}],
        "reviews":[{"id":"R1","product":"B1","author":"A1","rating":5,
          "edits":[{"rating":4},{"rating":3},{"rating":2},{"rating":1}]}]}"#;
    let case = reviewguard::Case::from_json(json).unwrap();
    let e = engine.evaluate(&case).unwrap_err();
    assert_eq!(e.code, ErrorCode::LimitExceeded);
    assert_eq!(e.location.as_deref(), Some("reviews[0].edits"));
}
