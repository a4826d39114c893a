//! The build as one function of the journal's files, remembered between runs.
//!
//! `haru build` runs it once. `haru serve` keeps the engine and calls `build` again after the
//! changes it noted: only changed files are read and parsed again, an edit that leaves the
//! site's shape alone (same date, tags, series) replaces its entry in place instead of
//! assembling the whole site, and only pages whose inputs changed are rendered and written
//! (see `render::Keys`). Both commands go through the same steps below, so a rebuild can be
//! checked against a fresh build byte for byte; there is no second code path for serve.
//!
//! The steps of `Engine::build`, one module each: `setup` (journal, theme), `files` (walk,
//! read and parse), `assemble` (the model), `index` (search), `output` (render and write).
//! `changes` decides which watcher events matter.

mod assemble;
mod changes;
mod files;
mod index;
mod output;
mod setup;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostic::Diagnostics;
use crate::highlight::Highlighter;
use crate::journal::BuildOptions;
use crate::model::fingerprint as hash;
use crate::parse::Body;
use crate::render::{Keys, RenderInput, RenderOptions, SearchUpdate};
use crate::search;

use assemble::{AssembleInput, Model};
use files::Files;
use output::Last;
use setup::Setup;

#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub entries: usize,
    pub notes: usize,
    /// Files copied into the site as they are (linked files and `static/`).
    pub assets: usize,
    /// Pages and files written (all of them, or on a rebuild only the changed ones).
    pub written: usize,
    pub warnings: Diagnostics,
    pub elapsed: std::time::Duration,
    /// The journal's language, for what the binary says about the build.
    pub language: crate::config::Language,
}

pub use changes::is_ignored;
use changes::{Change, Paths};
pub(crate) use files::parse_sources;

/// How many dated entries a build of the journal at `root` publishes, counted by the build's
/// own steps (walk, parse, assemble) without rendering: what `haru init` reports.
pub(crate) fn daily_entries(root: &Path) -> usize {
    let options = BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    };
    let Ok(journal) = crate::journal::Journal::open(&options) else {
        return 0;
    };
    let (loaded, _) = crate::load::load(&crate::load::LoadOptions {
        content: &journal.content,
        output: &journal.output,
        drafts: false,
        reserved: journal.reserved,
        display_base: &journal.root,
    });
    let parsed: Vec<crate::parse::Parsed> =
        parse_sources(&journal, &loaded.sources, &loaded.assets)
            .into_iter()
            .filter_map(Result::ok)
            .map(|(_, parsed)| parsed)
            .collect();
    let ordered: Vec<&crate::parse::Parsed> = parsed.iter().collect();
    let assembled = crate::site::assemble(
        &ordered,
        false,
        &journal.display_prefix,
        &journal.catalogue,
        &mut Vec::new(),
    );
    assembled.site.daily().count()
}

/// A build that remembers its inputs and outputs. See the module comment.
pub struct Engine {
    options: BuildOptions,
    root: PathBuf,
    output: PathBuf,
    highlighter: Option<Highlighter>,
    /// Where picture copies and highlighted code are kept between builds.
    cache: crate::cache::Cache,
    setup: Option<Setup>,
    files: Files,
    last: Option<Last>,
    /// The search index, kept so a rebuild changes only the postings of changed entries.
    search: search::Index,
}

impl Engine {
    pub fn new(options: &BuildOptions) -> Engine {
        let (root, output) = crate::journal::root_and_output(options);
        Engine {
            options: options.clone(),
            root,
            output,
            highlighter: None,
            cache: crate::cache::Cache::new(options.no_cache),
            setup: None,
            files: Files::default(),
            last: None,
            search: search::Index::default(),
        }
    }

    /// What a watcher must watch for the next build to see every change that matters, as
    /// (folder, recursively). See `changes::watched`.
    pub fn watched(&self) -> Vec<(PathBuf, bool)> {
        changes::watched(&self.paths())
    }

    /// Whether a change at `path` (absolute, as watchers report them) matters to the site; it
    /// is then noted for the next build.
    pub fn note_change(&mut self, path: &Path) -> bool {
        let change = changes::classify(path, &self.paths());
        if change == Change::Ignored {
            return false;
        }
        if self.setup.is_none() {
            // Nothing is remembered: everything will be read anyway.
            return true;
        }
        match change {
            Change::Ignored | Change::Elsewhere => return false,
            Change::Everything => self.forget_everything(),
            Change::Setup => self.setup = None,
            Change::Static => {}
            Change::Content(relative) => {
                let known = (self.files.walk.as_ref())
                    .is_some_and(|walk| walk.pages.contains_key(&relative));
                if known && path.is_file() {
                    self.files.stale.insert(relative);
                } else {
                    // A new, removed or renamed file or folder, or an asset: look again.
                    self.files.rewalk = true;
                }
            }
        }
        true
    }

    /// Reads everything again at the next build (the configuration changed, or a watcher lost
    /// events). What the output holds is still known, so the next build updates it in place
    /// (a server keeps serving whole pages) and pages whose inputs are unchanged stay as they are.
    pub fn forget_everything(&mut self) {
        self.setup = None;
        self.files.forget();
    }

