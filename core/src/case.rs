//! The case model of CASES.md as serde types, read strictly.
//!
//! [`Case::from_json`] rejects unknown fields, dangling references, duplicate ids, ratings
//! outside 1..=5, bad timestamps and bad amounts, each with a stable [`ErrorCode`] and the JSON
//! path of the offending value (`reviews[3].rating`). A case that fails is never judged in part.
//!
//! Optional fields this project adds to CASES.md (all documented here and in the README):
//! `parties[].name`, `messages[].title` is *not* accepted (messages have only `text`);
//! `reviews[].edits[].title`. Every list is optional and defaults to empty.

use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A case: the facts about one or more sellers that the engine judges.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The case id, echoed in the decision.
    #[serde(default)]
    pub id: Option<String>,
    /// The seller under evaluation; when absent every party of kind `seller` is evaluated.
    #[serde(default)]
    pub seller: Option<String>,
    /// Declared parties.
    #[serde(default)]
    pub parties: Vec<Party>,
    /// Typed relations between parties.
    #[serde(default)]
    pub relations: Vec<Relation>,
    /// Products, with variation data.
    #[serde(default)]
    pub products: Vec<Product>,
    /// Reviews, with their edit history.
    #[serde(default)]
    pub reviews: Vec<Review>,
    /// Messages in any channel.
    #[serde(default)]
    pub messages: Vec<Message>,
    /// Payments between parties.
    #[serde(default)]
    pub payments: Vec<Payment>,
    /// Catalog (variation) events.
    #[serde(default)]
    pub catalog_events: Vec<CatalogEvent>,
}

/// A party: seller, person, customer account or service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Unique id within the case.
    pub id: String,
    /// What the party is.
    pub kind: PartyKind,
    /// Optional display name (an addition to CASES.md; not used in decisions).
    #[serde(default)]
    pub name: Option<String>,
}

/// The kind of a [`Party`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// A selling business.
    Seller,
    /// A natural person.
    Person,
    /// A customer (buyer) account on the marketplace.
    CustomerAccount,
    /// An agency, broker, club, tester group or review-selling service.
    Service,
}

/// A typed relation between two declared parties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// What the relation is.
    pub kind: RelationKind,
    /// The source party id.
    pub from: String,
    /// The target party id.
    pub to: String,
    /// For `controls`: the linkage signal behind it.
    #[serde(default)]
    pub signal: Option<Signal>,
}

/// The kind of a [`Relation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// Person → seller or service: owner, officer.
    PrincipalOf,
    /// Seller or service → person.
    Employs,
    /// Person ↔ person (symmetric).
    Family,
    /// Party → customer account.
    Owns,
    /// Party → customer account, operated without owning.
    Controls,
    /// Seller → service or person: a hired third party.
    Partner,
    /// Customer account → service (club, tester group).
    Member,
    /// Seller ↔ seller (symmetric).
    Competitor,
}

impl RelationKind {
    /// The snake_case name used in JSON and in relation paths.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::PrincipalOf => "principal_of",
            RelationKind::Employs => "employs",
            RelationKind::Family => "family",
            RelationKind::Owns => "owns",
            RelationKind::Controls => "controls",
            RelationKind::Partner => "partner",
            RelationKind::Member => "member",
            RelationKind::Competitor => "competitor",
        }
    }
}

/// The linkage signal behind a `controls` relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// The same device was used.
    SharedDevice,
    /// The same payment instrument was used.
    SharedPayment,
    /// The same address was used.
    SharedAddress,
    /// The same network was used.
    SharedNetwork,
    /// Login evidence.
    Login,
}

