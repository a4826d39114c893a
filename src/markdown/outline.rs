//! The headings of a file, and which of them open the cohort template's sections: the outline
//! the rest of the stage cuts the events by.

use super::document::FastMap;
use super::lines::LineIndex;
use super::sanitize::is_known_html;
use super::template::classify_section;
use crate::model::{Heading, SectionKind};
use crate::slug::{AnchorSet, heading_slug};
use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use std::ops::Range;

pub(super) struct Segment {
    pub(super) kind: SectionKind,
    pub(super) heading: Option<String>,
    pub(super) anchor: Option<String>,
    pub(super) line: usize,
    pub(super) events: Range<usize>,
}

pub(super) struct HeadingSpan {
    pub(super) level: u8,
    pub(super) text: String,
    pub(super) line: usize,
    /// Event indices from Start(Heading) to End(Heading), inclusive-exclusive.
    pub(super) events: Range<usize>,
    pub(super) section: Option<SectionKind>,
}

pub(super) fn collect_headings(
    events: &[(Event, Range<usize>)],
    lines: &LineIndex,
) -> Vec<HeadingSpan> {
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

pub(super) fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A file's headings cut into the template's sections.
pub(super) struct Outline {
    /// The H1 that opens the file (nothing but comments before it; not a template section),
    /// with its 1-based line. It is the title, and left out of the body, unless the front
    /// matter names a different one.
    pub(super) title_heading: Option<(String, usize)>,
    pub(super) title_events: Option<Range<usize>>,
    /// Every heading but the title and the template's own.
    pub(super) headings: Vec<Heading>,
    pub(super) segments: Vec<Segment>,
    /// Event ranges not rendered in place: the title and the template headings.
    pub(super) skip: Vec<Range<usize>>,
    /// Each heading's anchor, by the byte offset of its start.
    pub(super) heading_anchor: FastMap<usize, String>,
}

/// Cuts the events at the template's headings. Goals, challenge, retrospective and references
/// end at the next heading of their level (`## 오늘 목표` then `## 오늘 결과` in a note of one's
/// own); only the TIL section holds same-level topic headings, as the cohort template has them.
pub(super) fn cut(
    events: &[(Event, Range<usize>)],
    headings: &[HeadingSpan],
    front_title: Option<&str>,
) -> Outline {
    let template_level = headings
        .iter()
        .filter(|heading| heading.section.is_some())
        .map(|heading| heading.level)
        .min();
    let opening = headings
        .first()
        .filter(|heading| heading.level == 1 && heading.section.is_none())
        .filter(|heading| only_comments(&events[..heading.events.start]));
    // The opening H1 is the title unless the front matter names another: then it stays on
    // the page, where the author put it.
    let title_index = opening
        .filter(|heading| front_title.is_none_or(|title| same_title(title, &heading.text)))
        .map(|_| 0);
    let mut outline = Outline {
        title_heading: opening.map(|heading| (heading.text.clone(), heading.line)),
        title_events: title_index.map(|index| headings[index].events.clone()),
        headings: Vec::new(),
        segments: vec![Segment {
            kind: SectionKind::Body,
            heading: None,
            anchor: None,
            line: 1,
            events: 0..0,
        }],
        skip: Vec::new(),
        heading_anchor: FastMap::default(),
    };
    let mut anchors = AnchorSet::default();
    // The level of the open template section's heading, while one is open.
    let mut open_section_level: Option<u8> = None;
    for (position, heading) in headings.iter().enumerate() {
        if Some(position) == title_index {
            outline.skip.push(heading.events.clone());
            continue;
        }
        let anchor = anchors.unique(heading_slug(&heading.text));
        let start = events[heading.events.start].1.start;
        outline.heading_anchor.insert(start, anchor.clone());
        if let Some(kind) = heading
            .section
            .filter(|_| Some(heading.level) <= template_level)
        {
            outline.open(
                Segment {
                    kind,
                    heading: Some(heading.text.clone()),
                    anchor: Some(anchor),
                    line: heading.line,
                    events: heading.events.end..heading.events.end,
                },
                heading.events.start,
            );
            outline.skip.push(heading.events.clone());
            open_section_level = Some(heading.level);
            continue;
        }
        let open_kind = outline.segments.last().map(|segment| segment.kind);
        if open_section_level.is_some_and(|level| heading.level <= level)
            && !matches!(
                open_kind,
                Some(SectionKind::Learned) | Some(SectionKind::Body)
            )
        {
            outline.open(
                Segment {
                    kind: SectionKind::Body,
                    heading: None,
                    anchor: None,
                    line: heading.line,
                    events: heading.events.start..heading.events.start,
                },
                heading.events.start,
            );
            open_section_level = None;
        }
        outline.headings.push(Heading {
            level: heading.level,
            text: heading.text.clone(),
            anchor,
            line: heading.line,
        });
    }
    outline.segments.last_mut().expect("a segment").events.end = events.len();
    outline
}

/// Whether these events show nothing: HTML comments and the blocks holding them. Text inside
/// a comment is never content, so a comment before a heading does not stop it opening the file.
fn only_comments(events: &[(Event, Range<usize>)]) -> bool {
    events.iter().all(|(event, _)| match event {
        Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => true,
        Event::Html(html) | Event::InlineHtml(html) => {
            let html = html.trim();
            html.is_empty() || (html.starts_with("<!--") && html.ends_with("-->"))
        }
        _ => false,
    })
}

/// `2025-08-22 - Spring Cache` in the front matter and `# 2025-08-22 - Spring Cache` opening
/// the body are one title, not two.
fn same_title(front: &str, heading: &str) -> bool {
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    words(front) == words(heading)
}

impl Outline {
    /// Ends the open segment at event `end` and opens `segment`.
    fn open(&mut self, segment: Segment, end: usize) {
        self.segments.last_mut().expect("a segment").events.end = end;
        self.segments.push(segment);
    }
}
