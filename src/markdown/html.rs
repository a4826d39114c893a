//! Writing a section's events as HTML: code highlighted, headings anchored, the first mention of
//! each service linked to its tag page, raw HTML passed through `sanitize`, URLs through `links`.

use super::document::{FastMap, FastSet, Links};
use super::lines::LineIndex;
use super::links::resolve_link;
use super::sanitize::{
    HtmlBlock, classify_html_block, escape_unclosed_raw_text, is_known_html, sanitize,
    unclosed_inline_tags,
};
use super::stats::Stats;
use crate::highlight::Highlighter;
use crate::tags::ServiceId;
use crate::text::escape_html;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use std::ops::Range;

pub(super) struct Renderer<'a> {
    pub(super) text: &'a str,
    pub(super) links: &'a Links<'a>,
    pub(super) highlighter: &'a Highlighter,
    pub(super) heading_anchor: &'a FastMap<usize, String>,
    pub(super) line_starts: &'a LineIndex,
    pub(super) notes: Vec<(usize, String)>,
    /// Tag page of each service the entry mentions; its first mention in each section links there.
    pub(super) tag_urls: &'a FastMap<ServiceId, String>,
    /// The services each text run names, by its byte offset, as `scan_tags` found them: the
    /// renderer links them without searching the text again.
    pub(super) found_in_texts: &'a FastMap<usize, Vec<crate::tags::Found>>,
}

impl Renderer<'_> {
    /// Renders a slice of events, leaving out the `skip` ranges (relative to the slice).
    pub(super) fn render(
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
    pub(super) fn push_with_tag_links<'e>(
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
    pub(super) fn heading_anchor_for(
        &self,
        events: &[(Event, Range<usize>)],
        local_index: usize,
    ) -> Option<String> {
        self.heading_anchor
            .get(&events[local_index].1.start)
            .cloned()
    }

    pub(super) fn resolve(&mut self, destination: &str, offset: usize) -> String {
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

/// A file's notes (warnings of the build), at most `MOST_NOTES` and one that counts the rest:
/// 20,000 unclosed tags on one line are one problem to the author, not 20,000 lines.
pub(super) fn capped_notes(mut notes: Vec<(usize, String)>) -> Vec<(usize, String)> {
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