/// A product, possibly a child of a variation family (`parent`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Unique id (ASIN-like).
    pub id: String,
    /// The seller party that sells it.
    #[serde(default)]
    pub seller: Option<String>,
    /// Brand name.
    #[serde(default)]
    pub brand: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Category path, e.g. `kitchen/knives`; equal strings mean the same category.
    #[serde(default)]
    pub category: Option<String>,
    /// Product type, e.g. `KNIFE`.
    #[serde(default)]
    pub product_type: Option<String>,
    /// The variation parent this product is a child of.
    #[serde(default)]
    pub parent: Option<String>,
    /// Theme attributes (size, colour, scent, count); free-form, never compared.
    #[serde(default)]
    pub theme: Option<BTreeMap<String, serde_json::Value>>,
}

/// A product review with its edit history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Unique id.
    pub id: String,
    /// The reviewed product.
    pub product: String,
    /// The authoring party (normally a customer account).
    pub author: String,
    /// Star rating, 1..=5.
    #[serde(default)]
    pub rating: Option<i64>,
    /// Review title.
    #[serde(default)]
    pub title: Option<String>,
    /// Review body.
    #[serde(default)]
    pub text: Option<String>,
    /// Creation time (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Whether the marketplace verified the purchase.
    #[serde(default)]
    pub verified_purchase: Option<bool>,
    /// An exempt program the review was written in.
    #[serde(default)]
    pub program: Option<Program>,
    /// Edits in the order they happened.
    #[serde(default)]
    pub edits: Vec<Edit>,
}

/// A review program that exempts incentive disclosures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Program {
    /// Amazon Vine.
    Vine,
    /// Advance review copies (books).
    AdvanceReviewCopy,
}

/// One edit (or removal) of a review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// When (RFC 3339).
    #[serde(default)]
    pub at: Option<String>,
    /// Who made the edit.
    #[serde(default)]
    pub by: Option<String>,
    /// The rating after the edit (absent: unchanged).
    #[serde(default)]
    pub rating: Option<i64>,
    /// The text after the edit.
    #[serde(default)]
    pub text: Option<String>,
    /// The title after the edit (an addition to CASES.md).
    #[serde(default)]
    pub title: Option<String>,
    /// Whether the edit removed the review.
    #[serde(default)]
    pub removed: Option<bool>,
}

/// A message in a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Unique id.
    pub id: String,
    /// Where it was sent; defaults to `buyer_seller_message`.
    #[serde(default)]
    pub channel: Channel,
    /// The sender; absent means the seller's own draft.
    #[serde(default)]
    pub from: Option<String>,
    /// The recipient.
    #[serde(default)]
    pub to: Option<String>,
    /// The text.
    pub text: String,
    /// When (RFC 3339).
    #[serde(default)]
    pub sent_at: Option<String>,
    /// Language hint (`en`, `de`, `fr`, `es`, `it`, `ja`); absent means all languages.
    #[serde(default)]
    pub locale: Option<String>,
    /// The review the message is about, when known.
    #[serde(default)]
    pub review: Option<String>,
}

/// The channel of a [`Message`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Buyer-seller messaging on the marketplace.
    #[default]
    BuyerSellerMessage,
    /// A card or flyer in the package or shipping box.
    PackageInsert,
    /// Listing text.
    ProductListing,
    /// The seller's own request-for-review email.
    ReviewRequest,
    /// Social media, email, website or SMS outside the marketplace.
    External,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 5] = [
        Channel::BuyerSellerMessage,
        Channel::PackageInsert,
        Channel::ProductListing,
        Channel::ReviewRequest,
        Channel::External,
    ];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::BuyerSellerMessage => "buyer_seller_message",
            Channel::PackageInsert => "package_insert",
            Channel::ProductListing => "product_listing",
            Channel::ReviewRequest => "review_request",
            Channel::External => "external",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

/// A payment between parties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// Unique id.
    pub id: String,
    /// The paying party.
    pub from: String,
    /// The receiving party.
    #[serde(default)]
    pub to: Option<String>,
    /// What was paid.
    pub kind: PaymentKind,
    /// Decimal string, e.g. `"25.00"`.
    #[serde(default)]
    pub amount: Option<String>,
    /// ISO 4217 code.
    #[serde(default)]
    pub currency: Option<String>,
    /// Payment method (`paypal`, ...), free text.
    #[serde(default)]
    pub method: Option<String>,
    /// When (RFC 3339).
    #[serde(default)]
    pub at: Option<String>,
    /// The review the payment is linked to, when the link is known.
    #[serde(default)]
    pub review: Option<String>,
    /// Free text, read like a message.
    #[serde(default)]
    pub note: Option<String>,
}

