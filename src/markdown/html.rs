//! Writing a section's events as HTML: code highlighted, headings anchored, the first mention of
//! each service linked to its tag page, raw HTML passed through `sanitize`, URLs through `links`.

use super::callout::{Callout, Fold};
use super::document::{FastMap, FastSet, Links, Note};
use super::lines::LineIndex;
use super::links::{content_path, resolve_link};
use super::math::{Placement, to_mathml};
use super::sanitize::{
    HtmlBlock, classify_html_block, escape_unclosed_raw_text, is_known_html, sanitize,
    unclosed_inline_tags,
};
use super::stats::Stats;
use crate::highlight::Highlighter;
use crate::images::{Picture, Size};
use crate::routes;
use crate::tags::ServiceId;
use crate::text::escape_html;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use std::ops::Range;

/// The start of the comment that holds a formula's place until the HTML is sanitised.
const MATH_MARKER: &str = "<!--haru-math:";

/// `html` with each formula's marker replaced by its MathML. A marker an author typed that
/// names no formula of this section stays the comment it is.
fn with_math(html: &str, math: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + math.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(start) = rest.find(MATH_MARKER) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MATH_MARKER.len()..];
        let formula = after.find("-->").and_then(|end| {
            let index: usize = after[..end].parse().ok()?;
            Some((math.get(index)?, end))
        });
        match formula {
            Some((mathml, end)) => {
                out.push_str(mathml);
                rest = &after[end + 3..];
            }
            None => {
                out.push_str(MATH_MARKER);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub(super) struct Renderer<'a> {
    pub(super) text: &'a str,
    pub(super) links: &'a Links<'a>,
    pub(super) highlighter: &'a Highlighter,
    pub(super) heading_anchor: &'a FastMap<usize, String>,
    pub(super) line_starts: &'a LineIndex,
    pub(super) notes: Vec<Note>,
    /// Tag page of each service the entry mentions; its first mention in each section links there.
    pub(super) tag_urls: &'a FastMap<ServiceId, String>,
    /// The services each text run names, by its byte offset, as `scan_tags` found them: the
    /// renderer links them without searching the text again.
    pub(super) found_in_texts: &'a FastMap<usize, Vec<crate::tags::Found>>,
    /// Callouts, by the start of their quote (see `callout`).
    pub(super) callouts: &'a FastMap<usize, Callout>,
    pub(super) language: crate::config::Language,
}

/// An image being read: where it is, its size if known, and its alt text so far.
struct PendingImage {
    source: String,
    title: String,
    size: Option<Size>,
    /// Smaller WebP copies, as (width, address), narrowest first.
    copies: Vec<(u32, String)>,
    /// Inside a link already: a click goes there, not to the full-size picture.
    in_link: bool,
    alt: String,
    /// Images written inside this one's alt text (`![a ![b](x)](y)`), still open.
    nested: usize,
}

impl PendingImage {
    /// The `<img>`: lazily loaded and decoded, its place kept by its size, and, outside a
    /// link, a link to the picture itself, since screenshots shrunk to the column are often
    /// too small to read.
    fn markup(&self) -> String {
        let mut source = String::with_capacity(self.source.len());
        pulldown_cmark_escape::escape_href(&mut source, &self.source).expect("writing to a String");
        let mut tag = format!("<img src=\"{source}\" alt=\"{}\"", escape_html(&self.alt));
        if !self.title.is_empty() {
            tag.push_str(&format!(" title=\"{}\"", escape_html(&self.title)));
        }
        if let Some(size) = self.size {
            tag.push_str(&format!(
                " width=\"{}\" height=\"{}\"",
                size.width, size.height
            ));
        }
        tag.push_str(" loading=\"lazy\" decoding=\"async\">");
        if !self.copies.is_empty() {
            // The column is 46rem less its margins; a phone's is the window less them.
            let srcset: Vec<String> = (self.copies.iter())
                .map(|(width, address)| format!("{address} {width}w"))
                .collect();
            tag = format!(
                "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"(min-width: 46rem) 43.5rem, calc(100vw - 2.5rem)\">{tag}</picture>",
                srcset.join(", ")
            );
        }
        if self.in_link {
            tag
        } else {
            format!("<a class=\"image-link\" href=\"{source}\">{tag}</a>")
        }
    }
}

/// One `render` pass over a section's events: the output so far and what is open.
struct Pass<'e> {
    output: Vec<Event<'e>>,
    /// Whether any raw HTML passed through, so the HTML must be sanitised.
    has_raw_html: bool,
    /// An open code block: its language and text so far.
    code: Option<(Option<String>, String)>,
    /// An open HTML block: its text so far and its first line.
    html_block: Option<(String, usize)>,
    /// Whether each open strikethrough was written `~~` (a single `~` is a range, not one).
    tildes: Vec<bool>,
    in_heading: bool,
    link_depth: usize,
    /// Whether each open image has an address a browser loads.
    images: Vec<bool>,
    /// The loadable image open now: its alt text is gathered and its tag written at its end.
    image: Option<PendingImage>,
    /// The services already linked in this section: only the first mention is.
    linked_tags: FastSet<ServiceId>,
    /// The inline tags left open in their paragraph, by event index.
    unclosed: FastSet<usize>,
    paragraph_depth: usize,
    table_depth: usize,
    /// Each open quote's callout fold, or `None` for a plain quote.
    quotes: Vec<Option<Fold>>,
    /// The MathML of each formula, put in after sanitising (ammonia knows no MathML); the
    /// output holds a numbered comment in its place.
    math: Vec<String>,
}

