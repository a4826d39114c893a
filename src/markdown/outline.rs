//! The headings of a file, and which of them open the cohort template's sections: the outline
//! the rest of the stage cuts the events by.

use super::lines::LineIndex;
use super::sanitize::is_known_html;
use super::template::classify_section;
use crate::model::SectionKind;
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