/// The kind of a [`Payment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentKind {
    /// Refund of the purchase.
    Refund,
    /// Reimbursement, often outside the marketplace.
    Reimbursement,
    /// Gift card.
    GiftCard,
    /// Cash.
    Cash,
    /// A free product.
    FreeProduct,
    /// A discount.
    Discount,
    /// A coupon.
    Coupon,
    /// Cashback.
    Cashback,
}

impl PaymentKind {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentKind::Refund => "refund",
            PaymentKind::Reimbursement => "reimbursement",
            PaymentKind::GiftCard => "gift_card",
            PaymentKind::Cash => "cash",
            PaymentKind::FreeProduct => "free_product",
            PaymentKind::Discount => "discount",
            PaymentKind::Coupon => "coupon",
            PaymentKind::Cashback => "cashback",
        }
    }
}

/// A catalog event on variation families.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogEvent {
    /// What happened.
    pub kind: CatalogEventKind,
    /// The family parent.
    pub parent: String,
    /// The child added or removed (`variation_added`, `variation_removed`).
    #[serde(default)]
    pub child: Option<String>,
    /// The family merged into `parent` (`family_merged`).
    #[serde(default)]
    pub other_parent: Option<String>,
    /// The party that made the change.
    #[serde(default)]
    pub by: Option<String>,
    /// When (RFC 3339).
    #[serde(default)]
    pub at: Option<String>,
}

/// The kind of a [`CatalogEvent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogEventKind {
    /// A child joined a family.
    VariationAdded,
    /// A child left a family.
    VariationRemoved,
    /// `other_parent`'s family was merged into `parent`'s.
    FamilyMerged,
}

/// A case that passed validation, with its timestamps parsed.
///
/// Timestamps are Unix nanoseconds (offsets applied), in vectors parallel to the case lists.
#[derive(Debug, Clone)]
pub struct ValidCase {
    /// The case as read.
    pub case: Case,
    /// `reviews[i].created_at`.
    pub review_times: Vec<Option<i128>>,
    /// `reviews[i].edits[j].at`.
    pub edit_times: Vec<Vec<Option<i128>>>,
    /// `payments[i].at`.
    pub payment_times: Vec<Option<i128>>,
}

impl Case {
    /// Reads a case from JSON strictly; see the module docs for what is rejected.
    pub fn from_json(json: &str) -> Result<ValidCase> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| json_syntax_error(&e))?;
        check_records_are_objects(&value)?;
        let case: Case = serde_path_to_error::deserialize(value).map_err(map_serde_error)?;
        case.validate()
    }

    /// Validates a case built in code (the same checks as [`Case::from_json`]).
    pub fn validate(self) -> Result<ValidCase> {
        validate(self)
    }
}

/// The lists of a case, by their JSON keys.
const LISTS: [&str; 7] = [
    "parties",
    "relations",
    "products",
    "reviews",
    "messages",
    "payments",
    "catalog_events",
];