impl<'e> Pass<'e> {
    fn new(events: &[(Event<'e>, Range<usize>)]) -> Self {
        Pass {
            output: Vec::with_capacity(events.len()),
            has_raw_html: false,
            code: None,
            html_block: None,
            tildes: Vec::new(),
            in_heading: false,
            link_depth: 0,
            images: Vec::new(),
            image: None,
            linked_tags: FastSet::default(),
            unclosed: unclosed_inline_tags(events),
            paragraph_depth: 0,
            table_depth: 0,
            quotes: Vec::new(),
            math: Vec::new(),
        }
    }

    /// Whether prose here is part of the entry's lead (its opening paragraphs, no tables).
    fn in_lead(&self, stats: &Stats) -> bool {
        self.paragraph_depth > 0 && self.table_depth == 0 && !stats.lead_done
    }
}

impl Renderer<'_> {
    /// Renders a slice of events, leaving out the `skip` ranges (relative to the slice).
    pub(super) fn render(
        &mut self,
        events: &[(Event, Range<usize>)],
        skip: &[Range<usize>],
        mut stats: Option<&mut Stats>,
    ) -> String {
        let mut pass = Pass::new(events);
        let mut index = 0;
        let mut skip_iter = skip.iter().peekable();
        while index < events.len() {
            while skip_iter.next_if(|range| range.end <= index).is_some() {}
            if let Some(range) = skip_iter.peek() {
                if range.start <= index {
                    index = range.end;
                    continue;
                }
            }
            index += 1;
            if pass.image.is_some() {
                image_alt_event(&mut pass, &events[index - 1].0);
            } else if pass.code.is_some() {
                self.code_event(&mut pass, &events[index - 1].0);
            } else if pass.html_block.is_some() {
                self.html_block_event(&mut pass, &events[index - 1].0);
            } else {
                self.event(&mut pass, events, index - 1, stats.as_deref_mut());
            }
        }
        self.finish(events, pass)
    }

    /// The HTML of the pass's events, sanitised if raw HTML went in.
    fn finish(&self, events: &[(Event, Range<usize>)], pass: Pass) -> String {
        // The section's own span of the source is a fair guess of its HTML's length; the text
        // is kept until the site is written, so it is held without spare room (sections sized
        // by the whole entry's length once held three times their text: 400 MB at 10,000 entries).
        let span = match (events.first(), events.last()) {
            (Some((_, first)), Some((_, last))) => last.end.saturating_sub(first.start),
            _ => 0,
        };
        let mut html = String::with_capacity(span + span / 2);
        pulldown_cmark::html::push_html(&mut html, pass.output.into_iter());
        let mut html: String = if pass.has_raw_html {
            sanitize(&html, self.links)
        } else {
            html
        };
        if !pass.math.is_empty() {
            html = with_math(&html, &pass.math);
        }
        html.shrink_to_fit();
        html
    }

    /// Inside a code block: its text is gathered and highlighted as a whole at its end.
    fn code_event(&self, pass: &mut Pass, event: &Event) {
        let Some((_, buffer)) = &mut pass.code else {
            return;
        };
        match event {
            Event::Text(text) => buffer.push_str(text),
            Event::End(TagEnd::CodeBlock) => {
                let (label, body) = pass.code.take().expect("open code block");
                pass.output.push(Event::Html(
                    self.highlighter.block(&body, label.as_deref()).into(),
                ));
            }
            _ => {}
        }
    }

    /// Inside an HTML block: its text is gathered and, at its end, passed through, shown as
    /// code (a whole HTML document) or as text.
    fn html_block_event(&mut self, pass: &mut Pass, event: &Event) {
        let Some((buffer, _)) = &mut pass.html_block else {
            return;
        };
        match event {
            Event::Html(html) | Event::Text(html) => buffer.push_str(html),
            Event::End(TagEnd::HtmlBlock) => {
                let (block, line) = pass.html_block.take().expect("open html block");
                self.html_block(pass, &block, line);
            }
            _ => {}
        }
    }

    fn html_block(&mut self, pass: &mut Pass, block: &str, line: usize) {
        match classify_html_block(block) {
            HtmlBlock::Pass => {
                pass.has_raw_html = true;
                let (block, left_open) = escape_unclosed_raw_text(block);
                if let Some(name) = left_open {
                    self.note(
                        line,
                        format!("`<{name}>` is not closed in this HTML block: shown as text (GitHub hides what follows it)"),
                        format!("이 HTML 블록에서 `<{name}>`이(가) 닫히지 않아 글자 그대로 보여 줍니다(GitHub는 그 뒤를 숨깁니다)"),
                    );
                }
                pass.output.push(Event::Html(block.into_owned().into()));
            }
            HtmlBlock::Source => {
                self.note(
                    line,
                    "raw HTML document shown as code; fence it with ```html",
                    "HTML 문서 전체라서 코드로 보여 줍니다. ```html 로 감싸세요",
                );
                pass.output.push(Event::Html(
                    self.highlighter.block(block, Some("html")).into(),
                ));
            }
            HtmlBlock::Text => {
                pass.output.push(Event::Html("<p>".into()));
                let mut first = true;
                for line in block.trim_end().lines() {
                    if !first {
                        pass.output.push(Event::HardBreak);
                    }
                    first = false;
                    pass.output.push(Event::Text(line.to_string().into()));
                }
                pass.output.push(Event::Html("</p>\n".into()));
            }
        }
    }

    /// One event outside code and HTML blocks: blocks open, headings get their anchors, `~`
    /// stays text, links and images are resolved, inline HTML is judged.
    fn event<'e>(
        &mut self,
        pass: &mut Pass<'e>,
        events: &[(Event<'e>, Range<usize>)],
        position: usize,
        stats: Option<&mut Stats>,
    ) {
        let (event, range) = &events[position];
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let label = match kind {
                    CodeBlockKind::Fenced(info) if !info.trim().is_empty() => {
                        Some(info.to_string())
                    }
                    _ => None,
                };
                pass.code = Some((label, String::new()));
            }
            Event::Start(Tag::HtmlBlock) => {
                pass.html_block = Some((String::new(), self.line_starts.line_of(range.start)));
            }
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                pass.in_heading = true;
                let id = self.heading_anchor_for(events, position);
                pass.output.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: id.map(CowStr::from),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                pass.in_heading = false;
                pass.output.push(Event::End(TagEnd::Heading(*level)));
            }
            Event::Start(Tag::Strikethrough) => {
                // GFM strikes `리전~리전 간 OK / 계정~계정`; only `~~` means strikethrough here.
                let real = self.text[range.start..].starts_with("~~");
                pass.tildes.push(real);
                pass.output.push(if real {
                    Event::Start(Tag::Strikethrough)
                } else {
                    Event::Text("~".into())
                });
            }
            Event::End(TagEnd::Strikethrough) => {
                let real = pass.tildes.pop().unwrap_or(true);
                pass.output.push(if real {
                    Event::End(TagEnd::Strikethrough)
                } else {
                    Event::Text("~".into())
                });
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. })
            | Event::End(TagEnd::Link | TagEnd::Image) => self.link_event(pass, event, range),
            Event::Start(Tag::BlockQuote(_)) | Event::End(TagEnd::BlockQuote(_)) => {
                self.quote_event(pass, event, range)
            }
            Event::InlineHtml(html) => self.inline_html(pass, html, position, range),
            Event::TaskListMarker(done) => pass
                .output
                .push(Event::InlineHtml(task_marker(*done, self.language).into())),
            Event::Html(html) => {
                pass.has_raw_html = true;
                pass.output.push(Event::Html(html.clone()));
            }
            Event::InlineMath(latex) => self.math_event(pass, latex, Placement::Inline, range),
            Event::DisplayMath(latex) => self.math_event(pass, latex, Placement::Block, range),
            _ => self.prose_event(pass, event, range, stats),
        }
    }

    /// A formula: its MathML, or, when its LaTeX cannot be read, the source as the author
    /// typed it, in code.
    fn math_event(
        &mut self,
        pass: &mut Pass,
        latex: &str,
        placement: Placement,
        range: &Range<usize>,
    ) {
        match to_mathml(latex, placement) {
            Ok(mathml) => {
                let marker = format!("{MATH_MARKER}{}-->", pass.math.len());
                pass.math.push(mathml);
                pass.output.push(Event::InlineHtml(marker.into()));
            }
            Err(reason) => {
                let line = self.line_starts.line_of(range.start);
                self.note(
                    line,
                    format!("math not rendered ({reason}): shown as its LaTeX source"),
                    format!("수식을 그리지 못해({reason}) LaTeX 원문을 보여 줍니다"),
                );
                pass.output
                    .push(Event::Code(self.text[range.clone()].to_string().into()));
            }
        }
    }

    /// Links and images: their addresses resolved; an image no browser can load stands as its
    /// alt text.
    fn link_event<'e>(&mut self, pass: &mut Pass<'e>, event: &Event<'e>, range: &Range<usize>) {
        match event {
            Event::End(TagEnd::Link) => {
                pass.link_depth = pass.link_depth.saturating_sub(1);
                pass.output.push(event.clone());
            }
            Event::End(TagEnd::Image) => {
                pass.link_depth = pass.link_depth.saturating_sub(1);
                pass.output.push(if pass.images.pop().unwrap_or(true) {
                    event.clone()
                } else {
                    Event::Html("</span>".into())
                });
            }
            Event::Start(tag @ Tag::Link { dest_url, .. }) => {
                pass.link_depth += 1;
                let resolved = self.resolve(dest_url, range.start);
                pass.output
                    .push(Event::Start(with_destination(tag, resolved)));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let in_link = pass.link_depth > 0;
                pass.link_depth += 1;
                let resolved = self.resolve(dest_url, range.start);
                // A Notion `attachment:` or similar address no browser loads: the image's
                // alt text stands in its place.
                let loadable = !resolved.contains(':')
                    || ["http://", "https://", "data:image/", "/"]
                        .iter()
                        .any(|start| resolved.starts_with(start));
                if loadable {
                    let picture = self.picture(dest_url);
                    let copies = picture.map_or_else(Vec::new, |picture| {
                        let base = self.links.base_path;
                        (picture.variants.iter())
                            .map(|copy| {
                                let path = routes::image_copy(copy.hash, copy.width);
                                (copy.width, format!("{base}{path}"))
                            })
                            .collect()
                    });
                    pass.image = Some(PendingImage {
                        size: picture.map(|picture| picture.size),
                        copies,
                        source: resolved,
                        title: title.to_string(),
                        in_link,
                        alt: String::new(),
                        nested: 0,
                    });
                    return;
                }
                pass.images.push(false);
                pass.output.push({
                    Event::Html(
                        format!(
                            "<span class=\"image-unavailable\" title=\"{}\">",
                            escape_html(dest_url)
                        )
                        .into(),
                    )
                });
            }
            _ => pass.output.push(event.clone()),
        }
    }

    /// The journal's picture at `destination`, when it is one and its header could be read.
    fn picture(&self, destination: &str) -> Option<&Picture> {
        let destination = destination.trim();
        let scheme = destination
            .find(':')
            .is_some_and(|colon| !destination[..colon].contains('/'));
        if scheme || destination.starts_with("//") {
            return None;
        }
        let (path, _) = content_path(destination, self.links.source_dir)?;
        self.links.images?.get(&path)
    }

    /// A quote, or a callout: a box with its title, or a `<details>` when it folds.
    fn quote_event<'e>(&mut self, pass: &mut Pass<'e>, event: &Event<'e>, range: &Range<usize>) {
        if let Event::End(TagEnd::BlockQuote(_)) = event {
            pass.output.push(match pass.quotes.pop().flatten() {
                Some(Fold::None) => Event::Html("</div>\n".into()),
                Some(_) => Event::Html("</details>\n".into()),
                None => event.clone(),
            });
            return;
        }
        let Some(callout) = self.callouts.get(&range.start) else {
            pass.quotes.push(None);
            pass.output.push(event.clone());
            return;
        };
        let class = callout.kind.class();
        let title = match &callout.title {
            Some(title) => escape_html(title),
            None => callout.kind.label(self.language).to_string(),
        };
        pass.quotes.push(Some(callout.fold));
        let open = match callout.fold {
            Fold::None => format!(
                "<div class=\"callout callout-{class}\">\n<p class=\"callout-title\">{title}</p>\n"
            ),
            Fold::Open => format!(
                "<details class=\"callout callout-{class}\" open>\n<summary class=\"callout-title\">{title}</summary>\n"
            ),
            Fold::Shut => format!(
                "<details class=\"callout callout-{class}\">\n<summary class=\"callout-title\">{title}</summary>\n"
            ),
        };
        pass.output.push(Event::Html(open.into()));
    }

    /// Inline HTML: a known tag passes (and is sanitised later); a tag left open, or a
    /// `<placeholder>` no browser knows, is the author's text.
    fn inline_html<'e>(
        &mut self,
        pass: &mut Pass<'e>,
        html: &CowStr<'e>,
        position: usize,
        range: &Range<usize>,
    ) {
        if pass.unclosed.contains(&position) {
            // `CSS는 <style> 태그 안에…`: a tag left open would swallow or restyle
            // everything after it (GitHub shows nothing past it); it is the author's
            // words about the tag.
            let line = self.line_starts.line_of(range.start);
            self.note(
                line,
                format!(
                    "`{}` is not closed in this paragraph: shown as text (GitHub hides what follows it); write it as `{}` in backticks",
                    html.trim(),
                    html.trim()
                ),
                format!(
                    "이 문단에서 `{}`이(가) 닫히지 않아 글자 그대로 보여 줍니다(GitHub는 그 뒤를 숨깁니다). 백틱으로 `{}`처럼 쓰세요",
                    html.trim(),
                    html.trim()
                ),
            );
            pass.output.push(Event::Text(html.clone()));
        } else if is_known_html(html) {
            pass.has_raw_html = true;
            pass.output.push(Event::InlineHtml(html.clone()));
        } else {
            // `List<PlaylistTrack>`, `git checkout <commit-hash>`: text, not a tag.
            pass.output.push(Event::Text(html.clone()));
        }
    }

    /// Text and the blocks around it: counted for the entry's figures and lead, services
    /// linked to their tag pages, each line break kept.
    fn prose_event<'e>(
        &self,
        pass: &mut Pass<'e>,
        event: &Event<'e>,
        range: &Range<usize>,
        stats: Option<&mut Stats>,
    ) {
        match event {
            Event::Text(text) => {
                if let Some(stats) = stats {
                    if !pass.in_heading {
                        stats.count(text);
                        if pass.in_lead(stats) {
                            stats.lead.push_str(text);
                        }
                    }
                }
                match self.found_in_texts.get(&range.start) {
                    Some(found) if !pass.in_heading && pass.link_depth == 0 => self
                        .push_with_tag_links(text, found, &mut pass.output, &mut pass.linked_tags),
                    _ => pass.output.push(Event::Text(text.clone())),
                }
            }
            Event::Code(text) => {
                if let Some(stats) = stats {
                    stats.count(text);
                    if pass.in_lead(stats) {
                        stats.lead.push_str(text);
                    }
                }
                pass.output.push(Event::Code(text.clone()));
            }
            Event::SoftBreak | Event::HardBreak => {
                // `이다.\n실무에선`: the lead is one line, so a break is a space in it.
                if let Some(stats) = stats {
                    if pass.paragraph_depth > 0 && !stats.lead_done {
                        stats.lead.push(' ');
                    }
                }
                // Korean notes put one thought per line and expect to see it that way.
                pass.output.push(Event::HardBreak);
            }
            Event::Start(Tag::Paragraph) => {
                pass.paragraph_depth += 1;
                pass.output.push(event.clone());
            }
            Event::End(TagEnd::Paragraph) => {
                pass.paragraph_depth = pass.paragraph_depth.saturating_sub(1);
                if let Some(stats) = stats {
                    if !stats.lead_done {
                        if stats.lead.chars().count() >= 120 {
                            stats.lead_done = true;
                        } else if !stats.lead.is_empty() {
                            stats.lead.push(' ');
                        }
                    }
                }
                pass.output.push(event.clone());
            }
            Event::Start(Tag::Table(_)) => {
                pass.table_depth += 1;
                pass.output.push(event.clone());
            }
            Event::End(TagEnd::Table) => {
                pass.table_depth = pass.table_depth.saturating_sub(1);
                pass.output.push(event.clone());
            }
            other => pass.output.push(other.clone()),
        }
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

    fn note(&mut self, line: usize, message: impl Into<String>, korean: impl Into<String>) {
        let message = message.into();
        let korean = korean.into();
        self.notes.push(Note {
            line,
            message,
            korean,
        });
    }

    pub(super) fn resolve(&mut self, destination: &str, offset: usize) -> String {
        match resolve_link(destination, self.links) {
            Some(url) => url,
            None => {
                self.note(
                    self.line_starts.line_of(offset),
                    format!("unsafe link `{destination}` removed"),
                    format!("안전하지 않은 링크 `{destination}`을(를) 뺐습니다"),
                );
                "#".to_string()
            }
        }
    }
}

