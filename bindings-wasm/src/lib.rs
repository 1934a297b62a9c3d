//! # reviewguard-wasm
//!
//! The WebAssembly binding of [`reviewguard`], published to npm as the package `reviewguard`
//! (`web`, `nodejs` and `bundler` builds; see `bindings-wasm/README.md` and `build.sh`).
//!
//! ```js
//! import init, { Engine } from "reviewguard";
//! await init();
//! const engine = new Engine();                       // the bundled default pack
//! const line = engine.evaluateJson(caseJson);        // byte-identical to `reviewguard check`
//! for (const f of engine.scan(draft, { channel: "buyer_seller_message" })) {
//!   console.log(f.code, f.kind, draft.slice(f.start, f.end)); // UTF-16 offsets
//! }
//! ```
//!
//! The binding holds no policy semantics: it only converts types. Cases cross as JSON text
//! (so every runtime reads them with the same strict reader and reports the same error paths),
//! decisions come back as the core's canonical JSON, and findings come back as plain objects
//! whose offsets are converted from the core's UTF-8 bytes to JavaScript's UTF-16 code units.
//! Every failure is thrown as a JS `Error` named `ReviewguardError` with the core's stable
//! `.code` and `.location` (see [`types::ErrorCode`]).
//!
//! The exported functions only work inside a JavaScript host; on other targets the crate
//! still compiles (so `cargo clippy --workspace` and the unit tests of the pure parts run).

pub mod types;

use wasm_bindgen::prelude::*;

