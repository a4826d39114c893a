//! Markdown → a `Document`: HTML fragments, and the structure of a daily entry read from the
//! same events.
//!
//! One pulldown-cmark pass per file, in these steps: `repair` fixes what authors typed but
//! CommonMark reads differently (see `docs/quirks.md`); `outline` finds the headings and cuts the
//! events into the cohort template's sections; `template` reads the Scrum goals and the
//! Keep/Problem/Try items from them; `mentions` finds the services the text names; `html` writes
//! each section, with `sanitize` and `links` deciding what raw HTML and which URLs reach the
//! page; `passages` cuts the text at its headings for search, and `stats` counts it.

mod callout;
mod document;
mod github;
mod html;
mod jekyll;
mod lines;
mod links;
mod math;
mod mentions;
mod outline;
mod passages;
mod repair;
mod sanitize;
mod stats;
mod template;
#[cfg(test)]
mod tests;
mod wikilinks;

pub use document::{Document, Links, Passage, RenderedSection, TagMention};
pub use github::{is_text_in_brackets, particles_after_urls};
pub(crate) use links::normalize_path;
pub use repair::prepare;
pub(crate) use sanitize::is_known_html;
pub(crate) use template::is_placeholder_value as is_placeholder;
pub use wikilinks::FileNames;

use self::document::FastMap;
use self::html::{Renderer, capped_notes};
use self::lines::LineIndex;
use self::mentions::scan_tags;
use self::outline::{Outline, Segment, collect_headings};
use self::passages::passages;
use self::stats::Stats;
use self::template::{read_goals, read_kpt, section_is_empty};
use crate::highlight::Highlighter;
use crate::model::SectionKind;
use crate::slug::encode_path;
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
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_MATH
}

/// What rendering one file's body needs to know beside its text.
#[derive(Clone, Copy, Default)]
pub struct BodyOptions<'a> {
    /// Cut the text at its headings for search.
    pub passages: bool,
    /// The front matter's title: an opening H1 that says otherwise stays on the page.
    pub front_title: Option<&'a str>,
    /// The language of the words haru adds (a callout's default title).
    pub language: crate::config::Language,
}

/// Renders one file's markdown body (front matter already removed).
pub fn render(
    source: &str,
    links: &Links,
    highlighter: &Highlighter,
    options: BodyOptions,
) -> Document {
    let prepared = prepare(source);
    let text: &str = &prepared;
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(text, parser_options())
        .into_offset_iter()
        .collect();
    let events = github::extend(events, text);
    let (events, callouts) = callout::find(events);
    let line_starts = LineIndex::new(text);
    let (events, link_notes) =
        wikilinks::resolve(events, text, links, |offset| line_starts.line_of(offset));
    // Headings first: the sections are cut at the template's headings.
    let headings = collect_headings(&events, &line_starts);
    let outline = outline::cut(&events, &headings, options.front_title);
    let mut document = Document {
        title_heading: outline.title_heading.clone(),
        headings: outline.headings.clone(),
        ..Document::default()
    };
    if options.passages {
        document.passages = self::passages(
            &events,
            &outline.heading_anchor,
            outline.title_events.clone(),
        );
    }
    let mut found_in_texts = FastMap::default();
    if let Some(catalogue) = links.tags {
        document.tags = scan_tags(
            &events,
            &outline.segments,
            &outline.heading_anchor,
            outline.title_events.clone(),
            catalogue,
            &mut found_in_texts,
        );
    }
    let tag_urls = tag_urls(&document.tags, links);
    let mut renderer = Renderer {
        text,
        links,
        highlighter,
        heading_anchor: &outline.heading_anchor,
        line_starts: &line_starts,
        notes: link_notes,
        tag_urls: &tag_urls,
        found_in_texts: &found_in_texts,
        callouts: &callouts,
        language: options.language,
    };
    let mut stats = Stats::default();
    for segment in &outline.segments {
        render_segment(
            &mut renderer,
            &mut document,
            &events,
            segment,
            &outline,
            &mut stats,
        );
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

/// The tag page of each service the entry mentions.
fn tag_urls(mentions: &[TagMention], links: &Links) -> FastMap<ServiceId, String> {
    let Some(catalogue) = links.tags else {
        return FastMap::default();
    };
    mentions
        .iter()
        .map(|mention| {
            let slug = &catalogue.service(mention.service).slug;
            let page = crate::routes::tag(slug);
            (
                mention.service,
                format!("{}{}", links.base_path, encode_path(&page)),
            )
        })
        .collect()
}

/// Reads one section's goals or KPT items and renders it into `document`.
fn render_segment(
    renderer: &mut Renderer,
    document: &mut Document,
    events: &[(Event, Range<usize>)],
    segment: &Segment,
    outline: &Outline,
    stats: &mut Stats,
) {
    let range = segment.events.clone();
    if range.is_empty() && segment.heading.is_none() {
        return;
    }
    let slice = &events[range.clone()];
    let mut local_skip: Vec<Range<usize>> = outline
        .skip
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
    let html = renderer.render(slice, &local_skip, counts_as_prose.then_some(stats));
    let is_empty = section_is_empty(slice);
    if counts_as_prose {
        let segment_start = slice.first().map(|(_, r)| r.start).unwrap_or(usize::MAX);
        let segment_end = slice.last().map(|(_, r)| r.end).unwrap_or(0);
        for heading in &document.headings {
            let offset = renderer.line_starts.offset_of_line(heading.line);
            if offset >= segment_start && offset < segment_end && heading.level <= 4 {
                document.toc.push(heading.clone());
            }
        }
    }
    if segment.kind == SectionKind::Body && html.trim().is_empty() && segment.heading.is_none() {
        return;
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
