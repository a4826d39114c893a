//! Markdown → HTML fragments, and the structure of a daily entry read from the same events.
//!
//! One pulldown-cmark pass per file: the events are split into the cohort template's sections
//! (goals, TIL body, challenge, retrospective, references), the Keep/Problem/Try items and the
//! Scrum goals are read from them, and each section is rendered. Before parsing, `prepare`
//! repairs what authors typed but CommonMark reads differently (see `docs/quirks.md`); after
//! parsing, events are adjusted for what GitHub shows wrongly (`<word>` placeholders, `~`
//! ranges, unsafe URLs).

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::highlight::Highlighter;
use crate::model::{Goal, Heading, Kpt, SectionKind, TagPlace};
use crate::slug::{AnchorSet, decode_percent, encode_path, heading_slug};
use crate::tags::{Catalogue, PRIMARY_MENTIONS, ServiceId, names_aws};
use crate::text::escape_html;

/// How links inside an entry resolve: relative paths are taken from the entry's folder, like
/// GitHub does, and point at the built page or the copied file.
pub struct Links<'a> {
    /// `/` or `/til/`.
    pub base_path: &'a str,
    /// The entry's folder relative to the content root, `/`-separated, `""` at the root.
    pub source_dir: &'a str,
    /// Source path (relative to the content root) → page path (relative to the site root).
    pub pages: &'a HashMap<String, String>,
    /// The services to find in the text and link to their tag pages, if tags are on.
    pub tags: Option<&'a Catalogue>,
    /// Every source path looked up in `pages`, found or not: when one of them gains, loses or
    /// moves its page, a rebuild parses this file again.
    pub looked_up: Option<&'a std::sync::Mutex<Vec<String>>>,
}

/// A service an entry mentions, and where.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TagMention {
    pub service: ServiceId,
    /// Mentions in prose and headings (code, inline code and URLs excluded).
    pub count: usize,
    /// Named by the title, a heading, a Scrum goal or a list-item title.
    pub titled: bool,
    pub places: Vec<TagPlace>,
    /// The passage about it: the text under the heading that names it, else the paragraph of
    /// its first mention.
    pub excerpt: String,
    /// Where that passage is: a heading anchor, `None` for the top of the page.
    pub anchor: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RenderedSection {
    pub kind: SectionKind,
    /// The template heading as written (`☀️ 오늘의 목표 (Scrum)`), `None` for the body.
    pub heading: Option<String>,
    pub anchor: Option<String>,
    pub line: usize,
    pub html: String,
    /// Nothing but placeholders (`X`, `없음`, an unedited template link).
    pub is_empty: bool,
}

/// Everything one markdown file yields.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The first H1 (when it is not a template section), with its 1-based line.
    pub title_heading: Option<(String, usize)>,
    pub sections: Vec<RenderedSection>,
    /// Every heading but the title, in order.
    pub headings: Vec<Heading>,
    /// Headings of the body sections, for the table of contents.
    pub toc: Vec<Heading>,
    pub goals: Vec<Goal>,
    pub kpt: Kpt,
    /// Non-whitespace characters of the prose (code blocks excluded).
    pub characters: usize,
    /// Whitespace-separated words of the prose.
    pub words: usize,
    pub hangul_characters: usize,
    /// The opening of the body as plain text, for summaries.
    pub lead: String,
    /// Problems worth telling the author, with their 1-based line.
    pub notes: Vec<(usize, String)>,
    /// The services mentioned, in order of first mention.
    pub tags: Vec<TagMention>,
    /// The text under each heading, as search indexes and quotes it.
    pub passages: Vec<Passage>,
}

/// The text of one stretch of an entry, from a heading (or the top) to the next heading: what
/// search indexes, and quotes as a result's snippet with a link to the heading.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Passage {
    /// The heading's text, `None` for the top of the entry.
    pub heading: Option<String>,
    pub anchor: Option<String>,
    /// Prose, inline code included, whitespace collapsed.
    pub text: String,
    /// Code blocks, apart: search weighs them less.
    pub code: String,
}

impl TagMention {
    pub fn is_primary(&self) -> bool {
        self.titled || self.count >= PRIMARY_MENTIONS
    }
}

/// Maps and sets keyed by offsets and ids made while rendering one file: no outside input
/// chooses their keys, so a fast unkeyed hash is safe, and these are looked up for every event.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_CJK_FRIENDLY_EMPHASIS
}

/// Renders one file's markdown body (front matter already removed); with `passages`, also cuts
/// its text at the headings for search.
pub fn render(source: &str, links: &Links, highlighter: &Highlighter, passages: bool) -> Document {
    let prepared = prepare(source);
    let text: &str = &prepared;
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(text, parser_options())
        .into_offset_iter()
        .collect();
    let line_starts = LineIndex::new(text);

    // Headings first: the sections are cut at the template's headings.
    let headings = collect_headings(&events, &line_starts);
    let template_level = headings
        .iter()
        .filter(|heading| heading.section.is_some())
        .map(|heading| heading.level)
        .min();
    let title_index = headings
        .iter()
        .position(|heading| heading.level == 1 && heading.section.is_none());

    let mut document = Document::default();
    let mut anchors = AnchorSet::default();
    let mut segments: Vec<Segment> = vec![Segment {
        kind: SectionKind::Body,
        heading: None,
        anchor: None,
        line: 1,
        events: 0..0,
    }];
    let mut skip: Vec<Range<usize>> = Vec::new();
    let mut heading_anchor: FastMap<usize, String> = FastMap::default();
    // The level of the open template section's heading, while one is open.
    let mut open_section_level: Option<u8> = None;
    for (position, heading) in headings.iter().enumerate() {
        let is_section = heading.section.is_some() && Some(heading.level) <= template_level;
        if Some(position) == title_index {
            document.title_heading = Some((heading.text.clone(), heading.line));
            skip.push(heading.events.clone());
            continue;
        }
        let anchor = anchors.unique(heading_slug(&heading.text));
        heading_anchor.insert(events[heading.events.start].1.start, anchor.clone());
        if is_section {
            segments.last_mut().expect("a segment").events.end = heading.events.start;
            segments.push(Segment {
                kind: heading.section.expect("section heading"),
                heading: Some(heading.text.clone()),
                anchor: Some(anchor.clone()),
                line: heading.line,
                events: heading.events.end..heading.events.end,
            });
            skip.push(heading.events.clone());
            open_section_level = Some(heading.level);
        } else {
            // Goals, challenge, retrospective and references end at the next heading of their
            // level (`## 오늘 목표` then `## 오늘 결과` in a note of one's own); only the TIL
            // section holds same-level topic headings, as the cohort template has them.
            let open_kind = segments.last().map(|segment| segment.kind);
            if open_section_level.is_some_and(|level| heading.level <= level)
                && !matches!(
                    open_kind,
                    Some(SectionKind::Learned) | Some(SectionKind::Body)
                )
            {
                segments.last_mut().expect("a segment").events.end = heading.events.start;
                segments.push(Segment {
                    kind: SectionKind::Body,
                    heading: None,
                    anchor: None,
                    line: heading.line,
                    events: heading.events.start..heading.events.start,
                });
                open_section_level = None;
            }
            document.headings.push(Heading {
                level: heading.level,
                text: heading.text.clone(),
                anchor,
                line: heading.line,
            });
        }
    }
    segments.last_mut().expect("a segment").events.end = events.len();

    let title_events = title_index.map(|index| headings[index].events.clone());
    if passages {
        document.passages = self::passages(&events, &heading_anchor, title_events.clone());
    }
    let mut found_in_texts = FastMap::default();
    document.tags = match links.tags {
        Some(catalogue) => scan_tags(
            &events,
            &segments,
            &heading_anchor,
            title_events,
            catalogue,
            &mut found_in_texts,
        ),
        None => Vec::new(),
    };
    let tag_urls: FastMap<ServiceId, String> = match links.tags {
        Some(catalogue) => document
            .tags
            .iter()
            .map(|mention| {
                let slug = &catalogue.service(mention.service).slug;
                (
                    mention.service,
                    format!("{}tags/{}/", links.base_path, encode_path(slug)),
                )
            })
            .collect(),
        None => FastMap::default(),
    };

    let mut renderer = Renderer {
        text,
        links,
        highlighter,
        heading_anchor: &heading_anchor,
        line_starts: &line_starts,
        notes: Vec::new(),
        tag_urls: &tag_urls,
        found_in_texts: &found_in_texts,
    };
    let mut stats = Stats::default();
    for segment in &segments {
        let range = segment.events.clone();
        if range.is_empty() && segment.heading.is_none() {
            continue;
        }
        let slice = &events[range.clone()];
        let mut local_skip: Vec<Range<usize>> = skip
            .iter()
            .filter(|skipped| skipped.start >= range.start && skipped.end <= range.end)
            .map(|skipped| skipped.start - range.start..skipped.end - range.start)
            .collect();
        match segment.kind {
            SectionKind::Goals => document.goals.extend(read_goals(slice)),
            SectionKind::Retrospective => {
                let (kpt, consumed) = read_kpt(slice);
                document.kpt.keep.extend(kpt.keep);
                document.kpt.problem.extend(kpt.problem);
                document.kpt.try_next.extend(kpt.try_next);
                local_skip.extend(consumed);
            }
            _ => {}
        }
        local_skip.sort_by_key(|r| r.start);
        let counts_as_prose = matches!(segment.kind, SectionKind::Body | SectionKind::Learned);
        let html = renderer.render(
            slice,
            &local_skip,
            if counts_as_prose {
                Some(&mut stats)
            } else {
                None
            },
        );
        let is_empty = section_is_empty(slice);
        if matches!(segment.kind, SectionKind::Body | SectionKind::Learned) {
            for heading in &document.headings {
                let offset = line_starts.offset_of_line(heading.line);
                let segment_start = slice.first().map(|(_, r)| r.start).unwrap_or(usize::MAX);
                let segment_end = slice.last().map(|(_, r)| r.end).unwrap_or(0);
                if offset >= segment_start && offset < segment_end && heading.level <= 4 {
                    document.toc.push(heading.clone());
                }
            }
        }
        if segment.kind == SectionKind::Body && html.trim().is_empty() && segment.heading.is_none()
        {
            continue;
        }
        document.sections.push(RenderedSection {
            kind: segment.kind,
            heading: segment.heading.clone(),
            anchor: segment.anchor.clone(),
            line: segment.line,
            html,
            is_empty,
        });
    }
    // Template-less sections that hold only KPT items are not empty: the items render apart.
    for section in &mut document.sections {
        if section.kind == SectionKind::Retrospective && !document.kpt.is_empty() {
            section.is_empty = false;
        }
    }
    document.notes = capped_notes(renderer.notes);
    document.characters = stats.characters;
    document.words = stats.words;
    document.hangul_characters = stats.hangul;
    document.lead = stats.lead.trim().to_string();
    document
}

