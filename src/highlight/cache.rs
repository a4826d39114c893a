//! Highlighted code kept between builds: highlighting is the largest single stage of a build
//! (syntect's grammars run a regex per token), and most code blocks are the same from one
//! build to the next. A journal's blocks are kept in one file in the cache folder
//! (`highlight/JOURNAL.bin`), read when the build starts and written again at the end of a
//! full build with just the blocks that build used, so it never grows past the journal.
//!
//! A kept block is used only when its grammar and its code are exactly those asked for (the
//! code is kept beside the HTML and compared), and a file written by another version of haru
//! is ignored: a cache can make a build faster but never change what it writes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// What a file starts with: a file of another version is not read.
const HEADER: &str = concat!("haru highlight cache ", env!("CARGO_PKG_VERSION"), "\n");

type Index = HashMap<u64, usize, foldhash::fast::FixedState>;

/// One highlighted block: its grammar's name, its code and the HTML syntect made of it.
struct Block {
    syntax: Box<str>,
    code: Box<str>,
    html: Box<str>,
}

fn key(syntax: &str, code: &str) -> u64 {
    crate::model::fingerprint(&(syntax, code))
}

/// The blocks read from a file: its text, whole (one allocation, however many blocks), and
/// where each block's three parts are in it.
#[derive(Default)]
struct Kept {
    text: String,
    blocks: Vec<[std::ops::Range<usize>; 3]>,
}

impl Kept {
    fn parts(&self, place: usize) -> [&str; 3] {
        self.blocks[place].clone().map(|range| &self.text[range])
    }
}

/// The blocks a build may reuse, and those it made.
#[derive(Default)]
pub(crate) struct CodeCache {
    /// Where the blocks are kept; `None` when nothing is kept.
    file: Option<PathBuf>,
    /// The blocks read from the file, by key; each with whether this build used it.
    kept: Kept,
    kept_index: Index,
    used: Vec<AtomicBool>,
    /// The blocks highlighted since the file was read.
    made: Mutex<(Vec<Block>, Index)>,
}

impl CodeCache {
    /// The cache kept in `file`, read now; an unreadable or foreign file is an empty cache.
    pub(crate) fn open(file: PathBuf) -> CodeCache {
        let kept = std::fs::read(&file)
            .ok()
            .and_then(decode)
            .unwrap_or_default();
        let kept_index = (0..kept.blocks.len())
            .map(|place| {
                let [syntax, code, _] = kept.parts(place);
                (key(syntax, code), place)
            })
            .collect();
        CodeCache {
            used: kept.blocks.iter().map(|_| AtomicBool::new(false)).collect(),
            file: Some(file),
            kept,
            kept_index,
            made: Mutex::default(),
        }
    }

    /// The HTML of `code` in the grammar `syntax`, from the cache or made by `highlight`.
    pub(crate) fn get_or_make(
        &self,
        syntax: &str,
        code: &str,
        highlight: impl FnOnce() -> String,
    ) -> Cow<'_, str> {
        if self.file.is_none() {
            return Cow::Owned(highlight());
        }
        let key = key(syntax, code);
        if let Some(&place) = self.kept_index.get(&key) {
            let [kept_syntax, kept_code, html] = self.kept.parts(place);
            if kept_syntax == syntax && kept_code == code {
                self.used[place].store(true, Ordering::Relaxed);
                return Cow::Borrowed(html);
            }
        }
        {
            let made = self.made.lock().expect("no highlighter panicked");
            if let Some(&place) = made.1.get(&key) {
                let block = &made.0[place];
                if &*block.syntax == syntax && &*block.code == code {
                    return Cow::Owned(block.html.to_string());
                }
            }
        }
        let html = highlight();
        let mut made = self.made.lock().expect("no highlighter panicked");
        if made.1.contains_key(&key) {
            // Another thread made the same block meanwhile (or one with the same key).
            return Cow::Owned(html);
        }
        let place = made.0.len();
        made.0.push(Block {
            syntax: syntax.into(),
            code: code.into(),
            html: html.as_str().into(),
        });
        made.1.insert(key, place);
        Cow::Owned(html)
    }

    /// How many kept blocks this build reused and how many it highlighted.
    pub(crate) fn counts(&self) -> (usize, usize) {
        let reused = self
            .used
            .iter()
            .filter(|used| used.load(Ordering::Relaxed))
            .count();
        (
            reused,
            self.made.lock().expect("no highlighter panicked").0.len(),
        )
    }

    /// Writes the blocks this build used (kept and made) to the cache file, if it made any
    /// or left some unused; a cache that cannot be written is simply not kept.
    pub(crate) fn save(&self) {
        let Some(file) = &self.file else { return };
        let (reused, _) = self.counts();
        let made = self.made.lock().expect("no highlighter panicked");
        if made.0.is_empty() && reused == self.kept.blocks.len() {
            return;
        }
        let used = (0..self.kept.blocks.len())
            .filter(|&place| self.used[place].load(Ordering::Relaxed))
            .map(|place| self.kept.parts(place));
        let made_parts = made
            .0
            .iter()
            .map(|block| [&*block.syntax, &*block.code, &*block.html]);
        let bytes = encode(used.chain(made_parts));
        let _ = write_atomically(file, &bytes);
    }
}

