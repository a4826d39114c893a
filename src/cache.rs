//! Where haru keeps what one build made for the next: the platform's cache folder
//! (`~/.cache/haru` on Linux), or `HARU_CACHE_DIR` when set (a CI run restores it). Picture
//! copies (`images/`) and highlighted code (`highlight/`) live under it. Nothing in it is
//! needed: a build without it makes everything afresh, and `--no-cache` asks for exactly that.

use std::path::{Path, PathBuf};

/// The cache folder one build uses.
pub(crate) struct Cache {
    /// `None` when the machine has no cache folder: then nothing is kept and no copies made.
    root: Option<PathBuf>,
    /// Whether `root` is the platform's folder, kept for later builds, or a folder of this
    /// build's own (`--no-cache`), removed when it ends.
    kept: bool,
    _scratch: Option<tempfile::TempDir>,
}

impl Cache {
    /// The platform's cache folder, or with `no_cache` an empty one of this build's own, so
    /// the build makes everything (picture copies too) as a first build anywhere would.
    pub(crate) fn new(no_cache: bool) -> Cache {
        if no_cache {
            let scratch = tempfile::Builder::new()
                .prefix("haru-cache-")
                .tempdir()
                .ok();
            return Cache {
                root: scratch.as_ref().map(|dir| dir.path().to_path_buf()),
                kept: false,
                _scratch: scratch,
            };
        }
        Cache {
            root: platform_folder(),
            kept: true,
            _scratch: None,
        }
    }

    /// The folder for one kind of work, or `None` when there is no cache folder at all.
    pub(crate) fn folder(&self, kind: &str) -> Option<PathBuf> {
        self.root.as_ref().map(|root| root.join(kind))
    }

    /// Where work for `journal` (its content folder) is kept for later builds; `None` when
    /// nothing is kept. Named by the folder's path, so two journals do not share one file.
    pub(crate) fn kept_file(&self, kind: &str, journal: &Path) -> Option<PathBuf> {
        if !self.kept {
            return None;
        }
        let journal = std::fs::canonicalize(journal).unwrap_or_else(|_| journal.to_path_buf());
        let name = format!("{:016x}.bin", crate::model::fingerprint(&journal));
        self.folder(kind).map(|folder| folder.join(name))
    }
}

fn platform_folder() -> Option<PathBuf> {
    std::env::var_os("HARU_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::cache_dir().map(|dir| dir.join("haru")))
}
