//! Embeds the default policy pack (`policies/amazon-reviews/**/*.toml`) into the crate, so the
//! core stays I/O-free at run time. Adding a file to the pack needs no code change.
//!
//! Build-time file access is the point of this script; the I/O ban of `clippy.toml` is about
//! the crate's run-time code.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    // Inside the workspace the pack lives beside the crate; a packaged crate carries a copy.
    let candidates = [
        manifest.join("../policies/amazon-reviews"),
        manifest.join("policies/amazon-reviews"),
    ];
    let root = candidates
        .iter()
        .find(|p| p.is_dir())
        .cloned()
        .unwrap_or_default();
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut code = String::from("/// The default pack's files, relative names and contents.\npub(crate) static DEFAULT_PACK_FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&root)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("default_pack.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}
