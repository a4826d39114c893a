//! One source file → one entry: front matter, date, title, kind, and the rendered body.
//!
//! Pure given its inputs (the file text and the site-wide link map), so files parse in
//! parallel and `haru inspect` shows exactly what the build sees.

mod title;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::date::{self, DateSource, Found, Precision};
use crate::diagnostic::Diagnostic;
use crate::frontmatter;
use crate::highlight::Highlighter;
use crate::load::SourceFile;
use crate::markdown::{self, Links, RenderedSection};
use crate::model::{Entry, EntryDate, EntryId, EntryKind, Heading, Section, TagPlace};
use crate::slug::path_segment;
use crate::tags::{Catalogue, ServiceId};
use crate::text::truncate_chars;

pub struct ParseContext<'a> {
    pub base_path: &'a str,
    /// Source path → page path, for every markdown file of the journal.
    pub pages: &'a HashMap<String, String>,
    pub highlighter: &'a Highlighter,
    /// How to show a source path in messages (e.g. prefixed with the content folder).
    pub display_prefix: &'a str,
    /// The services to tag entries with.
    pub tags: &'a Catalogue,
    /// Keep each entry's text for the search index.
    pub search: bool,
    /// The language of the words haru adds to a page.
    pub language: crate::config::Language,
    /// Every file of the journal by name, for `[[wikilinks]]`.
    pub names: &'a markdown::FileNames,
    /// The journal's pictures, by content path.
    pub(crate) images: &'a crate::images::Pictures,
}

/// A tag before the site numbers tags: a catalogue service or a front-matter tag of its own.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TagKey {
    Service(ServiceId),
    Own(String),
}

#[derive(Clone, Debug)]
pub struct RawTag {
    pub key: TagKey,
    pub primary: bool,
    pub count: usize,
    pub places: Arc<[TagPlace]>,
    pub excerpt: Arc<str>,
    pub anchor: Option<Arc<str>>,
    /// See `EntryTag::passage`.
    pub passage: u64,
}

/// What the render stage needs besides the model: the HTML of each section.
#[derive(Clone, Debug, Default)]
pub struct Body {
    pub sections: Vec<RenderedSection>,
    pub toc: Vec<Heading>,
    /// The text as search indexes it.
    pub passages: Vec<markdown::Passage>,
}

pub struct Parsed {
    pub entry: Entry,
    pub body: Body,
    /// A 7-digit file-name date waiting for the journal's typical year.
    pub missing_digit: Option<(String, i8, i8)>,
    /// The file holds nothing but template text and placeholders (an untouched template, a
    /// `haru new` scaffold nobody wrote in, a post that is one HTML comment): not an entry.
    pub blank: bool,
    pub diagnostics: Vec<Diagnostic>,
    pub tags: Vec<RawTag>,
    /// (series name, day) from `Architecting on AWS 3일차` in a goal or the title.
    pub series: Option<(String, u32)>,
    /// The source paths whose pages this file's own page and links depend on (its own first).
    pub links: Vec<String>,
}

const README_NAMES: [&str; 2] = ["readme.md", "readme.markdown"];

/// The page path of a source file: folders and stem as URL segments, `README.md` at the
/// root is the about page. Collisions are settled by the caller.
pub fn page_path(relative: &str) -> String {
    if README_NAMES.contains(&relative.to_ascii_lowercase().as_str()) {
        return "about/".to_string();
    }
    let place = Place::of(relative);
    let mut path = String::new();
    let mut segments: Vec<&str> = place
        .folder
        .split('/')
        .filter(|_| !place.folder.is_empty())
        .collect();
    let mut stem = place.stem;
    // Jekyll publishes `_posts/2025-09-03-views.md` at `2025/09/03/views/`: links to the blog
    // keep working.
    if segments.last() == Some(&"_posts") {
        if let Some((day, slug)) = jekyll_post(place.stem) {
            segments.pop();
            segments.extend(day);
            stem = slug;
        }
    }
    for segment in segments {
        path.push_str(&path_segment(segment));
        path.push('/');
    }
    path.push_str(&path_segment(stem));
    path.push('/');
    path
}