/// A compiled policy pack: build once, then evaluate and scan as often as needed.
#[wasm_bindgen]
pub struct Engine {
    inner: reviewguard::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// An engine over the bundled default pack (`amazon-customer-reviews`).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Engine, JsValue> {
        wrap(reviewguard::Engine::new())
    }

    /// An engine over a policy pack held in one TOML string; a bad pack throws with a
    /// `pack_*` code and a `FILE:LINE:COLUMN` location.
    #[wasm_bindgen(js_name = fromPack)]
    pub fn from_pack(text: &str) -> Result<Engine, JsValue> {
        wrap(reviewguard::Engine::from_pack_str(text))
    }

    /// An engine with input limits (see `Limits`; omitted fields keep their
    /// defaults), over the bundled pack or over `pack` (one TOML string) when given. Unknown
    /// fields throw `invalid_value` at `limits`.
    #[wasm_bindgen(js_name = withLimits)]
    pub fn with_limits(
        #[wasm_bindgen(unchecked_param_type = "Limits")] limits: JsValue,
        pack: Option<String>,
    ) -> Result<Engine, JsValue> {
        let limits: types::Limits = if limits.is_undefined() || limits.is_null() {
            types::Limits::default()
        } else {
            reject_unknown(
                &limits,
                &["maxCaseBytes", "maxTextBytes", "maxListLen", "maxJsonDepth"],
                "limits",
            )?;
            serde_wasm_bindgen::from_value(limits).map_err(|e| {
                JsValue::from(js_error("invalid_value", &e.to_string(), Some("limits")))
            })?
        };
        let source = match pack {
            Some(text) => reviewguard::PackSource::from_text(&text),
            None => reviewguard::Engine::default_pack_source(),
        };
        wrap(reviewguard::Engine::with_limits(source, limits.to_core()))
    }

    /// The limits in force, every field filled.
    #[wasm_bindgen(getter, unchecked_return_type = "Limits")]
    pub fn limits(&self) -> JsValue {
        use serde::Serialize;
        types::Limits::from_core(self.inner.limits())
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .unwrap_or(JsValue::NULL)
    }

    /// `name@version` of the pack, as reported in decisions.
    #[wasm_bindgen(getter, js_name = packId)]
    pub fn pack_id(&self) -> String {
        self.inner.pack_id()
    }

    /// The languages the pack declares (valid `locale` hints).
    #[wasm_bindgen(getter)]
    pub fn languages(&self) -> Vec<String> {
        self.inner.languages().to_vec()
    }

    /// Judges one case given as JSON text; returns the decision line, byte-identical to the
    /// output of `reviewguard check` for the same case.
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(&self, case_json: &str) -> Result<String, JsValue> {
        self.inner
            .evaluate_json(case_json)
            .map(|d| d.to_json())
            .map_err(|e| error(&e).into())
    }

    /// Judges one case given as a JS object; returns the decision as an object
    /// (`JSON.parse(engine.evaluateJson(JSON.stringify(c)))`).
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "object")] case: JsValue,
    ) -> Result<Decision, JsValue> {
        let json = js_sys::JSON::stringify(&case)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| {
                js_error(
                    "invalid_json",
                    "the case is not a JSON-serialisable object",
                    None,
                )
            })?;
        let line = self.evaluate_json(&json)?;
        js_sys::JSON::parse(&line).map(JsCast::unchecked_into)
    }

    /// Judges every item of a JSON Lines (or JSON array) input; returns the output of
    /// `reviewguard check` for it, one line per item, each ending in `\n`. Items that cannot
    /// be read give error lines instead of throwing.
    #[wasm_bindgen(js_name = checkLines)]
    pub fn check_lines(&self, input: &str) -> String {
        reviewguard::jsonl::check_all(&self.inner, input)
            .into_iter()
            .fold(String::new(), |mut out, (line, _)| {
                out.push_str(&line);
                out.push('\n');
                out
            })
    }

    /// Judges one seller-written text (a draft message, insert, listing...). Findings come in
    /// span order with `start`/`end` in UTF-16 code units: `text.slice(f.start, f.end)` is
    /// `f.quote`.
    ///
    /// `options` may be omitted; see [`types::ScanOptions`]. (Declared in TypeScript by
    /// `SCAN_TS`, since wasm-bindgen cannot mark a typed parameter optional.)
    #[wasm_bindgen(skip_typescript)]
    pub fn scan(&self, text: &str, options: Option<JsValue>) -> Result<Findings, JsValue> {
        let options = scan_options(options.unwrap_or(JsValue::UNDEFINED))?;
        let channel = options
            .channel
            .unwrap_or(types::Channel::BuyerSellerMessage);
        let found = self
            .inner
            .scan(text, channel.to_core(), options.locale.as_deref())
            .map_err(|e| JsValue::from(error(&e)))?;
        to_js(&utf16_findings(text, found))
    }

    /// Judges a review's own text for incentive disclosures ("I received this for free in
    /// exchange for my review"); offsets as in `Engine.scan`.
    #[wasm_bindgen(js_name = scanReview)]
    pub fn scan_review(&self, text: &str) -> Result<Findings, JsValue> {
        let found = self
            .inner
            .scan_review(text)
            .map_err(|e| JsValue::from(error(&e)))?;
        to_js(&utf16_findings(text, found))
    }
}

#[wasm_bindgen(typescript_custom_section)]
const SCAN_TS: &str = r#"
export interface Engine {
    /**
     * Judges one seller-written text (a draft message, insert, listing...). Findings come in
     * span order with `start`/`end` in UTF-16 code units: `text.slice(f.start, f.end)` is
     * `f.quote`. Throws a `ReviewguardError` (`invalid_value` at `options`, `limit_exceeded`).
     */
    scan(text: string, options?: ScanOptions): Finding[];
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `Decision` in TypeScript: a plain object.
    #[wasm_bindgen(typescript_type = "Decision")]
    pub type Decision;
    /// `Finding[]` in TypeScript: an array of plain objects.
    #[wasm_bindgen(typescript_type = "Finding[]")]
    pub type Findings;
}

/// Converts the core's findings (UTF-8 byte offsets) to the JS shape (UTF-16 offsets).
pub fn utf16_findings(text: &str, found: Vec<reviewguard::Finding>) -> Vec<types::Finding> {
    let kinds = reviewguard::Kind::ALL;
    found
        .into_iter()
        .map(|f| types::Finding {
            kind: kind(f.kind, &kinds),
            code: f.code.to_string(),
            rule: f.rule,
            confidence: match f.confidence {
                reviewguard::Confidence::High => types::Confidence::High,
                reviewguard::Confidence::Medium => types::Confidence::Medium,
            },
            start: reviewguard::jsonl::utf16_offset(text, f.start),
            end: reviewguard::jsonl::utf16_offset(text, f.end),
            quote: f.quote,
            why: f.why,
        })
        .collect()
}