/// One pass over raw case JSON that enforces the nesting depth and list-length limits before
/// anything is allocated: an opening bracket deeper than `max_depth` is refused at its `line L
/// column C` (byte column, as the JSON parser counts); a list at any depth with more than
/// `max_list_len` items is refused at its JSON path (`relations`, `reviews[3].edits`). Anything
/// that is not valid JSON passes through untouched; the parser reports it.
pub(crate) fn prescan(json: &str, max_depth: usize, max_list_len: usize) -> Result<()> {
    let bytes = json.as_bytes();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    // Whether the next value starts an item (in a list) or the next string is a key (in an
    // object): right after `[`, `{` or `,`.
    let mut expect = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let starts_value = matches!(
            b,
            b'"' | b'[' | b'{' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
        );
        if starts_value && std::mem::take(&mut expect) {
            if let Some(top) = stack.last_mut().filter(|f| f.list) {
                top.items += 1;
                if top.items > max_list_len {
                    let (name, at) = list_location(&stack);
                    return Err(Error::at(
                        ErrorCode::LimitExceeded,
                        at,
                        format!("`{name}` has more than {max_list_len} items, over the limit"),
                    ));
                }
            } else if b == b'"' {
                // A key: the string up to the closing quote.
                let start = i + 1;
                let mut k = start;
                while let Some(&c) = bytes.get(k) {
                    match c {
                        b'\\' => k += 2,
                        b'"' => break,
                        _ => k += 1,
                    }
                }
                if let Some(top) = stack.last_mut() {
                    top.key = json.get(start..k).unwrap_or("");
                }
            }
        }
        match b {
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
            }
            b'[' | b'{' => {
                if stack.len() >= max_depth.min(127) {
                    let before = bytes.get(..i).unwrap_or_default();
                    let line = 1 + before.iter().filter(|&&c| c == b'\n').count();
                    let line_start = before
                        .iter()
                        .rposition(|&c| c == b'\n')
                        .map_or(0, |p| p + 1);
                    return Err(Error::at(
                        ErrorCode::LimitExceeded,
                        format!("line {line} column {}", i - line_start + 1),
                        format!("JSON is nested deeper than the limit of {max_depth} levels"),
                    ));
                }
                stack.push(Frame {
                    list: b == b'[',
                    items: 0,
                    key: "",
                });
                expect = true;
            }
            b']' | b'}' => {
                stack.pop();
                expect = false;
            }
            b',' => expect = true,
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// One open bracket of [`prescan`]: a list and how many items it has had, or an object and its
/// last key.
struct Frame<'a> {
    list: bool,
    items: usize,
    key: &'a str,
}

