//! Which changes a watcher reports matter to the site, and what to watch: pure answers over
//! the journal's folders, which the engine turns into what its next build reads again (a
//! file, a walk, the setup).

use std::path::{Path, PathBuf};

use crate::config;
use crate::journal::{STATIC_DIR, TEMPLATES_DIR};
use crate::load;

/// What a change means for the next build.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Change {
    /// Not part of the site: the output, an editor's swap file, a dotfile.
    Ignored,
    /// `haru.toml` or the tag catalogue: everything is read again.
    Everything,
    /// A template: the setup is loaded again.
    Setup,
    /// A file of `static/`: copied again with the next walk of the output.
    Static,
    /// A file in the content folder; `known` files are read again, others mean a new walk.
    Content(String),
    /// Under the root but outside the content and the site's folders: nothing the site reads
    /// (it matters only while nothing is remembered and everything is read anyway).
    Elsewhere,
}

/// What a watcher must watch for the next build to see every change that matters, as
/// (folder, recursively): the content folder, and the root itself (for `haru.toml`) with its
/// `templates/` and `static/`. The output is left out: it changes with every build.
pub(super) fn watched(paths: &Paths) -> Vec<(PathBuf, bool)> {
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

/// What a change at `path` (absolute, as watchers report them) means. Files in the output
/// folder, editors' temporary and swap files and dotfiles do not matter.
pub(super) fn classify(path: &Path, paths: &Paths) -> Change {
    if path.starts_with(&paths.output) {
        return Change::Ignored;
    }
    let Ok(in_root) = path
        .strip_prefix(&paths.root)
        .or_else(|_| path.strip_prefix(&paths.content))
    else {
        return Change::Ignored;
    };
    if is_ignored(in_root) {
        return Change::Ignored;
    }
    // A `haru build` output at the root of a journal kept at the root is no content.
    if paths.content == paths.root && in_root.starts_with(crate::journal::DEFAULT_OUTPUT) {
        return Change::Ignored;
    }
    if path == paths.root.join(config::CONFIG_FILE) || Some(path) == paths.catalogue.as_deref() {
        return Change::Everything;
    }
    let in_content = path.starts_with(&paths.content) && paths.content != paths.root;
    if path.starts_with(paths.root.join(TEMPLATES_DIR)) && !in_content {
        return Change::Setup;
    }
    if path.starts_with(paths.root.join(STATIC_DIR)) && !in_content {
        return Change::Static;
    }
    match path.strip_prefix(&paths.content) {
        Ok(relative) => Change::Content(relative.to_string_lossy().replace('\\', "/")),
        Err(_) => Change::Elsewhere,
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

/// The journal's folders as absolute paths, to compare with what a watcher reports.
pub(super) struct Paths {
    root: PathBuf,
    content: PathBuf,
    output: PathBuf,
    catalogue: Option<PathBuf>,
}

impl Paths {
    /// The output may not exist yet (its parent does), nor the catalogue.
    pub(super) fn new(
        root: &Path,
        content: &Path,
        output: &Path,
        catalogue: Option<PathBuf>,
    ) -> Paths {
        Paths {
            root: absolute(root),
            content: absolute(content),
            output: absolute(output),
            catalogue: catalogue.map(|file| absolute(&root.join(file))),
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .unwrap_or_else(|_| match (path.parent(), path.file_name()) {
            (Some(parent), Some(name)) => parent
                .canonicalize()
                .map(|parent| parent.join(name))
                .unwrap_or_else(|_| path.to_path_buf()),
            _ => path.to_path_buf(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_told_apart_by_where_they_are() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path();
        std::fs::create_dir_all(root.join("content/2026-03")).unwrap();
        let paths = Paths::new(root, &root.join("content"), &root.join("public"), None);
        let root = root.canonicalize().unwrap();
        let classify = |relative: &str| classify(&root.join(relative), &paths);
        assert_eq!(classify("haru.toml"), Change::Everything);
        assert_eq!(classify("templates/base.html"), Change::Setup);
        assert_eq!(classify("static/logo.png"), Change::Static);
        assert_eq!(
            classify("content/2026-03/2026-03-04.md"),
            Change::Content("2026-03/2026-03-04.md".into())
        );
        assert_eq!(classify("content/.2026-03-04.md.swp"), Change::Ignored);
        assert_eq!(classify("public/index.html"), Change::Ignored);
        assert_eq!(classify("notes.txt"), Change::Elsewhere);
        let watched = watched(&paths);
        assert_eq!(watched[0], (root.join("content"), true));
        assert!(watched.contains(&(root.clone(), false)));
        assert!(watched.contains(&(root.join("templates"), true)));
    }
}
