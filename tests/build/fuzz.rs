//! Fuzzing made a habit: journals made by mutating the repository's own fixtures (the sample
//! journal and `tests/fixtures`), and raw bytes, go through the whole build (load → parse →
//! render → write) and through `haru check`. Whatever the input: no panic, no file outside the
//! output, no script or control character from the journal on a page, and every problem a
//! diagnostic naming its file.
//!
//! `cargo test` runs a bounded number of cases (`FUZZ_CASES`, 8 by default); a longer run is
//! `FUZZ_CASES=5000 cargo test --release --test build fuzz -- --nocapture`.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use haru::check::{CheckOptions, check};
use haru::{BuildOptions, build};

use super::repository;

/// The markdown files of the sample journal and the fixtures: the seed corpus.
fn seeds() -> Vec<String> {
    let mut seeds: Vec<String> = ["content", "tests/fixtures"]
        .iter()
        .flat_map(|folder| walkdir::WalkDir::new(repository().join(folder)).sort_by_file_name())
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "md"))
        .filter_map(|entry| fs::read_to_string(entry.path()).ok())
        .collect();
    assert!(seeds.len() >= 10, "the seed corpus is there");
    seeds.sort();
    seeds
}

/// Pieces that mean something to markdown, HTML, front matter, templates or paths.
const TOKENS: &[&str] = &[
    "**",
    "__",
    "*",
    "_",
    "~",
    "~~",
    "`",
    "```",
    "```rust\n",
    "~~~",
    "\n",
    "\n\n",
    "  ",
    "    ",
    "\t",
    "- ",
    "  - ",
    "1. ",
    "(1) ",
    "> ",
    "> [!note] ",
    "| a | b |\n|---|---|\n",
    "|",
    "\\",
    "&",
    "&amp;",
    "&#0;",
    "<",
    ">",
    "<style>",
    "</style>",
    "<script>alert(1)</script>",
    "<script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<div>",
    "</div>",
    "<details>",
    "<textarea>",
    "<title>",
    "<svg onload=alert(1)>",
    "<!--",
    "-->",
    "<![CDATA[",
    "[x](",
    "](../../../x)",
    "](/etc/passwd)",
    "](javascript:alert(1))",
    "![a](",
    "[[",
    "]]",
    "![[",
    "---\n",
    "+++\n",
    "title: ",
    "tags: [\"../../x\", \"..\"]\n",
    "# [2026-01-30] ",
    "## ☀️ 오늘의 목표 (Scrum)\n",
    "## 💭 오늘의 회고\n",
    "- **Keep**: ",
    "- [x] ",
    "- [ ] ",
    "3일차",
    "{{",
    "}}",
    "{%",
    "%}",
    "{% raw %}",
    "$$",
    "$",
    ":bulb:",
    "https://a.example/x",
    "www.a.example",
    "S3",
    "Lambda",
    "EC2 Auto Scaling",
    "한글",
    "**\"버킷\"**에",
    "리전~리전",
    "List<T>",
    "__init__",
    "\u{0}",
    "\u{1b}[31m",
    "\u{8}",
    "\u{feff}",
    "\u{200b}",
    "\u{fffe}",
    "e\u{301}",
    "\u{1100}\u{1161}",
    "😀",
    "\r\n",
    "\r",
];

#[derive(Clone, Debug)]
enum Mutation {
    Insert(usize, &'static str),
    InsertText(usize, String),
    Delete(usize, usize),
    Duplicate(usize, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), proptest::sample::select(TOKENS)).prop_map(|(at, token)| Mutation::Insert(at, token)),
        1 => (any::<usize>(), "\\PC{0,12}").prop_map(|(at, text)| Mutation::InsertText(at, text)),
        1 => (any::<usize>(), 0usize..200).prop_map(|(at, length)| Mutation::Delete(at, length)),
        1 => (any::<usize>(), 0usize..300, 1usize..40).prop_map(|(at, length, times)| Mutation::Duplicate(at, length, times)),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = if text.is_empty() {
        0
    } else {
        at % (text.len() + 1)
    };
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(mut text: String, mutations: &[Mutation]) -> String {
    for mutation in mutations {
        match mutation {
            Mutation::Insert(at, token) => text.insert_str(boundary(&text, *at), token),
            Mutation::InsertText(at, inserted) => text.insert_str(boundary(&text, *at), inserted),
            Mutation::Delete(at, length) => {
                let start = boundary(&text, *at);
                let end = boundary(&text, start + length).max(start);
                text.replace_range(start..end, "");
            }
            Mutation::Duplicate(at, length, times) => {
                let start = boundary(&text, *at);
                let end = boundary(&text, start + length).max(start);
                let piece = text[start..end].repeat(*times);
                text.insert_str(end, &piece);
            }
        }
    }
    text
}

/// Every path below `dir`, to compare before and after.
fn paths_under(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|entry| entry.path().to_path_buf())
        .collect();
    paths.sort();
    paths
}