/// `2025-09-03-views` → (`["2025", "09", "03"]`, `views`).
fn jekyll_post(stem: &str) -> Option<([&str; 3], &str)> {
    let bytes = stem.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let dashes = [4, 7, 10].iter().all(|&at| bytes.get(at) == Some(&b'-'));
    let slug = stem.get(11..).filter(|slug| !slug.is_empty())?;
    (digits(0..4) && digits(5..7) && digits(8..10) && dashes)
        .then(|| ([&stem[0..4], &stem[5..7], &stem[8..10]], slug))
}

fn markdown_extension(extension: &str) -> bool {
    extension.eq_ignore_ascii_case(".md") || extension.eq_ignore_ascii_case(".markdown")
}

pub fn parse(file: &SourceFile, page: &str, context: &ParseContext) -> Parsed {
    let shown = PathBuf::from(format!("{}{}", context.display_prefix, file.relative));
    let mut diagnostics = file.warnings.clone();
    let (front, body_text) = split_front_matter(file, &shown, &mut diagnostics);
    let place = Place::of(&file.relative);
    let looked_up = std::sync::Mutex::new(vec![file.relative.clone()]);
    let links = Links {
        base_path: context.base_path,
        source_dir: place.folder,
        pages: context.pages,
        tags: Some(context.tags),
        looked_up: Some(&looked_up),
        names: Some(context.names),
        images: Some(context.images),
    };
    let options = markdown::BodyOptions {
        passages: context.search,
        front_title: front.title.as_deref(),
        language: context.language,
    };
    let document = markdown::render(&body_text, &links, context.highlighter, options);
    for note in &document.notes {
        diagnostics.push(
            Diagnostic::warning(shown.clone(), note.message.clone())
                .at_line(note.line)
                .ko(note.korean.clone()),
        );
    }
    let dated = find_date(&front, &document, &place, &shown, &mut diagnostics);
    let kind = entry_kind(&file.relative, &place, &dated);
    let title = title::choose(&title::Candidates {
        front: front.title.as_deref(),
        heading: document
            .title_heading
            .as_ref()
            .map(|(text, _)| text.as_str()),
        heading_date: dated.heading_range.clone(),
        stem: place.stem,
        folder: place.folder,
        headings: &document.headings,
        date: dated
            .date
            .filter(|_| kind != EntryKind::About)
            .map(|d| d.date),
        kind,
    });
    let blank = kind != EntryKind::About
        && front.title.is_none()
        && document.goals.is_empty()
        && document.kpt.is_empty()
        && document.sections.iter().all(|section| section.is_empty)
        && (document.title_heading.as_ref())
            .is_none_or(|(text, _)| title::says_nothing(text, dated.heading_range.clone()));
    let series = series_of(
        document.goals.iter().map(|goal| goal.text.as_str()).chain(
            document
                .title_heading
                .as_ref()
                .map(|(text, _)| text.as_str()),
        ),
    );
    let tags = raw_tags(&document, &front, place.folder, context.tags);
    let reading_minutes = reading_minutes(
        document.characters,
        document.hangul_characters,
        document.words,
    );
    let daily = kind == EntryKind::Daily;
    let entry = Entry {
        id: EntryId(0),
        kind,
        source: file.relative.clone(),
        path: page.to_string(),
        title,
        date: dated.date.filter(|_| daily),
        sections: sections(&document).into(),
        headings: document.headings.clone().into(),
        goals: document.goals.into(),
        kpt: document.kpt.into(),
        tags: Vec::new(),
        series: None,
        related: Vec::new(),
        draft: front.draft || file.in_drafts,
        characters: document.characters,
        words: document.words,
        reading_minutes,
        summary: truncate_chars(&document.lead, 150).into(),
        folder: place.folder.to_string(),
        extra: front.extra,
    };
    let mut links = looked_up.into_inner().expect("no parser panicked");
    links.sort_unstable();
    links.dedup();
    Parsed {
        entry,
        body: Body {
            sections: document.sections,
            toc: document.toc,
            passages: document.passages,
        },
        missing_digit: dated
            .missing_digit
            .filter(|_| daily && dated.date.is_none()),
        blank,
        diagnostics,
        tags,
        series,
        links,
    }
}

