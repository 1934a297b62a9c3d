//! Text matching: the policy pack as data, the normaliser, and the compiled matcher.
//!
//! The engine reads messages, payment notes and review text only through
//! [`Engine::scan`](crate::Engine::scan)-style calls into [`matcher::CompiledPack`]; the pack
//! decides what counts (see `policies/README.md`).

mod confusables_table;
mod literals;
pub mod matcher;
pub mod normalize;
pub mod pack;
#[doc(hidden)]
pub mod reference;
mod required;

pub use matcher::CompiledPack;
pub use normalize::Normalized;
pub use pack::{PackLimits, PackSource, TextChannel};

use crate::decision::Confidence;
use crate::kind::Kind;
use serde::Serialize;

/// One text finding: a rule fired on a span of the original text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The kind reported (after the pack's channel remapping).
    pub kind: Kind,
    /// The stable code of `kind`.
    pub code: &'static str,
    /// The rule id.
    pub rule: String,
    /// How strong the evidence is.
    pub confidence: Confidence,
    /// UTF-8 byte offset of the start in the original text.
    pub start: usize,
    /// UTF-8 byte offset of the end (exclusive).
    pub end: usize,
    /// The original text of the span.
    pub quote: String,
    /// One line: why the rule fires.
    pub why: String,
}

#[cfg(test)]
mod tests {
    /// The committed confusables table equals what `unicode-security` gives today.
    #[test]
    #[allow(clippy::disallowed_methods)]
    fn confusables_table_is_current() {
        let ranges = [
            (0x00C0u32, 0x024F),
            (0x0250, 0x02AF),
            (0x0370, 0x03FF),
            (0x0400, 0x052F),
            (0x0530, 0x058F),
            (0x13A0, 0x13FF),
            (0x1D00, 0x1DBF),
            (0x2100, 0x214F),
            (0xA640, 0xA69F),
            (0xAB70, 0xABBF),
        ];
        let mut body = String::new();
        for (a, b) in ranges {
            for cp in a..=b {
                let Some(c) = char::from_u32(cp) else {
                    continue;
                };
                let s: String =
                    unicode_security::confusable_detection::skeleton(&c.to_string()).collect();
                if s.len() == 1 && s.chars().all(|x| x.is_ascii_alphabetic()) {
                    body.push_str(&format!(
                        "    ('\\u{{{:04X}}}', '{}'),\n",
                        cp,
                        s.to_ascii_lowercase()
                    ));
                }
            }
        }
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/text/confusables_table.rs");
        let current = std::fs::read_to_string(path).unwrap();
        let head = current.split("= &[\n").next().unwrap();
        let want = format!("{head}= &[\n{body}];\n");
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(path, &want).unwrap();
        } else {
            assert_eq!(current, want, "run with BLESS=1 to regenerate");
        }
    }
}
