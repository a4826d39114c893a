//! Which pages a render makes: a page is written when the previous build had none at its path
//! or made it from other inputs, and every page written is cleaned of what XML forbids.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::render::input::Sink;
use crate::render::keys::PageKeys;

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
    produced: std::sync::Mutex<PageKeys>,
    sink: &'w dyn Sink,
}

impl<'w> Writer<'w> {
    pub(super) fn new(previous: Option<&'w PageKeys>, sink: &'w dyn Sink) -> Writer<'w> {
        Writer {
            previous,
            produced: Default::default(),
            sink,
        }
    }

    /// The keys of every page the site now has.
    pub(super) fn into_produced(self) -> PageKeys {
        self.produced.into_inner().expect("no writer panicked")
    }

    /// Records that the site has page `path` made from inputs `key`; true when it must be
    /// rendered (the previous build had no such page, or made it from other inputs).
    pub(super) fn wants(&self, path: &str, key: u64) -> bool {
        self.produced
            .lock()
            .expect("no writer panicked")
            .insert(path.to_string(), key);
        self.previous.and_then(|previous| previous.get(path)) != Some(&key)
    }

    /// `wants` for many pages at once (one lock): the places in `pages` of those to render.
    pub(super) fn wants_all(&self, pages: &[(String, u64)]) -> Vec<usize> {
        let mut produced = self.produced.lock().expect("no writer panicked");
        produced.reserve(pages.len());
        let mut wanted = Vec::new();
        for (index, (path, key)) in pages.iter().enumerate() {
            produced.insert(path.clone(), *key);
            if self.previous.and_then(|previous| previous.get(path)) != Some(key) {
                wanted.push(index);
            }
        }
        wanted
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
