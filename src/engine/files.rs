//! The journal's files as the engine remembers them between builds: the last walk of the
//! content folder, each source as last parsed, and which to read again. A build walks again
//! only when files came, went or moved, and reads only what is new or was saved since.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, display_path};
use crate::highlight::Highlighter;
use crate::images::{self, Pictures};
use crate::journal::Journal;
use crate::load::{self, LoadOptions, SourcePath};
use crate::markdown::FileNames;
use crate::model::fingerprint as hash;
use crate::parse::{self, ParseContext, Parsed};
use crate::site;

/// A file as last parsed.
pub(super) struct Cached {
    /// Fingerprint of what it was parsed from: its text and the pages its links lead to.
    pub(super) text: u64,
    pub(super) parsed: Result<Parsed, Diagnostic>,
}

/// The sources and assets the last walk of the content folder found.
pub(super) struct Walk {
    pub(super) sources: Vec<SourcePath>,
    pub(super) assets: Vec<load::Asset>,
    pub(super) pages: HashMap<String, String>,
    /// Every file found, by name, for `[[wikilinks]]`.
    pub(super) names: FileNames,
    /// Each picture found: its size, for pages to keep its place, and its smaller copies.
    pub(super) images: Pictures,
    /// Each source's place in `sources`.
    pub(super) index: HashMap<String, usize>,
}

#[derive(Default)]
pub(super) struct Files {
    pub(super) walk: Option<Walk>,
    /// The content folder must be walked again (a file or folder came, went or moved).
    pub(super) rewalk: bool,
    /// Parsed files, in the order of `walk.sources`; `None` until read.
    pub(super) parsed: Vec<Option<Cached>>,
    /// Sources (relative to the content folder) to read again before the next build.
    pub(super) stale: HashSet<String>,
    /// Files found empty where they had text (an editor that truncates, then writes): their
    /// next save is likely read half-written, so `serve` waits longer for it to settle.
    pub(super) emptied: HashSet<PathBuf>,
}

/// What a build's walk did.
#[derive(Clone, Copy)]
pub(super) struct Walked {
    /// The content folder was walked again.
    pub(super) again: bool,
    /// That walk found the very files the last one did (an image came or went).
    pub(super) same_files: bool,
}

/// What reading the changed files did to the site's shape.
pub(super) struct Shape {
    /// The site keeps its shape: changed entries replace their old selves.
    pub(super) replaceable: bool,
    /// Nothing read differs from what was there.
    pub(super) unchanged: bool,
    /// The slots read again.
    pub(super) changed: HashSet<usize>,
}

impl Files {
    pub(super) fn walk(&self) -> &Walk {
        self.walk.as_ref().expect("walked")
    }

    /// Reads everything again at the next build.
    pub(super) fn forget(&mut self) {
        self.walk = None;
        self.rewalk = false;
        self.parsed.clear();
        self.stale.clear();
    }

    /// Every file beside the entries (relative to the content folder) that a parsed page
    /// links to or embeds: those are published. Every `serve` rebuild asks, so the pages'
    /// links (a hundred thousand at 10,000 entries) are only checked against the files.
    pub(super) fn linked(&self) -> HashSet<&str> {
        let Some(walk) = &self.walk else {
            return HashSet::new();
        };
        if walk.assets.is_empty() {
            return HashSet::new();
        }
        let assets: HashSet<&str, foldhash::fast::FixedState> = walk
            .assets
            .iter()
            .map(|asset| asset.relative.as_str())
            .collect();
        self.parsed
            .iter()
            .flatten()
            .filter_map(|cached| cached.parsed.as_ref().ok())
            .flat_map(|parsed| parsed.links.iter().map(String::as_str))
            .filter(|link| assets.contains(link))
            .collect()
    }

    /// The parse of an assembled source.
    pub(super) fn parsed_at(&self, slot: usize) -> &Parsed {
        self.parsed[slot]
            .as_ref()
            .and_then(|cached| cached.parsed.as_ref().ok())
            .expect("assembled entries parsed")
    }

