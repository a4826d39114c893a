//! `haru check`: what a journal's reader would trip over, found before it is published.
//!
//! Every file is read and parsed exactly as `haru build` does (its errors and warnings are
//! findings too), then each rule looks at the source: dates that disagree or repeat, template
//! text never filled in, links, anchors and images that lead nowhere, and markdown that GitHub
//! renders unlike what its author meant (emphasis next to Hangul left as `**`, `~` ranges struck
//! through, `<word>` placeholders swallowed as HTML). A finding has a rule name, a place
//! (file:line:column) and a hint; `render` prints them like a compiler, `json` for tools.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag};
use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity, display_path};
use crate::engine;
use crate::load::{self, LoadOptions};
use crate::model::{EntryKind, SectionKind};
use crate::parse::Parsed;
use crate::{markdown, site, slug};

pub struct CheckOptions<'a> {
    /// The journal's root (where `haru.toml` is).
    pub root: &'a Path,
    /// Files or folders to report on; empty: the whole journal. Links are checked against the
    /// whole journal either way.
    pub paths: &'a [PathBuf],
    /// Also ask every `http(s)://` link's server whether the page is there.
    pub external: Option<External>,
}

/// How external links are asked after.
#[derive(Clone, Copy, Debug)]
pub struct External {
    /// How long one request may take, redirects included.
    pub timeout: std::time::Duration,
    /// At most this many requests to one host at a time.
    pub per_host: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's name, e.g. `date-mismatch`.
    pub rule: &'static str,
    pub severity: Severity,
    /// As shown to the user (relative to the root).
    pub path: PathBuf,
    /// 1-based; 0 when the finding is about the whole file.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The source line, or a window of it around the column on a long line, for the marker.
    #[serde(skip)]
    pub source: String,
    /// Where the marker goes in `source`, in characters.
    #[serde(skip)]
    pub marker: usize,
}

/// At most this many findings are listed for one line, and for one file: a 5 MB line of
/// broken links must give a readable report, not gigabytes.
const MOST_PER_LINE: usize = 10;
const MOST_PER_FILE: usize = 200;

/// How many characters of a long source line are shown on each side of the column.
const SNIPPET_SIDE: usize = 60;

/// An `http(s)` URL and the finding it becomes where it is linked, if its server fails.
type ExternalLink = (String, Finding);

/// One file as the rules see it.
struct Checked<'a> {
    relative: &'a str,
    shown: PathBuf,
    text: &'a str,
    /// Byte offsets of the text's line starts: a finding's line is a binary search away.
    line_starts: Vec<usize>,
    /// The last column counted, as (offset, characters since its line's start): rules place
    /// findings in text order, so counting goes on from there instead of from the line's start
    /// (on one 5 MB line, counting from the start for each finding never ends).
    last_column: std::sync::Mutex<(usize, usize)>,
    /// Where the markdown body starts in `text` (after front matter).
    body_start: usize,
    parsed: &'a Parsed,
}

impl Checked<'_> {
    fn at(
        &self,
        rule: &'static str,
        severity: Severity,
        offset: usize,
        message: String,
        hint: &str,
    ) -> Finding {
        let offset = floor_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let line_end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        let column = {
            let mut last = self.last_column.lock().expect("no rule panicked");
            let (from, counted) = if last.0 >= line_start && last.0 <= offset {
                *last
            } else {
                (line_start, 0)
            };
            let characters = counted + count_characters(&self.text[from..offset]);
            *last = (offset, characters);
            characters + 1
        };
        let (source, marker) = snippet(&self.text[line_start..line_end], offset - line_start);
        Finding {
            rule,
            severity,
            path: self.shown.clone(),
            line,
            column,
            message,
            hint: Some(hint.to_string()),
            source,
            marker,
        }
    }

    fn at_line(
        &self,
        rule: &'static str,
        severity: Severity,
        line: usize,
        message: String,
        hint: &str,
    ) -> Finding {
        let offset = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        self.at(rule, severity, offset, message, hint)
    }
}

