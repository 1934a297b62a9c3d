//! # reviewguard
//!
//! Decides whether marketplace activity breaks customer-review policy, and says why.
//!
//! A **case** (parties, typed relations, products, reviews with edit history, messages,
//! payments, catalog events; see [`case`]) goes in; a **decision** (violations of the eleven
//! kinds of POLICY.md, each with evidence: quoted text spans, relation paths, payment and edit
//! references; and the pack's recommended actions; see [`decision`]) comes out.
//!
//! ```
//! use reviewguard::Engine;
//!
//! let engine = Engine::new()?; // the bundled default policy pack
//! let decision = engine.evaluate_json(r#"{
//!   "id": "c-1", "seller": "S1",
//!   "parties": [{"id": "S1", "kind": "seller"}, {"id": "A1", "kind": "customer_account"}],
//!   "messages": [{"id": "M1", "channel": "buyer_seller_message", "from": "S1", "to": "A1",
//!                 "text": "Leave a review and we'll send you a $10 gift card!"}]
//! }"#)?;
//! assert_eq!(decision.kinds(), vec![reviewguard::Kind::CompensatedReview]);
//! println!("{}", decision.to_json()); // byte-identical in every runtime
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Contents
//!
//! - [`Engine`]: built once from a policy pack, immutable, `Send + Sync`; evaluates cases,
//!   batches, and single texts ([`Engine::scan`]).
//! - [`case`]: the input model, read strictly ([`Case::from_json`]).
//! - [`affiliation`]: who is on a seller's side, with relation paths as evidence.
//! - [`decision`]: the output model, in canonical order.
//! - [`text`]: the policy pack as data, the normaliser with its offset map, the matcher.
//! - [`Error`] and [`ErrorCode`]: every failure is a value with a stable code and location.
//!
//! ## Guarantees
//!
//! The crate performs no I/O (no files, network, clock or environment; enforced by
//! `clippy.toml`), contains no `unsafe`, and does not panic on any input (clippy denies
//! `unwrap`, `expect`, `panic` and indexing outside tests). Spans are UTF-8 byte offsets into
//! the original field and always lie on char boundaries.

#![forbid(unsafe_code)]

pub mod affiliation;
pub mod case;
pub mod decision;
mod engine;
pub mod error;
pub mod jsonl;
pub mod kind;
mod predicates;
pub mod text;

pub use case::{Case, Channel, ValidCase};
pub use decision::{Confidence, Decision, Evidence, Subject, Violation};
pub use engine::{Engine, Limits, PackReport};
pub use error::{Error, ErrorCode, Result};
pub use kind::Kind;
pub use text::{Finding, PackSource};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
