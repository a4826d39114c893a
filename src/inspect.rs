//! `haru inspect`: each file parsed exactly as the build parses it, as the templates get it
//! (JSON), for authors and theme writers who want to see what haru understood.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostics;
use crate::engine;
use crate::journal::{BuildOptions, Journal};
use crate::load::SourcePath;
use crate::{parse, render, site};

/// `haru inspect`: each file parsed exactly as the build parses it, as the JSON templates get.
pub fn inspect(root: &Path, files: &[PathBuf]) -> Result<Vec<serde_json::Value>, Diagnostics> {
    let journal = Journal::open(&BuildOptions {
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
    for result in engine::parse_sources(&journal, &sources, &[]) {
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
        match site
            .entries
            .iter()
            .find(|entry| entry.source == source.relative)
        {
            Some(entry) => values.push(render::entry_json(entry, &site, &bodies, &journal.config)),
            None => values.push(serde_json::json!({
                "source": source.relative,
                "published": false,
                "why": not_published(&parsed, &source.relative),
            })),
        }
    }
    Ok(values)
}

/// Why a file named to `inspect` is not on the site.
fn not_published(parsed: &[parse::Parsed], relative: &str) -> &'static str {
    match parsed.iter().find(|parsed| parsed.entry.source == relative) {
        Some(parsed) if parsed.blank => {
            "it holds nothing but template text and placeholders (haru check: blank-entry)"
        }
        Some(parsed) if parsed.entry.draft => "it is a draft (haru build --drafts shows it)",
        _ => "it could not be read or parsed (see the messages above)",
    }
}