/// The name and JSON path of the innermost open list, from the open brackets outermost first:
/// `("edits", "reviews[3].edits")`.
fn list_location(frames: &[Frame<'_>]) -> (String, String) {
    let mut path = String::new();
    // Every bracket but the innermost (the list itself) adds its step.
    for f in frames.iter().take(frames.len().saturating_sub(1)) {
        if f.list {
            path.push_str(&format!("[{}]", f.items.saturating_sub(1)));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(f.key);
        }
    }
    let name = match frames.len().checked_sub(2).and_then(|i| frames.get(i)) {
        Some(f) if !f.list => f.key.to_string(),
        _ => path.clone(),
    };
    let path = if path.is_empty() {
        "(root)".to_string()
    } else {
        path
    };
    (name, path)
}

/// serde would accept a JSON array in place of a record (`["S1", "seller"]` for a party);
/// the format has records as objects only, so anything else is rejected with its path.
fn check_records_are_objects(value: &serde_json::Value) -> Result<()> {
    let Some(root) = value.as_object() else {
        return Err(Error::at(
            ErrorCode::InvalidValue,
            "(root)",
            "a case must be a JSON object",
        ));
    };
    let not_object = |loc: String| {
        Error::at(
            ErrorCode::InvalidValue,
            loc,
            "expected a JSON object for this record",
        )
    };
    for list in LISTS {
        let Some(items) = root.get(list).and_then(|v| v.as_array()) else {
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            if !item.is_object() {
                return Err(not_object(format!("{list}[{i}]")));
            }
            if list == "reviews" {
                if let Some(edits) = item.get("edits").and_then(|v| v.as_array()) {
                    for (j, e) in edits.iter().enumerate() {
                        if !e.is_object() {
                            return Err(not_object(format!("reviews[{i}].edits[{j}]")));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

fn json_syntax_error(e: &serde_json::Error) -> Error {
    let msg = strip_position(&e.to_string());
    Error::at(
        ErrorCode::InvalidJson,
        format!("line {} column {}", e.line(), e.column()),
        msg,
    )
}

/// serde_json appends " at line L column C" to messages; the location carries that instead.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg.get(..i).unwrap_or(msg).to_string(),
        None => msg.to_string(),
    }
}

fn map_serde_error(e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = e.path().to_string();
    let inner = e.inner();
    match inner.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            json_syntax_error(inner)
        }
        serde_json::error::Category::Io | serde_json::error::Category::Data => {
            let msg = strip_position(&inner.to_string());
            let root = if path == "." { String::new() } else { path };
            if let Some(field) = backticked(&msg, "unknown field `") {
                // The path already ends with the unknown field. A field with an empty name is
                // written `[""]` (its path would end in an empty name: nothing, or a dot), so
                // the location is never empty.
                let loc = match (root.is_empty(), field.is_empty()) {
                    (false, false) => root,
                    (false, true) => format!(r#"{}[""]"#, root.trim_end_matches('.')),
                    (true, false) => field.clone(),
                    (true, true) => r#"[""]"#.to_string(),
                };
                Error::at(
                    ErrorCode::UnknownField,
                    loc,
                    format!("unknown field `{field}`"),
                )
            } else if let Some(field) = backticked(&msg, "missing field `") {
                let loc = join_path(&root, &field);
                Error::at(
                    ErrorCode::MissingField,
                    loc,
                    format!("missing field `{field}`"),
                )
            } else {
                let loc = if root.is_empty() {
                    "(root)".to_string()
                } else {
                    root
                };
                Error::at(ErrorCode::InvalidValue, loc, msg)
            }
        }
    }
}

fn backticked(msg: &str, prefix: &str) -> Option<String> {
    let rest = msg.strip_prefix(prefix)?;
    let end = rest.find('`')?;
    rest.get(..end).map(str::to_string)
}

fn join_path(root: &str, field: &str) -> String {
    if root.is_empty() {
        field.to_string()
    } else {
        format!("{root}.{field}")
    }
}

/// Parses an RFC 3339 timestamp into Unix nanoseconds.
pub fn parse_timestamp(s: &str) -> Option<i128> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp_nanos())
}

fn check_time(value: &Option<String>, loc: impl FnOnce() -> String) -> Result<Option<i128>> {
    match value {
        None => Ok(None),
        Some(s) => match parse_timestamp(s) {
            Some(t) => Ok(Some(t)),
            None => Err(Error::at(
                ErrorCode::InvalidTimestamp,
                loc(),
                format!("`{s}` is not an RFC 3339 timestamp"),
            )),
        },
    }
}

fn check_rating(value: Option<i64>, loc: impl FnOnce() -> String) -> Result<()> {
    match value {
        Some(r) if !(1..=5).contains(&r) => Err(Error::at(
            ErrorCode::RatingOutOfRange,
            loc(),
            format!("rating `{r}` is outside 1..=5"),
        )),
        _ => Ok(()),
    }
}

fn is_decimal(s: &str) -> bool {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

struct Ids<'a> {
    parties: HashMap<&'a str, PartyKind>,
    products: HashSet<&'a str>,
    reviews: HashSet<&'a str>,
}

impl Ids<'_> {
    fn party(&self, id: &str, loc: impl FnOnce() -> String) -> Result<()> {
        if self.parties.contains_key(id) {
            Ok(())
        } else {
            Err(Error::at(
                ErrorCode::DanglingReference,
                loc(),
                format!("party `{id}` is not declared in `parties`"),
            ))
        }
    }

    fn product(&self, id: &str, loc: impl FnOnce() -> String) -> Result<()> {
        if self.products.contains(id) {
            Ok(())
        } else {
            Err(Error::at(
                ErrorCode::DanglingReference,
                loc(),
                format!("product `{id}` is not declared in `products`"),
            ))
        }
    }

    fn review(&self, id: &str, loc: impl FnOnce() -> String) -> Result<()> {
        if self.reviews.contains(id) {
            Ok(())
        } else {
            Err(Error::at(
                ErrorCode::DanglingReference,
                loc(),
                format!("review `{id}` is not declared in `reviews`"),
            ))
        }
    }
}

fn unique<'a>(items: impl Iterator<Item = &'a str>, list: &str) -> Result<HashSet<&'a str>> {
    let mut seen = HashSet::new();
    for (i, id) in items.enumerate() {
        if !seen.insert(id) {
            return Err(Error::at(
                ErrorCode::DuplicateId,
                format!("{list}[{i}].id"),
                format!("id `{id}` appears twice in `{list}`"),
            ));
        }
    }
    Ok(seen)
}