/// The entry's text cut at its headings (the title heading left out: search has the title).
fn passages(
    events: &[(Event, Range<usize>)],
    heading_anchor: &FastMap<usize, String>,
    title: Option<Range<usize>>,
) -> Vec<Passage> {
    enum Target {
        Heading,
        Code,
        Text,
    }
    let mut passages = vec![Passage::default()];
    let mut heading = String::new();
    let mut into = Target::Text;
    for (index, (event, range)) in events.iter().enumerate() {
        if title.as_ref().is_some_and(|title| title.contains(&index)) {
            continue;
        }
        let passage = passages.last_mut().expect("a passage");
        let target = match into {
            Target::Heading => &mut heading,
            Target::Code => &mut passage.code,
            Target::Text => &mut passage.text,
        };
        match event {
            Event::Start(Tag::Heading { .. }) => {
                passages.push(Passage {
                    anchor: heading_anchor.get(&range.start).cloned(),
                    ..Passage::default()
                });
                heading.clear();
                into = Target::Heading;
            }
            Event::End(TagEnd::Heading(_)) => {
                passage.heading = Some(collapse_whitespace(&heading));
                into = Target::Text;
            }
            Event::Start(Tag::CodeBlock(_)) => into = Target::Code,
            Event::End(TagEnd::CodeBlock) => {
                push_collapsed(&mut passage.code, " ");
                into = Target::Text;
            }
            Event::Text(text) | Event::Code(text) => push_collapsed(target, text),
            // `git checkout <commit-hash>`: a placeholder shown as text is text.
            Event::InlineHtml(html) if !is_known_html(html) => push_collapsed(target, html),
            Event::SoftBreak | Event::HardBreak => push_collapsed(target, " "),
            // Between blocks, not inside them: `**버킷**에` is one word.
            Event::Start(
                Tag::Paragraph
                | Tag::Item
                | Tag::List(_)
                | Tag::TableCell
                | Tag::BlockQuote(_)
                | Tag::FootnoteDefinition(_),
            ) => push_collapsed(target, " "),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock,
            ) => push_collapsed(target, " "),
            _ => {}
        }
    }
    for passage in &mut passages {
        for text in [&mut passage.text, &mut passage.code] {
            if text.ends_with(' ') {
                text.pop();
            }
            text.shrink_to_fit();
        }
    }
    // The top of an entry that opens with a heading holds nothing.
    if passages.len() > 1 && passages[0].text.is_empty() && passages[0].code.is_empty() {
        passages.remove(0);
    }
    passages
}

/// Appends `text` with each run of ASCII whitespace made one space, and no space at the start
/// or after a space: the passages' text as one line, made in one pass.
fn push_collapsed(target: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // Whether whitespace came before the stretch about to be pushed.
    let mut space = false;
    let mut start = 0;
    let mut place = 0;
    // Prose is words with one space between them: those stretches go in whole, and only a
    // run of other whitespace cuts. ASCII whitespace is never inside a multi-byte character,
    // so the cuts are boundaries.
    while place < bytes.len() {
        let byte = bytes[place];
        if !byte.is_ascii_whitespace()
            || (byte == b' '
                && place > start
                && bytes
                    .get(place + 1)
                    .is_some_and(|next| !next.is_ascii_whitespace()))
        {
            place += 1;
            continue;
        }
        if start < place {
            if space && !target.is_empty() && !target.ends_with(' ') {
                target.push(' ');
            }
            target.push_str(&text[start..place]);
        }
        space = true;
        while place < bytes.len() && bytes[place].is_ascii_whitespace() {
            place += 1;
        }
        start = place;
    }
    if start < text.len() {
        if space && !target.is_empty() && !target.ends_with(' ') {
            target.push(' ');
        }
        target.push_str(&text[start..]);
    } else if space && !target.is_empty() && !target.ends_with(' ') {
        target.push(' ');
    }
}

/// `text` with each run of whitespace made one space, trimmed.
fn collapse_whitespace(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    collapsed
}

struct Segment {
    kind: SectionKind,
    heading: Option<String>,
    anchor: Option<String>,
    line: usize,
    events: Range<usize>,
}

struct HeadingSpan {
    level: u8,
    text: String,
    line: usize,
    /// Event indices from Start(Heading) to End(Heading), inclusive-exclusive.
    events: Range<usize>,
    section: Option<SectionKind>,
}

fn collect_headings(events: &[(Event, Range<usize>)], lines: &LineIndex) -> Vec<HeadingSpan> {
    let mut headings = Vec::new();
    let mut open: Option<(u8, usize, usize, String)> = None;
    for (index, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                open = Some((
                    heading_level(*level),
                    index,
                    lines.line_of(range.start),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, line, text)) = open.take() {
                    let text = text.trim().to_string();
                    let section = classify_section(&text);
                    headings.push(HeadingSpan {
                        level,
                        text,
                        line,
                        events: start..index + 1,
                        section,
                    });
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, _, buffer)) = &mut open {
                    buffer.push_str(text);
                }
            }
            Event::InlineHtml(html) => {
                // `## git checkout <commit-hash>`: placeholders are part of the heading's text.
                if let Some((_, _, _, buffer)) = &mut open {
                    if !is_known_html(html) {
                        buffer.push_str(html);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, _, buffer)) = &mut open {
                    buffer.push(' ');
                }
            }
            _ => {}
        }
    }
    headings
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Which template section a heading opens, by keyword, ignoring emoji, numbering, a trailing
/// `/` and an `(English)` gloss: `☀️ 오늘의 목표 (Scrum)`, `🔥 도전 과제 & 해결 (…)/`, `후기`.
pub fn classify_section(heading: &str) -> Option<SectionKind> {
    // `# [2026-01-09 TIL]` is a dated title, not the TIL section.
    if !matches!(crate::date::in_text(heading).0, crate::date::Found::Nothing) {
        return None;
    }
    let (main, gloss) = split_gloss(heading);
    let main = strip_decoration(&main);
    let gloss = gloss.to_lowercase();
    let lower = main.to_lowercase();
    let starts = |keywords: &[&str]| {
        keywords.iter().any(|keyword| {
            lower == *keyword
                || lower
                    .strip_prefix(keyword)
                    .is_some_and(|rest| rest.starts_with([' ', '/', ':', '&', '및']))
        })
    };
    let glossed = |keywords: &[&str]| keywords.iter().any(|keyword| gloss.trim() == *keyword);
    if starts(&[
        "오늘의 목표",
        "오늘 목표",
        "목표",
        "스크럼",
        "scrum",
        "goals",
        "today's goals",
    ]) || glossed(&["scrum", "goals"])
    {
        return Some(SectionKind::Goals);
    }
    if starts(&["배운 내용", "오늘 배운 내용", "today i learned", "til"])
        || glossed(&["today i learned", "til"])
    {
        return Some(SectionKind::Learned);
    }
    if starts(&[
        "도전 과제",
        "도전과제",
        "challenge",
        "challenge & solution",
        "트러블슈팅",
    ]) || glossed(&["challenge & solution", "challenge", "challenges"])
    {
        return Some(SectionKind::Challenge);
    }
    if starts(&[
        "오늘의 회고",
        "회고",
        "후기",
        "kpt",
        "keep/problem/try",
        "retrospective",
        "느낀 점",
        "소감",
    ]) || glossed(&["retrospective", "kpt", "retro"])
    {
        return Some(SectionKind::Retrospective);
    }
    if starts(&[
        "참고 자료",
        "참고자료",
        "참고",
        "references",
        "reference",
        "출처",
        "참고 링크",
    ]) || glossed(&["references", "reference"])
    {
        return Some(SectionKind::References);
    }
    None
}

/// `오늘의 목표 (Scrum)` → (`오늘의 목표`, `Scrum`).
fn split_gloss(heading: &str) -> (String, String) {
    let trimmed = heading.trim().trim_end_matches(['/', ':', ' ']);
    if let (Some(open), true) = (trimmed.rfind('('), trimmed.ends_with(')')) {
        let gloss = &trimmed[open + 1..trimmed.len() - 1];
        return (trimmed[..open].trim().to_string(), gloss.to_string());
    }
    (trimmed.to_string(), String::new())
}

/// Drops leading emoji, symbols and numbering (`1.`, `5)`) from a heading.
fn strip_decoration(text: &str) -> String {
    let trimmed = text.trim_start_matches(|c: char| {
        !(c.is_alphanumeric()) || c.is_ascii_digit() || matches!(c, '\u{FE0F}' | '\u{200D}')
    });
    trimmed
        .trim()
        .trim_end_matches(['/', ':'])
        .trim()
        .to_string()
}

fn is_placeholder_value(text: &str) -> bool {
    let value = text
        .trim()
        .trim_matches(|c: char| c == '.' || c == '-' || c == '*' || c.is_whitespace());
    matches!(
        value.to_lowercase().as_str(),
        "" | "x" | "없음" | "없다" | "없습니다" | "n/a" | "na" | "none" | "링크 제목" | "-"
    )
}

/// A section is empty when every list item or paragraph in it is a placeholder, possibly
/// behind a `**label**:` (`- **과제/문제**: X`).
fn section_is_empty(events: &[(Event, Range<usize>)]) -> bool {
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Item)
            | Event::Start(Tag::Paragraph)
            | Event::Start(Tag::TableCell) => {
                if depth == 0 {
                    current.clear();
                }
                depth += 1;
            }
            Event::End(TagEnd::Item)
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::TableCell) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    blocks.push(std::mem::take(&mut current));
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if depth == 0 {
                    blocks.push(text.to_string());
                } else {
                    current.push_str(text);
                }
            }
            // Comments say nothing; code, images and other HTML do.
            Event::Html(html) | Event::InlineHtml(html)
                if html.trim_start().starts_with("<!--") => {}
            Event::Start(Tag::CodeBlock(_))
            | Event::Start(Tag::Image { .. })
            | Event::Html(_)
            | Event::InlineHtml(_) => return false,
            // The template's `[링크 제목](https://www.google.com/search?q=URL)` is no reference.
            Event::Start(Tag::Link { dest_url, .. })
                if !dest_url.contains("google.com/search?q=URL") =>
            {
                current.push_str(dest_url);
            }
            _ => {}
        }
    }
    blocks.iter().all(|block| {
        let value = match block.find([':', '：']) {
            Some(colon) if block[..colon].chars().count() <= 30 => &block[colon + 1..],
            _ => block.as_str(),
        };
        is_placeholder_value(value)
    })
}

