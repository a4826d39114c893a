//! The build as one function of the journal's files, remembered between runs.
//!
//! `haru build` runs it once. `haru serve` keeps the engine and calls `rebuild` with the paths
//! that changed: only changed files are read and parsed again, an edit that leaves the site's
//! shape alone (same date, tags, series) replaces its entry in place instead of assembling the
//! whole site, and only pages whose inputs changed are rendered and written (see
//! `render::Keys`). Both commands go through the same stages below, so a rebuild can be checked
//! against a fresh build byte for byte; there is no second code path for serve.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostic::{Diagnostic, Diagnostics, display_path};
use crate::highlight::{self, Highlighter};
use crate::load::{self, LoadOptions, SourcePath};
use crate::model::{Site, TagId, fingerprint as hash};
use crate::parse::{self, Body, ParseContext, Parsed, TagKey};
use crate::render::{
    self, EntryKeys, Keys, PageKeys, RenderInput, RenderOptions, SearchUpdate, Theme,
};
use crate::search;
use crate::site;
use crate::tags;
use crate::write::{self, MemorySink, Staging};
use crate::{BuildOptions, BuildReport};

pub(crate) struct Journal {
    pub(crate) config: Config,
    pub(crate) content: PathBuf,
    pub(crate) root: PathBuf,
    pub(crate) catalogue: tags::Catalogue,
    /// The configuration's own text (with command-line overrides), for the global key.
    config_key: u64,
}

/// The built-in AWS catalogue, extended or replaced by the journal's own file.
fn load_catalogue(config: &Config, root: &Path) -> Result<(tags::Catalogue, String), Diagnostic> {
    let builtin = tags::Catalogue::builtin();
    let Some(file) = &config.tags.catalogue else {
        return Ok((builtin, String::new()));
    };
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).map_err(|error| {
        Diagnostic::error(
            file.clone(),
            format!("cannot read the tag catalogue: {error}"),
        )
    })?;
    let own = tags::Catalogue::parse(&text, file)?;
    let catalogue = if config.tags.replace {
        own
    } else {
        builtin.extended(own)
    };
    Ok((catalogue, text))
}

pub(crate) fn open_journal(
    root: &Path,
    content: Option<&Path>,
    base_url: Option<&str>,
) -> Result<Journal, Diagnostic> {
    let mut config = Config::load(root)?;
    if let Some(base_url) = base_url {
        config::check_base_url(base_url).map_err(|message| {
            Diagnostic::error(None, format!("--base-url: {message}"))
                .with_hint("pass --base-url https://USER.github.io/REPO/, or a path such as /")
        })?;
        config.base_url = base_url.to_string();
    }
    let content = match content {
        // Given on the command line on purpose: it may lie anywhere.
        Some(content) => content.to_path_buf(),
        None => {
            let content = root.join(&config.content_dir);
            stays_inside(root, &content, "content_dir")?;
            content
        }
    };
    for folder in ["templates", "static"] {
        stays_inside(root, &root.join(folder), folder)?;
    }
    if let Some(catalogue) = &config.tags.catalogue {
        stays_inside(root, &root.join(catalogue), "[tags] catalogue")?;
    }
    let (catalogue, catalogue_text) = load_catalogue(&config, root)?;
    let config_text = std::fs::read_to_string(root.join(config::CONFIG_FILE)).unwrap_or_default();
    Ok(Journal {
        config_key: hash(&(config_text, base_url, &content, catalogue_text)),
        config,
        content,
        root: root.to_path_buf(),
        catalogue,
    })
}

/// Refuses a folder or file the journal's own files name (`content_dir`, a `static` link)
/// that resolves outside the journal root: a cloned repository must not publish
/// `content_dir = "../.."` or `static -> /home/me`.
fn stays_inside(root: &Path, path: &Path, what: &str) -> Result<(), Diagnostic> {
    let lexical_escape = path.strip_prefix(root).map_or(true, |rest| {
        let mut depth = 0i32;
        rest.components().any(|component| {
            match component {
                std::path::Component::ParentDir => depth -= 1,
                std::path::Component::Normal(_) => depth += 1,
                std::path::Component::CurDir => {}
                _ => return true,
            }
            depth < 0
        })
    });
    let resolved_escape = match (path.canonicalize(), root.canonicalize()) {
        (Ok(resolved), Ok(root)) => !resolved.starts_with(root),
        _ => false,
    };
    if lexical_escape || resolved_escape {
        // A setting is named where it is written; a folder (a link) by itself.
        let shown = if what == "templates" || what == "static" {
            PathBuf::from(what)
        } else {
            PathBuf::from(config::CONFIG_FILE)
        };
        return Err(Diagnostic::error(
            shown,
            format!(
                "{what} ({}) lies outside the journal root; haru reads only the journal's own files",
                path.display()
            ),
        )
        .with_hint("move it into the journal, or name a folder outside on purpose with --content DIR"));
    }
    Ok(())
}

