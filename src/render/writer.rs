//! Which pages a render makes: a page is written when the previous build had none at its path
//! or made it from other inputs, and every page written is cleaned of what XML forbids.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::render::input::Sink;
use crate::render::keys::{PageKeys, Produced};
use std::sync::Arc;

/// An HTML or XML page without the characters XML 1.0 forbids. Journal text was cleaned when
/// it was read (with a warning); this catches what came another way (a file name, the config).
pub(super) fn xml_safe(path: &str, bytes: Vec<u8>) -> Vec<u8> {
    let markup = path.ends_with(".html") || path.ends_with(".xml");
    if !markup || !crate::text::has_forbidden(&bytes) {
        return bytes;
    }
    match String::from_utf8(bytes) {
        Ok(text) => crate::text::remove_forbidden(text).0.into_bytes(),
        Err(error) => error.into_bytes(),
    }
}

/// Decides which pages to render and hands the made ones to the sink.
pub(super) struct Writer<'w> {
    previous: Option<&'w PageKeys>,
    produced: std::sync::Mutex<Made>,
    sink: &'w dyn Sink,
}

/// The pages recorded so far, and how many of them the previous build had.
#[derive(Default)]
struct Made {
    keys: PageKeys,
    kept: usize,
}

impl<'w> Writer<'w> {
    pub(super) fn new(previous: Option<&'w PageKeys>, sink: &'w dyn Sink) -> Writer<'w> {
        let mut keys = PageKeys::default();
        // A rebuild has about as many pages as the build before: no growing on the way.
        keys.reserve(previous.map_or(0, |previous| previous.len()));
        Writer {
            previous,
            produced: std::sync::Mutex::new(Made { keys, kept: 0 }),
            sink,
        }
    }

    /// The keys of every page the site now has, and how many of the previous build's pages
    /// it no longer has.
    pub(super) fn into_produced(self) -> Produced {
        let made = self.produced.into_inner().expect("no writer panicked");
        let previous = self.previous.map_or(0, |previous| previous.len());
        Produced {
            lost: previous - made.kept,
            keys: made.keys,
        }
    }

    /// Records that the site has page `path` made from inputs `key`; true when it must be
    /// rendered (the previous build had no such page, or made it from other inputs).
    pub(super) fn wants(&self, path: &str, key: u64) -> bool {
        let mut made = self.produced.lock().expect("no writer panicked");
        self.record(&mut made, path, key)
    }

    /// `wants` for many pages at once (one lock): the places in `pages` of those to render.
    pub(super) fn wants_all(&self, pages: &[(String, u64)]) -> Vec<usize> {
        let mut made = self.produced.lock().expect("no writer panicked");
        (pages.iter().enumerate())
            .filter(|(_, (path, key))| self.record(&mut made, path, *key))
            .map(|(index, _)| index)
            .collect()
    }

    /// `wants` under the lock: the path the previous build had is shared, not made again.
    fn record(&self, made: &mut Made, path: &str, key: u64) -> bool {
        let before = self
            .previous
            .and_then(|previous| previous.get_key_value(path));
        let name = before.map_or_else(|| Arc::from(path), |(name, _)| Arc::clone(name));
        if made.keys.insert(name, key).is_none() && before.is_some() {
            made.kept += 1;
        }
        before.map(|(_, made_from)| made_from) != Some(&key)
    }

    pub(super) fn write(
        &self,
        path: &str,
        result: Result<Vec<u8>, Diagnostic>,
    ) -> Option<Diagnostic> {
        match result {
            Ok(bytes) => self
                .sink
                .write(path, &xml_safe(path, bytes))
                .err()
                .map(|error| {
                    Diagnostic::error(
                        PathBuf::from(path),
                        format!("cannot write the page: {error}"),
                    )
                    .ko(format!("페이지를 쓸 수 없습니다: {error}"))
                }),
            Err(diagnostic) => Some(diagnostic),
        }
    }

    /// Renders and writes page `path` unless the previous build made it from the same inputs.
    pub(super) fn page(
        &self,
        path: &str,
        key: u64,
        make: impl FnOnce() -> Result<Vec<u8>, Diagnostic>,
    ) -> Option<Diagnostic> {
        if self.wants(path, key) {
            self.write(path, make())
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::MemorySink;

    fn previous(paths: &[&str]) -> PageKeys {
        paths.iter().map(|path| (Arc::from(*path), 1)).collect()
    }

    #[test]
    fn a_rebuild_counts_the_pages_it_lost_and_shares_the_paths_it_kept() {
        let before = previous(&["index.html", "a/index.html", "b/index.html"]);
        let sink = MemorySink::default();
        let writer = Writer::new(Some(&before), &sink);
        assert!(
            !writer.wants("index.html", 1),
            "same inputs: not made again"
        );
        assert!(writer.wants("a/index.html", 2), "other inputs: made again");
        // The same page recorded twice is one page kept.
        assert!(writer.wants("a/index.html", 2));
        assert_eq!(writer.wants_all(&[("c/index.html".to_string(), 1)]), [0]);
        let produced = writer.into_produced();
        assert_eq!(produced.lost, 1, "b/index.html is gone");
        assert_eq!(produced.keys.len(), 3);
        let (kept, _) = produced.keys.get_key_value("index.html").unwrap();
        let (old, _) = before.get_key_value("index.html").unwrap();
        assert!(Arc::ptr_eq(kept, old));
    }

    #[test]
    fn a_first_build_loses_nothing() {
        let sink = MemorySink::default();
        let writer = Writer::new(None, &sink);
        assert!(writer.wants("index.html", 1));
        let produced = writer.into_produced();
        assert_eq!((produced.lost, produced.keys.len()), (0, 1));
    }
}