/// Runs every rule over the journal. Errors that stop the journal from being read at all
/// (a broken `haru.toml`) come back as `Err`.
pub fn check(options: &CheckOptions) -> Result<Vec<Finding>, Diagnostics> {
    let journal =
        engine::open_journal(options.root, None, None).map_err(|d| Diagnostics(vec![d]))?;
    let output = options.root.join("public");
    let reserved: &[&str] = if engine::same_path(&journal.content, options.root) {
        &["templates", "static", "public"]
    } else {
        &[]
    };
    let (loaded, load_problems) = load::load(&LoadOptions {
        content: &journal.content,
        output: &output,
        drafts: true,
        reserved,
        display_base: options.root,
    });
    let relative: Vec<String> = loaded.sources.iter().map(|s| s.relative.clone()).collect();
    let prefix = engine::display_prefix(&journal.content, options.root);
    let files = engine::parse_sources(&journal, options.root, &loaded.sources);

    let mut findings: Vec<Finding> = load_problems.iter().map(from_diagnostic).collect();
    let mut checked = Vec::new();
    for result in &files {
        match result {
            Ok((file, parsed)) => {
                let body_start = match crate::frontmatter::split(&file.text) {
                    Ok((_, body)) if file.text.ends_with(body.as_str()) => {
                        file.text.len() - body.len()
                    }
                    _ => 0,
                };
                checked.push(Checked {
                    relative: &file.relative,
                    shown: PathBuf::from(format!("{prefix}{}", file.relative)),
                    text: &file.text,
                    line_starts: line_starts(&file.text),
                    last_column: Default::default(),
                    body_start,
                    parsed,
                });
            }
            Err(diagnostic) => findings.push(from_diagnostic(diagnostic)),
        }
    }
    // What the build would report: parse errors and warnings, and those of the whole site.
    for file in &checked {
        let mut reported = Vec::new();
        for diagnostic in &file.parsed.diagnostics {
            reported.push(match diagnostic.line {
                Some(line) => Finding {
                    rule: "build",
                    ..file.at_line(
                        "build",
                        diagnostic.severity,
                        line,
                        diagnostic.message.clone(),
                        diagnostic.hint.as_deref().unwrap_or(""),
                    )
                },
                None => from_diagnostic(diagnostic),
            });
        }
        findings.extend(cap(reported, &file.shown));
    }
    let ordered: Vec<&Parsed> = checked.iter().map(|file| file.parsed).collect();
    let mut site_problems = Vec::new();
    site::assemble(
        &ordered,
        true,
        &prefix,
        &journal.catalogue,
        &mut site_problems,
    );
    // Parse diagnostics were reported above; keep the site's own (e.g. the 7-digit date).
    let parse_messages: HashSet<(Option<PathBuf>, String)> = checked
        .iter()
        .flat_map(|file| file.parsed.diagnostics.iter())
        .map(|d| (d.path.clone(), d.message.clone()))
        .collect();
    findings.extend(
        site_problems
            .iter()
            .filter(|d| !parse_messages.contains(&(d.path.clone(), d.message.clone())))
            .map(from_diagnostic),
    );

    let anchors: HashMap<&str, HashSet<&str>> = checked
        .iter()
        .map(|file| {
            (
                file.relative,
                file.parsed
                    .entry
                    .headings
                    .iter()
                    .map(|heading| heading.anchor.as_str())
                    .collect(),
            )
        })
        .collect();
    let known_files: HashSet<String> = relative.iter().cloned().collect();
    let per_file: Vec<(Vec<Finding>, Vec<ExternalLink>)> = checked
        .par_iter()
        .map(|file| {
            let mut found = Vec::new();
            let mut external = Vec::new();
            dates(file, &mut found);
            leftovers(file, &mut found);
            links(
                file,
                &journal.content,
                &known_files,
                &anchors,
                &mut found,
                &mut external,
            );
            github_surprises(file, &mut found);
            repairs(file, &mut found);
            external.truncate(MOST_PER_FILE);
            (cap(found, &file.shown), external)
        })
        .collect();
    let mut external_links = Vec::new();
    for (found, external) in per_file {
        findings.extend(found);
        external_links.extend(external);
    }
    if let Some(external) = options.external {
        findings.extend(check_external(external_links, external));
    }
    findings.extend(duplicates(&checked));
    findings.extend(undated(&checked));

    if !options.paths.is_empty() {
        let wanted: Vec<PathBuf> = options
            .paths
            .iter()
            .map(|path| display_path(&path.canonicalize().unwrap_or(path.clone()), options.root))
            .collect();
        findings.retain(|finding| wanted.iter().any(|path| finding.path.starts_with(path)));
    }
    findings.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.rule).cmp(&(&b.path, b.line, b.column, b.rule))
    });
    findings.dedup();
    Ok(findings)
}

/// Byte offsets of every line's start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(index, _)| index + 1))
        .collect()
}