/// Scrum goals: each top-level list item, with its `[ ]`/`[x]` state when it has one.
fn read_goals(events: &[(Event, Range<usize>)]) -> Vec<Goal> {
    let mut goals = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<Goal> = None;
    let mut quote_text: Option<String> = None;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Item) => {
                depth += 1;
                if depth == 1 {
                    current = Some(Goal {
                        text: String::new(),
                        done: None,
                    });
                }
            }
            Event::End(TagEnd::Item) => {
                if depth == 1 {
                    if let Some(goal) = current.take() {
                        let text = goal.text.trim().to_string();
                        if !is_placeholder_value(&text) {
                            goals.push(Goal { text, ..goal });
                        }
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::TaskListMarker(done) if depth == 1 => {
                if let Some(goal) = &mut current {
                    goal.done = Some(*done);
                }
            }
            Event::Start(Tag::BlockQuote(_)) if depth == 0 => quote_text = Some(String::new()),
            Event::End(TagEnd::BlockQuote(_)) if depth == 0 => {
                if let Some(text) = quote_text.take() {
                    let text = text.trim().to_string();
                    if !is_placeholder_value(&text) {
                        goals.push(Goal { text, done: None });
                    }
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if depth == 1 {
                    if let Some(goal) = &mut current {
                        goal.text.push_str(text);
                    }
                } else if let Some(buffer) = &mut quote_text {
                    buffer.push_str(text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(goal) = &mut current {
                    goal.text.push(' ');
                }
            }
            _ => {}
        }
    }
    goals
}

#[derive(Clone, Copy, PartialEq)]
enum KptLabel {
    Keep,
    Problem,
    Try,
}

/// `Keep (좋았던 점): 값` → (Keep, `값`). Also `**Keep**:`, `Keep -`, `K:`, `좋았던 점:`.
fn kpt_label(text: &str) -> Option<(KptLabel, &str)> {
    let trimmed = text.trim_start();
    let lower = trimmed.to_lowercase();
    let candidates: [(&str, KptLabel); 9] = [
        ("keep", KptLabel::Keep),
        ("problem", KptLabel::Problem),
        ("try", KptLabel::Try),
        ("좋았던 점", KptLabel::Keep),
        ("잘한 점", KptLabel::Keep),
        ("아쉬웠던 점", KptLabel::Problem),
        ("아쉬운 점", KptLabel::Problem),
        ("시도할 점", KptLabel::Try),
        ("개선할 점", KptLabel::Try),
    ];
    for (word, label) in candidates {
        if !lower.starts_with(word) {
            continue;
        }
        let mut rest = &trimmed[word.len()..];
        if rest.starts_with(|c: char| c.is_alphanumeric()) {
            continue;
        }
        rest = rest.trim_start();
        if rest.starts_with('(') {
            match rest.find(')') {
                Some(close) => rest = rest[close + 1..].trim_start(),
                None => continue,
            }
        }
        if let Some(value) = rest.strip_prefix([':', '：', '-', '–']) {
            return Some((label, value.trim()));
        }
        if rest.is_empty() {
            return Some((label, ""));
        }
    }
    None
}

/// Keep/Problem/Try from a retrospective written as labelled bullets, sub-headings or a table.
/// Returns the items and the event ranges they came from (rendered apart, not twice).
fn read_kpt(events: &[(Event, Range<usize>)]) -> (Kpt, Vec<Range<usize>>) {
    let mut kpt = Kpt::default();
    let mut consumed = Vec::new();
    let push = |kpt: &mut Kpt, label: KptLabel, value: &str| {
        for line in value.lines() {
            let line = line.trim().trim_start_matches(['+', '-', '*']).trim();
            if is_placeholder_value(line) {
                continue;
            }
            let list = match label {
                KptLabel::Keep => &mut kpt.keep,
                KptLabel::Problem => &mut kpt.problem,
                KptLabel::Try => &mut kpt.try_next,
            };
            list.push(line.to_string());
        }
    };

    // Pass 1: labelled list items (and their sub-items) at any list depth 1.
    let mut index = 0;
    let mut list_depth = 0usize;
    let mut heading_label: Option<KptLabel> = None;
    let mut heading_start: Option<usize> = None;
    while index < events.len() {
        match &events[index].0 {
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Heading { .. }) => {
                let end = find_end(events, index);
                let text = plain_text(&events[index..end]);
                if let Some(start) = heading_start.take() {
                    consumed.push(start..index);
                }
                heading_label = kpt_label(&text)
                    .filter(|(_, rest)| rest.is_empty())
                    .map(|(label, _)| label);
                if heading_label.is_some() {
                    heading_start = Some(index);
                }
                index = end;
                continue;
            }
            Event::Start(Tag::Item) if list_depth == 1 => {
                let end = find_end(events, index);
                let (own, nested) = item_text(&events[index..end]);
                if let Some((label, value)) = kpt_label(&own) {
                    push(&mut kpt, label, value);
                    for line in nested {
                        push(&mut kpt, label, &line);
                    }
                    consumed.push(index..end);
                } else if let Some(label) = heading_label {
                    push(&mut kpt, label, &own);
                    for line in nested {
                        push(&mut kpt, label, &line);
                    }
                }
                index = end;
                continue;
            }
            Event::Start(Tag::Paragraph) if list_depth == 0 => {
                let end = find_end(events, index);
                let text = plain_text(&events[index..end]);
                if let Some(label) = heading_label {
                    push(&mut kpt, label, &text);
                } else if let Some((label, value)) = kpt_label(&text) {
                    push(&mut kpt, label, value);
                    consumed.push(index..end);
                }
                index = end;
                continue;
            }
            Event::Start(Tag::Table(_)) => {
                let end = find_end(events, index);
                if read_kpt_table(&events[index..end], &mut kpt, &push) {
                    consumed.push(index..end);
                }
                index = end;
                continue;
            }
            _ => {}
        }
        index += 1;
    }
    if let Some(start) = heading_start {
        consumed.push(start..events.len());
    }
    // A list whose every item was consumed goes entirely, so no empty <ul> is left.
    let mut lists = Vec::new();
    let mut open_lists: Vec<usize> = Vec::new();
    for (position, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::List(_)) => open_lists.push(position),
            Event::End(TagEnd::List(_)) => {
                if let Some(start) = open_lists.pop() {
                    if open_lists.is_empty() {
                        lists.push(start..position + 1);
                    }
                }
            }
            _ => {}
        }
    }
    for list in lists {
        let mut position = list.start + 1;
        let mut all_consumed = true;
        let mut any_item = false;
        while position < list.end - 1 {
            if matches!(events[position].0, Event::Start(Tag::Item)) {
                any_item = true;
                let end = find_end(events, position);
                if !consumed
                    .iter()
                    .any(|range| range.start <= position && range.end >= end)
                {
                    all_consumed = false;
                }
                position = end;
            } else {
                position += 1;
            }
        }
        if any_item && all_consumed {
            consumed.push(list);
        }
    }
    (kpt, consumed)
}

fn read_kpt_table(
    events: &[(Event, Range<usize>)],
    kpt: &mut Kpt,
    push: &impl Fn(&mut Kpt, KptLabel, &str),
) -> bool {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cell = String::new();
    for (event, _) in events {
        match event {
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell.clear(),
            Event::End(TagEnd::TableCell) => {
                if let Some(row) = rows.last_mut() {
                    row.push(cell.trim().to_string());
                }
            }
            Event::Text(text) | Event::Code(text) => cell.push_str(text),
            Event::HardBreak | Event::SoftBreak => cell.push('\n'),
            Event::InlineHtml(html) if html.starts_with("<br") => cell.push('\n'),
            _ => {}
        }
    }
    let Some(header) = rows.first() else {
        return false;
    };
    let column_labels: Vec<Option<KptLabel>> = header
        .iter()
        .map(|cell| {
            kpt_label(cell)
                .filter(|(_, rest)| rest.is_empty())
                .map(|(l, _)| l)
        })
        .collect();
    if column_labels.iter().filter(|label| label.is_some()).count() >= 2 {
        for row in &rows[1..] {
            for (cell, label) in row.iter().zip(&column_labels) {
                if let Some(label) = label {
                    push(kpt, *label, cell);
                }
            }
        }
        return true;
    }
    let row_labels: Vec<(KptLabel, String)> = rows
        .iter()
        .filter_map(|row| {
            let label = kpt_label(row.first()?)?.0;
            Some((label, row[1..].join("\n")))
        })
        .collect();
    if row_labels.len() >= 2 {
        for (label, value) in row_labels {
            push(kpt, label, &value);
        }
        return true;
    }
    false
}

/// Index just past the End matching the Start at `start`.
fn find_end(events: &[(Event, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (offset, (event, _)) in events[start..].iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return start + offset + 1;
                }
            }
            _ => {}
        }
    }
    events.len()
}

fn plain_text(events: &[(Event, Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(value) | Event::Code(value) => text.push_str(value),
            Event::SoftBreak | Event::HardBreak => text.push('\n'),
            _ => {}
        }
    }
    text
}

/// An item's own text (its paragraphs) and the text of each nested item, one per line.
fn item_text(events: &[(Event, Range<usize>)]) -> (String, Vec<String>) {
    let mut own = String::new();
    let mut nested = Vec::new();
    let mut depth = 0usize;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Item) => {
                depth += 1;
                if depth == 2 {
                    nested.push(String::new());
                }
            }
            Event::End(TagEnd::Item) => depth = depth.saturating_sub(1),
            Event::Text(value) | Event::Code(value) => {
                if depth >= 2 {
                    if let Some(last) = nested.last_mut() {
                        last.push_str(value);
                    }
                } else {
                    own.push_str(value);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if depth >= 2 {
                    if let Some(last) = nested.last_mut() {
                        last.push(' ');
                    }
                } else {
                    own.push('\n');
                }
            }
            _ => {}
        }
    }
    (own, nested)
}

#[derive(Default)]
struct Stats {
    characters: usize,
    words: usize,
    hangul: usize,
    lead: String,
    lead_done: bool,
}

impl Stats {
    /// Counts characters, Hangul and words as `char::is_whitespace` splits them, a byte at a
    /// time where the text is ASCII: every text run of every entry goes through here.
    fn count(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut in_word = false;
        let mut place = 0;
        while place < bytes.len() {
            let byte = bytes[place];
            let (whitespace, hangul, width) = if byte < 0x80 {
                (matches!(byte, b'\t'..=b'\r' | b' '), false, 1)
            } else {
                let (point, width) = crate::load::code_point_at(bytes, place);
                (
                    matches!(
                        point,
                        0x85 | 0xA0 | 0x1680 | 0x2000
                            ..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000
                    ),
                    matches!(point, 0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F),
                    width,
                )
            };
            place += width;
            if whitespace {
                in_word = false;
            } else {
                self.characters += 1;
                self.hangul += usize::from(hangul);
                if !in_word {
                    self.words += 1;
                    in_word = true;
                }
            }
        }
    }
}

