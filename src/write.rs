//! Putting the site on disk without ever leaving a half-built or destroyed one behind.
//!
//! The site is written into a fresh staging folder beside the output folder; only when every
//! page is written does it take the output's place (the old output is removed last). A failed
//! build removes just its staging folder, and the next build clears what a killed one left.
//! haru replaces only a folder it made (it holds [`MARKER`]) or an empty one: `--output ~` or
//! `--output docs` is an error, not a deleted folder. Output folders that would swallow the
//! journal (the root, the content folder, or a folder above either) are refused too.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::render::Sink;

/// Refuses an output folder that is the root, the content folder, or an ancestor of either.
pub fn check_output(output: &Path, root: &Path, content: &Path) -> Result<(), Diagnostic> {
    let absolute = |path: &Path| -> PathBuf {
        let joined = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(path)
        };
        normalize(&joined)
    };
    let output_abs = absolute(output);
    let root_abs = absolute(root);
    let content_abs = absolute(content);
    for (name, korean, protected) in [
        ("the journal root", "일지 폴더", &root_abs),
        ("the content folder", "콘텐츠 폴더", &content_abs),
    ] {
        if protected.starts_with(&output_abs) {
            return Err(Diagnostic::error(
                output.to_path_buf(),
                format!(
                    "the output folder would replace {name} ({})",
                    protected.display()
                ),
            )
            .with_hint("choose an output folder of its own, e.g. --output public")
            .ko(format!(
                "출력 폴더가 {korean}({})를 덮어쓰게 됩니다",
                protected.display()
            ))
            .ko_hint("출력 폴더를 따로 정하세요. 예: --output public"));
        }
    }
    Ok(())
}

/// The file that marks a folder as a site haru wrote, and so one it may replace.
pub(crate) const MARKER: &str = ".haru-output";

const MARKER_TEXT: &str = "This folder is a site written by `haru build`, which replaces it \
on every build.\nDelete this file to keep haru from replacing the folder.\n";

/// Refuses to replace a folder haru did not make: one that is neither empty nor marked with
/// [`MARKER`] (or, from before the marker, a site whose home page names haru as its generator).
pub fn check_replaceable(output: &Path) -> Result<(), Diagnostic> {
    let refuse = |(what, korean): (&str, &str)| {
        Diagnostic::error(
            output.to_path_buf(),
            format!("the output folder {what}; haru replaces only a folder it made"),
        )
        .with_hint(
            "choose another folder with --output DIR, or remove this one by hand if it is an old site",
        )
        .ko(format!("출력 폴더가 {korean}. haru는 자기가 만든 폴더만 바꿉니다"))
        .ko_hint("--output DIR로 다른 폴더를 고르거나, 예전 사이트라면 이 폴더를 직접 지우세요")
    };
    let metadata = match std::fs::symlink_metadata(output) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => {
            return Err(refuse((
                &format!("cannot be read ({error})"),
                &format!("읽히지 않습니다({error})"),
            )));
        }
    };
    if !metadata.is_dir() {
        return Err(refuse((
            "is a file or a link, not a folder",
            "폴더가 아니라 파일이나 링크입니다",
        )));
    }
    let mut entries = std::fs::read_dir(output).map_err(|error| {
        refuse((
            &format!("cannot be read ({error})"),
            &format!("읽히지 않습니다({error})"),
        ))
    })?;
    if entries.next().is_none() || output.join(MARKER).is_file() {
        return Ok(());
    }
    let home = std::fs::read(output.join("index.html")).unwrap_or_default();
    let generator = b"<meta name=\"generator\" content=\"haru ";
    if home
        .windows(generator.len())
        .any(|window| window == generator)
    {
        return Ok(());
    }
    Err(refuse((
        "holds files that haru did not write",
        "haru가 쓰지 않은 파일을 담고 있습니다",
    )))
}

/// `a/./b/../c` → `a/c` without touching the disk (the output may not exist yet).
fn normalize(path: &Path) -> PathBuf {
    let mut normalized = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normalized.pop();
            }
            other => normalized.push(other.as_os_str()),
        }
    }
    normalized
}

/// Joins a site path (`tags/s3/index.html`) onto the output folder, refusing one that could
/// land anywhere else: absolute, empty, `.` or `..` segments, backslashes or NUL. Every write,
/// copy and removal under the output goes through here, whatever made the path, so a name
/// that slipped past `slug::path_segment` still cannot leave the output.
pub(crate) fn join_inside(output: &Path, relative: &str) -> std::io::Result<PathBuf> {
    let refuse = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "refused to write `{}`: the path would leave the output folder",
                relative.escape_debug()
            ),
        )
    };
    let plain = !relative.is_empty()
        && !relative.contains(['\\', '\0'])
        && relative
            .split('/')
            .all(|segment| !segment.is_empty() && segment != "." && segment != "..");
    if !plain {
        return Err(refuse());
    }
    let joined = output.join(relative);
    let inside = joined.starts_with(output)
        && joined.strip_prefix(output).is_ok_and(|rest| {
            rest.components()
                .all(|component| matches!(component, std::path::Component::Normal(_)))
        });
    if inside { Ok(joined) } else { Err(refuse()) }
}

