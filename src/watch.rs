//! Watching a journal while `haru serve` runs: file events in, one rebuild per burst out.
//!
//! notify's debouncer folds an editor's save (vim's write-and-rename, JetBrains' safe write,
//! VS Code's in-place write) into one batch of paths. The builder thread owns the `Engine`:
//! it tells the engine what changed, then drains whatever arrived meanwhile before building,
//! so events during a rebuild queue exactly one more rebuild and a `git checkout` of many
//! files is never a storm of them. What it publishes (`Status`) is plain data the HTTP side
//! only reads.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, ModifyKind};
use notify_debouncer_full::notify::{self, EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::diagnostic::Diagnostics;
use crate::engine::Engine;

/// What the builder thread is told.
pub(crate) enum Change {
    /// These paths were created, written, renamed or removed. Of them, `open` were written in
    /// place and not closed by their writer since (maybe half written), `whole` were closed,
    /// renamed or removed last (nothing more to wait for).
    Paths {
        paths: Vec<PathBuf>,
        open: Vec<PathBuf>,
        whole: Vec<PathBuf>,
        /// The batch held a writer closing a file: this platform's watcher tells closes.
        closes: bool,
    },
    /// The watcher lost events (a queue overflow): read everything again.
    Everything,
    /// The server is stopping.
    Stop,
}

/// The site as the browser should see it, published after each build.
#[derive(Clone, Debug)]
pub(crate) struct Status {
    /// Changes with every successful build, and between two runs of the server, so a page
    /// knows whether it is current.
    pub(crate) generation: String,
    /// The URL path the site is served under (`/` or `/til/`).
    pub(crate) base_path: String,
    /// The problems of the last build when it failed; the last good site is still served.
    pub(crate) errors: Option<Diagnostics>,
}

pub(crate) struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    watched: Vec<(PathBuf, bool)>,
}

impl Watcher {
    pub(crate) fn new(debounce: Duration, sender: mpsc::Sender<Change>) -> notify::Result<Watcher> {
        let debouncer = new_debouncer(debounce, None, move |result: DebounceEventResult| {
            let change = match result {
                Ok(events) if events.iter().any(|event| event.need_rescan()) => Change::Everything,
                Ok(events) => {
                    let mut paths = Vec::new();
                    // Each path's last word in this batch: still open for writing, or whole.
                    let mut last: Vec<(PathBuf, bool)> = Vec::new();
                    let mut closes = false;
                    for event in events {
                        closes |= matches!(
                            event.kind,
                            EventKind::Access(AccessKind::Close(AccessMode::Write))
                        );
                        let open = match event.kind {
                            EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(false),
                            // Reading a file is no change (and the build itself reads them all).
                            EventKind::Access(_) => continue,
                            EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => Some(true),
                            EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(_) => {
                                Some(false)
                            }
                            _ => None,
                        };
                        for path in &event.event.paths {
                            if let Some(open) = open {
                                last.retain(|(known, _)| known != path);
                                last.push((path.clone(), open));
                            }
                        }
                        if !matches!(event.kind, EventKind::Access(_)) {
                            paths.extend(event.event.paths);
                        }
                    }
                    let (open, whole): (Vec<_>, Vec<_>) =
                        last.into_iter().partition(|(_, open)| *open);
                    Change::Paths {
                        paths,
                        open: open.into_iter().map(|(path, _)| path).collect(),
                        whole: whole.into_iter().map(|(path, _)| path).collect(),
                        closes,
                    }
                }
                Err(_) => Change::Everything,
            };
            let _ = sender.send(change);
        })?;
        Ok(Watcher {
            debouncer,
            watched: Vec::new(),
        })
    }

    /// Watches what the engine reads; called again after each build, since a build can make
    /// new folders matter (a `templates/` created while serving).
    pub(crate) fn follow(&mut self, engine: &Engine) -> notify::Result<()> {
        for (path, recursive) in engine.watched() {
            if self.watched.contains(&(path.clone(), recursive)) || !path.exists() {
                continue;
            }
            let mode = if recursive {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            self.debouncer.watch(&path, mode)?;
            self.watched.push((path, recursive));
        }
        Ok(())
    }
}

/// The builder thread's loop: waits for changes, rebuilds, publishes, until `Change::Stop`.
/// `publish` gets each build's outcome; `quiet` is how long the channel must stay empty
/// before a burst counts as over.
pub(crate) fn run(
    mut engine: Engine,
    mut watcher: Watcher,
    changes: mpsc::Receiver<Change>,
    quiet: Duration,
    mut publish: impl FnMut(&Engine, Result<crate::engine::BuildReport, Diagnostics>, Duration),
) {
    // Whether this platform's watcher tells when a writer closes a file (inotify does).
    let mut closes_seen = false;
    loop {
        let Ok(first) = changes.recv() else {
            return;
        };
        let mut burst = Burst::default();
        let mut next = Some(first);
        while let Some(change) = next.take() {
            closes_seen |= change.tells_closes();
            if !burst.absorb(change, &mut engine) {
                return;
            }
            next = changes.recv_timeout(quiet).ok();
        }
        if !burst.relevant {
            continue;
        }
        // A file still open for writing may be half written: wait for its writer to close it
        // (where the watcher tells), a second at most.
        let deadline = Instant::now() + Duration::from_secs(1);
        while closes_seen && !burst.open.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(change) = changes.recv_timeout(left) else {
                break;
            };
            closes_seen |= change.tells_closes();
            if !burst.absorb(change, &mut engine) {
                return;
            }
        }
        // A folder that came with this change (`templates/` made while serving) is watched
        // before the build writes anything: once a page shows it, an edit in it must be seen.
        // Again after the build, which may have read a new configuration.
        let mut follow = |engine: &Engine| {
            if let Err(error) = watcher.follow(engine) {
                eprintln!("haru: cannot watch a new folder: {error}");
            }
        };
        follow(&engine);
        // Without close events, or past the wait: read files once they hold still; one its
        // editor truncated before writing is likely still being written.
        let pause = if burst.open.iter().any(|path| engine.was_emptied(path)) {
            Duration::from_millis(50)
        } else {
            quiet.max(Duration::from_millis(15))
        };
        settle(&burst.open, pause);
        let started = Instant::now();
        let result = engine.build();
        publish(&engine, result, started.elapsed());
        follow(&engine);
    }
}