pub fn is_hangul(character: char) -> bool {
    matches!(character, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// What a line is, for deciding whether it titles the services it names.
#[derive(Clone, Copy, PartialEq)]
enum LineRole {
    /// The first line of a list item: a title when the part before `:` is short.
    ItemFirstLine,
    /// A Scrum goal: it names the day's topics.
    Goal,
    /// The first line of a paragraph: a title when it starts like a pseudo-list item
    /// (`(1) CloudWatch`, `※ Compute Optimizer : …`, `① S3`).
    ParagraphFirstLine,
}

const TITLE_CHARACTERS: usize = 40;
const EXCERPT_CHARACTERS: usize = 200;

fn starts_like_a_pseudo_item(line: &str) -> bool {
    let trimmed = line.trim_start();
    let mut characters = trimmed.chars();
    match characters.next() {
        Some('※') | Some('▶') | Some('■') | Some('●') => true,
        Some('①'..='⑳') => true,
        Some('(') => characters.next().is_some_and(|c| c.is_ascii_digit()),
        Some(c) if c.is_ascii_digit() => trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .starts_with(')'),
        _ => false,
    }
}

/// Finds the services an entry mentions, where, and which ones it is about.
fn scan_tags(
    events: &[(Event, Range<usize>)],
    segments: &[Segment],
    heading_anchor: &FastMap<usize, String>,
    title: Option<Range<usize>>,
    catalogue: &Catalogue,
    found_in_texts: &mut FastMap<usize, Vec<crate::tags::Found>>,
) -> Vec<TagMention> {
    struct Tally {
        mention: TagMention,
        /// Seen only written as an ordinary word (`Lambda`), so far.
        only_ordinary: bool,
        /// The excerpt came from a heading that names the service (it wins over a paragraph).
        excerpt_from_heading: bool,
        /// Each place's index in `mention.places` by the fingerprint of (section, anchor): a
        /// service under each of 27,000 headings must not search 27,000 places per mention.
        place_index: FastMap<u64, usize>,
    }
    let mut tallies: Vec<Tally> = Vec::new();
    let mut index_of: FastMap<ServiceId, usize> = FastMap::default();
    let mut about_aws = false;
    let mut anchor: Option<String> = None;
    let mut in_code = false;
    let mut heading: Option<(String, Option<String>)> = None;
    let mut line: Option<(LineRole, String)> = None;
    let mut block = String::new();
    let mut awaiting_excerpt: Vec<usize> = Vec::new();
    let mut under_heading: Option<(Vec<usize>, String, Option<String>)> = None;
    let mut segment = 0;
    let mut pending_title: Option<String> = None;

    let note = |tallies: &mut Vec<Tally>,
                index_of: &mut FastMap<ServiceId, usize>,
                found: crate::tags::Found,
                section: SectionKind,
                anchor: &Option<String>,
                titled: bool|
     -> usize {
        let position = *index_of.entry(found.service).or_insert_with(|| {
            tallies.push(Tally {
                mention: TagMention {
                    service: found.service,
                    count: 0,
                    titled: false,
                    places: Vec::new(),
                    excerpt: String::new(),
                    anchor: None,
                },
                only_ordinary: true,
                excerpt_from_heading: false,
                place_index: FastMap::default(),
            });
            tallies.len() - 1
        });
        let tally = &mut tallies[position];
        tally.only_ordinary &= found.needs_context;
        if titled {
            tally.mention.titled = true;
        } else {
            tally.mention.count += 1;
            let key = crate::model::fingerprint(&(section, anchor.as_deref()));
            let places = &mut tally.mention.places;
            let known = tally
                .place_index
                .get(&key)
                .copied()
                .filter(|&at| places[at].section == section && places[at].anchor == *anchor)
                // A fingerprint shared by two places: look the slow way.
                .or_else(|| {
                    tally.place_index.contains_key(&key).then(|| {
                        places
                            .iter()
                            .position(|place| place.section == section && place.anchor == *anchor)
                    })?
                });
            match known {
                Some(at) => places[at].count += 1,
                None => {
                    tally.place_index.entry(key).or_insert(places.len());
                    places.push(TagPlace {
                        section,
                        anchor: anchor.clone(),
                        count: 1,
                    });
                }
            }
        }
        position
    };

    // The services a title names; three or more are an enumeration, not a topic.
    let title_services = |head: &str,
                          tallies: &mut Vec<Tally>,
                          index_of: &mut FastMap<ServiceId, usize>,
                          section: SectionKind,
                          anchor: &Option<String>| {
        let found = catalogue.find(head);
        let mut distinct: Vec<ServiceId> = found.iter().map(|f| f.service).collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() >= 3 {
            return;
        }
        for found in found {
            note(tallies, index_of, found, section, anchor, true);
        }
    };

    for (index, (event, range)) in events.iter().enumerate() {
        while segment + 1 < segments.len() && index >= segments[segment].events.end {
            segment += 1;
        }
        let section = segments[segment].kind;
        let is_title = title.as_ref().is_some_and(|title| title.contains(&index));
        if let Some(head) = pending_title.take() {
            if !matches!(event, Event::End(TagEnd::Item)) {
                title_services(&head, &mut tallies, &mut index_of, section, &anchor);
            }
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((String::new(), heading_anchor.get(&range.start).cloned()));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((text, heading_anchor)) = heading.take() else {
                    continue;
                };
                if !is_title {
                    anchor = heading_anchor.clone();
                }
                let mut named = Vec::new();
                for found in catalogue.find(&text) {
                    about_aws |= !found.needs_context;
                    let position = note(&mut tallies, &mut index_of, found, section, &anchor, true);
                    if !named.contains(&position) {
                        named.push(position);
                    }
                }
                under_heading = if named.is_empty() || is_title {
                    None
                } else {
                    Some((named, String::new(), heading_anchor))
                };
            }
            Event::Start(Tag::Item) => {
                let role = if section == SectionKind::Goals {
                    LineRole::Goal
                } else {
                    LineRole::ItemFirstLine
                };
                line = Some((role, String::new()));
            }
            Event::Start(Tag::Paragraph) if line.is_none() => {
                line = Some((LineRole::ParagraphFirstLine, String::new()));
            }
            Event::Text(text) if !in_code => {
                if let Some((buffer, _)) = &mut heading {
                    buffer.push_str(text);
                    continue;
                }
                if !about_aws {
                    about_aws = names_aws(text);
                }
                let found_here = catalogue.find(text);
                for &found in &found_here {
                    about_aws |= !found.needs_context;
                    let position =
                        note(&mut tallies, &mut index_of, found, section, &anchor, false);
                    if tallies[position].mention.excerpt.is_empty()
                        && !awaiting_excerpt.contains(&position)
                    {
                        awaiting_excerpt.push(position);
                    }
                }
                if !found_here.is_empty() {
                    found_in_texts.insert(range.start, found_here);
                }
                if let Some((_, buffer)) = &mut line {
                    buffer.push_str(text);
                }
                block.push_str(text);
                if let Some((_, buffer, _)) = &mut under_heading {
                    if buffer.chars().count() < EXCERPT_CHARACTERS * 2 {
                        buffer.push_str(text);
                        buffer.push(' ');
                    }
                }
            }
            Event::Code(text) => {
                if let Some((buffer, _)) = &mut heading {
                    buffer.push_str(text);
                    continue;
                }
                if let Some((_, buffer)) = &mut line {
                    buffer.push_str(text);
                }
                block.push_str(text);
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::Start(Tag::List(_))
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item) => {
                if let Some((role, text)) = line.take() {
                    // A goal goes on to its end; other lines are judged at their first break.
                    if role == LineRole::Goal
                        && matches!(event, Event::SoftBreak | Event::HardBreak)
                    {
                        line = Some((role, text));
                    } else {
                        let (head, has_colon) = match text.find([':', '：']) {
                            Some(colon) => (text[..colon].to_string(), true),
                            None => (text.clone(), false),
                        };
                        let short = head.trim().chars().count() <= TITLE_CHARACTERS;
                        let titled = match role {
                            LineRole::Goal => Some(true),
                            // `- **Keep**: …` and `1. VPC 엔드포인트` with sub-items are titles; a
                            // short statement with nothing under it is not.
                            LineRole::ItemFirstLine if short && has_colon => Some(true),
                            LineRole::ItemFirstLine if short => match event {
                                Event::Start(Tag::List(_)) => Some(true),
                                Event::End(TagEnd::Paragraph) => None,
                                _ => Some(false),
                            },
                            LineRole::ItemFirstLine => Some(false),
                            LineRole::ParagraphFirstLine => {
                                Some(short && starts_like_a_pseudo_item(&text))
                            }
                        };
                        match titled {
                            Some(true) => {
                                title_services(&head, &mut tallies, &mut index_of, section, &anchor)
                            }
                            // A loose item's first paragraph: a title if more follows in the item.
                            None => pending_title = Some(head),
                            Some(false) => {}
                        }
                    }
                }
                if matches!(event, Event::SoftBreak | Event::HardBreak) {
                    block.push(' ');
                } else {
                    for position in awaiting_excerpt.drain(..) {
                        let tally = &mut tallies[position];
                        if tally.mention.excerpt.is_empty() {
                            tally.mention.excerpt =
                                crate::text::truncate_chars(&block, EXCERPT_CHARACTERS);
                            tally.mention.anchor = anchor.clone();
                        }
                    }
                    block.clear();
                }
            }
            _ => {}
        }
        // The passage under a heading that names a service ends at the next heading.
        if matches!(event, Event::Start(Tag::Heading { .. })) {
            if let Some((named, text, heading_anchor)) = under_heading.take() {
                for position in named {
                    let tally = &mut tallies[position];
                    if !tally.excerpt_from_heading && !text.trim().is_empty() {
                        tally.mention.excerpt =
                            crate::text::truncate_chars(&text, EXCERPT_CHARACTERS);
                        tally.mention.anchor = heading_anchor.clone();
                        tally.excerpt_from_heading = true;
                    }
                }
            }
        }
    }
    if let Some((named, text, heading_anchor)) = under_heading.take() {
        for position in named {
            let tally = &mut tallies[position];
            if !tally.excerpt_from_heading && !text.trim().is_empty() {
                tally.mention.excerpt = crate::text::truncate_chars(&text, EXCERPT_CHARACTERS);
                tally.mention.anchor = heading_anchor.clone();
                tally.excerpt_from_heading = true;
            }
        }
    }
    for position in awaiting_excerpt {
        let tally = &mut tallies[position];
        if tally.mention.excerpt.is_empty() {
            tally.mention.excerpt = crate::text::truncate_chars(&block, EXCERPT_CHARACTERS);
            tally.mention.anchor = anchor.clone();
        }
    }
    tallies
        .into_iter()
        // `Lambda` alone is a Java lambda unless the entry is about AWS.
        .filter(|tally| about_aws || !tally.only_ordinary)
        .map(|tally| tally.mention)
        .collect()
}

struct Renderer<'a> {
    text: &'a str,
    links: &'a Links<'a>,
    highlighter: &'a Highlighter,
    heading_anchor: &'a FastMap<usize, String>,
    line_starts: &'a LineIndex,
    notes: Vec<(usize, String)>,
    /// Tag page of each service the entry mentions; its first mention in each section links there.
    tag_urls: &'a FastMap<ServiceId, String>,
    /// The services each text run names, by its byte offset, as `scan_tags` found them: the
    /// renderer links them without searching the text again.
    found_in_texts: &'a FastMap<usize, Vec<crate::tags::Found>>,
}

