//! GitHub parity: every file of `../shared/corpus` and of our fixtures, rendered by GitHub's
//! own renderer (cmark-gfm through Python's `cmarkgfm`) and by haru. What GitHub shows must be
//! on haru's page, and haru may leave no more literal `*`, `_`, `:shortcode:` or unlinked URLs
//! than GitHub does. Where haru differs on purpose, the difference is named by its rule.
//! The totals are printed and written to `target/github-parity.txt`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use std::process::{Command, Stdio};

use super::{fixture, percent_decode, read, repository, shared_corpus};

/// GitHub's HTML of each file (front matter left out: GitHub shows it as a table, haru as
/// the page's facts), or `None` when Python's `cmarkgfm` is not installed.
fn github_html(files: &[PathBuf]) -> Option<Vec<String>> {
    const SCRIPT: &str = r#"
import json, sys
try:
    import cmarkgfm
except ImportError:
    sys.exit(3)
out = []
for path in json.load(sys.stdin):
    text = open(path, encoding="utf-8", errors="replace").read().replace("\r\n", "\n")
    for fence in ("---", "+++"):
        if text.startswith(fence + "\n"):
            end = text.find("\n" + fence + "\n", len(fence))
            if end != -1:
                text = text[end + len(fence) + 2:]
    out.append(cmarkgfm.github_flavored_markdown_to_html(text))
json.dump(out, sys.stdout)
"#;
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    serde_json::to_writer(child.stdin.take().unwrap(), &paths).unwrap();
    let output = child.wait_with_output().unwrap();
    if output.status.code() == Some(3) {
        return None;
    }
    assert!(output.status.success(), "the GitHub renderer failed");
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

/// What a reader sees of some HTML: its text, a space at every tag, entities decoded.
/// `skip` names elements whose text is left out (`a` for unlinked text, `code` for prose).
fn visible(html: &str, skip: &[&str]) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    let mut skipping: Vec<String> = Vec::new();
    while let Some(open) = rest.find('<') {
        if skipping.is_empty() {
            text.push_str(&decode(&rest[..open]));
        }
        if rest[open..].starts_with("<!--") {
            let end = rest[open..]
                .find("-->")
                .map_or(rest.len(), |at| open + at + 3);
            rest = &rest[end..];
            continue;
        }
        let end = rest[open..]
            .find('>')
            .map_or(rest.len(), |at| open + at + 1);
        let tag = &rest[open + 1..end.saturating_sub(1)];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let hidden = ["script", "style", "template"].contains(&name.as_str());
        if skip.contains(&name.as_str()) || hidden {
            if closing {
                if skipping.last() == Some(&name) {
                    skipping.pop();
                }
            } else if !tag.ends_with('/') {
                skipping.push(name);
            }
        }
        text.push(' ');
        rest = &rest[end..];
    }
    if skipping.is_empty() {
        text.push_str(&decode(rest));
    }
    text
}

fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let end = tail.find(';').filter(|&end| end <= 10);
        let decoded = end.and_then(|end| {
            let entity = &tail[1..end];
            match entity {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "nbsp" => Some(' '),
                _ if entity.starts_with("#x") || entity.starts_with("#X") => {
                    u32::from_str_radix(&entity[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if entity.starts_with('#') => entity[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            }
        });
        match (decoded, end) {
            (Some(character), Some(end)) => {
                out.push(character);
                rest = &tail[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The words of a text worth comparing: runs of letters and digits with a letter in them,
/// two characters or more (dates and list numbers are shown otherwise by design).
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().count() >= 2 && word.chars().any(char::is_alphabetic))
        .collect()
}

/// Literal markup a reader sees in prose (code and links left out).
#[derive(Default, Debug, Clone, Copy)]
struct Literals {
    stars: usize,
    underscores: usize,
    shortcodes: usize,
    bare_urls: usize,
}

fn literals(html: &str) -> Literals {
    let prose = visible(html, &["code", "pre", "a"]);
    let shortcodes = prose
        .split(':')
        .skip(1)
        .zip(prose.split(':').skip(2))
        .filter(|(name, _)| {
            !name.is_empty()
                && name.len() < 40
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
        .count();
    Literals {
        stars: prose.matches('*').count(),
        underscores: prose.matches('_').count(),
        shortcodes,
        bare_urls: prose.matches("http://").count()
            + prose.matches("https://").count()
            + prose.matches("www.").count(),
    }
}

/// The journals compared: each corpus journal and each fixture.
fn journals() -> Vec<(String, PathBuf)> {
    let mut journals: Vec<(String, PathBuf)> = Vec::new();
    if let Some(corpus) = shared_corpus() {
        for entry in fs::read_dir(&corpus).unwrap().filter_map(Result::ok) {
            if entry.path().is_dir() {
                journals.push((entry.file_name().to_string_lossy().into(), entry.path()));
            }
        }
    }
    for name in [
        "adopted",
        "jekyll-blog",
        "obsidian-vault",
        "class-notes",
        "cohort",
    ] {
        journals.push((format!("fixture {name}"), fixture(name)));
    }
    journals.sort();
    journals
}

/// What one file lost or kept, against GitHub.
#[derive(Default)]
struct Tally {
    files: usize,
    words: usize,
    lost: Vec<String>,
    /// Words not on haru's page for a reason haru gives, by rule.
    intended: BTreeMap<&'static str, usize>,
    more_literals: Vec<String>,
    github: [usize; 4],
    haru: [usize; 4],
}

#[test]
fn github_parity_nothing_github_shows_is_lost() {
    let journals = journals();
    let mut tally = Tally::default();
    for (name, journal) in &journals {
        let temp = tempfile::tempdir().unwrap();
        super::incremental::copy_tree(journal, &temp.path().join("content"));
        let content = temp.path().join("content");
        let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .filter(|entry| {
                let name = entry.file_name().to_string_lossy();
                !name.starts_with('.') && haru::load::is_markdown_name(&name)
            })
            .map(|entry| entry.into_path())
            .collect();
        let Some(github) = github_html(&files) else {
            eprintln!(
                "SKIPPED: Python's cmarkgfm is not installed (pip install cmarkgfm); the GitHub parity test compared nothing"
            );
            return;
        };
        haru::build(&haru::BuildOptions {
            root: temp.path().to_path_buf(),
            drafts: true,
            no_cache: true,
            ..haru::BuildOptions::default()
        })
        .unwrap_or_else(|d| panic!("{name} must build:\n{d}"));
        let values = haru::inspect(temp.path(), &files).unwrap_or_else(|d| panic!("{d}"));
        for (github, value) in github.iter().zip(&values) {
            compare(name, github, value, temp.path(), &mut tally);
        }
    }
    let report = format!(
        "GitHub parity over {} files of {} journals: {} words GitHub shows, {} lost; \
         left out on purpose: {:?}; literal * _ :code: URLs, GitHub {:?}, haru {:?}; \
         files where haru shows more literals: {}",
        tally.files,
        journals.len(),
        tally.words,
        tally.lost.len(),
        tally.intended,
        tally.github,
        tally.haru,
        tally.more_literals.len()
    );
    eprintln!("{report}");
    let _ = fs::write(
        repository().join("target/github-parity.txt"),
        format!("{report}\n"),
    );
    assert!(
        tally.lost.is_empty(),
        "{} words GitHub shows are not on haru's page:\n{}",
        tally.lost.len(),
        tally.lost[..tally.lost.len().min(40)].join("\n")
    );
    assert!(
        tally.more_literals.is_empty(),
        "haru shows more literal markup than GitHub:\n{}",
        tally.more_literals.join("\n")
    );
}

fn compare(journal: &str, github: &str, value: &serde_json::Value, root: &Path, tally: &mut Tally) {
    tally.files += 1;
    let shown = visible(github, &[]);
    let github_words: Vec<String> = words(&shown).into_iter().map(str::to_string).collect();
    tally.words += github_words.len();
    let source = value["source"].as_str().unwrap_or("");
    if value["published"] == false {
        *tally.intended.entry("blank-entry").or_default() += github_words.len();
        return;
    }
    let url = value["url"].as_str().expect("a published entry has a URL");
    let page = read(
        root.join("public")
            .join(percent_decode(url.trim_start_matches('/')))
            .join("index.html"),
    );
    let article =
        &page[page.find("<article").unwrap_or(0)..page.rfind("</article>").unwrap_or(page.len())];
    let haru_text = visible(article, &[]);
    // The same text without a space at each tag: `<a>…com</a>에` reads `…com에`.
    let haru_joined = visible_joined(article);
    // Sections haru hides because they hold only the template's empty labels.
    let hidden: Vec<String> = value["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|section| section["is_empty"] == true)
        .filter_map(|section| section["heading"].as_str())
        .map(str::to_string)
        .collect();
    let hidden_words = hidden_section_words(github, &hidden);
    let meant = intended_spans(&shown);
    for word in github_words {
        if haru_text.contains(&word) || haru_joined.contains(&word) {
            continue;
        }
        if hidden_words.contains(&word) {
            *tally.intended.entry("empty-section").or_default() += 1;
            continue;
        }
        if let Some((rule, _)) = meant
            .iter()
            .find(|(_, span)| words(span).contains(&word.as_str()))
        {
            *tally.intended.entry(rule).or_default() += 1;
            continue;
        }
        tally.lost.push(format!("{journal}: {source}: `{word}`"));
    }
    // The header repeats the title, which may be a heading the body still shows.
    let body = match (article.find("<header"), article.find("</header>")) {
        (Some(start), Some(end)) => format!("{}{}", &article[..start], &article[end..]),
        _ => article.to_string(),
    };
    let (theirs, ours) = (literals(github), literals(&body));
    let pairs = [
        (theirs.stars, ours.stars),
        (theirs.underscores, ours.underscores),
        (theirs.shortcodes, ours.shortcodes),
        (theirs.bare_urls, ours.bare_urls),
    ];
    for (index, (github_count, haru_count)) in pairs.iter().enumerate() {
        tally.github[index] += github_count;
        tally.haru[index] += haru_count;
    }
    if ours.stars > theirs.stars
        || ours.shortcodes > theirs.shortcodes
        || ours.bare_urls > theirs.bare_urls
        || ours.underscores > theirs.underscores + 4 * dunders(&body)
    {
        tally.more_literals.push(format!(
            "{journal}: {source}: GitHub {theirs:?}, haru {ours:?}"
        ));
    }
}

/// `__init__`-style names in haru's prose: GitHub shows them as bold words, haru as names.
fn dunders(html: &str) -> usize {
    let prose = visible(html, &["code", "pre", "a"]);
    let bytes = prose.as_bytes();
    let mut count = 0;
    let mut at = 0;
    while let Some(found) = prose[at..].find("__").map(|found| at + found) {
        let name_end = bytes[found + 2..]
            .iter()
            .position(|b| !(b.is_ascii_lowercase() || b.is_ascii_digit()))
            .map_or(bytes.len(), |end| found + 2 + end);
        if name_end > found + 2 && prose[name_end..].starts_with("__") {
            count += 1;
            at = name_end + 2;
        } else {
            at = found + 2;
        }
    }
    count
}

/// The visible text with nothing put where tags were.
fn visible_joined(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&decode(&rest[..open]));
        let end = rest[open..]
            .find('>')
            .map_or(rest.len(), |at| open + at + 1);
        rest = &rest[end..];
    }
    text.push_str(&decode(rest));
    text
}

/// Spans of GitHub's text that haru shows otherwise on purpose, each with its rule's name:
/// what remains of them on haru's page is checked by that rule's own tests.
fn intended_spans(github_text: &str) -> Vec<(&'static str, String)> {
    let mut spans = Vec::new();
    let mut push_between = |rule: &'static str, open: &str, close: &str| {
        let mut rest = github_text;
        while let Some(start) = rest.find(open) {
            let after = &rest[start + open.len()..];
            let Some(end) = after.find(close) else { break };
            spans.push((rule, after[..end].to_string()));
            rest = &after[end + close.len()..];
        }
    };
    // Obsidian's `[!note]` markers and `[[links]]`, Jekyll's `{{ site.baseurl }}` and `{% raw %}`.
    push_between("callout", "[!", "]");
    push_between("wikilink", "[[", "]]");
    push_between("jekyll-liquid", "{{", "}}");
    push_between("jekyll-liquid", "{%", "%}");
    push_between("jekyll-liquid", "![", ")");
    // `:bulb:` is an emoji on GitHub's site; cmark-gfm alone leaves the code.
    let bytes = github_text.as_bytes();
    for (colon, _) in github_text.match_indices(':') {
        let name_end = bytes[colon + 1..]
            .iter()
            .position(|b| !(b.is_ascii_lowercase() || b.is_ascii_digit() || b"_+-".contains(b)))
            .map_or(bytes.len(), |end| colon + 1 + end);
        if name_end > colon + 1 && bytes.get(name_end) == Some(&b':') {
            spans.push((
                "emoji-shortcode",
                github_text[colon + 1..name_end].to_string(),
            ));
        }
    }
    // `# [2026-01-05 TIL]`: beside a date, "TIL" says nothing and leaves the title.
    if let Some(title) = github_text
        .split_whitespace()
        .take(6)
        .find(|word| word.eq_ignore_ascii_case("til]") || word.eq_ignore_ascii_case("til"))
    {
        spans.push(("title-date", title.to_string()));
    }
    for placeholder in ["YYYY-MM-DD", "제목을 적어주세요"] {
        if github_text.contains(placeholder) {
            spans.push(("placeholder-title", placeholder.to_string()));
        }
    }
    spans
}

/// The words of GitHub's sections whose headings haru hides as empty.
fn hidden_section_words(github: &str, hidden: &[String]) -> Vec<String> {
    let github = decode(github);
    let github = github.as_str();
    let mut found = Vec::new();
    for heading in hidden {
        let Some(start) = github.find(heading.as_str()) else {
            continue;
        };
        let after = &github[start..];
        let end = after[heading.len()..]
            .find("<h")
            .map_or(after.len(), |end| heading.len() + end);
        found.extend(
            words(&visible(&after[..end], &[]))
                .into_iter()
                .map(str::to_string),
        );
    }
    found
}
