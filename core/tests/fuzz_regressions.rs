//! Replays the committed fuzz regression corpus (`fuzz/regressions/<target>/*`) of the core
//! targets under `cargo test`, with the very checks the fuzz targets run (`fuzz/src/checks.rs`,
//! included here), so a fixed crash stays fixed without a nightly toolchain or libFuzzer.
//! The `c_api` target is replayed by `bindings-c/tests/fuzz_regressions.rs`.

// Tests fail by unwrapping, indexing and panicking, and read their fixtures from disk.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::disallowed_methods,
    missing_docs
)]

#[path = "../../fuzz/src/checks.rs"]
mod checks;

#[path = "../../fuzz/src/replay.rs"]
mod replay;

use replay::replay;

#[test]
fn case_json() {
    replay("case_json", checks::case_json);
}

#[test]
fn pack() {
    replay("pack", checks::pack);
}

#[test]
fn normalize() {
    replay("normalize", checks::normalize);
}

#[test]
fn scan() {
    replay("scan", checks::scan);
}

#[test]
fn differential() {
    replay("differential", checks::differential);
}

/// The tricky inputs of the seeds also as plain texts: every normaliser and scan check holds
/// for each of them whole (not only cut by the input format of a target).
#[test]
fn tricky_texts() {
    for text in [
        "",
        "\u{feff}Leave a review\r\nfor a $10 gift card",
        "re\u{200d}view f\u{200b}r\u{200b}e\u{200b}e",
        "e\u{301}\u{301}\u{301} cafe\u{301} \u{301}",
        "ｌｅａｖｅ ａ ５ ｓｔａｒ ｒｅｖｉｅｗ",
        "\u{202e}weiver a evael\u{202c} \u{200f}\u{200e}",
        "⭐ ⭐ ⭐ ⭐ ⭐ 5⭐ 5* ***** r**view",
        "星五つのレビューをお願いします。ございません",
        "a\0b\0 review \0",
        "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} family review",
        "ǅ ǈ ǋ ﬃ ﬄ ㎏ ① ½ ⅷ",
    ] {
        checks::normalize_text(text);
        let mut data = vec![0u8, 0u8];
        data.extend_from_slice(text.as_bytes());
        checks::scan(&data);
        checks::differential(&data[1..]);
    }
}