impl Renderer<'_> {
    /// Renders a slice of events, leaving out the `skip` ranges (relative to the slice).
    fn render(
        &mut self,
        events: &[(Event, Range<usize>)],
        skip: &[Range<usize>],
        mut stats: Option<&mut Stats>,
    ) -> String {
        let mut output: Vec<Event> = Vec::with_capacity(events.len());
        let mut has_raw_html = false;
        let mut code: Option<(Option<String>, String)> = None;
        let mut html_block: Option<(String, usize)> = None;
        let mut tilde_stack: Vec<bool> = Vec::new();
        let mut in_heading = false;
        let mut link_depth = 0usize;
        let mut image_stack: Vec<bool> = Vec::new();
        let mut linked_tags: FastSet<ServiceId> = FastSet::default();
        let unclosed = unclosed_inline_tags(events);
        let mut paragraph_depth = 0usize;
        let mut table_depth = 0usize;
        let mut index = 0;
        let mut skip_iter = skip.iter().peekable();
        while index < events.len() {
            while let Some(range) = skip_iter.peek() {
                if range.end <= index {
                    skip_iter.next();
                } else {
                    break;
                }
            }
            if let Some(range) = skip_iter.peek() {
                if range.start <= index {
                    index = range.end;
                    continue;
                }
            }
            let (event, range) = &events[index];
            index += 1;
            if let Some((_, buffer)) = &mut code {
                match event {
                    Event::Text(text) => buffer.push_str(text),
                    Event::End(TagEnd::CodeBlock) => {
                        let (label, body) = code.take().expect("open code block");
                        output.push(Event::Html(
                            self.highlighter.block(&body, label.as_deref()).into(),
                        ));
                    }
                    _ => {}
                }
                continue;
            }
            if let Some((buffer, _)) = &mut html_block {
                match event {
                    Event::Html(html) | Event::Text(html) => buffer.push_str(html),
                    Event::End(TagEnd::HtmlBlock) => {
                        let (block, line) = html_block.take().expect("open html block");
                        match classify_html_block(&block) {
                            HtmlBlock::Pass => {
                                has_raw_html = true;
                                let (block, left_open) = escape_unclosed_raw_text(&block);
                                if let Some(name) = left_open {
                                    self.notes.push((
                                        line,
                                        format!("`<{name}>` is not closed in this HTML block: shown as text (GitHub hides what follows it)"),
                                    ));
                                }
                                output.push(Event::Html(block.into_owned().into()));
                            }
                            HtmlBlock::Source => {
                                self.notes.push((
                                    line,
                                    "raw HTML document shown as code; fence it with ```html".into(),
                                ));
                                output.push(Event::Html(
                                    self.highlighter.block(&block, Some("html")).into(),
                                ));
                            }
                            HtmlBlock::Text => {
                                output.push(Event::Html("<p>".into()));
                                let mut first = true;
                                for line in block.trim_end().lines() {
                                    if !first {
                                        output.push(Event::HardBreak);
                                    }
                                    first = false;
                                    output.push(Event::Text(line.to_string().into()));
                                }
                                output.push(Event::Html("</p>\n".into()));
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let label = match kind {
                        CodeBlockKind::Fenced(info) if !info.trim().is_empty() => {
                            Some(info.to_string())
                        }
                        _ => None,
                    };
                    code = Some((label, String::new()));
                }
                Event::Start(Tag::HtmlBlock) => {
                    html_block = Some((String::new(), self.line_starts.line_of(range.start)));
                }
                Event::Start(Tag::Heading {
                    level,
                    classes,
                    attrs,
                    ..
                }) => {
                    in_heading = true;
                    let id = self.heading_anchor_for(events, index - 1);
                    output.push(Event::Start(Tag::Heading {
                        level: *level,
                        id: id.map(CowStr::from),
                        classes: classes.clone(),
                        attrs: attrs.clone(),
                    }));
                }
                Event::End(TagEnd::Heading(level)) => {
                    in_heading = false;
                    output.push(Event::End(TagEnd::Heading(*level)));
                }
                Event::Start(Tag::Strikethrough) => {
                    // GFM strikes `리전~리전 간 OK / 계정~계정`; only `~~` means strikethrough here.
                    let real = self.text[range.start..].starts_with("~~");
                    tilde_stack.push(real);
                    output.push(if real {
                        Event::Start(Tag::Strikethrough)
                    } else {
                        Event::Text("~".into())
                    });
                }
                Event::End(TagEnd::Strikethrough) => {
                    let real = tilde_stack.pop().unwrap_or(true);
                    output.push(if real {
                        Event::End(TagEnd::Strikethrough)
                    } else {
                        Event::Text("~".into())
                    });
                }
                Event::End(TagEnd::Link) => {
                    link_depth = link_depth.saturating_sub(1);
                    output.push(event.clone());
                }
                Event::End(TagEnd::Image) => {
                    link_depth = link_depth.saturating_sub(1);
                    output.push(if image_stack.pop().unwrap_or(true) {
                        event.clone()
                    } else {
                        Event::Html("</span>".into())
                    });
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    link_depth += 1;
                    output.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: self.resolve(dest_url, range.start).into(),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    link_depth += 1;
                    let resolved = self.resolve(dest_url, range.start);
                    // A Notion `attachment:` or similar address no browser loads: the image's
                    // alt text stands in its place.
                    let loadable = !resolved.contains(':')
                        || ["http://", "https://", "data:image/", "/"]
                            .iter()
                            .any(|start| resolved.starts_with(start));
                    image_stack.push(loadable);
                    output.push(if loadable {
                        Event::Start(Tag::Image {
                            link_type: *link_type,
                            dest_url: resolved.into(),
                            title: title.clone(),
                            id: id.clone(),
                        })
                    } else {
                        Event::Html(
                            format!(
                                "<span class=\"image-unavailable\" title=\"{}\">",
                                escape_html(dest_url)
                            )
                            .into(),
                        )
                    });
                }
                Event::InlineHtml(html) => {
                    if unclosed.contains(&(index - 1)) {
                        // `CSS는 <style> 태그 안에…`: a tag left open would swallow or restyle
                        // everything after it (GitHub shows nothing past it); it is the author's
                        // words about the tag.
                        let line = self.line_starts.line_of(range.start);
                        self.notes.push((
                            line,
                            format!(
                                "`{}` is not closed in this paragraph: shown as text (GitHub hides what follows it); write it as `{}` in backticks",
                                html.trim(),
                                html.trim()
                            ),
                        ));
                        output.push(Event::Text(html.clone()));
                    } else if is_known_html(html) {
                        has_raw_html = true;
                        output.push(Event::InlineHtml(html.clone()));
                    } else {
                        // `List<PlaylistTrack>`, `git checkout <commit-hash>`: text, not a tag.
                        output.push(Event::Text(html.clone()));
                    }
                }
                Event::Html(html) => {
                    has_raw_html = true;
                    output.push(Event::Html(html.clone()));
                }
                Event::Text(text) => {
                    if let Some(stats) = stats.as_deref_mut() {
                        if !in_heading {
                            stats.count(text);
                            if paragraph_depth > 0 && table_depth == 0 && !stats.lead_done {
                                stats.lead.push_str(text);
                            }
                        }
                    }
                    match self.found_in_texts.get(&range.start) {
                        Some(found) if !in_heading && link_depth == 0 => {
                            self.push_with_tag_links(text, found, &mut output, &mut linked_tags)
                        }
                        _ => output.push(Event::Text(text.clone())),
                    }
                }
                Event::Code(text) => {
                    if let Some(stats) = stats.as_deref_mut() {
                        stats.count(text);
                        if paragraph_depth > 0 && table_depth == 0 && !stats.lead_done {
                            stats.lead.push_str(text);
                        }
                    }
                    output.push(Event::Code(text.clone()));
                }
                Event::SoftBreak => {
                    if let Some(stats) = stats.as_deref_mut() {
                        if paragraph_depth > 0 && !stats.lead_done {
                            stats.lead.push(' ');
                        }
                    }
                    // Korean notes put one thought per line and expect to see it that way.
                    output.push(Event::HardBreak);
                }
                Event::Start(Tag::Paragraph) => {
                    paragraph_depth += 1;
                    output.push(event.clone());
                }
                Event::End(TagEnd::Paragraph) => {
                    paragraph_depth = paragraph_depth.saturating_sub(1);
                    if let Some(stats) = stats.as_deref_mut() {
                        if !stats.lead_done {
                            if stats.lead.chars().count() >= 120 {
                                stats.lead_done = true;
                            } else if !stats.lead.is_empty() {
                                stats.lead.push(' ');
                            }
                        }
                    }
                    output.push(event.clone());
                }
                Event::Start(Tag::Table(_)) => {
                    table_depth += 1;
                    output.push(event.clone());
                }
                Event::End(TagEnd::Table) => {
                    table_depth = table_depth.saturating_sub(1);
                    output.push(event.clone());
                }
                other => output.push(other.clone()),
            }
        }
        // The section's own span of the source is a fair guess of its HTML's length; the text
        // is kept until the site is written, so it is held without spare room (sections sized
        // by the whole entry's length once held three times their text: 400 MB at 10,000 entries).
        let span = match (events.first(), events.last()) {
            (Some((_, first)), Some((_, last))) => last.end.saturating_sub(first.start),
            _ => 0,
        };
        let mut html = String::with_capacity(span + span / 2);
        pulldown_cmark::html::push_html(&mut html, output.into_iter());
        let mut html = if has_raw_html {
            sanitize(&html, self.links)
        } else {
            html
        };
        html.shrink_to_fit();
        html
    }

    /// Pushes `text`, turning the first mention of each tagged service in this section into a
    /// link to its tag page.
    fn push_with_tag_links<'e>(
        &self,
        text: &CowStr<'e>,
        found_here: &[crate::tags::Found],
        output: &mut Vec<Event<'e>>,
        linked: &mut FastSet<ServiceId>,
    ) {
        let Some(catalogue) = self.links.tags else {
            output.push(Event::Text(text.clone()));
            return;
        };
        let mut last = 0;
        for found in found_here {
            let Some(url) = self.tag_urls.get(&found.service) else {
                continue;
            };
            if !linked.insert(found.service) {
                continue;
            }
            if found.start > last {
                output.push(Event::Text(text[last..found.start].to_string().into()));
            }
            let service = catalogue.service(found.service);
            output.push(Event::Html(
                format!(
                    "<a class=\"tag-link\" href=\"{}\" title=\"{}\">",
                    escape_html(url),
                    escape_html(&service.name)
                )
                .into(),
            ));
            output.push(Event::Text(text[found.start..found.end].to_string().into()));
            output.push(Event::Html("</a>".into()));
            last = found.end;
        }
        if last == 0 {
            output.push(Event::Text(text.clone()));
        } else if last < text.len() {
            output.push(Event::Text(text[last..].to_string().into()));
        }
    }

    /// Anchors are keyed by the byte offset of the heading's Start event.
    fn heading_anchor_for(
        &self,
        events: &[(Event, Range<usize>)],
        local_index: usize,
    ) -> Option<String> {
        self.heading_anchor
            .get(&events[local_index].1.start)
            .cloned()
    }

    fn resolve(&mut self, destination: &str, offset: usize) -> String {
        match resolve_link(destination, self.links) {
            Some(url) => url,
            None => {
                self.notes.push((
                    self.line_starts.line_of(offset),
                    format!("unsafe link `{destination}` removed"),
                ));
                "#".to_string()
            }
        }
    }
}

/// Where a link in an entry points on the built site. `None` for a scheme that must never
/// reach the page (`javascript:`, `vbscript:`, `data:` other than images).
pub fn resolve_link(destination: &str, links: &Links) -> Option<String> {
    let destination = destination.trim();
    if destination.is_empty() || destination.starts_with('#') {
        return Some(destination.to_string());
    }
    if let Some(colon) = destination.find(':') {
        let scheme = &destination[..colon];
        if !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && !destination[..colon].contains('/')
        {
            let scheme = scheme.to_ascii_lowercase();
            return match scheme.as_str() {
                "javascript" | "vbscript" | "file" => None,
                "data" if !destination[colon + 1..].trim_start().starts_with("image/") => None,
                _ => Some(destination.to_string()),
            };
        }
    }
    if destination.starts_with("//") {
        return Some(destination.to_string());
    }
    let (path_part, suffix) = match destination.find(['#', '?']) {
        Some(split) => (&destination[..split], &destination[split..]),
        None => (destination, ""),
    };
    let decoded = decode_percent(path_part);
    let joined = if let Some(absolute) = decoded.strip_prefix('/') {
        absolute.to_string()
    } else if links.source_dir.is_empty() {
        decoded.clone()
    } else {
        format!("{}/{}", links.source_dir, decoded)
    };
    let Some(normalized) = normalize_path(&joined) else {
        return Some(destination.to_string());
    };
    let with_extension = format!("{normalized}.md");
    if let Some(looked_up) = links.looked_up {
        looked_up
            .lock()
            .expect("no parser panicked")
            .extend([normalized.clone(), with_extension.clone()]);
    }
    let target = match links.pages.get(&normalized) {
        Some(page) => page.clone(),
        None => match links.pages.get(&with_extension) {
            Some(page) => page.clone(),
            None => normalized,
        },
    };
    Some(format!(
        "{}{}{}",
        links.base_path,
        encode_path(&target),
        suffix
    ))
}

/// `a/./b/../c` → `a/c`; `None` when it climbs above the root.
pub(crate) fn normalize_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let trailing = path.ends_with('/') && !parts.is_empty();
    let mut joined = parts.join("/");
    if trailing {
        joined.push('/');
    }
    Some(joined)
}

enum HtmlBlock {
    /// Allowed HTML (`<img>`, `<details>`, comments): sanitised and kept.
    Pass,
    /// A pasted HTML document (`<html>`, `<head>`, `<style>` …): shown as code.
    Source,
    /// Starts with a `<placeholder>` that is no HTML element: shown as text.
    Text,
}

fn classify_html_block(block: &str) -> HtmlBlock {
    let trimmed = block.trim_start();
    if trimmed.starts_with("<!--") {
        return HtmlBlock::Pass;
    }
    let lower = trimmed.to_ascii_lowercase();
    const DOCUMENT_TAGS: [&str; 10] = [
        "<!doctype",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<link",
        "<style",
        "<script",
        "<title",
        "<iframe",
    ];
    if DOCUMENT_TAGS.iter().any(|tag| lower.starts_with(tag)) {
        return HtmlBlock::Source;
    }
    if is_known_html(trimmed) {
        HtmlBlock::Pass
    } else {
        HtmlBlock::Text
    }
}

