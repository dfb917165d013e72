//! onboard: compiles onboarding playbooks, SOPs and customer trackers into a static site.
//!
//! The pipeline runs one way: load → model → check → compute → render → write.

pub mod calendar;
pub mod target;
pub mod config;
pub mod diagnostics;
pub mod load;
pub mod model;
pub mod status;
pub mod check;
pub mod site;
pub mod render;
pub mod output;
pub mod build;
pub mod scaffold;
pub mod serve;