/// A file as last parsed.
struct Cached {
    /// Fingerprint of what it was parsed from: its text and the pages its links lead to.
    text: u64,
    parsed: Result<Parsed, Diagnostic>,
}

/// The theme and everything else that is read once and changes only with its own files.
struct Setup {
    journal: Journal,
    theme: Theme,
    syntax_css: String,
    /// Whether the content folder is the root (then `templates/`, `static/` are not content).
    reserved: &'static [&'static str],
    theme_key: u64,
}

/// What the last successful build left in the output folder.
struct Last {
    keys: PageKeys,
    site: Site,
    tag_ids: HashMap<TagKey, TagId>,
    /// Each entry's place (by `EntryId`) in the walk's sources and `Engine::parsed`.
    slots: Vec<usize>,
    /// Each entry's fingerprints (by `EntryId`), made again only for entries that changed.
    entry_keys: Vec<EntryKeys>,
    /// Copied files (assets, static files) by site path: where from, and its size and time then.
    copied: HashMap<String, (PathBuf, u64, Option<SystemTime>)>,
}

/// The sources and assets the last walk of the content folder found.
struct Walk {
    sources: Vec<SourcePath>,
    assets: Vec<load::Asset>,
    pages: HashMap<String, String>,
    /// Each source's place in `sources`.
    index: HashMap<String, usize>,
}

/// A build that remembers its inputs and outputs. See the module comment.
pub struct Engine {
    options: BuildOptions,
    root: PathBuf,
    output: PathBuf,
    highlighter: Option<Highlighter>,
    setup: Option<Setup>,
    walk: Option<Walk>,
    /// The content folder must be walked again (a file or folder came, went or moved).
    rewalk: bool,
    /// Parsed files, in the order of `walk.sources`; `None` until read.
    parsed: Vec<Option<Cached>>,
    /// Sources (relative to the content folder) to read again before the next build.
    stale: HashSet<String>,
    last: Option<Last>,
    /// The search index, kept so a rebuild changes only the postings of changed entries.
    search: search::Index,
    /// Files found empty where they had text (an editor that truncates, then writes): their
    /// next save is likely read half-written, so `serve` waits longer for it to settle.
    emptied: HashSet<PathBuf>,
}

impl Engine {
    pub fn new(options: &BuildOptions) -> Engine {
        let root = if options.root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            options.root.clone()
        };
        let output = options
            .output
            .clone()
            .unwrap_or_else(|| root.join("public"));
        Engine {
            options: options.clone(),
            root,
            output,
            highlighter: None,
            setup: None,
            walk: None,
            rewalk: false,
            parsed: Vec::new(),
            stale: HashSet::new(),
            last: None,
            search: search::Index::default(),
            emptied: HashSet::new(),
        }
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    /// Whether `path` (absolute) was found empty where it had text: its editor truncates
    /// before it writes.
    pub(crate) fn was_emptied(&self, path: &Path) -> bool {
        self.emptied.contains(path)
    }

    /// What a watcher must watch for the next build to see every change that matters, as
    /// (folder, recursively): the content folder, and the root itself (for `haru.toml`) with
    /// its `templates/` and `static/`. The output is left out: it changes with every build.
    pub fn watched(&self) -> Vec<(PathBuf, bool)> {
        let paths = Paths::of(self);
        let mut watched = vec![(paths.content.clone(), true)];
        if paths.content != paths.root {
            watched.push((paths.root.clone(), false));
            for folder in ["templates", "static"] {
                let dir = paths.root.join(folder);
                if !dir.starts_with(&paths.content) {
                    watched.push((dir, true));
                }
            }
        }
        if let Some(catalogue) = paths.catalogue.as_ref().and_then(|file| file.parent())
            && !catalogue.starts_with(&paths.content)
            && catalogue != paths.root
        {
            watched.push((catalogue.to_path_buf(), false));
        }
        watched
    }

