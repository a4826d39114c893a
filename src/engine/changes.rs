//! Which changes a watcher reports matter to the site, and what to watch: the engine notes
//! them for its next build (a file to read again, a walk to make, a setup to reload).

use std::path::{Path, PathBuf};

use crate::config;
use crate::journal::{STATIC_DIR, TEMPLATES_DIR};
use crate::load;

use super::Engine;

impl Engine {
    /// What a watcher must watch for the next build to see every change that matters, as
    /// (folder, recursively): the content folder, and the root itself (for `haru.toml`) with
    /// its `templates/` and `static/`. The output is left out: it changes with every build.
    pub fn watched(&self) -> Vec<(PathBuf, bool)> {
        let paths = Paths::of(self);
        let mut watched = vec![(paths.content.clone(), true)];
        if paths.content != paths.root {
            watched.push((paths.root.clone(), false));
            for folder in [TEMPLATES_DIR, STATIC_DIR] {
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
        if paths.content == paths.root && in_root.starts_with(crate::journal::DEFAULT_OUTPUT) {
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
        if path.starts_with(paths.root.join(TEMPLATES_DIR)) && !in_content {
            self.setup = None;
            return true;
        }
        if path.starts_with(paths.root.join(STATIC_DIR)) && !in_content {
            return true;
        }
        let Ok(relative) = path.strip_prefix(&paths.content) else {
            return false;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        let known = self
            .files
            .walk
            .as_ref()
            .is_some_and(|walk| walk.pages.contains_key(&relative));
        if known && path.is_file() {
            self.files.stale.insert(relative);
        } else {
            // A new, removed or renamed file or folder, or an asset: look again.
            self.files.rewalk = true;
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