fn validate(case: Case) -> Result<ValidCase> {
    let party_ids = unique(case.parties.iter().map(|p| p.id.as_str()), "parties")?;
    let products = unique(case.products.iter().map(|p| p.id.as_str()), "products")?;
    let reviews = unique(case.reviews.iter().map(|r| r.id.as_str()), "reviews")?;
    unique(case.messages.iter().map(|m| m.id.as_str()), "messages")?;
    unique(case.payments.iter().map(|p| p.id.as_str()), "payments")?;
    drop(party_ids);
    let ids = Ids {
        parties: case
            .parties
            .iter()
            .map(|p| (p.id.as_str(), p.kind))
            .collect(),
        products,
        reviews,
    };

    if let Some(s) = &case.seller {
        ids.party(s, || "seller".to_string())?;
    }
    for (i, r) in case.relations.iter().enumerate() {
        ids.party(&r.from, || format!("relations[{i}].from"))?;
        ids.party(&r.to, || format!("relations[{i}].to"))?;
    }
    for (i, p) in case.products.iter().enumerate() {
        if let Some(s) = &p.seller {
            ids.party(s, || format!("products[{i}].seller"))?;
        }
    }
    let mut review_times = Vec::with_capacity(case.reviews.len());
    let mut edit_times = Vec::with_capacity(case.reviews.len());
    for (i, r) in case.reviews.iter().enumerate() {
        ids.product(&r.product, || format!("reviews[{i}].product"))?;
        ids.party(&r.author, || format!("reviews[{i}].author"))?;
        check_rating(r.rating, || format!("reviews[{i}].rating"))?;
        review_times.push(check_time(&r.created_at, || {
            format!("reviews[{i}].created_at")
        })?);
        let mut times = Vec::with_capacity(r.edits.len());
        for (j, e) in r.edits.iter().enumerate() {
            if let Some(by) = &e.by {
                ids.party(by, || format!("reviews[{i}].edits[{j}].by"))?;
            }
            check_rating(e.rating, || format!("reviews[{i}].edits[{j}].rating"))?;
            times.push(check_time(&e.at, || format!("reviews[{i}].edits[{j}].at"))?);
        }
        edit_times.push(times);
    }
    for (i, m) in case.messages.iter().enumerate() {
        if let Some(f) = &m.from {
            ids.party(f, || format!("messages[{i}].from"))?;
        }
        if let Some(t) = &m.to {
            ids.party(t, || format!("messages[{i}].to"))?;
        }
        if let Some(r) = &m.review {
            ids.review(r, || format!("messages[{i}].review"))?;
        }
        check_time(&m.sent_at, || format!("messages[{i}].sent_at"))?;
    }
    let mut payment_times = Vec::with_capacity(case.payments.len());
    for (i, p) in case.payments.iter().enumerate() {
        ids.party(&p.from, || format!("payments[{i}].from"))?;
        if let Some(t) = &p.to {
            ids.party(t, || format!("payments[{i}].to"))?;
        }
        if let Some(r) = &p.review {
            ids.review(r, || format!("payments[{i}].review"))?;
        }
        if let Some(a) = &p.amount {
            if !is_decimal(a) {
                return Err(Error::at(
                    ErrorCode::InvalidAmount,
                    format!("payments[{i}].amount"),
                    format!("`{a}` is not a non-negative decimal amount"),
                ));
            }
        }
        payment_times.push(check_time(&p.at, || format!("payments[{i}].at"))?);
    }
    for (i, e) in case.catalog_events.iter().enumerate() {
        ids.product(&e.parent, || format!("catalog_events[{i}].parent"))?;
        match e.kind {
            CatalogEventKind::VariationAdded | CatalogEventKind::VariationRemoved => {
                match &e.child {
                    Some(c) => ids.product(c, || format!("catalog_events[{i}].child"))?,
                    None => {
                        return Err(Error::at(
                            ErrorCode::MissingField,
                            format!("catalog_events[{i}].child"),
                            "missing field `child`",
                        ))
                    }
                }
            }
            CatalogEventKind::FamilyMerged => match &e.other_parent {
                Some(o) => ids.product(o, || format!("catalog_events[{i}].other_parent"))?,
                None => {
                    return Err(Error::at(
                        ErrorCode::MissingField,
                        format!("catalog_events[{i}].other_parent"),
                        "missing field `other_parent`",
                    ))
                }
            },
        }
        if let Some(b) = &e.by {
            ids.party(b, || format!("catalog_events[{i}].by"))?;
        }
        check_time(&e.at, || format!("catalog_events[{i}].at"))?;
    }
    drop(ids);
    Ok(ValidCase {
        case,
        review_times,
        edit_times,
        payment_times,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> (ErrorCode, String) {
        let e = Case::from_json(json).unwrap_err();
        (e.code, e.location.unwrap_or_default())
    }

    const PARTIES: &str =
        r#""parties":[{"id":"S1","kind":"seller"},{"id":"A1","kind":"customer_account"}]"#;

    #[test]
    fn reads_the_cases_md_example_shape() {
        let json = format!(
            r#"{{"id":"c","seller":"S1",{PARTIES},"products":[{{"id":"B1","seller":"S1","theme":{{"size":"M","count":2}}}}],
            "reviews":[{{"id":"R1","product":"B1","author":"A1","rating":5,"created_at":"2026-03-01T10:00:00+02:00",
              "edits":[{{"at":"2026-03-05T10:00:00Z","by":"A1","rating":4,"removed":false}}]}}],
            "payments":[{{"id":"P","from":"S1","to":"A1","kind":"gift_card","amount":"10.50","review":"R1"}}]}}"#
        );
        let v = Case::from_json(&json).unwrap();
        assert_eq!(v.case.reviews[0].rating, Some(5));
        assert_eq!(v.review_times[0], Some(1_772_352_000_000_000_000));
        assert!(v.edit_times[0][0].is_some());
    }

    #[test]
    fn rejects_bad_input_with_code_and_location() {
        let table: Vec<(String, ErrorCode, &str)> = vec![
            ("{".into(), ErrorCode::InvalidJson, "line 1 column 1"),
            ("{} x".into(), ErrorCode::InvalidJson, "line 1 column 4"),
            (r#"{"idd":"x"}"#.into(), ErrorCode::UnknownField, "idd"),
            (r#"{"expect":[]}"#.into(), ErrorCode::UnknownField, "expect"),
            // Found by the `case_json` fuzz target: the path of an empty key was empty.
            (r#"{"id":"x","":[]}"#.into(), ErrorCode::UnknownField, r#"[""]"#),
            (format!(r#"{{{PARTIES},"reviews":[{{"":1}}]}}"#), ErrorCode::UnknownField, r#"reviews[0][""]"#),
            (format!(r#"{{{PARTIES},"reviews":[{{"id":"R1","product":"B1","author":"A1","rating":5,"txt":"x"}}]}}"#), ErrorCode::UnknownField, "reviews[0].txt"),
            (format!(r#"{{{PARTIES},"relations":[{{"kind":"owns","from":"S1"}}]}}"#), ErrorCode::MissingField, "relations[0].to"),
            (format!(r#"{{{PARTIES},"relations":[{{"kind":"owns","from":"S1","to":"A9"}}]}}"#), ErrorCode::DanglingReference, "relations[0].to"),
            (format!(r#"{{{PARTIES},"relations":[{{"kind":"likes","from":"S1","to":"A1"}}]}}"#), ErrorCode::InvalidValue, "relations[0].kind"),
            (r#"{"parties":[{"id":"S1","kind":"seller"},{"id":"S1","kind":"seller"}]}"#.into(), ErrorCode::DuplicateId, "parties[1].id"),
            (format!(r#"{{{PARTIES},"products":[{{"id":"B1"}}],"reviews":[{{"id":"R1","product":"B1","author":"A1","rating":9}}]}}"#), ErrorCode::RatingOutOfRange, "reviews[0].rating"),
            (format!(r#"{{{PARTIES},"products":[{{"id":"B1"}}],"reviews":[{{"id":"R1","product":"B2","author":"A1"}}]}}"#), ErrorCode::DanglingReference, "reviews[0].product"),
            (format!(r#"{{{PARTIES},"products":[{{"id":"B1"}}],"reviews":[{{"id":"R1","product":"B1","author":"A1","created_at":"yesterday"}}]}}"#), ErrorCode::InvalidTimestamp, "reviews[0].created_at"),
            (format!(r#"{{{PARTIES},"products":[{{"id":"B1"}}],"reviews":[{{"id":"R1","product":"B1","author":"A1","edits":[{{"rating":0}}]}}]}}"#), ErrorCode::RatingOutOfRange, "reviews[0].edits[0].rating"),
            (format!(r#"{{{PARTIES},"payments":[{{"id":"P","from":"S1","kind":"cash","amount":"-3"}}]}}"#), ErrorCode::InvalidAmount, "payments[0].amount"),
            (format!(r#"{{{PARTIES},"payments":[{{"id":"P","from":"S1","kind":"cash","review":"R7"}}]}}"#), ErrorCode::DanglingReference, "payments[0].review"),
            (format!(r#"{{{PARTIES},"messages":[{{"id":"M","text":"hi","channel":"fax"}}]}}"#), ErrorCode::InvalidValue, "messages[0].channel"),
            (format!(r#"{{{PARTIES},"messages":[{{"id":"M","text":5}}]}}"#), ErrorCode::InvalidValue, "messages[0].text"),
            (r#"{"seller":"S9"}"#.into(), ErrorCode::DanglingReference, "seller"),
            (r#"{"products":[{"id":"P0"}],"catalog_events":[{"kind":"variation_added","parent":"P0"}]}"#.into(), ErrorCode::MissingField, "catalog_events[0].child"),
            (r#"[]"#.into(), ErrorCode::InvalidValue, "(root)"),
            (r#"{"parties":[["S1","seller"]]}"#.into(), ErrorCode::InvalidValue, "parties[0]"),
            (r#"{"id":7}"#.into(), ErrorCode::InvalidValue, "id"),
        ];
        for (json, code, loc) in table {
            assert_eq!(err(&json), (code, loc.to_string()), "{json}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let json = format!(
            "{{\"products\":[{{\"id\":\"P\",\"theme\":{{\"x\":{}{}}}}}]}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(err(&json).0, ErrorCode::InvalidJson);
    }

    #[test]
    fn payment_kind_names_match_json() {
        use PaymentKind::*;
        for k in [
            Refund,
            Reimbursement,
            GiftCard,
            Cash,
            FreeProduct,
            Discount,
            Coupon,
            Cashback,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }

    #[test]
    fn decimal_amounts() {
        for ok in ["0", "25", "25.00", "0.5"] {
            assert!(is_decimal(ok), "{ok}");
        }
        for bad in ["", "-1", "1.", ".5", "1,00", "1e3", "abc"] {
            assert!(!is_decimal(bad), "{bad}");
        }
    }
}