/// The front matter and the body after it; a broken front matter is an error, and the whole
/// file is the body.
fn split_front_matter(
    file: &SourceFile,
    shown: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> (frontmatter::FrontMatter, String) {
    let (front, body_text) = match frontmatter::split(&file.text) {
        Ok(split) => split,
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(shown.to_path_buf(), error.message)
                    .at_line(error.line)
                    .with_hint(error.hint)
                    .ko(error.korean)
                    .ko_hint(error.korean_hint),
            );
            (None, file.text.clone())
        }
    };
    (front.unwrap_or_default(), body_text)
}

/// Where a source file sits: its name, its stem without a markdown extension, its folder.
struct Place<'a> {
    name: &'a str,
    stem: &'a str,
    folder: &'a str,
}

impl<'a> Place<'a> {
    fn of(relative: &'a str) -> Self {
        let (folder, name) = relative.rsplit_once('/').unwrap_or(("", relative));
        let stem = match name.rfind('.') {
            Some(dot) if markdown_extension(&name[dot..]) => &name[..dot],
            _ => name,
        };
        Place { name, stem, folder }
    }
}

/// The entry's date as found, or a 7-digit file name waiting for the journal's year; and
/// where the date stands in the title heading, to cut it from the title.
#[derive(Default)]
struct Dated {
    date: Option<EntryDate>,
    missing_digit: Option<(String, i8, i8)>,
    heading_range: Option<std::ops::Range<usize>>,
}

/// A date written but not real.
struct InvalidDate {
    /// 1-based line; 0 for the file name.
    line: usize,
    text: String,
    place: &'static str,
}

