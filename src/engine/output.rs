//! Rendering the site and putting it in the output folder: a first build writes a whole new
//! site into a staging folder that replaces the output only when all of it is written; a
//! rebuild renders into memory only the pages whose inputs changed and updates the output in
//! place, so a server keeps serving whole pages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, display_path};
use crate::journal::Journal;
use crate::render::{self, PageKeys, RenderInput, RenderOptions};
use crate::write::{self, MemorySink, Staging};

use super::assemble::Model;
use super::files::Walk;

/// What the last successful build left in the output folder.
pub(super) struct Last {
    pub(super) keys: PageKeys,
    pub(super) model: Model,
    pub(super) copied: Copies,
}

/// A file copied into the site as it is, as it was when copied.
#[derive(Clone, PartialEq)]
pub(super) struct Copied {
    pub(super) from: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

/// Copied files (assets, static files) by site path.
pub(super) type Copies = HashMap<String, Copied>;

/// Every file copied into the site as it is: assets beside entries, then `static/`.
pub(super) fn copies(journal: &Journal, walk: &Walk) -> Copies {
    let stamp = |path: &Path| {
        let metadata = std::fs::metadata(path).ok();
        Copied {
            from: path.to_path_buf(),
            len: metadata.as_ref().map_or(0, |m| m.len()),
            modified: metadata.and_then(|m| m.modified().ok()),
        }
    };
    let mut copies = HashMap::new();
    for asset in &walk.assets {
        copies.insert(asset.relative.clone(), stamp(&asset.absolute));
    }
    let dir = journal.static_dir();
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
        {
            let Ok(relative) = entry.path().strip_prefix(&dir) else {
                continue;
            };
            let relative = relative.to_string_lossy().replace('\\', "/");
            copies.insert(format!("static/{relative}"), stamp(entry.path()));
        }
    }
    copies
}

/// Renders and writes the site: in place over what `last` wrote, or anew. Returns the keys of
/// the pages the site now has and how many pages and files were written.
pub(super) fn write_site(
    journal: &Journal,
    input: RenderInput,
    options: &RenderOptions,
    copies: &Copies,
    last: Option<&Last>,
) -> Result<(PageKeys, usize), Vec<Diagnostic>> {
    match last {
        Some(last) if journal.output.is_dir() => update(journal, input, options, copies, last),
        _ => full_write(journal, input, options, copies),
    }
}

/// Only the pages and copies that changed since `last`, and away with those the site lost.
fn update(
    journal: &Journal,
    input: RenderInput,
    options: &RenderOptions,
    copies: &Copies,
    last: &Last,
) -> Result<(PageKeys, usize), Vec<Diagnostic>> {
    let sink = MemorySink::default();
    let (problems, keys) = render::render_site(input, options, Some(&last.keys), &sink);
    if !problems.is_empty() {
        return Err(problems);
    }
    let removed: Vec<&String> = last
        .keys
        .keys()
        .filter(|path| !keys.contains_key(*path))
        .chain(
            last.copied
                .keys()
                .filter(|path| !copies.contains_key(*path)),
        )
        .collect();
    let changed_copies: Vec<(&String, &PathBuf)> = copies
        .iter()
        .filter(|(path, now)| last.copied.get(*path) != Some(*now))
        .map(|(path, copied)| (path, &copied.from))
        .collect();
    let pages = sink.into_pages();
    let written = pages.len() + changed_copies.len();
    write::update_in_place(&journal.output, &pages, &changed_copies, &removed)
        .map(|()| (keys, written))
        .map_err(|problems| {
            problems
                .into_iter()
                .map(|(path, error)| {
                    Diagnostic::error(
                        display_path(&path, &journal.root),
                        format!("cannot update the site: {error}"),
                    )
                })
                .collect()
        })
}

/// A fresh site in a staging folder that replaces the output only when all of it is written.
fn full_write(
    journal: &Journal,
    input: RenderInput,
    options: &RenderOptions,
    copies: &Copies,
) -> Result<(PageKeys, usize), Vec<Diagnostic>> {
    let output = &journal.output;
    let staging = Staging::create(output).map_err(|error| {
        vec![Diagnostic::error(
            output.to_path_buf(),
            format!("cannot create the output folder: {error}"),
        )]
    })?;
    let (mut problems, keys) = render::render_site(input, options, None, &staging);
    let mut copies: Vec<(&String, &PathBuf)> = copies
        .iter()
        .map(|(path, copied)| (path, &copied.from))
        .collect();
    // Static files come after assets, so a journal's `static/x` wins over `content/static/x`.
    copies.sort_by_key(|(path, _)| path.as_str());
    let copy_problems: Vec<Diagnostic> = copies
        .par_iter()
        .filter_map(|(relative, from)| {
            staging
                .copy(relative, from)
                .err()
                // Gone since the walk (an editor's temporary file): nothing to copy.
                .filter(|error| from.exists() || error.kind() != std::io::ErrorKind::NotFound)
                .map(|error| {
                    Diagnostic::error(
                        display_path(from, &journal.root),
                        format!("cannot copy: {error}"),
                    )
                })
        })
        .collect();
    problems.extend(copy_problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let written = keys.len() + copies.len();
    staging.publish().map_err(|error| {
        vec![Diagnostic::error(
            output.to_path_buf(),
            format!("cannot move the new site into place: {error}"),
        )]
    })?;
    Ok((keys, written))
}