/// A file's notes (warnings of the build), at most `MOST_NOTES` and one that counts the rest:
/// 20,000 unclosed tags on one line are one problem to the author, not 20,000 lines.
fn capped_notes(mut notes: Vec<(usize, String)>) -> Vec<(usize, String)> {
    const MOST_NOTES: usize = 20;
    if notes.len() > MOST_NOTES {
        let more = notes.len() - MOST_NOTES;
        notes.truncate(MOST_NOTES);
        let line = notes.last().map_or(1, |(line, _)| *line);
        notes.push((
            line,
            format!("{more} more warnings like these in this file are not listed"),
        ));
    }
    notes
}

/// Elements whose content the HTML parser reads as raw text, drops, or hides: left open, each
/// swallows the rest of its section.
const RAW_TEXT_ELEMENTS: [&str; 14] = [
    "iframe",
    "math",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "plaintext",
    "script",
    "select",
    "style",
    "svg",
    "template",
    "textarea",
    "title",
];

/// Elements that need no end tag, or whose end tag the parser supplies at the block's end.
const SELF_ENDING_ELEMENTS: [&str; 27] = [
    "area", "base", "br", "caption", "col", "colgroup", "dd", "dt", "embed", "hr", "img", "input",
    "li", "link", "meta", "optgroup", "option", "p", "param", "rp", "rt", "source", "tbody", "td",
    "tfoot", "th", "track",
];

/// An inline tag's element name, and whether it opens (not `</x>`, not `<x/>`).
fn tag_name(html: &str) -> Option<(String, bool)> {
    let rest = html.trim().strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    let self_closing = html.trim_end().ends_with("/>");
    Some((name, !closing && !self_closing))
}

/// The places (in `events`) of inline tags opened and not closed within their block, which
/// are text: `CSS는 <style> 태그` must not hide the paragraphs after it. One pass: each block
/// keeps its open tags, a closing tag closes the latest of its name, the block's end leaves
/// the rest open.
fn unclosed_inline_tags(events: &[(Event, Range<usize>)]) -> FastSet<usize> {
    let mut unclosed = FastSet::default();
    // Per open block: its open tags (name, place).
    let mut blocks: Vec<Vec<(String, usize)>> = vec![Vec::new()];
    for (place, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(tag) if !is_inline_tag(tag) => blocks.push(Vec::new()),
            Event::End(end) if !is_inline_end(end) => {
                if let Some(open) = blocks.pop() {
                    unclosed.extend(open.into_iter().map(|(_, place)| place));
                }
                if blocks.is_empty() {
                    blocks.push(Vec::new());
                }
            }
            Event::InlineHtml(html) if is_known_html(html) => {
                let Some((name, opens)) = tag_name(html) else {
                    continue;
                };
                if SELF_ENDING_ELEMENTS.contains(&name.as_str()) {
                    continue;
                }
                let open = blocks.last_mut().expect("a block is always open");
                if opens {
                    open.push((name, place));
                } else if let Some(at) = open.iter().rposition(|(open, _)| *open == name) {
                    open.remove(at);
                }
            }
            _ => {}
        }
    }
    for open in blocks {
        unclosed.extend(open.into_iter().map(|(_, place)| place));
    }
    unclosed
}

fn is_inline_tag(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// An HTML block whose `<style>`, `<script>`, `<textarea>` … is not closed within it would
/// swallow the rest of the section: such an opening tag is escaped into text. Returns the
/// block and the first element left open.
fn escape_unclosed_raw_text(block: &str) -> (Cow<'_, str>, Option<&'static str>) {
    let lower = block.to_ascii_lowercase();
    let mut places: Vec<usize> = Vec::new();
    let mut first = None;
    for name in RAW_TEXT_ELEMENTS {
        let opening = format!("<{name}");
        let closing = format!("</{name}");
        let mut search = 0;
        while let Some(found) = lower[search..].find(&opening) {
            let at = search + found;
            search = at + opening.len();
            // `<styles>` is another name; `<style>`, `<style media=…>` are this one.
            let next = lower.as_bytes().get(search).copied();
            if next.is_some_and(|byte| byte.is_ascii_alphanumeric() || byte == b'-') {
                continue;
            }
            match lower[search..].find(&closing) {
                // Closed: look on after its end tag.
                Some(close) => search += close + closing.len(),
                None => {
                    first.get_or_insert(name);
                    places.push(at);
                    break;
                }
            }
        }
    }
    if places.is_empty() {
        return (Cow::Borrowed(block), None);
    }
    places.sort_unstable();
    let mut escaped = String::with_capacity(block.len() + 4 * places.len());
    let mut last = 0;
    for place in places {
        escaped.push_str(&block[last..place]);
        escaped.push_str("&lt;");
        last = place + 1;
    }
    escaped.push_str(&block[last..]);
    (Cow::Owned(escaped), first)
}

/// Whether a raw HTML fragment starts with a real HTML element (or is a comment).
pub fn is_known_html(html: &str) -> bool {
    let html = html.trim_start();
    if html.starts_with("<!--") || html.starts_with("<?") || html.starts_with("<![CDATA[") {
        return true;
    }
    let Some(rest) = html.strip_prefix('<') else {
        return false;
    };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let lower = name.to_ascii_lowercase();
    HTML_ELEMENTS.binary_search(&lower.as_str()).is_ok()
}

const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "marquee",
    "menu",
    "meta",
    "meter",
    "nav",
    "nobr",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "xmp",
];

/// Raw HTML in an entry goes through ammonia: `<script>`, event handlers and `javascript:`
/// URLs never reach the page; images, `<details>`, `<br>` and comments do. Relative URLs in
/// raw HTML (`<img src="img/a.png">`) resolve from the entry's folder like markdown links.
fn sanitize(html: &str, links: &Links) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags([
            "details",
            "summary",
            "input",
            "section",
            "mark",
            "figure",
            "figcaption",
            "picture",
            "source",
            "video",
        ])
        .add_generic_attributes(["class", "id", "align", "title", "lang"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("img", ["width", "height", "loading"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attributes("source", ["src", "srcset", "type", "media"])
        .add_tag_attributes("video", ["src", "controls", "width", "height", "poster"])
        .strip_comments(false)
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::Custom(Box::new(RelativeUrls {
            links,
        })));
    builder.clean(html).to_string()
}

struct RelativeUrls<'a> {
    links: &'a Links<'a>,
}

impl<'a> ammonia::UrlRelativeEvaluate<'a> for RelativeUrls<'a> {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        // Markdown links were resolved already (they start with `/` or `#`).
        if url.starts_with('/') || url.starts_with('#') {
            Some(Cow::Borrowed(url))
        } else {
            resolve_link(url, self.links).map(Cow::Owned)
        }
    }
}

/// Byte offsets of line starts, for 1-based line numbers.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(index, _)| index + 1));
        LineIndex { starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line + 1,
            Err(line) => line,
        }
    }

    fn offset_of_line(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(usize::MAX)
    }
}

// ---------------------------------------------------------------------------------------
// Source repairs, line for line (line numbers stay those of the file the author wrote).
// ---------------------------------------------------------------------------------------

struct OpenItem {
    /// The marker's column as written.
    written_marker: usize,
    /// The marker's and the content's column after repair.
    marker: i64,
    content: i64,
    /// How far this item (and so its children) moved.
    shift: i64,
}

#[derive(Clone, Copy, PartialEq)]
enum LineKind {
    Blank,
    Paragraph,
    ListItem,
    Quote,
    Other,
}

struct Fence {
    character: u8,
    length: usize,
    shift: i64,
}

/// Repairs the outline an author typed but CommonMark reads otherwise, keeping every line:
///
/// - a bullet indented 2 spaces under `1. item` (content at column 3) is that item's child,
///   as are paragraphs indented so (CommonMark closes the list instead);
/// - an over-indented bullet right after a paragraph line is a list item, not lazy text;
/// - a fence or a blockquote indented 4+ spaces after a blank line at top level is a fence or
///   a blockquote, not an indented code block showing the backticks;
/// - `__init__` in prose is a Python name, not bold.
pub fn prepare(source: &str) -> Cow<'_, str> {
    let mut output = String::with_capacity(source.len() + 256);
    let mut changed = false;
    let mut items: Vec<OpenItem> = Vec::new();
    let mut fence: Option<Fence> = None;
    let mut previous = LineKind::Blank;
    let mut quote_shift: Option<i64> = None;
    // Where the last end tag of a raw HTML block is, found when a block first opens.
    let mut last_raw_end: Option<Option<usize>> = None;
    let mut last_comment_end: Option<Option<usize>> = None;
    let mut line_start = 0;
    for raw_line in source.split_inclusive('\n') {
        let this_line = line_start;
        line_start += raw_line.len();
        let (line, ending) = match raw_line.strip_suffix('\n') {
            Some(line) => (line, "\n"),
            None => (raw_line, ""),
        };
        let (indent, body_start) = visual_indent(line);
        let body = &line[body_start..];
        if let Some(open) = &fence {
            let closing = closes_fence(body, open);
            let shift = open.shift;
            if closing {
                fence = None;
            }
            push_shifted(&mut output, line, indent, body_start, shift, &mut changed);
            output.push_str(ending);
            continue;
        }
        if body.trim().is_empty() {
            output.push_str(raw_line);
            previous = LineKind::Blank;
            quote_shift = None;
            continue;
        }
        while items
            .last()
            .is_some_and(|item| indent <= item.written_marker)
        {
            items.pop();
        }
        let marker = list_marker(body);
        let parent_shift = items.last().map_or(0, |item| item.shift);
        let mut shift = parent_shift;
        if let Some(parent) = items.last() {
            let shifted = indent as i64 + parent_shift;
            if shifted >= parent.marker + 2 && shifted < parent.content {
                shift += parent.content - shifted;
            }
        }
        if let Some((false, _)) = marker {
            if previous == LineKind::Paragraph {
                let container = items.last().map_or(0, |item| item.content);
                let shifted = indent as i64 + shift;
                if shifted - container >= 4 {
                    shift = container + 2 - indent as i64;
                }
            }
        }
        let is_fence_open = fence_open(body).is_some();
        if items.is_empty() && indent >= 4 {
            if previous == LineKind::Blank && (is_fence_open || body.starts_with('>')) {
                shift = -(indent as i64);
            } else if previous == LineKind::Quote && body.starts_with('>') {
                if let Some(quote) = quote_shift {
                    shift = quote;
                }
            }
        }
        let mut repaired_body = escape_dunder(body);
        if body.starts_with("<!--") {
            let last_end = *last_comment_end.get_or_insert_with(|| source.rfind("-->"));
            if last_end.is_none_or(|end| end < this_line) {
                // A comment never closed would hide the rest of the file (GitHub hides it too).
                repaired_body = Cow::Owned(format!("\\{repaired_body}"));
            }
        } else if opens_raw_html_block(body) {
            let last_end = *last_raw_end.get_or_insert_with(|| last_raw_block_end(source));
            if last_end.is_none_or(|end| end < this_line) {
                // `<style> 태그는…` at a line's start with no end tag below would make the rest of
                // the file one HTML block: the author is writing about the tag.
                repaired_body = Cow::Owned(format!("\\{repaired_body}"));
            }
        }
        if repaired_body != body {
            changed = true;
        }
        if shift != 0 {
            changed = true;
            let new_indent = (indent as i64 + shift).max(0) as usize;
            output.extend(std::iter::repeat_n(' ', new_indent));
            output.push_str(&repaired_body);
        } else if repaired_body != body {
            output.push_str(&line[..body_start]);
            output.push_str(&repaired_body);
        } else {
            output.push_str(line);
        }
        output.push_str(ending);
        if let Some((character, length)) = fence_open(body) {
            fence = Some(Fence {
                character,
                length,
                shift,
            });
        }
        let position = indent as i64 + shift;
        if let Some((_, content_offset)) = marker {
            items.push(OpenItem {
                written_marker: indent,
                marker: position,
                content: position + content_offset as i64,
                shift,
            });
        }
        previous = if marker.is_some() {
            LineKind::ListItem
        } else if body.starts_with('>') {
            quote_shift = Some(shift);
            LineKind::Quote
        } else if body.starts_with('#')
            || is_fence_open
            || (items.is_empty() && indent >= 4 && previous == LineKind::Blank)
        {
            LineKind::Other
        } else {
            LineKind::Paragraph
        };
    }
    if changed {
        Cow::Owned(output)
    } else {
        Cow::Borrowed(source)
    }
}