/// The nearest character boundary at or before `offset`.
fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Characters in valid UTF-8, counted by their lead bytes (no decoding).
fn count_characters(text: &str) -> usize {
    text.bytes().filter(|&byte| (byte & 0xC0) != 0x80).count()
}

/// The line as it is shown under a finding, and where its marker goes (in characters): the
/// whole line when it is short, else `SNIPPET_SIDE` characters each side of the column, so a
/// finding costs the same on a line of 5 MB as on one of 50 bytes.
fn snippet(line: &str, column_byte: usize) -> (String, usize) {
    let before = &line[..column_byte];
    let after = &line[column_byte..];
    let start = before
        .char_indices()
        .rev()
        .nth(SNIPPET_SIDE - 1)
        .map_or(0, |(index, _)| index);
    let end = after
        .char_indices()
        .nth(SNIPPET_SIDE)
        .map_or(after.len(), |(index, _)| index);
    let mut shown = String::with_capacity(start.abs_diff(column_byte) + end + 8);
    let mut marker = count_characters(&before[start..]);
    if start > 0 {
        shown.push('…');
        marker += 1;
    }
    shown.push_str(&before[start..]);
    shown.push_str(&after[..end]);
    if end < after.len() {
        shown.push('…');
    }
    (shown, marker)
}

/// A file's findings with at most `MOST_PER_LINE` a line and `MOST_PER_FILE` in all, the rest
/// counted in one last finding.
fn cap(mut found: Vec<Finding>, shown: &Path) -> Vec<Finding> {
    found.sort_by(|a, b| (a.line, a.column, a.rule).cmp(&(b.line, b.column, b.rule)));
    let total = found.len();
    let mut kept: Vec<Finding> = Vec::with_capacity(total.min(MOST_PER_FILE + 1));
    let mut on_line = 0;
    for finding in found {
        if kept.last().is_none_or(|last| last.line != finding.line) {
            on_line = 0;
        }
        on_line += 1;
        if on_line <= MOST_PER_LINE && kept.len() < MOST_PER_FILE {
            kept.push(finding);
        }
    }
    if kept.len() < total {
        kept.push(Finding {
            rule: "too-many-findings",
            severity: Severity::Warning,
            path: shown.to_path_buf(),
            line: 0,
            column: 0,
            message: format!(
                "{} more findings in this file are not listed (at most {MOST_PER_LINE} a line, {MOST_PER_FILE} a file)",
                total - kept.len()
            ),
            hint: Some("fix the ones listed and run haru check again".into()),
            source: String::new(),
            marker: 0,
        });
    }
    kept
}

fn from_diagnostic(diagnostic: &Diagnostic) -> Finding {
    Finding {
        rule: "build",
        severity: diagnostic.severity,
        path: diagnostic.path.clone().unwrap_or_default(),
        line: diagnostic.line.unwrap_or(0),
        column: usize::from(diagnostic.line.is_some()),
        message: diagnostic.message.clone(),
        hint: diagnostic.hint.clone(),
        source: String::new(),
        marker: 0,
    }
}

/// The heading's date against the file name's, and dated siblings of an undated file.
fn dates(file: &Checked, found: &mut Vec<Finding>) {
    use crate::date::{Found, Precision, in_file_stem, in_text};
    let name = file.relative.rsplit('/').next().unwrap_or(file.relative);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let from_name = match in_file_stem(stem) {
        Found::Date(date, Precision::Day) => Some(date),
        _ => None,
    };
    let body = &file.text[file.body_start..];
    let Some((heading_offset, heading)) = body
        .lines()
        .scan(0usize, |offset, line| {
            let start = *offset;
            *offset += line.len() + 1;
            Some((start, line))
        })
        .find(|(_, line)| line.starts_with("# "))
    else {
        return;
    };
    if let (Some(from_name), (Found::Date(from_heading, Precision::Day), Some(range))) =
        (from_name, in_text(heading))
        && from_name != from_heading
    {
        found.push(file.at(
            "date-mismatch",
            Severity::Warning,
            file.body_start + heading_offset + range.start,
            format!("the heading says {from_heading}, the file name {from_name}"),
            "make them agree: haru goes by the heading",
        ));
    }
}