    /// Walks the content folder when it must, keeping what was parsed except files whose page
    /// or links now lead elsewhere.
    pub(super) fn walk_if_needed(
        &mut self,
        journal: &Journal,
        drafts: bool,
        images: Option<&std::path::Path>,
        diagnostics: &mut Diagnostics,
    ) -> Walked {
        let again = self.walk.is_none() || self.rewalk;
        if !again {
            return Walked {
                again,
                same_files: false,
            };
        }
        let (loaded, load_diagnostics) = load::load(&LoadOptions {
            content: &journal.content,
            output: &journal.output,
            drafts,
            reserved: journal.reserved,
            display_base: &journal.root,
        });
        diagnostics.extend(load_diagnostics);
        let load::Loaded { sources, assets } = loaded;
        let relative: Vec<String> = sources.iter().map(|s| s.relative.clone()).collect();
        let pages = site::page_paths(&relative);
        let names = file_names(&sources, &assets);
        let images = images::survey(&assets, images);
        let index: HashMap<String, usize> = relative
            .into_iter()
            .enumerate()
            .map(|(place, relative)| (relative, place))
            .collect();
        let mut same_files = false;
        let mut kept: HashMap<String, Cached> = HashMap::new();
        if let Some(old) = self.walk.take() {
            same_files = old.sources.len() == sources.len()
                && old
                    .sources
                    .iter()
                    .zip(&sources)
                    .all(|(old, new)| old.relative == new.relative);
            kept = self.still_valid(&old, &pages, &images);
        }
        self.parsed = sources
            .iter()
            .map(|source| kept.remove(&source.relative))
            .collect();
        self.walk = Some(Walk {
            sources,
            assets,
            pages,
            names,
            images,
            index,
        });
        self.rewalk = false;
        Walked { again, same_files }
    }

    /// The parses of the old walk whose file neither failed nor links to a page that moved
    /// or an image whose size changed.
    fn still_valid(
        &mut self,
        old: &Walk,
        pages: &HashMap<String, String>,
        images: &Pictures,
    ) -> HashMap<String, Cached> {
        let moved: HashSet<&String> = old
            .pages
            .iter()
            .filter(|(source, page)| pages.get(*source) != Some(*page))
            .map(|(source, _)| source)
            .chain(
                pages
                    .keys()
                    .filter(|source| !old.pages.contains_key(*source)),
            )
            .chain(resized(&old.images, images))
            .collect();
        let mut kept = HashMap::new();
        for (source, cached) in old.sources.iter().zip(self.parsed.drain(..)) {
            let Some(cached) = cached else { continue };
            let affected = match &cached.parsed {
                Ok(parsed) => parsed.links.iter().any(|link| moved.contains(link)),
                Err(_) => true,
            };
            if !affected {
                kept.insert(source.relative.clone(), cached);
            }
        }
        kept
    }

    /// The slots to read: never read, or saved since.
    fn todo(&mut self) -> Vec<usize> {
        let walk = self.walk.as_ref().expect("walked");
        let mut todo: Vec<usize> = self
            .parsed
            .iter()
            .enumerate()
            .filter(|(_, cached)| cached.is_none())
            .map(|(slot, _)| slot)
            .collect();
        for relative in self.stale.drain() {
            if let Some(&slot) = walk.index.get(&relative)
                && self.parsed[slot].is_some()
            {
                todo.push(slot);
            }
        }
        todo.sort_unstable();
        todo
    }

    /// Reads and parses what is new or changed, and takes it in.
    pub(super) fn read_changed(
        &mut self,
        journal: &Journal,
        highlighter: &Highlighter,
        walked: Walked,
        has_last: bool,
        diagnostics: &mut Diagnostics,
    ) -> Shape {
        let todo = self.todo();
        let walk = self.walk();
        let base_path = journal.config.base_path();
        let context = ParseContext {
            base_path: &base_path,
            pages: &walk.pages,
            highlighter,
            display_prefix: &journal.display_prefix,
            tags: &journal.catalogue,
            search: journal.config.search,
            language: journal.config.language,
            names: &walk.names,
            images: &walk.images,
        };
        let read: Vec<(usize, Option<Cached>)> = todo
            .par_iter()
            .map(|&slot| (slot, self.read_one(slot, journal, &context)))
            .collect();
        let mut fresh: Vec<(usize, Cached)> = Vec::with_capacity(read.len());
        for (slot, cached) in read {
            let absolute = &self.walk.as_ref().expect("walked").sources[slot].absolute;
            match cached {
                Some(cached) => {
                    self.emptied.remove(absolute);
                    fresh.push((slot, cached));
                }
                None => {
                    diagnostics.push(
                        Diagnostic::warning(
                            display_path(absolute, &journal.root),
                            "empty now; its last text is shown until it is saved again",
                        )
                        .ko("지금은 비어 있습니다. 다시 저장할 때까지 마지막 내용을 보여 줍니다")
                        .ko_hint("기록을 지우려면 파일을 삭제하세요")
                        .with_hint("delete the file to remove the entry"),
                    );
                    self.emptied.insert(absolute.clone());
                }
            }
        }
        self.take_in(fresh, walked, has_last)
    }

