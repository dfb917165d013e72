//! Positions of fields the content model keeps as plain values.
//!
//! The model spans only what cross-file checks need. For the rest (SOP
//! status, Markdown fields, update dates) the document's YAML is read a
//! second time into these lenient shapes, which keep nothing but the
//! positions. A document that parsed once parses again; if not, the
//! positions are simply unknown and lints fall back to coarser places.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::load::Loaded;
use crate::model::Spanned;

/// Positions in an SOP.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SopSpans {
    /// `status:`.
    pub status: Option<Spanned<String>>,
    /// `last_reviewed:`.
    pub last_reviewed: Option<Spanned<String>>,
    /// `body:` (pure YAML files).
    pub body: Option<Spanned<String>>,
    /// Steps, in order.
    pub steps: Vec<StepSpans>,
}

/// Positions in an SOP step.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct StepSpans {
    /// `body:`.
    pub body: Option<Spanned<String>>,
    /// `substeps:`, in order.
    pub substeps: Vec<Spanned<String>>,
}

/// Positions in a playbook.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct PlaybookSpans {
    /// `body:` (pure YAML files).
    pub body: Option<Spanned<String>>,
    /// Phases, in order.
    pub phases: Vec<PhaseSpans>,
    /// `do:`, in order.
    #[serde(rename = "do")]
    pub dos: Vec<Spanned<String>>,
    /// `dont:`, in order.
    pub dont: Vec<Spanned<String>>,
}

/// Positions in a playbook phase.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct PhaseSpans {
    /// `summary:`.
    pub summary: Option<Spanned<String>>,
}

/// Positions in a tracker.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct TrackerSpans {
    /// `notes:`.
    pub notes: Option<Spanned<String>>,
    /// Updates, in order.
    pub updates: Vec<UpdateSpans>,
}

/// Positions in a tracker update.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct UpdateSpans {
    /// `date:`.
    pub date: Option<Spanned<String>>,
    /// `text:`.
    pub text: Option<Spanned<String>>,
}

/// Reads the positions of a loaded document, or none when they cannot be read.
pub fn parse<S: DeserializeOwned + Default, T>(loaded: &Loaded<T>) -> S {
    serde_saphyr::from_str(super::yaml_text(loaded)).unwrap_or_default()
}