/// A file with no date at all among files that mostly have one (3 or more dated siblings, at
/// least two thirds of its folder): probably an entry whose date was forgotten, listed as a note.
fn undated(files: &[Checked]) -> Vec<Finding> {
    let folder = |file: &Checked| -> String {
        file.relative
            .rsplit_once('/')
            .map_or(String::new(), |(folder, _)| folder.to_string())
    };
    let mut folders: HashMap<String, (usize, usize)> = HashMap::new();
    for file in files {
        let counts = folders.entry(folder(file)).or_default();
        counts.0 += 1;
        counts.1 += usize::from(file.parsed.entry.kind == EntryKind::Daily);
    }
    files
        .iter()
        .filter(|file| file.parsed.entry.kind == EntryKind::Note)
        // A folder's index or README is about the folder, not a day.
        .filter(|file| {
            let name = file.relative.rsplit('/').next().unwrap_or("").to_lowercase();
            !["index.md", "_index.md", "readme.md"].contains(&name.as_str())
        })
        .filter(|file| {
            let (all, dated) = folders[&folder(file)];
            dated >= 3 && dated * 3 >= all * 2
        })
        .map(|file| Finding {
            rule: "no-date",
            severity: Severity::Warning,
            path: file.shown.clone(),
            line: 0,
            column: 0,
            message: "no date in its front matter, heading, name or folder, unlike the files beside it"
                .into(),
            hint: Some(
                "start it with `# [YYYY-MM-DD]` or name it YYYY-MM-DD.md; as it is, it is listed as a note"
                    .into(),
            ),
            source: String::new(),
            marker: 0,
        })
        .collect()
}

/// Two files with the same date and title: one was probably copied and not edited.
fn duplicates(files: &[Checked]) -> Vec<Finding> {
    let mut seen: HashMap<(jiff::civil::Date, &str), &Checked> = HashMap::new();
    let mut found = Vec::new();
    for file in files {
        let entry = &file.parsed.entry;
        let Some(date) = entry
            .date
            .filter(|d| d.precision == crate::date::Precision::Day)
        else {
            continue;
        };
        if entry.kind != EntryKind::Daily {
            continue;
        }
        match seen.get(&(date.date, entry.title.as_str())) {
            Some(first) => found.push(Finding {
                rule: "duplicate-entry",
                severity: Severity::Warning,
                path: file.shown.clone(),
                line: 0,
                column: 0,
                message: format!(
                    "same date ({}) and title as {}",
                    date.date,
                    first.shown.display()
                ),
                hint: Some("give it its own date or title, or delete the copy".into()),
                source: String::new(),
                marker: 0,
            }),
            None => {
                seen.insert((date.date, entry.title.as_str()), file);
            }
        }
    }
    found
}

/// Text from the cohort template that was meant to be replaced.
const PLACEHOLDERS: [(&str, &str); 3] = [
    ("제목을 적어주세요", "write the entry's title here"),
    (
        "https://www.google.com/search?q=URL",
        "put the page you learned from here, or remove the line",
    ),
    ("[링크 제목]", "give the link the page's title"),
];

fn leftovers(file: &Checked, found: &mut Vec<Finding>) {
    for (placeholder, hint) in PLACEHOLDERS {
        for (offset, _) in file.text.match_indices(placeholder) {
            found.push(file.at(
                "template-leftover",
                Severity::Warning,
                offset,
                format!("template text `{placeholder}` left in"),
                hint,
            ));
        }
    }
    for section in &file.parsed.entry.sections {
        // `X` or `없음` is the author saying "nothing today"; only untouched sections count.
        if section.is_empty
            && section.kind != SectionKind::Body
            && untouched(file.text, section.line)
        {
            found.push(file.at_line(
                "empty-section",
                Severity::Warning,
                section.line,
                format!(
                    "the section `{}` has nothing in it",
                    section.heading.as_deref().unwrap_or("")
                ),
                "fill it in, or delete the heading (haru hides it; GitHub shows it empty)",
            ));
        }
    }
}

/// Whether the section whose heading is on `line` holds nothing but the template's empty
/// labels (`- **Keep (좋았던 점)**:`), empty bullets and task boxes, up to the next heading of
/// its level or above.
fn untouched(text: &str, line: usize) -> bool {
    let mut lines = text.lines().skip(line.saturating_sub(1));
    let Some(heading) = lines.next() else {
        return false;
    };
    let level = heading.chars().take_while(|c| *c == '#').count().max(1);
    for line in lines {
        let trimmed = line.trim();
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        if hashes > 0 && hashes <= level && trimmed[hashes..].starts_with(' ') {
            break;
        }
        let item = trimmed
            .trim_start_matches(['-', '*', '+'])
            .trim_start()
            .trim_start_matches("[ ]")
            .trim();
        // `**Keep (좋았던 점)**:` or `**Keep:**` with nothing after it.
        let empty_label = item.ends_with(':') || item.ends_with(":**");
        if !(item.is_empty() || empty_label) {
            return false;
        }
    }
    true
}