/// A staging folder beside the output, removed on drop unless published.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    published: bool,
    /// Pages written so far: two pages wanting one path is a bug to report, not to overwrite.
    written: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Staging {
    pub fn create(output: &Path) -> std::io::Result<Staging> {
        let parent = match output.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        clear_leftovers(&parent, &name, output)?;
        let dir = parent.join(format!(".{name}.haru-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        std::fs::write(dir.join(MARKER), MARKER_TEXT)?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            published: false,
            written: Default::default(),
        })
    }

    #[cfg(test)]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Copies a file of the journal (an image beside an entry, a static file) into the site.
    pub fn copy(&self, relative: &str, from: &Path) -> std::io::Result<()> {
        let target = join_inside(&self.dir, relative)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from, target).map(|_| ())
    }

    /// Swaps the staging folder into the output's place.
    pub fn publish(mut self) -> std::io::Result<()> {
        let backup = self.dir.with_file_name(
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().replace("haru-staging", "haru-previous"))
                .unwrap_or_default(),
        );
        let had_output = self.output.exists();
        if had_output {
            if backup.exists() {
                std::fs::remove_dir_all(&backup)?;
            }
            std::fs::rename(&self.output, &backup)?;
        }
        if let Err(error) = std::fs::rename(&self.dir, &self.output) {
            if had_output {
                // Put the previous site back before reporting.
                let _ = std::fs::rename(&backup, &self.output);
            }
            return Err(error);
        }
        self.published = true;
        if had_output {
            std::fs::remove_dir_all(&backup)?;
        }
        Ok(())
    }
}

/// Removes the staging and previous-site folders that killed builds left beside the output
/// (those of processes no longer running). If a build was killed between moving the old site
/// aside and moving the new one in, the old site is put back first.
fn clear_leftovers(parent: &Path, name: &str, output: &Path) -> std::io::Result<()> {
    let staging = format!(".{name}.haru-staging-");
    let previous = format!(".{name}.haru-previous-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let (is_previous, pid) = if let Some(pid) = file_name.strip_prefix(&staging) {
            (false, pid)
        } else if let Some(pid) = file_name.strip_prefix(&previous) {
            (true, pid)
        } else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() || is_running(pid, &entry.path()) {
            continue;
        }
        if is_previous && !output.exists() {
            std::fs::rename(entry.path(), output)?;
        } else {
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

/// Whether the build that made `folder` may still be writing it: its process exists (where
/// `/proc` tells), else the folder changed within the last hour.
fn is_running(pid: u32, folder: &Path) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    std::fs::metadata(folder)
        .and_then(|metadata| metadata.modified())
        .ok()
        .and_then(|modified| modified.elapsed().ok())
        .is_some_and(|age| age < std::time::Duration::from_secs(3600))
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let first = self
            .written
            .lock()
            .expect("no writer panicked")
            .insert(path.to_string());
        if !first {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "another page of the site was already written here",
            ));
        }
        let target = join_inside(&self.dir, path)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, bytes)
    }
}

/// Pages rendered into memory, for a rebuild that changes the output in place: nothing is
/// written until every changed page rendered without error.
#[derive(Default)]
pub struct MemorySink {
    /// The pages by path: a map, since a template change puts every page of the site here.
    pages: std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
}

impl MemorySink {
    pub fn into_pages(self) -> Vec<(String, Vec<u8>)> {
        let mut pages: Vec<(String, Vec<u8>)> = self
            .pages
            .into_inner()
            .expect("no writer panicked")
            .into_iter()
            .collect();
        pages.sort_by(|a, b| a.0.cmp(&b.0));
        pages
    }
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let mut pages = self.pages.lock().expect("no writer panicked");
        if pages.contains_key(path) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "another page of the site was already written here",
            ));
        }
        pages.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