/// The mirror of a core kind (both lists are in POLICY.md order; the unit tests check it).
fn kind(k: reviewguard::Kind, all: &[reviewguard::Kind]) -> types::Kind {
    use types::Kind as K;
    const MIRROR: [K; 11] = [
        K::SellerSelfReview,
        K::CompensatedReview,
        K::RefundForReviewChange,
        K::ReviewClub,
        K::InsiderReview,
        K::ReviewChangeRequest,
        K::ReviewDiversion,
        K::VariationAbuse,
        K::InsertSolicitation,
        K::CustomerAccountMisuse,
        K::BiasedReviewRequest,
    ];
    all.iter()
        .position(|x| *x == k)
        .and_then(|i| MIRROR.get(i).copied())
        .unwrap_or(K::SellerSelfReview)
}

fn wrap(r: reviewguard::Result<reviewguard::Engine>) -> Result<Engine, JsValue> {
    r.map(|inner| Engine { inner })
        .map_err(|e| error(&e).into())
}

/// serde-wasm-bindgen reads only the fields a struct names, so a misspelt option would be
/// dropped silently: any other own key of the object throws `invalid_value` at `location`.
fn reject_unknown(value: &JsValue, known: &[&str], location: &str) -> Result<(), JsValue> {
    if let Some(obj) = value.dyn_ref::<js_sys::Object>() {
        for key in js_sys::Object::keys(obj).iter() {
            let key = key.as_string().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                let msg = format!("unknown field `{key}`, expected one of {known:?}");
                return Err(js_error("invalid_value", &msg, Some(location)).into());
            }
        }
    }
    Ok(())
}

fn scan_options(options: JsValue) -> Result<types::ScanOptions, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(types::ScanOptions::default());
    }
    reject_unknown(&options, &["channel", "locale"], "options")?;
    serde_wasm_bindgen::from_value(options)
        .map_err(|e| js_error("invalid_value", &e.to_string(), Some("options")).into())
}

fn to_js(findings: &[types::Finding]) -> Result<Findings, JsValue> {
    use serde::Serialize;
    findings
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map(JsCast::unchecked_into)
        .map_err(JsValue::from)
}

/// The thrown form of a core error.
fn error(e: &reviewguard::Error) -> js_sys::Error {
    js_error(e.code.as_str(), &e.message, e.location.as_deref())
}

/// A JS `Error` named `ReviewguardError` with `.code` and `.location` (`null` when absent).
fn js_error(code: &str, message: &str, location: Option<&str>) -> js_sys::Error {
    let err = js_sys::Error::new(message);
    err.set_name("ReviewguardError");
    let location = location.map_or(JsValue::NULL, JsValue::from_str);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &"code".into(), &code.into());
    let _ = js_sys::Reflect::set(&err, &"location".into(), &location);
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_utf16_and_slice_to_the_quote() {
        let engine = reviewguard::Engine::new().unwrap();
        let text = "😀😀 日本の店 é\u{301} — Leave a 5-star review and get a $10 gift card!";
        let core = engine
            .scan(text, reviewguard::Channel::BuyerSellerMessage, None)
            .unwrap();
        assert!(!core.is_empty());
        let utf16: Vec<u16> = text.encode_utf16().collect();
        for f in utf16_findings(text, core) {
            let slice = String::from_utf16(&utf16[f.start..f.end]).unwrap();
            assert_eq!(slice, f.quote);
        }
    }

    #[test]
    fn kinds_map_in_policy_order() {
        for k in reviewguard::Kind::ALL {
            let m = kind(k, &reviewguard::Kind::ALL);
            assert_eq!(serde_json::to_value(m).unwrap(), k.slug());
        }
    }
}