/// Whether a tag on the page carries an `on…=` attribute, or a link or source to a
/// `javascript:` URL. Attributes are read as the browser reads them: `title="&lt;svg
/// onload=…&gt;"` and `<code>&lt;a href="javascript:…"</code>` are text.
fn has_event_handler(page: &str) -> bool {
    page.split('<').skip(1).any(|rest| {
        let bytes = rest.as_bytes();
        if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
            return false;
        }
        let end = |at: usize, stop: &dyn Fn(u8) -> bool| {
            bytes[at..]
                .iter()
                .position(|&b| stop(b))
                .map_or(bytes.len(), |found| at + found)
        };
        let mut at = end(0, &|b| b.is_ascii_whitespace() || b == b'>' || b == b'/');
        while at < bytes.len() && bytes[at] != b'>' {
            if bytes[at].is_ascii_whitespace() || bytes[at] == b'/' {
                at += 1;
                continue;
            }
            let name_end = end(at, &|b| {
                b.is_ascii_whitespace() || matches!(b, b'=' | b'>' | b'/')
            });
            let name = rest[at..name_end].to_ascii_lowercase();
            at = name_end;
            if name.len() > 2 && name.starts_with("on") {
                return true;
            }
            if name.is_empty() {
                at += 1;
                continue;
            }
            if bytes.get(at) != Some(&b'=') {
                continue;
            }
            at += 1;
            // (start, end) of the value, and where the tag goes on after it.
            let (value_start, value_end, next) = match bytes.get(at) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let close = end(at + 1, &|b| b == quote);
                    (at + 1, close, close + 1)
                }
                _ => {
                    let stop = end(at, &|b| b.is_ascii_whitespace() || b == b'>');
                    (at, stop, stop)
                }
            };
            let value = rest[value_start..value_end].trim().to_ascii_lowercase();
            let is_url = matches!(
                name.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href"
            );
            if is_url && (value.starts_with("javascript:") || value.starts_with("vbscript:")) {
                return true;
            }
            at = next.min(bytes.len());
        }
        false
    })
}

#[test]
fn event_handlers_are_told_from_text_that_names_them() {
    assert!(has_event_handler("<p><img src=x onerror=alert(1)></p>"));
    assert!(has_event_handler("<svg/onload=alert(1)>"));
    assert!(has_event_handler("<a href='x' ONCLICK=\"y\">"));
    assert!(!has_event_handler(
        "<a title=\"3&lt;svg onload=alert(1)&gt;\">30</a>"
    ));
    assert!(!has_event_handler("<p>&lt;img onerror=alert(1)&gt;</p>"));
    assert!(!has_event_handler("<a href=\"/x\" data-one=\"1\">"));
    assert!(has_event_handler("<a href=\" JavaScript:alert(1)\">x</a>"));
    assert!(!has_event_handler(
        "<code>&lt;a href=\"javascript:alert(1)\"&gt;</code>"
    ));
}

/// Builds and checks one journal of `files`, asserting what must hold for any input.
fn build_and_check(files: &[(&str, &[u8])]) -> Result<(), TestCaseError> {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    if run % 250 == 0 {
        eprintln!("fuzz: {run} journals built and checked");
    }
    let sandbox = tempfile::tempdir().unwrap();
    let root = sandbox.path().join("journal");
    for (path, bytes) in files {
        let target = root.join("content").join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, bytes).unwrap();
    }
    let before = paths_under(sandbox.path());
    let output = root.join("public");
    let result = build(&BuildOptions {
        root: root.clone(),
        output: Some(output.clone()),
        no_cache: true,
        ..BuildOptions::default()
    });
    let outside: Vec<PathBuf> = paths_under(sandbox.path())
        .into_iter()
        .filter(|path| !path.starts_with(&output))
        .collect();
    prop_assert_eq!(&outside, &before, "a build wrote outside the output");
    match result {
        Ok(_) => {
            for path in paths_under(&output) {
                let name = path.to_string_lossy();
                if !(name.ends_with(".html") || name.ends_with(".xml")) {
                    continue;
                }
                let page = fs::read_to_string(&path).unwrap();
                // haru's own scripts are loaded by `src=`, but for the theme choice read in
                // <head>; the journal's never reach the page.
                let scripts = page.matches("<script").count();
                let own = page.matches("<script src=").count()
                    + page
                        .matches("<script>try{var theme=localStorage.getItem(\"haru-theme\")")
                        .count();
                prop_assert!(scripts <= own, "{} has a script from the journal", name);
                prop_assert!(
                    !has_event_handler(&page),
                    "{}: an event handler or a javascript: link",
                    name
                );
                prop_assert!(
                    !page
                        .chars()
                        .any(|c| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}'),
                    "{} holds a control character",
                    name
                );
            }
        }
        Err(diagnostics) => {
            for diagnostic in diagnostics.errors() {
                prop_assert!(
                    diagnostic.path.is_some(),
                    "an error names no file: {}",
                    diagnostic
                );
            }
        }
    }
    let found = check(&CheckOptions {
        root: &root,
        paths: &[],
        external: None,
        selection: haru::check::Selection {
            notes: true,
            ..Default::default()
        },
    });
    if let Ok(found) = found.map(|report| report.findings) {
        prop_assert!(
            found.len() <= 201 * files.len() + 10,
            "{} findings",
            found.len()
        );
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(8)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn fuzz_mutated_fixtures_through_build_and_check() {
    let seeds = seeds();
    let strategy = (
        0..seeds.len(),
        proptest::collection::vec(mutation(), 1..12),
        proptest::sample::select(
            &[
                "2026-01-30.md",
                "TIL/AWS/2026.01.30.md",
                "_posts/2025-08-22-slug.md",
                "README.md",
                "notes/노트.md",
            ][..],
        ),
    );
    runner()
        .run(&strategy, |(seed, mutations, name)| {
            let text = apply(seeds[seed].clone(), &mutations);
            build_and_check(&[
                (name, text.as_bytes()),
                ("2026-01-31.md", seeds[0].as_bytes()),
            ])
        })
        .unwrap();
}

#[test]
fn fuzz_raw_bytes_through_build_and_check() {
    let strategy = proptest::collection::vec(any::<u8>(), 0..2048);
    runner()
        .run(&strategy, |bytes| {
            build_and_check(&[("2026-01-30.md", &bytes)])
        })
        .unwrap();
}