    /// The URL path the site is served under (`/`, `/til/`), once a build has read the
    /// configuration.
    pub fn base_path(&self) -> Option<String> {
        self.setup
            .as_ref()
            .map(|setup| setup.journal.config.base_path())
    }

    /// Whether a change at `path` (absolute, as watchers report them) matters to the site; it
    /// is then noted for the next build. Files in the output folder, editors' temporary and
    /// swap files and dotfiles do not.
    pub fn note_change(&mut self, path: &Path) -> bool {
        let paths = Paths::of(self);
        if path.starts_with(&paths.output) {
            return false;
        }
        let Ok(in_root) = path
            .strip_prefix(&paths.root)
            .or_else(|_| path.strip_prefix(&paths.content))
        else {
            return false;
        };
        if is_ignored(in_root) {
            return false;
        }
        // A `haru build` output at the root of a journal kept at the root is no content.
        if paths.content == paths.root && in_root.starts_with("public") {
            return false;
        }
        if self.setup.is_none() {
            // Nothing is remembered: everything will be read anyway.
            return true;
        }
        if path == paths.root.join(config::CONFIG_FILE) || Some(path) == paths.catalogue.as_deref()
        {
            self.forget_everything();
            return true;
        }
        let in_content = path.starts_with(&paths.content) && paths.content != paths.root;
        if path.starts_with(paths.root.join("templates")) && !in_content {
            self.setup = None;
            return true;
        }
        if path.starts_with(paths.root.join("static")) && !in_content {
            return true;
        }
        let Ok(relative) = path.strip_prefix(&paths.content) else {
            return false;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        let known = self
            .walk
            .as_ref()
            .is_some_and(|walk| walk.pages.contains_key(&relative));
        if known && path.is_file() {
            self.stale.insert(relative);
        } else {
            // A new, removed or renamed file or folder, or an asset: look again.
            self.rewalk = true;
        }
        true
    }

    /// Reads everything again at the next build (the configuration changed, or a watcher lost
    /// events). What the output holds is still known, so the next build updates it in place
    /// (a server keeps serving whole pages) and pages whose inputs are unchanged stay as they are.
    pub fn forget_everything(&mut self) {
        self.setup = None;
        self.walk = None;
        self.rewalk = false;
        self.parsed.clear();
        self.stale.clear();
    }

    /// Builds the site: everything the first time, afterwards what the noted changes need.
    /// On failure every problem found is returned and the output is left as it was.
    pub fn build(&mut self) -> Result<BuildReport, Diagnostics> {
        let started = Instant::now();
        let mut diagnostics = Diagnostics::default();
        if self.setup.is_none() {
            self.setup = Some(self.load_setup()?);
        }
        let setup = self.setup.as_ref().expect("set up");
        let journal = &setup.journal;

        let walked = self.walk.is_none() || self.rewalk;
        // Whether a new walk found the very files the last one did (an image came or went).
        let mut same_files = false;
        if walked {
            let (loaded, load_diagnostics) = load::load(&LoadOptions {
                content: &journal.content,
                output: &self.output,
                drafts: self.options.drafts,
                reserved: setup.reserved,
                display_base: &self.root,
            });
            diagnostics.extend(load_diagnostics);
            let load::Loaded { sources, assets } = loaded;
            let relative: Vec<String> = sources.iter().map(|s| s.relative.clone()).collect();
            let pages = site::page_paths(&relative);
            let index: HashMap<String, usize> = relative
                .into_iter()
                .enumerate()
                .map(|(place, relative)| (relative, place))
                .collect();
            // Keep what was parsed, except files whose page or links now lead elsewhere.
            let mut kept: HashMap<String, Cached> = HashMap::new();
            if let Some(old) = self.walk.take() {
                same_files = old.sources.len() == sources.len()
                    && old
                        .sources
                        .iter()
                        .zip(&sources)
                        .all(|(old, new)| old.relative == new.relative);
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
                    .collect();
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
            }
            self.parsed = sources
                .iter()
                .map(|source| kept.remove(&source.relative))
                .collect();
            self.walk = Some(Walk {
                sources,
                assets,
                pages,
                index,
            });
            self.rewalk = false;
        }
        let walk = self.walk.as_ref().expect("walked");

        // Read and parse what is new or changed.
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
        let highlighter = self.highlighter.get_or_insert_with(Highlighter::new);
        let base_path = journal.config.base_path();
        let prefix = display_prefix(&journal.content, &self.root);
        let context = ParseContext {
            base_path: &base_path,
            pages: &walk.pages,
            highlighter,
            display_prefix: &prefix,
            tags: &journal.catalogue,
            search: journal.config.search,
        };
        let root = &self.root;
        let max_bytes = journal.config.max_file_bytes();
        let parsed_before = &self.parsed;
        let read: Vec<(usize, Option<Cached>)> = todo
            .par_iter()
            .map(|&slot| {
                let source = &walk.sources[slot];
                let result = load::read(source, root, max_bytes);
                // An editor that truncates a file before writing it: the empty moment (the only
                // warning `read` fails with) is no removal of the entry, a 404 in the preview.
                // Its last text stays until the next save.
                let was_read = parsed_before[slot]
                    .as_ref()
                    .is_some_and(|cached| cached.parsed.is_ok());
                if was_read && result.as_ref().is_err_and(|problem| !problem.is_error()) {
                    return (slot, None);
                }
                let cached = match result {
                    Ok(file) => {
                        let parsed = parse::parse(&file, &walk.pages[&source.relative], &context);
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
                };
                (slot, Some(cached))
            })
            .collect();
        let mut fresh: Vec<(usize, Cached)> = Vec::with_capacity(read.len());
        for (slot, cached) in read {
            let absolute = &walk.sources[slot].absolute;
            match cached {
                Some(cached) => {
                    self.emptied.remove(absolute);
                    fresh.push((slot, cached));
                }
                None => {
                    self.emptied.insert(absolute.clone());
                    diagnostics.push(
                        Diagnostic::warning(
                            display_path(&walk.sources[slot].absolute, &self.root),
                            "empty now; its last text is shown until it is saved again",
                        )
                        .with_hint("delete the file to remove the entry"),
                    );
                }
            }
        }
        // Whether the site keeps its shape: then changed entries replace their old selves.
        let mut replaceable = self.last.is_some() && !fresh.is_empty() && (!walked || same_files);
        let mut unchanged = !walked || same_files;
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

        // Assemble (or patch) the site.
        let mut problems = Vec::new();
        let mut ordered: Vec<&Parsed> = Vec::with_capacity(walk.sources.len());
        let mut ordered_slots: Vec<usize> = Vec::with_capacity(walk.sources.len());
        for (slot, cached) in self.parsed.iter().enumerate() {
            match &cached.as_ref().expect("every source parsed").parsed {
                Ok(parsed) => {
                    ordered.push(parsed);
                    ordered_slots.push(slot);
                }
                Err(diagnostic) => problems.push(diagnostic.clone()),
            }
        }
        let parsed_at = |slot: usize| -> &Parsed {
            self.parsed[slot]
                .as_ref()
                .and_then(|cached| cached.parsed.as_ref().ok())
                .expect("assembled entries parsed")
        };
        let previous = self.last.take();
        let (site, tag_ids, slots, entry_keys) = match previous {
            Some(mut last) if replaceable || (unchanged && problems.is_empty()) => {
                if walked {
                    // The same files (else neither `replaceable` nor `unchanged`): their places
                    // are looked up again all the same.
                    last.slots = last
                        .site
                        .entries
                        .iter()
                        .map(|entry| walk.index[&entry.source])
                        .collect();
                }
                for (id, &slot) in last.slots.iter().enumerate() {
                    if changed.contains(&slot) {
                        site::replace(
                            &mut last.site,
                            crate::model::EntryId(id),
                            parsed_at(slot),
                            &last.tag_ids,
                        );
                        last.entry_keys[id] =
                            render::entry_keys(&last.site, &last.site.entries[id]);
                    }
                }
                // Warnings are reported on every build, the unchanged files' too.
                for parsed in &ordered {
                    diagnostics.extend(parsed.diagnostics.iter().cloned());
                }
                let site = std::mem::take(&mut last.site);
                let tag_ids = std::mem::take(&mut last.tag_ids);
                let slots = std::mem::take(&mut last.slots);
                let entry_keys = std::mem::take(&mut last.entry_keys);
                self.last = Some(last);
                (site, tag_ids, slots, entry_keys)
            }
            previous => {
                self.last = previous;
                let assembled = site::assemble(
                    &ordered,
                    self.options.drafts,
                    &prefix,
                    &journal.catalogue,
                    &mut problems,
                );
                let slots = assembled
                    .order
                    .iter()
                    .map(|&place| ordered_slots[place])
                    .collect();
                let entry_keys = assembled
                    .site
                    .entries
                    .par_iter()
                    .map(|entry| render::entry_keys(&assembled.site, entry))
                    .collect();
                (assembled.site, assembled.tag_ids, slots, entry_keys)
            }
        };
        diagnostics.extend(problems);
        diagnostics.sort();
        let bodies: Vec<&Body> = slots.iter().map(|&slot| &parsed_at(slot).body).collect();
        let content: Vec<u64> = slots
            .iter()
            .map(|&slot| self.parsed[slot].as_ref().map_or(0, |cached| cached.text))
            .collect();
        if diagnostics.has_errors() {
            self.keep(site, tag_ids, slots, entry_keys);
            return Err(diagnostics);
        }
        let update = |index: &mut search::Index| {
            update_search(
                index,
                &site,
                &bodies,
                &content,
                &entry_keys,
                &journal.catalogue,
            )
        };
        let keys = Keys {
            global: hash(&(journal.config_key, setup.theme_key)),
            content: &content,
            entries: &entry_keys,
        };
        let render_options = RenderOptions {
            config: &journal.config,
            theme: &setup.theme,
            syntax_css: &setup.syntax_css,
        };
        let copies = self.copies(walk);
        let input = RenderInput {
            site: &site,
            bodies: &bodies,
            keys: &keys,
            search: journal.config.search.then_some(SearchUpdate {
                index: &mut self.search,
                update: &update,
            }),
        };
        let in_place = self.last.is_some() && self.output.is_dir();
        let result = if in_place {
            let last = self.last.as_ref().expect("last build");
            let sink = MemorySink::default();
            let (problems, keys) =
                render::render_site(input, &render_options, Some(&last.keys), &sink);
            if !problems.is_empty() {
                Err(problems)
            } else {
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
                    .map(|(path, (from, ..))| (path, from))
                    .collect();
                let pages = sink.into_pages();
                let written = pages.len() + changed_copies.len();
                write::update_in_place(&self.output, &pages, &changed_copies, &removed)
                    .map(|()| (keys, written))
                    .map_err(|problems| {
                        problems
                            .into_iter()
                            .map(|(path, error)| {
                                Diagnostic::error(
                                    display_path(&path, &self.root),
                                    format!("cannot update the site: {error}"),
                                )
                            })
                            .collect()
                    })
            }
        } else {
            full_write(&self.output, &self.root, input, &render_options, &copies)
        };
        let report = |written: usize, diagnostics: Diagnostics| BuildReport {
            output: self.output.clone(),
            entries: site.daily().count(),
            notes: site.notes().count() + usize::from(site.about().is_some()),
            assets: walk.assets.len(),
            written,
            warnings: diagnostics,
            elapsed: started.elapsed(),
        };
        match result {
            Ok((keys, written)) => {
                let report = report(written, diagnostics);
                self.last = Some(Last {
                    keys,
                    site,
                    tag_ids,
                    slots,
                    entry_keys,
                    copied: copies,
                });
                Ok(report)
            }
            Err(problems) => {
                diagnostics.extend(problems);
                diagnostics.sort();
                self.keep(site, tag_ids, slots, entry_keys);
                Err(diagnostics)
            }
        }
    }

    /// After a failed build the output is what the last good build wrote; the model is kept
    /// only if it can still be patched against that output's keys.
    fn keep(
        &mut self,
        site: Site,
        tag_ids: HashMap<TagKey, TagId>,
        slots: Vec<usize>,
        entry_keys: Vec<EntryKeys>,
    ) {
        if let Some(last) = &mut self.last {
            last.site = site;
            last.tag_ids = tag_ids;
            last.slots = slots;
            last.entry_keys = entry_keys;
        }
    }

    fn load_setup(&self) -> Result<Setup, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let journal = open_journal(
            &self.root,
            self.options.content.as_deref(),
            self.options.base_url.as_deref(),
        )
        .map_err(|d| Diagnostics(vec![d]))?;
        check_output_and_content(&self.output, &journal, &self.root)
            .map_err(|d| Diagnostics(vec![d]))?;
        let templates = self.root.join("templates");
        let theme = match Theme::load(Some(&templates), &self.root) {
            Ok(theme) => Some(theme),
            Err(errors) => {
                diagnostics.extend(errors);
                None
            }
        };
        let syntax_css = match highlight::theme_css(
            &journal.config.highlight.light_theme,
            &journal.config.highlight.dark_theme,
        ) {
            Ok(css) => css,
            Err(message) => {
                diagnostics.push(Diagnostic::error(
                    PathBuf::from(config::CONFIG_FILE),
                    message,
                ));
                String::new()
            }
        };
        if diagnostics.has_errors() {
            diagnostics.sort();
            return Err(diagnostics);
        }
        let reserved: &'static [&'static str] = if same_path(&journal.content, &self.root) {
            &["templates", "static", "public"]
        } else {
            &[]
        };
        Ok(Setup {
            theme_key: hash(&(template_sources(&templates), &syntax_css)),
            journal,
            theme: theme.expect("no theme errors"),
            syntax_css,
            reserved,
        })
    }