/// The date, in order of trust: front matter, the title heading, the file name, the folders.
fn find_date(
    front: &frontmatter::FrontMatter,
    document: &markdown::Document,
    place: &Place,
    shown: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Dated {
    let mut dated = Dated::default();
    let mut invalid = Vec::new();
    let found = |date, precision, source| {
        Some(EntryDate {
            date,
            precision,
            source,
        })
    };
    let invalid_at = |line, text, place| InvalidDate { line, text, place };
    if let Some(written) = &front.date {
        match date::in_text(written).0 {
            Found::Date(date, precision) => {
                dated.date = found(date, precision, DateSource::FrontMatter)
            }
            Found::Invalid(text) => invalid.push(invalid_at(2, text, "front matter")),
            _ => invalid.push(invalid_at(2, written.clone(), "front matter")),
        }
    }
    if let Some((heading, line)) = &document.title_heading {
        let (in_heading, range) = date::in_text(heading);
        dated.heading_range = range;
        match in_heading {
            Found::Date(date, precision) if dated.date.is_none() => {
                dated.date = found(date, precision, DateSource::Heading)
            }
            Found::Invalid(text) => invalid.push(invalid_at(*line, text, "heading")),
            _ => {}
        }
    }
    if dated.date.is_none() {
        match date::in_file_stem(place.stem) {
            Found::Date(date, precision) => {
                dated.date = found(date, precision, DateSource::FileName)
            }
            Found::Invalid(text) => invalid.push(invalid_at(0, text, "file name")),
            Found::MissingDigit { digits, month, day } => {
                dated.missing_digit = Some((digits, month, day))
            }
            Found::Nothing => {}
        }
    }
    if dated.date.is_none() && dated.missing_digit.is_none() {
        let folders: Vec<&str> = place.folder.split('/').filter(|s| !s.is_empty()).collect();
        if let Found::Date(date, precision) = date::in_folders(&folders) {
            let day = (precision == Precision::Month)
                .then(|| date::month_day_in(place.stem, date))
                .flatten();
            dated.date = match day {
                Some(day) => found(day, Precision::Day, DateSource::FileName),
                None => found(date, precision, DateSource::Folder),
            };
        }
    }
    for wrong in &invalid {
        diagnostics.push(invalid_date(wrong, &dated, shown));
    }
    dated
}

/// A date that is no real date: a warning when another date stands in, else an error.
fn invalid_date(wrong: &InvalidDate, dated: &Dated, shown: &Path) -> Diagnostic {
    let resolved = dated.date.is_some() || dated.missing_digit.is_some();
    let message = format!("`{}` in the {} is no real date", wrong.text, wrong.place);
    let place = match wrong.place {
        "front matter" => "프런트 매터",
        "heading" => "제목",
        _ => "파일 이름",
    };
    let korean = format!("{place}의 `{}`은(는) 있을 수 없는 날짜입니다", wrong.text);
    let diagnostic = if resolved {
        let used = dated.date.map(|d| d.date.to_string());
        Diagnostic::warning(
            shown.to_path_buf(),
            format!(
                "{message}; using {} instead",
                used.as_deref().unwrap_or("the file name's")
            ),
        )
        .with_hint("correct the date so the heading and the file agree")
        .ko(format!(
            "{korean}. 대신 {}을(를) 씁니다",
            used.as_deref().unwrap_or("파일 이름의 날짜")
        ))
        .ko_hint("제목과 파일 이름의 날짜가 같도록 고치세요")
    } else {
        Diagnostic::error(shown.to_path_buf(), message)
            .with_hint("write it as YYYY-MM-DD, e.g. # [2026-01-30]")
            .ko(korean)
            .ko_hint("YYYY-MM-DD로 쓰세요. 예: # [2026-01-30]")
    };
    if wrong.line > 0 {
        diagnostic.at_line(wrong.line)
    } else {
        diagnostic
    }
}

/// The root README is the about page; an index file or a file without a date is a note.
fn entry_kind(relative: &str, place: &Place, dated: &Dated) -> EntryKind {
    let lower_name = place.name.to_ascii_lowercase();
    let is_root_readme = !relative.contains('/') && README_NAMES.contains(&lower_name.as_str());
    let is_index = matches!(
        place.stem.to_ascii_lowercase().as_str(),
        "readme" | "index" | "_index"
    );
    // `20220816/README.md`: the folder is the day and the README its entry.
    let is_day_folder_index = dated
        .date
        .is_some_and(|date| date.source == DateSource::Folder && date.precision == Precision::Day);
    if is_root_readme {
        EntryKind::About
    } else if (is_index && !is_day_folder_index)
        || (dated.date.is_none() && dated.missing_digit.is_none())
    {
        EntryKind::Note
    } else {
        EntryKind::Daily
    }
}

/// The services the text mentions, and the front matter's tags: the author's own word, so
/// primary.
fn raw_tags(
    document: &markdown::Document,
    front: &frontmatter::FrontMatter,
    folder: &str,
    catalogue: &Catalogue,
) -> Vec<RawTag> {
    let mut tags: Vec<RawTag> = document
        .tags
        .iter()
        .map(|mention| RawTag {
            primary: mention.is_primary(),
            key: TagKey::Service(mention.service),
            count: mention.count,
            places: mention.places.as_slice().into(),
            excerpt: mention.excerpt.clone(),
            anchor: mention.anchor.clone(),
            passage: 0,
        })
        .collect();
    // A topic folder (`TIL/Linux/`, `01_python/`) that names a catalogue entry is what the
    // entries in it are about: the folder is browsable as that tag's page.
    let topics = folder
        .split('/')
        .filter_map(|segment| catalogue.lookup(without_counter(segment)))
        .map(TagKey::Service);
    let written = front
        .tags
        .iter()
        .map(|written| match catalogue.lookup(written) {
            Some(service) => TagKey::Service(service),
            None => TagKey::Own(written.trim().to_string()),
        });
    for key in topics.chain(written) {
        match tags.iter_mut().find(|tag| tag.key == key) {
            Some(tag) => tag.primary = true,
            None => tags.push(RawTag {
                key,
                primary: true,
                count: 0,
                places: Arc::new([]),
                excerpt: document.lead.chars().take(200).collect::<String>().into(),
                anchor: None,
                passage: 0,
            }),
        }
    }
    for tag in &mut tags {
        tag.passage = crate::model::fingerprint(&(tag.count, &tag.excerpt, &tag.anchor));
    }
    tags
}

/// `01_python` → `python`, `2. Linux` → `Linux`: the counter that orders a folder is no name.
fn without_counter(segment: &str) -> &str {
    let rest = segment.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() == segment.len() {
        return segment;
    }
    rest.trim_start_matches(['_', '-', '.', ' '])
}

/// The model's sections: the rendered ones without their HTML.
fn sections(document: &markdown::Document) -> Vec<Section> {
    document
        .sections
        .iter()
        .map(|section| Section {
            kind: section.kind,
            heading: section.heading.clone(),
            anchor: section.anchor.clone(),
            line: section.line,
            is_empty: section.is_empty,
        })
        .collect()
}

/// `[Architecting on AWS 3일차]` → (`Architecting on AWS`, 3), from the first text that has it.
pub fn series_of<'a>(texts: impl Iterator<Item = &'a str>) -> Option<(String, u32)> {
    for text in texts {
        let Some(marker) = text.find("일차") else {
            continue;
        };
        let before = text[..marker].trim_end();
        let digits_start = before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let Ok(day) = before[digits_start..].parse::<u32>() else {
            continue;
        };
        let name = before[..digits_start]
            .trim()
            .trim_start_matches(['[', '(', '-', '*', ' '])
            .trim_end_matches([' ', '-', ':', '·'])
            .trim();
        if !name.is_empty() && day > 0 && day < 1000 {
            return Some((name.to_string(), day));
        }
    }
    None
}