/// The file: the header, then each block as three strings, each after its length in 16 hex
/// digits, so the whole file is UTF-8 and is checked as such once.
fn encode<'a>(blocks: impl Iterator<Item = [&'a str; 3]>) -> Vec<u8> {
    let mut text = String::from(HEADER);
    for parts in blocks {
        for part in parts {
            text.push_str(&format!("{:016x}", part.len()));
            text.push_str(part);
        }
    }
    text.into_bytes()
}

/// The blocks of a file `encode` wrote, or `None` for any other file.
fn decode(bytes: Vec<u8>) -> Option<Kept> {
    let text = String::from_utf8(bytes).ok()?;
    let mut at = HEADER.len();
    if !text.starts_with(HEADER) {
        return None;
    }
    let mut part = || -> Option<std::ops::Range<usize>> {
        let length = usize::from_str_radix(text.get(at..at + 16)?, 16).ok()?;
        let start = at + 16;
        let end = start.checked_add(length)?;
        text.get(start..end)?;
        at = end;
        Some(start..end)
    };
    let mut blocks = Vec::new();
    while let Some(syntax) = part() {
        blocks.push([syntax, part()?, part()?]);
    }
    (at == text.len()).then_some(Kept { text, blocks })
}

/// Writes `bytes` to `file` through a temporary file beside it, so a build that reads the
/// cache while another writes it sees the old file or the new one, never half of one.
fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    std::io::Write::write_all(&mut temporary, bytes)?;
    temporary.persist(file).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache_in(dir: &tempfile::TempDir) -> CodeCache {
        CodeCache::open(dir.path().join("highlight").join("journal.bin"))
    }

    #[test]
    fn a_block_highlighted_once_is_reused_by_the_next_build_and_only_for_the_same_code() {
        let dir = tempfile::tempdir().unwrap();
        let first = cache_in(&dir);
        assert_eq!(
            first.get_or_make("Rust", "fn a() {}\n", || "<a>".into()),
            "<a>"
        );
        assert_eq!(first.get_or_make("YAML", "a: 1\n", || "<y>".into()), "<y>");
        // The same block twice in one build is highlighted once.
        assert_eq!(first.get_or_make("Rust", "fn a() {}\n", || panic!()), "<a>");
        assert_eq!(first.counts(), (0, 2));
        first.save();

        let second = cache_in(&dir);
        assert_eq!(
            second.get_or_make("Rust", "fn a() {}\n", || panic!()),
            "<a>"
        );
        // Other code, or the same code in another grammar, is highlighted afresh.
        assert_eq!(
            second.get_or_make("Rust", "fn b() {}\n", || "<b>".into()),
            "<b>"
        );
        assert_eq!(
            second.get_or_make("Python", "a: 1\n", || "<p>".into()),
            "<p>"
        );
        assert_eq!(second.counts(), (1, 2));
        second.save();

        // The YAML block went unused, so the file no longer keeps it.
        let third = cache_in(&dir);
        assert_eq!(third.kept.blocks.len(), 3);
        assert_eq!(
            third.get_or_make("YAML", "a: 1\n", || "<new>".into()),
            "<new>"
        );
    }

    #[test]
    fn a_kept_block_of_any_length_is_read_back() {
        // The lengths were once written as raw bytes, which made every file with a part of
        // 128 bytes or more invalid UTF-8 and so an empty cache: a 10,000-entry journal
        // highlighted everything again on every build.
        let dir = tempfile::tempdir().unwrap();
        let first = cache_in(&dir);
        let long = "가".repeat(1000);
        for length in [0, 1, 127, 128, 255, 256, 3000] {
            let code = "x".repeat(length);
            first.get_or_make("Rust", &code, || long.clone());
        }
        first.save();
        let second = cache_in(&dir);
        assert_eq!(second.kept.blocks.len(), 7);
        for length in [0, 1, 127, 128, 255, 256, 3000] {
            let code = "x".repeat(length);
            assert_eq!(
                second.get_or_make("Rust", &code, || panic!("{length}")),
                long
            );
        }
    }

    #[test]
    fn a_file_of_another_version_or_cut_short_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let first = cache_in(&dir);
        first.get_or_make("Rust", "fn a() {}\n", || "<a>".into());
        first.save();
        let file = dir.path().join("highlight").join("journal.bin");
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 1]).unwrap();
        assert!(cache_in(&dir).kept.blocks.is_empty());
        let other = String::from_utf8(bytes.clone()).unwrap().replacen(
            env!("CARGO_PKG_VERSION"),
            "0.0.0-other",
            1,
        );
        std::fs::write(&file, other).unwrap();
        assert!(cache_in(&dir).kept.blocks.is_empty());
        std::fs::write(&file, &bytes).unwrap();
        assert_eq!(cache_in(&dir).kept.blocks.len(), 1);
    }
}
