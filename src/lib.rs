//! onboard: compiles onboarding playbooks, SOPs and customer trackers into a static site.
//!
//! The pipeline runs one way: load → resolve → check → compute → render → write.

// Diagnostics are the error type of content problems: they are rare, carry
// the source text, and boxing them would only add noise at every `?`.
#![allow(clippy::result_large_err)]
#![warn(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod build;
pub mod calendar;
pub mod check;
pub mod config;
pub mod default_theme;
pub mod diagnostics;
pub mod kpi;
pub mod load;
pub mod markdown;
pub mod measure;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod share;
pub mod site;
pub mod status;
pub mod target;

#[cfg(test)]
mod layering;
