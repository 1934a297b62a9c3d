//! Replay of the committed regression corpus (`fuzz/regressions/<target>/*`) under `cargo test`,
//! shared by `core/tests/fuzz_regressions.rs` and `bindings-c/tests/fuzz_regressions.rs`
//! (which include this file with `#[path]`). Paths are resolved from the including crate's
//! directory, one level below the repository root like this crate's.

use std::path::{Path, PathBuf};

/// The inputs of one target, sorted by file name; panics when there are none.
pub fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path()
        })
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, bytes)
        })
        .collect()
}

/// Runs `check` on every input of `target`; a panic names the file.
pub fn replay(target: &str, check: impl Fn(&[u8])) {
    for (path, bytes) in inputs(target) {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&bytes)));
        if outcome.is_err() {
            panic!("fuzz regression {} fails", path.display());
        }
    }
}