/// The body's events with offsets into the whole file.
fn events(file: &Checked, options: Options) -> Vec<(Event<'static>, Range<usize>)> {
    let body = &file.text[file.body_start..];
    Parser::new_ext(body, options)
        .into_offset_iter()
        .map(|(event, range)| {
            (
                event.into_static(),
                range.start + file.body_start..range.end + file.body_start,
            )
        })
        .collect()
}

fn links(
    file: &Checked,
    content: &Path,
    known: &HashSet<String>,
    anchors: &HashMap<&str, HashSet<&str>>,
    found: &mut Vec<Finding>,
    external: &mut Vec<ExternalLink>,
) {
    let folder = file
        .relative
        .rsplit_once('/')
        .map_or("", |(folder, _)| folder);
    for (event, range) in events(file, markdown::parser_options()) {
        let (destination, image) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url.to_string(), false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url.to_string(), true),
            _ => continue,
        };
        if destination.starts_with("http://") || destination.starts_with("https://") {
            // Placed now, asked later (with --external): a finding waiting for its answer.
            let place = file.at(
                "broken-external-link",
                Severity::Warning,
                range.start,
                String::new(),
                "",
            );
            external.push((destination.clone(), place));
            continue;
        }
        if destination.is_empty()
            || destination.contains("://")
            || destination.starts_with("mailto:")
            || destination.starts_with("//")
            || destination.starts_with("data:")
            || destination.starts_with("attachment:")
        {
            continue;
        }
        let (path, fragment) = match destination.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (destination.as_str(), None),
        };
        let path = path.split('?').next().unwrap_or("");
        let target = if path.is_empty() {
            file.relative.to_string()
        } else {
            let decoded = slug::decode_percent(path);
            let joined = match decoded.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None if folder.is_empty() => decoded,
                None => format!("{folder}/{decoded}"),
            };
            match markdown::normalize_path(&joined) {
                Some(target) => target,
                None => {
                    found.push(file.at(
                        "broken-link",
                        Severity::Warning,
                        range.start,
                        format!("`{destination}` leads above the journal"),
                        "link to a file inside the journal",
                    ));
                    continue;
                }
            }
        };
        let exists = known.contains(&target)
            || known.contains(&format!("{target}.md"))
            || content.join(&target).exists();
        if !exists {
            let (rule, what) = if image {
                ("missing-image", "image")
            } else {
                ("broken-link", "file")
            };
            found.push(file.at(
                rule,
                Severity::Warning,
                range.start,
                format!("no {what} `{target}` in the journal"),
                "fix the path (it is relative to this file's folder), or add the file",
            ));
            continue;
        }
        if let Some(fragment) = fragment.filter(|fragment| !fragment.is_empty()) {
            let target_file = if known.contains(&target) {
                target.clone()
            } else {
                format!("{target}.md")
            };
            let Some(headings) = anchors.get(target_file.as_str()) else {
                continue;
            };
            // Hangul anchors compare as slugs: `#네트워킹-Part.2` and `#네트워킹-part2` are one.
            let wanted = slug::heading_slug(&slug::decode_percent(fragment));
            let decoded = slug::decode_percent(fragment);
            if !headings.contains(decoded.as_str()) && !headings.contains(wanted.as_str()) {
                found.push(file.at(
                    "broken-anchor",
                    Severity::Warning,
                    range.start,
                    format!("no heading `#{fragment}` in {target_file}"),
                    "link to a heading that is there (anchors are the heading's words, lower case, spaces as -)",
                ));
            }
        }
    }
}