    /// Every file copied into the site as it is: assets beside entries, then `static/`.
    fn copies(&self, walk: &Walk) -> HashMap<String, (PathBuf, u64, Option<SystemTime>)> {
        let stamp = |path: &Path| {
            let metadata = std::fs::metadata(path).ok();
            (
                metadata.as_ref().map_or(0, |m| m.len()),
                metadata.and_then(|m| m.modified().ok()),
            )
        };
        let mut copies = HashMap::new();
        for asset in &walk.assets {
            let (len, time) = stamp(&asset.absolute);
            copies.insert(asset.relative.clone(), (asset.absolute.clone(), len, time));
        }
        let dir = self.root.join("static");
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
                let (len, time) = stamp(entry.path());
                copies.insert(
                    format!("static/{relative}"),
                    (entry.path().to_path_buf(), len, time),
                );
            }
        }
        copies
    }
}

/// A fresh site in a staging folder that replaces the output only when all of it is written.
fn full_write(
    output: &Path,
    root: &Path,
    input: RenderInput,
    render_options: &RenderOptions,
    copies: &HashMap<String, (PathBuf, u64, Option<SystemTime>)>,
) -> Result<(PageKeys, usize), Vec<Diagnostic>> {
    let staging = Staging::create(output).map_err(|error| {
        vec![Diagnostic::error(
            output.to_path_buf(),
            format!("cannot create the output folder: {error}"),
        )]
    })?;
    let (mut problems, keys) = render::render_site(input, render_options, None, &staging);
    let mut copies: Vec<(&String, &PathBuf)> = copies
        .iter()
        .map(|(path, (from, ..))| (path, from))
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
                    Diagnostic::error(display_path(from, root), format!("cannot copy: {error}"))
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

/// Brings the search index up to date with the site: entries are numbered oldest first (the
/// reverse of the site's order), each known by its text, title and tags.
fn update_search(
    index: &mut search::Index,
    site: &Site,
    bodies: &[&Body],
    content: &[u64],
    entry_keys: &[EntryKeys],
    catalogue: &tags::Catalogue,
) {
    let count = site.entries.len();
    let entry_of = |number: usize| &site.entries[count - 1 - number];
    let tags_of = |entry: &crate::model::Entry| -> Vec<(&str, &str, bool)> {
        entry
            .tags
            .iter()
            .map(|tag| {
                let model = &site.tags[tag.tag.0];
                (model.slug.as_str(), model.short.as_str(), tag.primary)
            })
            .collect()
    };
    let keys: Vec<u64> = (0..count)
        .map(|number| {
            let id = entry_of(number).id.0;
            crate::model::fingerprint_sequence([content[id], entry_keys[id].search()])
        })
        .collect();
    let services: HashMap<&str, &tags::Service> = catalogue
        .services
        .iter()
        .map(|service| (service.slug.as_str(), service))
        .collect();
    // Every name a tag goes by, for queries like `Simple Queue Service`.
    let aliases: Vec<(String, Vec<String>)> = site
        .tags
        .iter()
        .map(|tag| {
            let mut names: Vec<String> = [&tag.slug, &tag.short, &tag.name]
                .into_iter()
                .chain(
                    services
                        .get(tag.slug.as_str())
                        .into_iter()
                        .flat_map(|s| &s.aliases),
                )
                .map(|name| name.to_lowercase())
                .collect();
            names.sort();
            names.dedup();
            (tag.slug.clone(), names)
        })
        .collect();
    index.update(
        &keys,
        |number| {
            let entry = entry_of(number);
            search::document_terms(&search::DocumentText {
                title: &entry.title,
                tags: tags_of(entry),
                passages: &bodies[entry.id.0].passages,
            })
        },
        aliases,
    );
}

/// The journal's own templates, as (name, text), for the theme's key.
fn template_sources(dir: &Path) -> Vec<(String, String)> {
    let mut sources: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .map(|entry| {
                    (
                        entry.file_name().to_string_lossy().to_string(),
                        std::fs::read_to_string(entry.path()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    sources.sort();
    sources
}

/// Editors' temporary and swap files, and dotfiles: never part of the site.
pub fn is_ignored(path: &Path) -> bool {
    path.components().any(|component| {
        let std::path::Component::Normal(name) = component else {
            return false;
        };
        let name = name.to_string_lossy();
        load::is_skipped_name(&name)
    })
}

/// Reads and parses `sources` exactly as a build does, outside a build (`haru inspect`,
/// `haru check`): each file with what was read, or why it could not be.
pub(crate) fn parse_sources(
    journal: &Journal,
    root: &Path,
    sources: &[SourcePath],
) -> Vec<Result<(load::SourceFile, Parsed), Diagnostic>> {
    let relative: Vec<String> = sources.iter().map(|s| s.relative.clone()).collect();
    let pages = site::page_paths(&relative);
    let highlighter = Highlighter::new();
    let base_path = journal.config.base_path();
    let prefix = display_prefix(&journal.content, root);
    let context = ParseContext {
        base_path: &base_path,
        pages: &pages,
        highlighter: &highlighter,
        display_prefix: &prefix,
        tags: &journal.catalogue,
        // Inspecting and checking show no search index.
        search: false,
    };
    sources
        .par_iter()
        .map(|source| {
            let file = load::read(source, root, journal.config.max_file_bytes())?;
            let parsed = parse::parse(&file, &pages[&source.relative], &context);
            Ok((file, parsed))
        })
        .collect()
}

pub(crate) fn display_prefix(content: &Path, root: &Path) -> String {
    let content_shown = display_path(content, root);
    match content_shown.to_string_lossy().as_ref() {
        "" | "." => String::new(),
        shown => format!("{}/", shown.trim_end_matches('/')),
    }
}

pub(crate) fn same_path(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn check_output_and_content(
    output: &Path,
    journal: &Journal,
    root: &Path,
) -> Result<(), Diagnostic> {
    if !journal.content.is_dir() {
        return Err(Diagnostic::error(
            journal.content.clone(),
            "the content folder does not exist",
        )
        .with_hint(
            "create it, or point at your notes with --content DIR (or content_dir in haru.toml)",
        ));
    }
    write::check_output(output, &journal.root, &journal.content)
        .and_then(|()| write::check_replaceable(output))
        .map_err(|mut diagnostic| {
            diagnostic.path = Some(display_path(output, root));
            diagnostic
        })
}

/// The engine's folders as absolute paths, to compare with what a watcher reports.
struct Paths {
    root: PathBuf,
    content: PathBuf,
    output: PathBuf,
    catalogue: Option<PathBuf>,
}

impl Paths {
    fn of(engine: &Engine) -> Paths {
        let absolute = |path: &Path| {
            path.canonicalize().unwrap_or_else(|_| {
                // The output may not exist yet: its parent does.
                match (path.parent(), path.file_name()) {
                    (Some(parent), Some(name)) => parent
                        .canonicalize()
                        .map(|parent| parent.join(name))
                        .unwrap_or_else(|_| path.to_path_buf()),
                    _ => path.to_path_buf(),
                }
            })
        };
        let content = match (&engine.options.content, &engine.setup) {
            (_, Some(setup)) => setup.journal.content.clone(),
            (Some(content), None) => content.clone(),
            (None, None) => engine.root.join("content"),
        };
        Paths {
            root: absolute(&engine.root),
            content: absolute(&content),
            output: absolute(&engine.output),
            catalogue: engine
                .setup
                .as_ref()
                .and_then(|setup| setup.journal.config.tags.catalogue.as_ref())
                .map(|file| absolute(&engine.root.join(file))),
        }
    }
}
