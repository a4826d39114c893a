//! Markdown → a `Document`: HTML fragments, and the structure of a daily entry read from the
//! same events.
//!
//! One pulldown-cmark pass per file, in these steps: `repair` fixes what authors typed but
//! CommonMark reads differently (see `docs/quirks.md`); `outline` finds the headings and cuts the
//! events into the cohort template's sections; `template` reads the Scrum goals and the
//! Keep/Problem/Try items from them; `mentions` finds the services the text names; `html` writes
//! each section, with `sanitize` and `links` deciding what raw HTML and which URLs reach the
//! page; `passages` cuts the text at its headings for search, and `stats` counts it.

mod document;
mod html;
mod lines;
mod links;
mod mentions;
mod outline;
mod passages;
mod repair;
mod sanitize;
mod stats;
mod template;
#[cfg(test)]
mod tests;

pub use document::{Document, Links, Passage, RenderedSection, TagMention};
pub(crate) use links::normalize_path;
pub use repair::prepare;
pub(crate) use sanitize::is_known_html;
pub(crate) use stats::is_hangul;

use self::document::FastMap;
use self::html::{Renderer, capped_notes};
use self::lines::LineIndex;
use self::mentions::scan_tags;
use self::outline::{Segment, collect_headings};
use self::passages::passages;
use self::stats::Stats;
use self::template::{read_goals, read_kpt, section_is_empty};
use crate::highlight::Highlighter;
use crate::model::{Heading, SectionKind};
use crate::slug::{AnchorSet, encode_path, heading_slug};
use crate::tags::ServiceId;
use pulldown_cmark::{Event, Options, Parser};
use std::ops::Range;

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