    /// Reads and parses one source; `None` for a file that was read before and is empty now.
    fn read_one(&self, slot: usize, journal: &Journal, context: &ParseContext) -> Option<Cached> {
        let walk = self.walk();
        let source = &walk.sources[slot];
        let result = load::read(source, &journal.root, journal.config.max_file_bytes());
        // An editor that truncates a file before writing it: the empty moment (the only
        // warning `read` fails with) is no removal of the entry, a 404 in the preview. Its
        // last text stays until the next save.
        let was_read = self.parsed[slot]
            .as_ref()
            .is_some_and(|cached| cached.parsed.is_ok());
        if was_read && result.as_ref().is_err_and(|problem| !problem.is_error()) {
            return None;
        }
        Some(match result {
            Ok(file) => {
                let parsed = parse::parse(&file, &walk.pages[&source.relative], context);
                // Everything the parse read: the text, and where its links lead.
                let links: Vec<Option<&String>> = parsed
                    .links
                    .iter()
                    .map(|link| walk.pages.get(link))
                    .collect();
                Cached {
                    text: hash(&(&file.text, file.in_drafts, links)),
                    parsed: Ok(parsed),
                }
            }
            Err(diagnostic) => Cached {
                text: 0,
                parsed: Err(diagnostic),
            },
        })
    }

    /// Puts the fresh parses in their slots, and tells whether the site keeps its shape.
    fn take_in(&mut self, fresh: Vec<(usize, Cached)>, walked: Walked, has_last: bool) -> Shape {
        let same_walk = !walked.again || walked.same_files;
        let mut replaceable = has_last && !fresh.is_empty() && same_walk;
        let mut unchanged = same_walk;
        for (slot, cached) in &fresh {
            let old = self.parsed[*slot].as_ref();
            replaceable &= match (old.map(|old| &old.parsed), &cached.parsed) {
                (Some(Ok(old)), Ok(new)) => {
                    site::signature(old) == site::signature(new) && new.missing_digit.is_none()
                }
                _ => false,
            };
            unchanged &= old.is_some_and(|old| old.text == cached.text && old.parsed.is_ok());
        }
        let changed: HashSet<usize> = fresh.iter().map(|(slot, _)| *slot).collect();
        for (slot, cached) in fresh {
            self.parsed[slot] = Some(cached);
        }
        Shape {
            replaceable,
            unchanged,
            changed,
        }
    }
}

/// Reads and parses `sources` exactly as a build does, outside a build (`haru inspect`,
/// `haru check`): each file with what was read, or why it could not be.
pub(crate) fn parse_sources(
    journal: &Journal,
    sources: &[SourcePath],
    assets: &[load::Asset],
) -> Vec<Result<(load::SourceFile, Parsed), Diagnostic>> {
    let relative: Vec<String> = sources.iter().map(|s| s.relative.clone()).collect();
    let pages = site::page_paths(&relative);
    let names = file_names(sources, assets);
    let images = images::survey(assets, None);
    let highlighter = Highlighter::new();
    let base_path = journal.config.base_path();
    let context = ParseContext {
        base_path: &base_path,
        pages: &pages,
        highlighter: &highlighter,
        display_prefix: &journal.display_prefix,
        tags: &journal.catalogue,
        // Inspecting and checking show no search index.
        search: false,
        language: journal.config.language,
        names: &names,
        images: &images,
    };
    sources
        .par_iter()
        .map(|source| {
            let file = load::read(source, &journal.root, journal.config.max_file_bytes())?;
            let parsed = parse::parse(&file, &pages[&source.relative], &context);
            Ok((file, parsed))
        })
        .collect()
}

/// The pictures that came, went, changed size or got other copies between two walks.
fn resized<'a>(old: &'a Pictures, new: &'a Pictures) -> impl Iterator<Item = &'a String> {
    let changed = old
        .iter()
        .filter(|(path, size)| new.get(*path) != Some(*size))
        .map(|(path, _)| path);
    changed.chain(new.keys().filter(|path| !old.contains_key(*path)))
}

/// The journal's files by name, markdown and the rest.
fn file_names(sources: &[SourcePath], assets: &[load::Asset]) -> FileNames {
    let sources = sources.iter().map(|source| source.relative.as_str());
    FileNames::new(sources.chain(assets.iter().map(|asset| asset.relative.as_str())))
}
