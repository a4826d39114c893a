//! haru (하루): a static site generator for Korean TIL study journals.
//!
//! The pipeline, one module a stage: `load` (find and read files) → `parse` (one file → one
//! entry, via `markdown`, `date`, `frontmatter`) → `site` (assemble the `model`) → `render`
//! (Tera pages) → `write` (staging folder swapped into place). `engine` runs those stages and
//! remembers what they made, so `serve` (with `watch`) rebuilds only what a save changed;
//! `build` and `inspect` below, `serve::Server` and `new` are what the binary uses.

mod cache;
pub mod check;
mod color_scheme;
mod config;
mod date;
pub mod diagnostic;
mod emoji;
pub mod engine;
mod frontmatter;
mod highlight;
mod i18n;
mod images;
pub mod init;
mod inspect;
mod journal;
mod language;
pub mod load;
pub mod markdown;
mod model;
pub mod new;
mod parse;
mod render;
mod routes;
mod search;
pub mod serve;
mod site;
mod slug;
mod study;
mod tags;
mod text;
mod watch;
mod write;

pub use config::Language;
pub use engine::BuildReport;
pub use inspect::inspect;
pub use journal::BuildOptions;

use crate::diagnostic::Diagnostics;

/// Builds the site once. On failure every problem found is returned and the previous output
/// is left as it was. `haru serve` keeps an [`engine::Engine`] instead, to rebuild on changes.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    engine::Engine::new(options).build()
}