/// Brings a published site up to date: writes `pages`, copies `copies` (site path, source),
/// removes `removed` and the folders they leave empty. Each file is written beside its place
/// and renamed over it, so a reader (the preview server) sees the old page or the new one,
/// never half of one. A copy whose source is gone (an editor's temporary file, renamed away
/// since the walk) is passed over: the watcher reports the removal. Each problem names the
/// file it is about.
pub fn update_in_place(
    output: &Path,
    pages: &[(String, Vec<u8>)],
    copies: &[(&String, &PathBuf)],
    removed: &[&str],
) -> Result<(), Vec<(PathBuf, std::io::Error)>> {
    use rayon::prelude::*;
    let replace = |relative: &str, fill: &dyn Fn(&Path) -> std::io::Result<()>| {
        let target = join_inside(output, relative)?;
        let parent = target.parent().unwrap_or(output);
        std::fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map(|name| name.to_string_lossy().to_string())
            .unwrap_or_default();
        let temporary = parent.join(format!(".{name}.haru-{}", std::process::id()));
        fill(&temporary).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })?;
        std::fs::rename(&temporary, &target).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
    };
    let mut problems: Vec<(PathBuf, std::io::Error)> = pages
        .par_iter()
        .filter_map(|(relative, bytes)| {
            replace(relative, &|to| std::fs::write(to, bytes))
                .err()
                .map(|error| (output.join(relative), error))
        })
        .collect();
    problems.extend(
        copies
            .par_iter()
            .filter_map(|(relative, from)| {
                replace(relative, &|to| std::fs::copy(from, to).map(|_| ()))
                    .err()
                    .filter(|error| from.exists() || error.kind() != std::io::ErrorKind::NotFound)
                    .map(|error| (from.to_path_buf(), error))
            })
            .collect::<Vec<_>>(),
    );
    for relative in removed {
        let target = match join_inside(output, relative) {
            Ok(target) => target,
            Err(error) => {
                problems.push((output.join(relative), error));
                continue;
            }
        };
        match std::fs::remove_file(&target) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                problems.push((target, error));
                continue;
            }
        }
        // Folders left empty go too (a page's folder), up to the output itself.
        let mut folder = target.parent();
        while let Some(dir) = folder {
            if dir == output || std::fs::remove_dir(dir).is_err() {
                break;
            }
            folder = dir.parent();
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_outside_the_output_are_refused() {
        let temp = tempfile::tempdir().unwrap();
        let output = temp.path().join("public");
        let staging = Staging::create(&output).unwrap();
        for path in [
            "../x/index.html",
            "tags/../../x/index.html",
            "/etc/x",
            "./index.html",
            "a//b",
            "",
            "..",
            ".",
            "a\\..\\..\\x",
            "a\0b",
            "tags/../index.html",
        ] {
            let error = staging.write(path, b"x").unwrap_err();
            assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{path:?}");
            assert!(join_inside(&output, path).is_err(), "{path:?}");
        }
        // `%2e%2e` is a folder name on disk, not a parent.
        staging.write("%2e%2e/index.html", b"x").unwrap();
        assert!(staging.dir().join("%2e%2e/index.html").is_file());
        assert_eq!(
            std::fs::read_dir(temp.path()).unwrap().count(),
            1,
            "nothing beside the staging folder"
        );
    }

    #[test]
    fn vanished_copy_source_is_passed_over_and_other_errors_name_the_file() {
        // Regression: a save through an editor's temporary name (copied as an asset, then
        // renamed away) failed the rebuild with "No such file" naming no file.
        let temp = tempfile::tempdir().unwrap();
        let output = temp.path().join("public");
        std::fs::create_dir_all(&output).unwrap();
        let gone = temp.path().join("2026-03-04.md.sb-1a2b");
        let page = ("a/index.html".to_string(), b"page".to_vec());
        let asset = "2026-03-04.md.sb-1a2b".to_string();
        update_in_place(
            &output,
            std::slice::from_ref(&page),
            &[(&asset, &gone)],
            &[],
        )
        .unwrap();
        assert_eq!(std::fs::read(output.join("a/index.html")).unwrap(), b"page");
        assert!(!output.join(&asset).exists());
        // A page that cannot be written (its folder is a file) is named.
        std::fs::write(output.join("b"), "a file").unwrap();
        let blocked = ("b/index.html".to_string(), b"x".to_vec());
        let problems = update_in_place(&output, &[blocked], &[], &[]).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, output.join("b/index.html"));
    }

    #[test]
    fn two_pages_at_one_path_is_an_error() {
        let temp = tempfile::tempdir().unwrap();
        let staging = Staging::create(&temp.path().join("public")).unwrap();
        staging.write("a/index.html", b"one").unwrap();
        let error = staging.write("a/index.html", b"two").unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(
            std::fs::read(staging.dir().join("a/index.html")).unwrap(),
            b"one"
        );
    }

    #[test]
    fn two_pages_at_one_path_in_memory_is_an_error() {
        let sink = MemorySink::default();
        sink.write("b/index.html", b"one").unwrap();
        sink.write("a/index.html", b"two").unwrap();
        let error = sink.write("b/index.html", b"three").unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists);
        let pages = sink.into_pages();
        assert_eq!(pages[0], ("a/index.html".to_string(), b"two".to_vec()));
        assert_eq!(pages[1], ("b/index.html".to_string(), b"one".to_vec()));
    }

    #[test]
    fn output_may_not_swallow_the_journal() {
        let root = Path::new("/journal");
        let content = Path::new("/journal/content");
        assert!(check_output(Path::new("/journal"), root, content).is_err());
        assert!(check_output(Path::new("/journal/content"), root, content).is_err());
        assert!(check_output(Path::new("/"), root, content).is_err());
        assert!(check_output(Path::new("/journal/content/.."), root, content).is_err());
        assert!(check_output(Path::new("/journal/public"), root, content).is_ok());
        assert!(check_output(Path::new("/journal/content/public"), root, content).is_ok());
    }
}
