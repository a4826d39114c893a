//! haru (하루): a static site generator for Korean TIL study journals.
//!
//! The pipeline, one module a stage: `load` (find and read files) → `parse` (one file → one
//! entry, via `markdown`, `date`, `frontmatter`) → `site` (assemble the `model`) → `render`
//! (Tera pages) → `write` (staging folder swapped into place). `engine` runs those stages and
//! remembers what they made, so `serve` (with `watch`) rebuilds only what a save changed;
//! `build` and `inspect` below, `serve::Server` and `new` are what the binary uses.

pub mod check;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod engine;
pub mod frontmatter;
pub mod highlight;
pub mod i18n;
pub mod init;
mod journal;
pub mod load;
pub mod markdown;
pub mod model;
pub mod new;
pub mod parse;
pub mod render;
mod routes;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod study;
pub mod tags;
mod text;
mod watch;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diagnostic::Diagnostics;
use crate::load::SourcePath;

/// What `haru build` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The journal's root (where `haru.toml` is). Default `.`.
    pub root: PathBuf,
    /// Overrides `content_dir` from the config.
    pub content: Option<PathBuf>,
    /// Default `ROOT/public`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from the config.
    pub base_url: Option<String>,
    /// Include drafts (`draft = true`, `_drafts/`).
    pub drafts: bool,
}

#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub entries: usize,
    pub notes: usize,
    pub assets: usize,
    /// Pages and files written (all of them, or on a rebuild only the changed ones).
    pub written: usize,
    pub warnings: Diagnostics,
    pub elapsed: Duration,
}

/// Builds the site once. On failure every problem found is returned and the previous output
/// is left as it was. `haru serve` keeps an [`engine::Engine`] instead, to rebuild on changes.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    engine::Engine::new(options).build()
}

/// `haru inspect`: each file parsed exactly as the build parses it, as the JSON templates get.
pub fn inspect(root: &Path, files: &[PathBuf]) -> Result<Vec<serde_json::Value>, Diagnostics> {
    let journal = journal::Journal::open(&BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    })
    .map_err(|d| Diagnostics(vec![d]))?;
    let content = journal.content.canonicalize().ok();
    let mut diagnostics = Diagnostics::default();
    let mut sources = Vec::new();
    for file in files {
        let absolute = file.canonicalize().unwrap_or_else(|_| file.clone());
        let relative = match content
            .as_ref()
            .and_then(|content| absolute.strip_prefix(content).ok())
        {
            Some(relative) => relative.to_string_lossy().replace('\\', "/"),
            // Outside the content folder the path as given still carries its folders' dates.
            None => file
                .components()
                .filter_map(|c| match c {
                    std::path::Component::Normal(part) => Some(part.to_string_lossy().to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("/"),
        };
        sources.push(SourcePath {
            relative,
            absolute,
            in_drafts: false,
        });
    }
    let mut parsed = Vec::with_capacity(sources.len());
    for result in engine::parse_sources(&journal, &sources) {
        match result {
            Ok((_, entry)) => parsed.push(entry),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    let ordered: Vec<&parse::Parsed> = parsed.iter().collect();
    let mut problems = Vec::new();
    let assembled = site::assemble(
        &ordered,
        true,
        &journal.display_prefix,
        &journal.catalogue,
        &mut problems,
    );
    diagnostics.extend(problems);
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let site = assembled.site;
    let bodies: Vec<&parse::Body> = assembled
        .order
        .iter()
        .map(|&index| &parsed[index].body)
        .collect();
    // Keep the order the files were named in.
    let mut values = Vec::new();
    for source in &sources {
        if let Some(entry) = site
            .entries
            .iter()
            .find(|entry| entry.source == source.relative)
        {
            values.push(render::entry_json(entry, &site, &bodies, &journal.config));
        }
    }
    Ok(values)
}
