//! Rendering: the validated site → every output file, in memory.
//!
//! Nothing here writes to disk; [`crate::output`] does. Pages are rendered
//! in parallel with rayon from one compiled Tera instance.

pub mod charts;
pub mod markdown;
