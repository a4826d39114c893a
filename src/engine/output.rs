//! Rendering the site and putting it in the output folder: a first build writes a whole new
//! site into a staging folder that replaces the output only when all of it is written; a
//! rebuild renders into memory only the pages whose inputs changed and updates the output in
//! place, so a server keeps serving whole pages.

use std::collections::{HashMap, HashSet};
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

/// Every file copied into the site as it is: the files beside entries that a page links to
/// (images with their smaller copies, PDFs, attachments), then the journal's `static/`. Nothing else of the content
/// folder is published: a repository's scripts, notebooks and `haru.toml` stay private.
pub(super) fn copies(journal: &Journal, walk: &Walk, linked: &HashSet<&str>) -> Copies {
    let stamp = |path: &Path| {
        let metadata = std::fs::metadata(path).ok();
        Copied {
            from: path.to_path_buf(),
            len: metadata.as_ref().map_or(0, |m| m.len()),
            modified: metadata.and_then(|m| m.modified().ok()),
        }
    };
    let mut copies = HashMap::new();
    for asset in walk
        .assets
        .iter()
        .filter(|asset| linked.contains(asset.relative.as_str()))
    {
        copies.insert(asset.relative.clone(), stamp(&asset.absolute));
        // The picture's smaller copies, from the cache, where the page's srcset names them.
        let variants = walk
            .images
            .get(&asset.relative)
            .map(|picture| &picture.variants);
        for copy in variants.into_iter().flatten() {
            copies.insert(
                crate::routes::image_copy(copy.hash, copy.width),
                stamp(&copy.file),
            );
        }
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

/// Where the site is written and what the journal holds.
#[derive(Clone, Copy)]
struct Site<'a> {
    journal: &'a Journal,
    walk: &'a Walk,
}

/// What writing the site did.
pub(super) struct Written {
    /// The pages the site now has.
    pub(super) keys: PageKeys,
    /// The files copied into it, without those that would have landed on a page of haru's.
    pub(super) copies: Copies,
    /// Pages and files written.
    pub(super) count: usize,
    /// A journal's file left out because haru writes a page at its place.
    pub(super) warnings: Vec<Diagnostic>,
}

/// Renders and writes the site: in place over what `last` wrote, or anew.
pub(super) fn write_site(
    journal: &Journal,
    input: RenderInput,
    options: &RenderOptions,
    copies: Copies,
    walk: &Walk,
    last: Option<&Last>,
) -> Result<Written, Vec<Diagnostic>> {
    let site = Site { journal, walk };
    match last {
        Some(last) if journal.output.is_dir() => update(site, input, options, copies, last),
        _ => full_write(site, input, options, copies),
    }
}

/// haru's pages always win: a file of the journal's that would land on one (a Jekyll blog's
/// `index.html`, its `robots.txt`) is not copied, and the warning names both.
fn without_pages(copies: &mut Copies, site: Site, keys: &PageKeys) -> Vec<Diagnostic> {
    site.walk
        .assets
        .iter()
        .filter(|asset| keys.contains_key(asset.relative.as_str()))
        .map(|asset| {
            copies.remove(&asset.relative);
            Diagnostic::warning(
                display_path(&asset.absolute, &site.journal.root),
                format!(
                    "left out of the site: haru writes its own `{}` there",
                    asset.relative
                ),
            )
            .ko(format!(
                "사이트에서 뺐습니다: haru가 그 자리(`{}`)에 자기 페이지를 씁니다",
                asset.relative
            ))
            .ko_hint("이 파일을 링크해야 한다면 이름을 바꾸거나 옮기세요")
            .with_hint("rename or move the file if a page should link to it")
        })
        .collect()
}

/// Only the pages and copies that changed since `last`, and away with those the site lost.
fn update(
    site: Site,
    input: RenderInput,
    options: &RenderOptions,
    mut copies: Copies,
    last: &Last,
) -> Result<Written, Vec<Diagnostic>> {
    let journal = site.journal;
    let sink = MemorySink::default();
    let (problems, produced) = render::render_site(input, options, Some(&last.keys), &sink);
    if !problems.is_empty() {
        return Err(problems);
    }
    let keys = produced.keys;
    let warnings = without_pages(&mut copies, site, &keys);
    // Most rebuilds lose no page: then the last build's 26,000 paths need no looking up.
    let lost_pages = (produced.lost > 0).then(|| {
        (last.keys.keys())
            .filter(|path| !keys.contains_key(&***path))
            .map(|path| &**path)
    });
    let removed: Vec<&str> = (lost_pages.into_iter().flatten())
        .chain(
            (last.copied.keys())
                .filter(|path| !copies.contains_key(*path))
                .map(String::as_str),
        )
        .collect();
    let changed_copies: Vec<(&String, &PathBuf)> = copies
        .iter()
        .filter(|(path, now)| last.copied.get(*path) != Some(*now))
        .map(|(path, copied)| (path, &copied.from))
        .collect();
    let pages = sink.into_pages();
    let count = pages.len() + changed_copies.len();
    let result = write::update_in_place(&journal.output, &pages, &changed_copies, &removed);
    drop((removed, changed_copies));
    result
        .map(|()| Written {
            keys,
            copies,
            count,
            warnings,
        })
        .map_err(|problems| {
            problems
                .into_iter()
                .map(|(path, error)| {
                    Diagnostic::error(
                        display_path(&path, &journal.root),
                        format!("cannot update the site: {error}"),
                    )
                    .ko(format!("사이트를 고쳐 쓸 수 없습니다: {error}"))
                })
                .collect()
        })
}

/// A fresh site in a staging folder that replaces the output only when all of it is written.
fn full_write(
    site: Site,
    input: RenderInput,
    options: &RenderOptions,
    mut copies: Copies,
) -> Result<Written, Vec<Diagnostic>> {
    let journal = site.journal;
    let output = &journal.output;
    let staging = Staging::create(output).map_err(|error| {
        vec![
            Diagnostic::error(
                output.to_path_buf(),
                format!("cannot create the output folder: {error}"),
            )
            .ko(format!("출력 폴더를 만들 수 없습니다: {error}")),
        ]
    })?;
    let (mut problems, produced) = render::render_site(input, options, None, &staging);
    let keys = produced.keys;
    let warnings = without_pages(&mut copies, site, &keys);
    let mut sorted: Vec<(&String, &PathBuf)> = copies
        .iter()
        .map(|(path, copied)| (path, &copied.from))
        .collect();
    // Static files come after assets, so a journal's `static/x` wins over `content/static/x`.
    sorted.sort_by_key(|(path, _)| path.as_str());
    let copy_problems: Vec<Diagnostic> = sorted
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
                    .ko(format!("복사할 수 없습니다: {error}"))
                })
        })
        .collect();
    problems.extend(copy_problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let count = keys.len() + sorted.len();
    drop(sorted);
    staging.publish().map_err(|error| {
        vec![
            Diagnostic::error(
                output.to_path_buf(),
                format!("cannot move the new site into place: {error}"),
            )
            .ko(format!("새 사이트를 제자리로 옮길 수 없습니다: {error}")),
        ]
    })?;
    Ok(Written {
        keys,
        copies,
        count,
        warnings,
    })
}
