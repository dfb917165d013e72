//! The one integration-test binary: a module per area, all sharing the
//! fixture helpers of `common`. One binary links the crate once, instead of
//! once per test file; `cargo test --test it lints::` runs one area.

mod bench_pages;
mod build;
mod check;
mod check_build;
mod common;
mod library;
mod lints;
mod output_safety;
mod r#override;
mod plain_language;
mod portfolio;
mod robustness;
mod safe_outputs;
mod schema;
mod search;
mod serve;
mod snapshots;
mod theme_smoke;
