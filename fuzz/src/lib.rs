//! The checks the fuzz targets run, in a library so that the `cargo test` replay of
//! `fuzz/regressions/` runs exactly the same code (it includes these files with `#[path]`).

pub mod c_api;
pub mod checks;
pub mod replay;