/// Inside an image: text becomes its alt text, as browsers read it (emphasis and code in it
/// are plain words); at its end the tag is written.
fn image_alt_event(pass: &mut Pass, event: &Event) {
    let Some(image) = &mut pass.image else {
        return;
    };
    match event {
        Event::Text(text) | Event::Code(text) | Event::InlineMath(text) => image.alt.push_str(text),
        Event::SoftBreak | Event::HardBreak => image.alt.push(' '),
        Event::Start(Tag::Image { .. }) => image.nested += 1,
        Event::End(TagEnd::Image) if image.nested > 0 => image.nested -= 1,
        Event::End(TagEnd::Image) => {
            let image = pass.image.take().expect("open image");
            pass.link_depth = pass.link_depth.saturating_sub(1);
            pass.output.push(Event::InlineHtml(image.markup().into()));
        }
        _ => {}
    }
}

/// A link or image tag as written, pointing at `destination` instead.
fn with_destination<'e>(tag: &Tag<'e>, destination: String) -> Tag<'e> {
    let mut tag = tag.clone();
    if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
        *dest_url = destination.into();
    }
    tag
}

/// A file's notes (warnings of the build), at most `MOST_NOTES` and one that counts the rest:
/// 20,000 unclosed tags on one line are one problem to the author, not 20,000 lines.
pub(super) fn capped_notes(mut notes: Vec<Note>) -> Vec<Note> {
    const MOST_NOTES: usize = 20;
    if notes.len() > MOST_NOTES {
        let more = notes.len() - MOST_NOTES;
        notes.truncate(MOST_NOTES);
        let line = notes.last().map_or(1, |note| note.line);
        notes.push(Note {
            line,
            message: format!("{more} more warnings like these in this file are not listed"),
            korean: format!("이 파일에 같은 경고가 {more}개 더 있지만 적지 않았습니다"),
        });
    }
    notes
}

/// A task's box: drawn by the theme, hidden from screen readers, which are told the state in
/// words instead (a disabled checkbox has no label of its own to read).
fn task_marker(done: bool, language: crate::config::Language) -> String {
    let (done_word, open_word) = match language {
        crate::config::Language::Ko => ("완료", "할 일"),
        crate::config::Language::En => ("done", "to do"),
    };
    if done {
        format!(
            "<input type=\"checkbox\" class=\"task\" disabled checked aria-hidden=\"true\"><span class=\"sr-only\">{done_word}: </span>"
        )
    } else {
        format!(
            "<input type=\"checkbox\" class=\"task\" disabled aria-hidden=\"true\"><span class=\"sr-only\">{open_word}: </span>"
        )
    }
}