/// Asks each linked server (each URL once) whether the page is there: HEAD, then GET where
/// HEAD is refused; redirects followed. Hosts are asked in parallel, each by at most
/// `per_host` requests at a time. Every place a failing URL is linked from is a finding.
fn check_external(links: Vec<ExternalLink>, options: External) -> Vec<Finding> {
    let mut by_url: HashMap<String, Vec<Finding>> = HashMap::new();
    for (url, place) in links {
        by_url.entry(url).or_default().push(place);
    }
    let mut by_host: HashMap<String, Vec<String>> = HashMap::new();
    for url in by_url.keys() {
        let host = url
            .split_once("://")
            .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
            .unwrap_or("")
            .to_lowercase();
        by_host.entry(host).or_default().push(url.clone());
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .user_agent(concat!("haru-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let ask = |url: &str| -> Option<String> {
        let answer = |result: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match result {
            Ok(response) => Ok(response.status().as_u16()),
            Err(ureq::Error::Timeout(_)) => Err(format!(
                "no answer within {} s",
                options.timeout.as_secs_f32()
            )),
            Err(error) => Err(error.to_string()),
        };
        let status = match answer(agent.head(url).call()) {
            Ok(405 | 501) => answer(agent.get(url).call()),
            other => other,
        };
        match status {
            Ok(status) if status < 400 => None,
            Ok(status) => Some(format!("the server answers {status}")),
            Err(error) => Some(error),
        }
    };
    let failures: std::sync::Mutex<HashMap<String, String>> = Default::default();
    let mut hosts: Vec<Vec<String>> = by_host.into_values().collect();
    hosts.sort();
    // A few hosts at a time, each with its own small queue.
    for group in hosts.chunks(8) {
        let queues: Vec<std::sync::Mutex<Vec<String>>> = group
            .iter()
            .map(|urls| std::sync::Mutex::new(urls.clone()))
            .collect();
        std::thread::scope(|scope| {
            for (queue, urls) in queues.iter().zip(group) {
                for _ in 0..options.per_host.max(1).min(urls.len()) {
                    let failures = &failures;
                    let ask = &ask;
                    scope.spawn(move || {
                        loop {
                            let Some(url) = queue.lock().expect("no checker panicked").pop() else {
                                return;
                            };
                            if let Some(why) = ask(&url) {
                                failures
                                    .lock()
                                    .expect("no checker panicked")
                                    .insert(url, why);
                            }
                        }
                    });
                }
            }
        });
    }
    let failures = failures.into_inner().expect("no checker panicked");
    let mut found = Vec::new();
    for (url, why) in failures {
        for place in by_url.remove(&url).unwrap_or_default() {
            found.push(Finding {
                message: format!("{url}: {why}"),
                hint: Some("fix or remove the link, or link an archived copy".into()),
                ..place
            });
        }
    }
    found
}

/// Where GitHub's renderer (CommonMark with GitHub's extensions, no CJK-friendly emphasis)
/// shows something else than the author meant, and haru does not.
fn github_surprises(file: &Checked, found: &mut Vec<Finding>) {
    let github_options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    let github = events(file, github_options);
    let friendly = events(file, github_options | Options::ENABLE_CJK_FRIENDLY_EMPHASIS);
    let opened_on_github: HashSet<usize> = github
        .iter()
        .filter(|(event, _)| {
            matches!(
                event,
                Event::Start(Tag::Emphasis) | Event::Start(Tag::Strong)
            )
        })
        .map(|(_, range)| range.start)
        .collect();
    for (event, range) in &friendly {
        if matches!(
            event,
            Event::Start(Tag::Emphasis) | Event::Start(Tag::Strong)
        ) && !opened_on_github.contains(&range.start)
        {
            found.push(file.at(
                "github-literal-emphasis",
                Severity::Warning,
                range.start,
                "GitHub shows these asterisks as they are (next to Hangul); haru renders the emphasis"
                    .into(),
                "fine on haru; for GitHub too, put a space or punctuation outside the closing marks",
            ));
        }
    }
    tilde_ranges(file, &github, found);
    for (event, range) in &github {
        if matches!(event, Event::Start(Tag::Strong)) && file.text[range.start..].starts_with("__")
        {
            let inner = file.text[range.clone()].trim_matches('_');
            if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                found.push(file.at(
                    "github-dunder-bold",
                    Severity::Warning,
                    range.start,
                    format!("GitHub shows `__{inner}__` as bold `{inner}`; haru keeps the name"),
                    "put the name in backticks (`__init__`)",
                ));
            }
        }
    }
    for (event, range) in &github {
        match event {
            Event::InlineHtml(html) if !markdown::is_known_html(html) => {
                found.push(file.at(
                    "github-swallowed-html",
                    Severity::Warning,
                    range.start,
                    format!("GitHub hides `{html}` as an unknown HTML tag; haru shows it as text"),
                    "put it in backticks (`List<String>`) so it shows everywhere",
                ));
            }
            _ => {}
        }
    }
}

/// Lines haru reads differently from GitHub because it repairs them (`markdown::prepare`): a
/// bullet indented 2 spaces under `1.` (GitHub does not nest it), a bullet indented 4+ spaces
/// after a paragraph line (GitHub shows `- ` as text), a fence or quote indented 4+ spaces
/// (GitHub shows it as indented code). Also fences never closed and prose that became an
/// indented code block, which both render as code.
fn repairs(file: &Checked, found: &mut Vec<Finding>) {
    let body = &file.text[file.body_start..];
    let repaired = markdown::prepare(body);
    let mut offset = file.body_start;
    let mut in_shifted_fence = false;
    let mut current_move: Option<(i64, usize)> = None;
    let mut previous_blank = true;
    for (line, fixed) in body
        .split_inclusive('\n')
        .zip(repaired.split_inclusive('\n'))
    {
        let indent = |text: &str| text.len() - text.trim_start().len();
        let content = line.trim();
        let is_fence = content.starts_with("```") || content.starts_with("~~~");
        let shift = indent(fixed) as i64 - indent(line) as i64;
        // Items change meaning, and a paragraph after a blank line (GitHub ends the list there);
        // a shifted continuation line reads the same on GitHub.
        let item = (previous_blank && shift > 0)
            || content.starts_with(['-', '*', '+'])
            || content.split_once(['.', ')']).is_some_and(|(number, _)| {
                !number.is_empty()
                    && number.len() <= 9
                    && number.bytes().all(|b| b.is_ascii_digit())
            });
        // A repair moves a line with the more indented lines under it (an item's children, a
        // quote's next lines): report where a move starts.
        let inherited =
            current_move.is_some_and(|(moved, from)| shift == moved && indent(line) >= from);
        let starts_a_move = shift != 0 && !inherited && !in_shifted_fence;
        if !content.is_empty() && !inherited {
            current_move = (shift != 0).then_some((shift, indent(line)));
        }
        previous_blank = content.is_empty();
        let starts_a_move = starts_a_move && (item || is_fence || content.starts_with('>'));
        if starts_a_move && !in_shifted_fence {
            // Moved right: GitHub leaves it outside the item above. Moved left: GitHub reads the
            // extra spaces as indented code or paragraph text.
            let (rule, message, hint) = if shift > 0 {
                (
                    "list-indent",
                    "GitHub does not put this inside the list item above (too few spaces); haru does",
                    "indent it to the text of the item above (3 spaces under `1. `)",
                )
            } else if is_fence {
                (
                    "indented-fence",
                    "GitHub shows this fence as indented code (4+ spaces); haru reads the fence",
                    "start the fence at the margin (or under its list item's text)",
                )
            } else if content.starts_with('>') {
                (
                    "indented-quote",
                    "GitHub shows this quote as indented code (4+ spaces); haru reads the quote",
                    "start the quote at the margin",
                )
            } else {
                (
                    "over-indented-bullet",
                    "GitHub shows this `- ` as text in the paragraph above (4+ spaces more); haru makes it a list item",
                    "indent it like the list it belongs to, or leave a blank line before it",
                )
            };
            found.push(file.at(
                rule,
                Severity::Warning,
                offset + indent(line),
                message.into(),
                hint,
            ));
        }
        if is_fence {
            in_shifted_fence = !in_shifted_fence && indent(line) != indent(fixed);
        }
        offset += line.len();
    }
    // Code blocks as haru reads them (after the repairs above), placed on the original lines.
    let body_starts = line_starts(body);
    let repaired_starts = line_starts(&repaired);
    let place = |repaired_offset: usize| -> usize {
        let line = repaired_starts.partition_point(|&start| start <= repaired_offset) - 1;
        let start = body_starts.get(line).copied().unwrap_or(body.len());
        let text = &body[start..];
        file.body_start + start + (text.len() - text.trim_start_matches(' ').len())
    };
    for (event, range) in Parser::new_ext(&repaired, markdown::parser_options()).into_offset_iter()
    {
        let Event::Start(Tag::CodeBlock(kind)) = event else {
            continue;
        };
        let block = &repaired[range.clone()];
        match kind {
            pulldown_cmark::CodeBlockKind::Fenced(_) => {
                let opening = block.trim_start();
                let marks: String = opening
                    .chars()
                    .take_while(|c| *c == '`' || *c == '~')
                    .collect();
                let closed = block
                    .trim_end()
                    .lines()
                    .skip(1)
                    .last()
                    .is_some_and(|last| last.trim().starts_with(marks.as_str()));
                if !closed && range.end >= repaired.trim_end().len() {
                    found.push(file.at(
                        "unclosed-fence",
                        Severity::Warning,
                        place(range.start),
                        format!(
                            "this `{marks}` fence is never closed: the rest of the file is code"
                        ),
                        &format!("close it with {marks} on a line of its own"),
                    ));
                }
            }
            pulldown_cmark::CodeBlockKind::Indented => {
                if block.chars().any(|c| ('가'..='힣').contains(&c)) {
                    found.push(file.at(
                        "indented-code",
                        Severity::Warning,
                        place(range.start),
                        "Korean prose indented 4+ spaces after a blank line shows as a code block".into(),
                        "remove the indent if it is text; fence it with ``` if it is code",
                    ));
                }
            }
        }
    }
}

/// GitHub (cmark-gfm) strikes text between two single tildes even inside words
/// (`리전~리전 간 OK / 계정~계정`); pulldown-cmark, like haru, does not, so the pairs are found
/// here: in each paragraph's text (code left out), a `~` that can open (not before a space)
/// and the next that can close (not after one).
fn tilde_ranges(file: &Checked, github: &[(Event, Range<usize>)], found: &mut Vec<Finding>) {
    let mut open: Option<usize> = None;
    for (event, range) in github {
        match event {
            Event::Start(Tag::Paragraph) | Event::End(pulldown_cmark::TagEnd::Paragraph) => {
                open = None;
            }
            Event::Text(_) => {
                let text = &file.text[range.clone()];
                let bytes = text.as_bytes();
                for (index, _) in text.match_indices('~') {
                    let single = (index == 0 || bytes[index - 1] != b'~')
                        && bytes.get(index + 1) != Some(&b'~');
                    if !single {
                        continue;
                    }
                    let before = text[..index].chars().next_back();
                    let after = text[index + 1..].chars().next();
                    match open {
                        Some(start) if before.is_some_and(|c| !c.is_whitespace()) => {
                            found.push(file.at(
                                "github-tilde-strikethrough",
                                Severity::Warning,
                                start,
                                "GitHub strikes through the text between these single `~` (a range?); haru shows the tildes"
                                    .into(),
                                "write ranges with `-` (리전-리전), or `\\~` to keep GitHub from striking",
                            ));
                            open = None;
                        }
                        None if after.is_some_and(|c| !c.is_whitespace()) => {
                            open = Some(range.start + index);
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// Findings as a compiler prints them: `path:line:col: warning[rule]: message`, the source line
/// with a marker under the column, and the hint.
pub fn render(findings: &[Finding], colour: bool) -> String {
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    for finding in findings {
        let (label, code) = match finding.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let place = match (finding.line, finding.column) {
            (0, _) => finding.path.display().to_string(),
            (line, 0) => format!("{}:{line}", finding.path.display()),
            (line, column) => format!("{}:{line}:{column}", finding.path.display()),
        };
        out.push_str(&format!(
            "{}: {}: {}\n",
            paint("1", &place),
            paint(code, &format!("{label}[{}]", finding.rule)),
            finding.message
        ));
        if !finding.source.is_empty() && finding.column > 0 {
            let number = finding.line.to_string();
            let gutter = " ".repeat(number.len());
            out.push_str(&format!("{} |\n", paint("34", &gutter)));
            out.push_str(&format!("{} | {}\n", paint("34", &number), finding.source));
            // The marker sits under the column, Hangul counting two cells.
            let before: usize = finding
                .source
                .chars()
                .take(finding.marker)
                .map(|c| if is_wide(c) { 2 } else { 1 })
                .sum();
            out.push_str(&format!(
                "{} | {}{}\n",
                paint("34", &gutter),
                " ".repeat(before),
                paint(code, "^")
            ));
        }
        if let Some(hint) = &finding.hint
            && !hint.is_empty()
        {
            out.push_str(&format!("  = hint: {hint}\n"));
        }
    }
    out
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF)
}

/// Findings as JSON, one object each, for editors and scripts.
pub fn json(findings: &[Finding]) -> String {
    serde_json::to_string_pretty(findings).expect("findings serialise")
}

/// How many findings of each rule.
pub fn counts(findings: &[Finding]) -> Vec<(&'static str, usize)> {
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    for finding in findings {
        *counts.entry(finding.rule).or_default() += 1;
    }
    let mut counts: Vec<(&'static str, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
}