impl Change {
    /// Whether the watcher reported a writer closing a file: then a file written in place is
    /// whole once closed.
    fn tells_closes(&self) -> bool {
        matches!(self, Change::Paths { closes: true, .. })
    }
}

/// What one burst of changes asks of the next build.
#[derive(Default)]
struct Burst {
    /// Some change matters to the site.
    relevant: bool,
    /// Changed files not yet closed by their writer since their last write.
    open: Vec<PathBuf>,
}

impl Burst {
    /// Takes in one change; false when the server is stopping.
    fn absorb(&mut self, change: Change, engine: &mut Engine) -> bool {
        match change {
            Change::Stop => return false,
            Change::Everything => {
                engine.forget_everything();
                self.relevant = true;
            }
            Change::Paths {
                paths, open, whole, ..
            } => {
                for path in paths {
                    if engine.note_change(&path) {
                        self.relevant = true;
                        if open.contains(&path) && !self.open.contains(&path) {
                            self.open.push(path);
                        }
                    }
                }
                self.open.retain(|path| !whole.contains(path));
            }
        }
        true
    }
}

/// Waits until the changed files stop changing: an editor that writes a file in pieces, a few
/// milliseconds apart, must not have its half-written text built. Files last modified well
/// before `pause` are settled already; otherwise their (size, modified time) is compared over
/// that pause until it holds still, up to about a second in all.
fn settle(paths: &[PathBuf], pause: Duration) {
    let stamp = |path: &PathBuf| {
        std::fs::metadata(path)
            .ok()
            .map(|metadata| (metadata.len(), metadata.modified().ok()))
    };
    // File times come from the kernel's coarse clock, which lags by up to a tick (10 ms).
    let recent_within = pause + Duration::from_millis(20);
    let recent = |stamps: &[Option<(u64, Option<std::time::SystemTime>)>]| {
        stamps.iter().flatten().any(|(_, modified)| {
            modified
                .and_then(|modified| modified.elapsed().ok())
                .is_none_or(|age| age < recent_within)
        })
    };
    let mut before: Vec<_> = paths.iter().map(stamp).collect();
    for _ in 0..(1000 / pause.as_millis().max(1)) {
        if !recent(&before) {
            return;
        }
        std::thread::sleep(pause);
        let now: Vec<_> = paths.iter().map(stamp).collect();
        if now == before {
            return;
        }
        before = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str =
        "{% extends \"base.html\" %}{% block content %}처음{% endblock content %}";

    /// Regression: a `templates/` folder made while serving was watched only after its
    /// build was published, so an edit made as soon as the page showed the new template (a
    /// fast reader, or a loaded CI machine) was never seen.
    #[test]
    fn an_edit_in_a_folder_made_while_serving_is_seen_right_after_its_build() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(
            root.join("content/2026-03-02.md"),
            "# [2026-03-02] 글\n\n본문\n",
        )
        .unwrap();
        let mut engine = Engine::new(&crate::journal::BuildOptions {
            root: root.to_path_buf(),
            no_cache: true,
            ..crate::journal::BuildOptions::default()
        });
        engine.build().unwrap_or_else(|d| panic!("{d}"));
        let (sender, changes) = mpsc::channel();
        let mut watcher = Watcher::new(Duration::from_millis(10), sender.clone()).unwrap();
        watcher.follow(&engine).unwrap();
        let (built, builds) = mpsc::channel();
        let templates = root.join("templates");
        let edit = templates.join("404.html");
        let thread = std::thread::spawn(move || {
            run(
                engine,
                watcher,
                changes,
                Duration::from_millis(5),
                |_, result, _| {
                    result.unwrap_or_else(|d| panic!("{d}"));
                    // The fastest reader: the moment the first build is out, edit the template.
                    if !edit.exists() {
                        return;
                    }
                    let text = std::fs::read_to_string(&edit).unwrap();
                    if text.contains("처음") {
                        std::fs::write(&edit, TEMPLATE.replace("처음", "고침")).unwrap();
                    }
                    let _ = built.send(text);
                },
            )
        });
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(templates.join("404.html"), TEMPLATE).unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        while !seen.iter().any(|text: &String| text.contains("고침")) {
            let left = deadline.saturating_duration_since(Instant::now());
            match builds.recv_timeout(left) {
                Ok(text) => seen.push(text),
                Err(_) => panic!("the edit after the first build was not seen: {seen:?}"),
            }
        }
        sender.send(Change::Stop).unwrap();
        thread.join().unwrap();
    }
}