    /// The journal's folders as a watcher reports paths in them.
    fn paths(&self) -> Paths {
        let content = match (&self.options.content, &self.setup) {
            (_, Some(setup)) => setup.journal.content.clone(),
            (Some(content), None) => content.clone(),
            (None, None) => self.root.join("content"),
        };
        let catalogue =
            (self.setup.as_ref()).and_then(|setup| setup.journal.config.tags.catalogue.clone());
        Paths::new(&self.root, &content, &self.output, catalogue)
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    /// Whether `path` (absolute) was found empty where it had text: its editor truncates
    /// before it writes.
    pub(crate) fn was_emptied(&self, path: &Path) -> bool {
        self.files.emptied.contains(path)
    }

    /// The URL path the site is served under (`/`, `/til/`), once a build has read the
    /// configuration.
    pub fn base_path(&self) -> Option<String> {
        self.setup
            .as_ref()
            .map(|setup| setup.journal.config.base_path())
    }

    /// Builds the site: everything the first time, afterwards what the noted changes need.
    /// On failure every problem found is returned and the output is left as it was.
    pub fn build(&mut self) -> Result<BuildReport, Diagnostics> {
        let mut result = self.build_site();
        // Korean unless the journal says otherwise; a configuration that cannot be read
        // says nothing, and the default is Korean.
        let language = self
            .setup
            .as_ref()
            .map_or_else(Default::default, |setup| setup.journal.config.language);
        match &mut result {
            Ok(report) => {
                report.language = language;
                report.warnings.localize(language);
            }
            Err(diagnostics) => diagnostics.localize(language),
        }
        result
    }

    fn build_site(&mut self) -> Result<BuildReport, Diagnostics> {
        let started = Instant::now();
        let mut diagnostics = Diagnostics::default();
        if self.setup.is_none() {
            self.setup = Some(Setup::load(&self.options)?);
        }
        let model = self.read_and_assemble(&mut diagnostics);
        let setup = self.setup.as_ref().expect("set up");
        let journal = &setup.journal;
        if diagnostics.has_errors() {
            self.keep(model);
            return Err(diagnostics);
        }
        let files = &self.files;
        let bodies: Vec<&Body> = model
            .slots
            .iter()
            .map(|&slot| &files.parsed_at(slot).body)
            .collect();
        let content: Vec<u64> = model
            .slots
            .iter()
            .map(|&slot| files.parsed[slot].as_ref().map_or(0, |cached| cached.text))
            .collect();
        let update = |index: &mut search::Index| {
            index::update_search(
                index,
                &model.site,
                &bodies,
                &content,
                &model.entry_keys,
                &journal.catalogue,
            )
        };
        let keys = Keys {
            global: hash(&(journal.config_key, setup.theme_key)),
            content: &content,
            entries: &model.entry_keys,
        };
        let render_options = RenderOptions {
            config: &journal.config,
            theme: &setup.theme,
            syntax_css: &setup.syntax_css,
        };
        let copies = output::copies(journal, files.walk(), &files.linked());
        let input = RenderInput {
            site: &model.site,
            bodies: &bodies,
            keys: &keys,
            search: journal.config.search.then_some(SearchUpdate {
                index: &mut self.search,
                update: &update,
            }),
        };
        let result = output::write_site(
            journal,
            input,
            &render_options,
            copies,
            files.walk(),
            self.last.as_ref(),
        );
        let report = BuildReport {
            output: self.output.clone(),
            entries: model.site.daily().count(),
            notes: model.site.notes().count() + usize::from(model.site.about().is_some()),
            assets: 0,
            written: 0,
            warnings: Diagnostics::default(),
            elapsed: started.elapsed(),
            language: journal.config.language,
        };
        drop(bodies);
        match result {
            Ok(written) => {
                diagnostics.extend(written.warnings);
                let assets = written.copies.len();
                self.last = Some(Last {
                    keys: written.keys,
                    model,
                    copied: written.copies,
                });
                Ok(BuildReport {
                    written: written.count,
                    assets,
                    warnings: diagnostics,
                    ..report
                })
            }
            Err(problems) => {
                diagnostics.extend(problems);
                diagnostics.sort();
                self.keep(model);
                Err(diagnostics)
            }
        }
    }

    /// Walks the journal if it may have changed, reads and parses the files that did, and
    /// patches the last model or assembles a new one.
    fn read_and_assemble(&mut self, diagnostics: &mut Diagnostics) -> Model {
        let journal = &self.setup.as_ref().expect("set up").journal;
        let images = self.cache.folder("images");
        let walked =
            self.files
                .walk_if_needed(journal, self.options.drafts, images.as_deref(), diagnostics);
        let cache = &self.cache;
        let highlighter = self.highlighter.get_or_insert_with(|| {
            match cache.kept_file("highlight", &journal.content) {
                Some(file) => Highlighter::with_cache(file),
                None => Highlighter::new(),
            }
        });
        let has_last = self.last.is_some();
        let shape = self
            .files
            .read_changed(journal, highlighter, walked, has_last, diagnostics);
        if shape.changed.len() == self.files.parsed.len() {
            // Every file was read: the blocks highlighted are all the journal has.
            highlighter.save_cache();
        }
        let input = AssembleInput {
            journal,
            drafts: self.options.drafts,
            walked,
            shape,
        };
        assemble::assemble(
            &self.files,
            self.last.as_mut().map(|last| &mut last.model),
            input,
            diagnostics,
        )
    }

    /// After a failed build the output is what the last good build wrote; the model is kept
    /// only if it can still be patched against that output's keys.
    fn keep(&mut self, model: Model) {
        if let Some(last) = &mut self.last {
            last.model = model;
        }
    }
}