/// Korean is read at about 500 characters a minute, English at about 200 words.
pub fn reading_minutes(characters: usize, hangul: usize, words: usize) -> usize {
    let minutes = if hangul * 3 >= characters {
        characters.div_ceil(500)
    } else {
        words.div_ceil(200)
    };
    minutes.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths() {
        assert_eq!(page_path("TIL/AWS/2026.01.30.md"), "TIL/AWS/2026.01.30/");
        assert_eq!(page_path("2025-12/2025-12-22"), "2025-12/2025-12-22/");
        assert_eq!(page_path("README.md"), "about/");
        assert_eq!(
            page_path("_posts/2025-09-03-generic-views.md"),
            "2025/09/03/generic-views/"
        );
        assert_eq!(
            page_path("blog/_posts/2025-09-03.md"),
            "blog/_posts/2025-09-03/"
        );
        assert_eq!(
            page_path("Spring Framework/20250710_Java Web_TIL.md"),
            "Spring-Framework/20250710_Java-Web_TIL/"
        );
    }

    #[test]
    fn series_from_goals_and_titles() {
        assert_eq!(
            series_of(["[Architecting on AWS 3일차]"].into_iter()),
            Some(("Architecting on AWS".into(), 3))
        );
        assert_eq!(
            series_of(["VPC 복습", "[Architecting on AWS 1일차 ]"].into_iter()),
            Some(("Architecting on AWS".into(), 1))
        );
        assert_eq!(
            series_of(["DevOps Engineering on AWS 2일차"].into_iter()),
            Some(("DevOps Engineering on AWS".into(), 2))
        );
        assert_eq!(series_of(["3일차"].into_iter()), None);
        assert_eq!(series_of(["VPC 설계"].into_iter()), None);
    }

    #[test]
    fn truncation_respects_hangul() {
        let text = "가".repeat(200);
        let cut = truncate_chars(&text, 150);
        assert_eq!(cut.chars().count(), 151);
        assert!(cut.ends_with('…'));
        assert_eq!(truncate_chars("짧은 글", 150), "짧은 글");
    }

    #[test]
    fn reading_time_counts_korean_characters() {
        assert_eq!(reading_minutes(1000, 900, 250), 2);
        assert_eq!(reading_minutes(10, 0, 400), 2);
        assert_eq!(reading_minutes(0, 0, 0), 1);
    }
}