/// Whether a line opens a CommonMark HTML block of the first kind, which runs until a line
/// holding `</script>`, `</pre>`, `</style>` or `</textarea>`, or else to the end of the file.
fn opens_raw_html_block(body: &str) -> bool {
    let Some(rest) = body.strip_prefix('<') else {
        return false;
    };
    ["script", "pre", "style", "textarea"].iter().any(|name| {
        rest.len() >= name.len()
            && rest.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && matches!(
                rest.as_bytes().get(name.len()),
                None | Some(b' ' | b'\t' | b'>')
            )
    })
}

/// The byte offset of the last end tag that closes such a block.
fn last_raw_block_end(source: &str) -> Option<usize> {
    let lower = source.to_ascii_lowercase();
    ["</script>", "</pre>", "</style>", "</textarea>"]
        .iter()
        .filter_map(|end| lower.rfind(end))
        .max()
}

fn push_shifted(
    output: &mut String,
    line: &str,
    indent: usize,
    body_start: usize,
    shift: i64,
    changed: &mut bool,
) {
    if shift == 0 {
        output.push_str(line);
        return;
    }
    *changed = true;
    let new_indent = (indent as i64 + shift).max(0) as usize;
    output.extend(std::iter::repeat_n(' ', new_indent));
    output.push_str(&line[body_start..]);
}

/// Leading whitespace width with tabs to the next multiple of 4, and where the text starts.
fn visual_indent(line: &str) -> (usize, usize) {
    let mut width = 0;
    for (index, byte) in line.bytes().enumerate() {
        match byte {
            b' ' => width += 1,
            b'\t' => width += 4 - width % 4,
            _ => return (width, index),
        }
    }
    (width, line.len())
}

/// `- `, `* `, `+ `, `1. `, `1) ` → (ordered, content offset from the marker).
fn list_marker(body: &str) -> Option<(bool, usize)> {
    let bytes = body.as_bytes();
    let (ordered, marker_width) = match bytes.first()? {
        b'-' | b'*' | b'+' => (false, 1),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || !matches!(bytes.get(digits), Some(b'.') | Some(b')')) {
                return None;
            }
            (true, digits + 1)
        }
        _ => return None,
    };
    let rest = &body[marker_width..];
    if rest.is_empty() {
        return Some((ordered, marker_width + 1));
    }
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    if !ordered
        && (body.starts_with("---")
            || body.starts_with("***")
            || body.starts_with("* * *")
            || body.starts_with("- - -"))
    {
        return None;
    }
    let spaces = rest.bytes().take_while(|b| *b == b' ').count();
    let offset = if spaces >= 5 || rest.trim().is_empty() {
        1
    } else {
        spaces
    };
    Some((ordered, marker_width + offset))
}

fn fence_open(body: &str) -> Option<(u8, usize)> {
    let character = *body.as_bytes().first()?;
    if character != b'`' && character != b'~' {
        return None;
    }
    let length = body.bytes().take_while(|b| *b == character).count();
    if length < 3 {
        return None;
    }
    if character == b'`' && body[length..].contains('`') {
        return None;
    }
    Some((character, length))
}

fn closes_fence(body: &str, fence: &Fence) -> bool {
    let length = body.bytes().take_while(|b| *b == fence.character).count();
    length >= fence.length && body[length..].trim().is_empty()
}

/// `(__init__)` → `(\_\_init\_\_)` outside code spans: Python names, not bold.
fn escape_dunder(body: &str) -> Cow<'_, str> {
    if !body.contains("__") {
        return Cow::Borrowed(body);
    }
    let bytes = body.as_bytes();
    let mut output = String::with_capacity(body.len() + 8);
    let mut index = 0;
    let mut last = 0;
    let mut in_code: Option<usize> = None;
    while index < bytes.len() {
        if bytes[index] == b'`' {
            let run = bytes[index..].iter().take_while(|b| **b == b'`').count();
            match in_code {
                None => in_code = Some(run),
                Some(open) if open == run => in_code = None,
                _ => {}
            }
            index += run;
            continue;
        }
        if in_code.is_none()
            && bytes[index..].starts_with(b"__")
            && (index == 0 || !is_word_byte(bytes[index - 1]))
        {
            let name_start = index + 2;
            let name_length = bytes[name_start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let name_end = name_start + name_length;
            if name_length > 0
                && bytes[name_end..].starts_with(b"__")
                && bytes.get(name_end + 2).is_none_or(|b| !is_word_byte(*b))
            {
                output.push_str(&body[last..index]);
                output.push_str("\\_\\_");
                output.push_str(&body[name_start..name_end]);
                output.push_str("\\_\\_");
                index = name_end + 2;
                last = index;
                continue;
            }
        }
        index += 1;
    }
    if last == 0 {
        return Cow::Borrowed(body);
    }
    output.push_str(&body[last..]);
    Cow::Owned(output)
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

#[cfg(test)]
mod passage_tests {
    use super::*;

    #[test]
    fn counting_bytes_counts_what_counting_characters_counts() {
        for text in [
            "",
            "VPC 서브넷을\t나눴다.\u{3000}ＶＰＣ\u{a0}x\u{b}y\u{85}z",
            "  버킷\n\n에 ㄱㄴ ᄀ 🙂 é  ",
            "a\u{2028}b\u{202f}c\u{1c}d",
        ]
        .into_iter()
        .map(String::from)
        // Every character, between two letters.
        .chain(('\0'..=char::MAX).map(|character| format!("a{character}b")))
        {
            let text = text.as_str();
            let mut fast = Stats::default();
            fast.count(text);
            let (mut characters, mut hangul, mut words, mut in_word) = (0, 0, 0, false);
            for character in text.chars() {
                if character.is_whitespace() {
                    in_word = false;
                } else {
                    characters += 1;
                    hangul += usize::from(is_hangul(character));
                    words += usize::from(!in_word);
                    in_word = true;
                }
            }
            assert_eq!(
                (fast.characters, fast.hangul, fast.words),
                (characters, hangul, words),
                "{text:?}"
            );
        }
    }

    #[test]
    fn text_is_collapsed_as_it_is_pushed() {
        let mut text = String::new();
        for piece in ["  버킷", "에 ", "\n\n 정책을", "", " ", "  붙였다  ", "x"] {
            push_collapsed(&mut text, piece);
        }
        assert_eq!(text, "버킷에 정책을 붙였다 x");
        // Against the plain definition, over every short string of a small alphabet.
        let alphabet = ["", " ", "\n", "가", "a", "\t "];
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    for d in alphabet {
                        let (first, second, third) =
                            ([a, b].concat(), [c, d].concat(), [d, a, c].concat());
                        let pieces = [first.as_str(), second.as_str(), "", third.as_str(), b];
                        let mut pushed = String::new();
                        for piece in pieces {
                            push_collapsed(&mut pushed, piece);
                        }
                        let joined: String = pieces.concat();
                        let mut expected = joined
                            .split_ascii_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ");
                        if joined.ends_with(|c: char| c.is_ascii_whitespace())
                            && !expected.is_empty()
                        {
                            expected.push(' ');
                        }
                        assert_eq!(pushed, expected, "{pieces:?}");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain_links(pages: &HashMap<String, String>) -> Links<'_> {
        Links {
            base_path: "/",
            source_dir: "",
            pages,
            tags: None,
            looked_up: None,
        }
    }

    fn html_of(markdown: &str) -> String {
        let pages = HashMap::new();
        let links = plain_links(&pages);
        let document = render(markdown, &links, &Highlighter::new(), true);
        document
            .sections
            .iter()
            .map(|section| section.html.as_str())
            .collect()
    }

    #[test]
    fn emphasis_next_to_hangul_renders() {
        assert!(html_of("**\"버킷\"**에 저장").contains("<strong>\"버킷\"</strong>에"));
        assert!(
            html_of("*지연 시간(Latency Time)*이 짧다")
                .contains("<em>지연 시간(Latency Time)</em>이")
        );
        assert!(
            html_of("**도커라이징(Dockerizing)**이란")
                .contains("<strong>도커라이징(Dockerizing)</strong>이란")
        );
        // The cases CommonMark already handles keep working.
        assert!(html_of("**강조**는 된다").contains("<strong>강조</strong>는"));
        assert!(html_of("***VPC 바깥***에 있는").contains("<em><strong>VPC 바깥</strong></em>에"));
    }

    #[test]
    fn two_space_bullets_nest_under_ordered_items() {
        let html = html_of(
            "1. VPC 피어링\n  - 두 VPC를 연결\n  - 전이적 라우팅 불가\n\n2. Transit Gateway\n  - 허브\n",
        );
        assert_eq!(html.matches("<ol").count(), 1, "{html}");
        assert!(
            html.contains("VPC 피어링\n<ul>")
                || html.contains("VPC 피어링</p>\n<ul>")
                || html.contains("VPC 피어링<ul>"),
            "{html}"
        );
        assert!(!html.contains("start=\"2\""), "{html}");
    }

    #[test]
    fn over_indented_bullet_after_paragraph_is_a_list_item() {
        let html = html_of("  (1) 인터페이스 엔드포인트 설명\n     - ***IGW 없이도 가능***\n");
        assert!(html.contains("<li>"), "{html}");
        assert!(!html.contains("- <em>"), "{html}");
    }

    #[test]
    fn unclosed_style_or_script_is_text_and_swallows_nothing() {
        for (markdown, kept) in [
            (
                "CSS는 <style> 태그 안에 쓴다.\n\n- 목록 하나\n- 목록 둘\n",
                vec!["&lt;style&gt; 태그 안에 쓴다", "목록 하나", "목록 둘"],
            ),
            (
                "스크립트는 <script> 로 쓴다. 이어지는 말.\n\n끝 문단\n",
                vec!["&lt;script&gt; 로 쓴다. 이어지는 말.", "끝 문단"],
            ),
            (
                "<textarea> 와 <title> 과 <b>굵게\n\n다음\n",
                vec![
                    "&lt;textarea&gt; 와 &lt;title&gt; 과 &lt;b&gt;굵게",
                    "<p>다음</p>",
                ],
            ),
            ("# 제목 <select>\n\n본문\n", vec!["본문"]),
            (
                "| a | b |\n|---|---|\n| <iframe> | 칸 |\n\n뒤\n",
                vec!["칸", "뒤"],
            ),
            (
                "<div>\n<style>\n</div>\n\n뒤 문단\n",
                vec!["&lt;style&gt;", "뒤 문단"],
            ),
        ] {
            let html = html_of(markdown);
            for text in kept {
                assert!(html.contains(text), "{markdown:?} lost {text:?}: {html}");
            }
        }
        // Closed tags keep their meaning; script content is still never on the page.
        let html = html_of("<kbd>Ctrl</kbd> 키와 <b>굵게</b>, <script>alert(1)</script> 끝\n");
        assert!(
            html.contains("<kbd>Ctrl</kbd>") && html.contains("<b>굵게</b>"),
            "{html}"
        );
        assert!(!html.contains("alert"), "{html}");
        assert!(html.contains("끝"), "{html}");
    }

    #[test]
    fn unclosed_comment_hides_nothing_after_it() {
        // Found by the fuzz harness: `<!--` with no `-->` made the rest of the file a comment.
        let html =
            html_of("앞 문단\n\n<!--<script>alert(1)</script> 메모\n\n## 뒤 제목\n\n뒤 문단\n");
        assert!(
            html.contains("뒤 제목") && html.contains("뒤 문단"),
            "{html}"
        );
        assert!(html.contains("&lt;!--"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        // A closed comment is still a comment.
        let html = html_of("<!-- 숨긴 메모 -->\n\n본문\n");
        assert!(
            html.contains("<!-- 숨긴 메모 -->") && html.contains("본문"),
            "{html}"
        );
    }

    #[test]
    fn unclosed_tags_are_found_in_one_pass() {
        // 20,000 open tags in one paragraph, each found open once.
        let markdown = "<b>가 ".repeat(20_000);
        let html = html_of(&markdown);
        assert_eq!(html.matches("&lt;b&gt;가").count(), 20_000);
    }

    #[test]
    fn placeholders_are_text_and_tags_pass() {
        let html = html_of("`List`는 List<PlaylistTrack> 형태, git checkout <commit-hash> 명령\n");
        assert!(html.contains("List&lt;PlaylistTrack&gt;"), "{html}");
        assert!(html.contains("&lt;commit-hash&gt;"), "{html}");
        let html = html_of("줄<br>바꿈 <img src=\"a.png\" alt=\"그림\">\n");
        assert!(html.contains("<br>") && html.contains("<img"), "{html}");
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_never_reach_the_page() {
        let html = html_of(
            "<script>alert(1)</script>\n\n<img src=x onerror=\"alert(1)\">\n\n[클릭](javascript:alert(1))\n\n<a href=\"javascript:alert(2)\">a</a>\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn raw_html_relative_urls_resolve_from_the_entry_folder() {
        let pages = HashMap::new();
        let links = Links {
            base_path: "/til/",
            source_dir: "TIL/AWS",
            pages: &pages,
            tags: None,
            looked_up: None,
        };
        let document = render(
            "<img src=\"img/a.png\" width=\"300\">\n\n![b](img/b.png)\n",
            &links,
            &Highlighter::new(),
            true,
        );
        let html = &document.sections[0].html;
        assert!(html.contains("src=\"/til/TIL/AWS/img/a.png\""), "{html}");
        assert!(html.contains("src=\"/til/TIL/AWS/img/b.png\""), "{html}");
    }

    #[test]
    fn an_image_no_browser_can_load_shows_its_alt_text() {
        let html = html_of("![화면 캡처](attachment:213c57b4:image.png) 그리고 <br>\n");
        assert!(html.contains("<span class=\"image-unavailable\" title=\"attachment:213c57b4:image.png\">화면 캡처</span>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html_of("![a](img/a.png)").contains("<img src=\"/img/a.png\" alt=\"a\""));
    }

    #[test]
    fn single_tilde_stays_literal_and_double_strikes() {
        let html = html_of("리전~리전 간 OK / 계정~계정 간 OK\n\n~~취소~~\n");
        assert!(html.contains("리전~리전 간 OK / 계정~계정"), "{html}");
        assert!(html.contains("<del>취소</del>"), "{html}");
    }

    #[test]
    fn dunder_names_stay_literal() {
        let html = html_of("생성자(__init__)와 `__name__`\n");
        assert!(html.contains("(__init__)"), "{html}");
        assert!(html.contains("<code>__name__</code>"), "{html}");
    }

    #[test]
    fn liquid_is_shown_not_evaluated() {
        let html = html_of("{% for post in site.posts %}{{ post.title }}{% endfor %} {{DATE}}\n");
        assert!(
            html.contains("{% for post in site.posts %}{{ post.title }}{% endfor %} {{DATE}}"),
            "{html}"
        );
    }

    #[test]
    fn indented_fence_after_blank_is_a_fence() {
        let html = html_of("설명\n\n    ```python\n    print(1)\n    ```\n");
        assert!(
            html.contains("<pre class=\"code\" data-lang=\"python\">"),
            "{html}"
        );
        assert!(!html.contains("```"), "{html}");
    }

    /// Each section's HTML was once given room for half the whole entry, and kept it until
    /// the site was written: 400 MB of spare room at 10,000 entries.
    #[test]
    fn sections_keep_their_html_without_spare_room() {
        let pages = HashMap::new();
        let links = plain_links(&pages);
        let long = "VPC 서브넷과 라우팅 테이블을 정리했다.\n".repeat(400);
        let source = format!(
            "# [2026-01-30]\n\n## ☀️ 오늘의 목표\n\n- [ ] 복습\n\n## 📝 배운 내용\n\n{long}\n## 💭 오늘의 회고\n\n- Keep: 정리\n\n## 🔗 참고 자료\n\n- 문서\n"
        );
        let document = render(&source, &links, &Highlighter::new(), false);
        assert_eq!(document.sections.len(), 4);
        for section in &document.sections {
            assert_eq!(
                section.html.capacity(),
                section.html.len(),
                "{:?} section",
                section.kind
            );
        }
    }

    #[test]
    fn sections_are_split_by_template_headings_with_topics_inside_til() {
        let pages = HashMap::new();
        let links = plain_links(&pages);
        let document = render(
            "# [2026-01-30]\n\n## ☀️ 오늘의 목표 (Scrum)\n\n- [x] VPC 복습\n- [ ]  Lambda 실습\n\n## 📝 배운 내용 (Today I Learned)\n\n## Architecting On AWS\n\n### 네트워킹 Part.2\n본문\n\n## 🔥 도전 과제 & 해결 (Challenge & Solution)/\n\n- **과제/문제**: X\n- **시도 및 해결**: X\n\n## 💭 오늘의 회고 (Retrospective)\n\n- **Keep (좋았던 점)**: 꾸준히 정리\n- **Problem (아쉬웠던 점)**: X\n- **Try (시도할 점)**:\n  - 실습 복습\n  - 문서 읽기\n\n## 🔗 참고 자료 (References)\n",
            &links,
            &Highlighter::new(),
            true,
        );
        let kinds: Vec<SectionKind> = document.sections.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SectionKind::Goals,
                SectionKind::Learned,
                SectionKind::Challenge,
                SectionKind::Retrospective,
                SectionKind::References
            ]
        );
        assert_eq!(document.title_heading, Some(("[2026-01-30]".into(), 1)));
        let learned = &document.sections[1];
        assert!(
            learned.html.contains("id=\"네트워킹-part2\""),
            "{}",
            learned.html
        );
        assert!(learned.html.contains("Architecting On AWS"));
        assert!(document.sections[2].is_empty);
        assert!(document.sections[4].is_empty);
        assert_eq!(
            document.goals,
            [
                Goal {
                    text: "VPC 복습".into(),
                    done: Some(true)
                },
                Goal {
                    text: "Lambda 실습".into(),
                    done: Some(false)
                }
            ]
        );
        assert_eq!(document.kpt.keep, ["꾸준히 정리"]);
        assert!(document.kpt.problem.is_empty());
        assert_eq!(document.kpt.try_next, ["실습 복습", "문서 읽기"]);
        assert!(
            !document.sections[3].html.contains("Keep"),
            "{}",
            document.sections[3].html
        );
        assert_eq!(
            document.sections[0].anchor.as_deref(),
            Some("-오늘의-목표-scrum")
        );
        assert_eq!(
            document
                .toc
                .iter()
                .map(|h| h.text.as_str())
                .collect::<Vec<_>>(),
            ["Architecting On AWS", "네트워킹 Part.2"]
        );
    }

    #[test]
    fn kpt_as_subheadings_and_table() {
        let pages = HashMap::new();
        let links = plain_links(&pages);
        let headings = render(
            "## 회고\n\n### Keep\n- 복습\n\n### Problem\n없음\n\n### Try\n- 실습\n",
            &links,
            &Highlighter::new(),
            true,
        );
        assert_eq!(headings.kpt.keep, ["복습"]);
        assert!(headings.kpt.problem.is_empty());
        assert_eq!(headings.kpt.try_next, ["실습"]);
        let table = render(
            "## KPT\n\n| Keep | Problem | Try |\n|---|---|---|\n| 복습 | 지각 | 일찍 자기 |\n",
            &links,
            &Highlighter::new(),
            true,
        );
        assert_eq!(table.kpt.keep, ["복습"]);
        assert_eq!(table.kpt.problem, ["지각"]);
        assert_eq!(table.kpt.try_next, ["일찍 자기"]);
    }

    #[test]
    fn a_goals_section_ends_at_the_next_heading_of_its_level() {
        let pages = HashMap::new();
        let links = plain_links(&pages);
        let document = render(
            "## 오늘 목표\n\n- 이미지 겹치기\n\n## 오늘 결과\n\n- 겹치기는 했다\n",
            &links,
            &Highlighter::new(),
            true,
        );
        let kinds: Vec<SectionKind> = document.sections.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [SectionKind::Goals, SectionKind::Body]);
        assert_eq!(
            document.goals,
            [Goal {
                text: "이미지 겹치기".into(),
                done: None
            }]
        );
        assert!(
            document.sections[1]
                .html
                .contains("<h2 id=\"오늘-결과\">오늘 결과</h2>"),
            "{}",
            document.sections[1].html
        );
    }

    #[test]
    fn file_without_template_is_one_body() {
        let pages = HashMap::new();
        let links = plain_links(&pages);
        let document = render(
            "# 오늘 배운 것\n\n## 쿠키\n세션과 쿠키\n",
            &links,
            &Highlighter::new(),
            true,
        );
        assert_eq!(document.sections.len(), 1);
        assert_eq!(document.sections[0].kind, SectionKind::Body);
        assert!(document.sections[0].html.contains("세션과 쿠키"));
    }

    #[test]
    fn relative_links_resolve_from_the_entry_folder() {
        let mut pages = HashMap::new();
        pages.insert(
            "TIL/Network/2026.02.11.md".to_string(),
            "TIL/Network/2026.02.11/".to_string(),
        );
        let links = Links {
            base_path: "/til/",
            source_dir: "TIL/AWS",
            pages: &pages,
            tags: None,
            looked_up: None,
        };
        assert_eq!(
            resolve_link("../Network/2026.02.11.md#vpc", &links).unwrap(),
            "/til/TIL/Network/2026.02.11/#vpc"
        );
        assert_eq!(
            resolve_link("img/그림 1.png", &links).unwrap(),
            "/til/TIL/AWS/img/%EA%B7%B8%EB%A6%BC%201.png"
        );
        assert_eq!(
            resolve_link("https://aws.amazon.com", &links).unwrap(),
            "https://aws.amazon.com"
        );
        assert!(resolve_link("javascript:alert(1)", &links).is_none());
        assert_eq!(resolve_link("#section", &links).unwrap(), "#section");
    }

    #[test]
    fn html_element_list_is_sorted_for_binary_search() {
        assert!(HTML_ELEMENTS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn prepare_keeps_line_count() {
        let source = "1. a\n  - b\n  - c\n2. d\n\n    ```\n    x\n    ```\n";
        let prepared = prepare(source);
        assert_eq!(prepared.lines().count(), source.lines().count());
        assert_eq!(prepare("plain\n"), Cow::Borrowed("plain\n"));
    }
}
