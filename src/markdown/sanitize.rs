//! What raw HTML reaches the page: allowed elements through ammonia, pasted documents as code,
//! `<placeholders>` as text, and tags left open escaped so they swallow nothing after them.

use super::document::{FastSet, Links};
use super::links::resolve_link;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::borrow::Cow;
use std::ops::Range;

pub(super) enum HtmlBlock {
    /// Allowed HTML (`<img>`, `<details>`, comments): sanitised and kept.
    Pass,
    /// A pasted HTML document (`<html>`, `<head>`, `<style>` …): shown as code.
    Source,
    /// Starts with a `<placeholder>` that is no HTML element: shown as text.
    Text,
}

pub(super) fn classify_html_block(block: &str) -> HtmlBlock {
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

/// Elements whose content the HTML parser reads as raw text, drops, or hides: left open, each
/// swallows the rest of its section.
pub(super) const RAW_TEXT_ELEMENTS: [&str; 14] = [
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
pub(super) const SELF_ENDING_ELEMENTS: [&str; 27] = [
    "area", "base", "br", "caption", "col", "colgroup", "dd", "dt", "embed", "hr", "img", "input",
    "li", "link", "meta", "optgroup", "option", "p", "param", "rp", "rt", "source", "tbody", "td",
    "tfoot", "th", "track",
];

/// An inline tag's element name, and whether it opens (not `</x>`, not `<x/>`).
pub(super) fn tag_name(html: &str) -> Option<(String, bool)> {
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
pub(super) fn unclosed_inline_tags(events: &[(Event, Range<usize>)]) -> FastSet<usize> {
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

pub(super) fn is_inline_tag(tag: &Tag) -> bool {
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

pub(super) fn is_inline_end(end: &TagEnd) -> bool {
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
pub(super) fn escape_unclosed_raw_text(block: &str) -> (Cow<'_, str>, Option<&'static str>) {
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

pub(super) const HTML_ELEMENTS: &[&str] = &[
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
pub(super) fn sanitize(html: &str, links: &Links) -> String {
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
        .add_tag_attributes("input", ["type", "checked", "disabled", "aria-hidden"])
        .add_tag_attributes("img", ["width", "height", "loading", "decoding"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attributes("source", ["src", "srcset", "sizes", "type", "media"])
        .add_tag_attributes("video", ["src", "controls", "width", "height", "poster"])
        .strip_comments(false)
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::Custom(Box::new(RelativeUrls {
            links,
        })));
    with_alt(&builder.clean(html).to_string())
}

/// Gives every `<img>` without `alt` an empty one: HTML requires the attribute, and an image
/// its author gave no words for (a banner, a badge) is one a screen reader may pass over.
/// `html` is ammonia's output: attributes double-quoted, `"` inside them escaped.
fn with_alt(html: &str) -> String {
    if !html.contains("<img") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        out.push_str(&rest[..start]);
        let tag = &rest[start..];
        let mut quoted = false;
        let end = tag
            .char_indices()
            .find(|&(_, character)| {
                if character == '"' {
                    quoted = !quoted;
                }
                character == '>' && !quoted
            })
            .map_or(tag.len(), |(index, _)| index);
        let element = &tag[..end];
        let has_alt = element
            .match_indices(" alt=")
            .any(|(at, _)| element[..at].matches('"').count() % 2 == 0);
        if has_alt {
            out.push_str(element);
        } else {
            out.push_str("<img alt=\"\"");
            out.push_str(&element[4..]);
        }
        rest = &tag[end..];
    }
    out.push_str(rest);
    out
}

pub(super) struct RelativeUrls<'a> {
    links: &'a Links<'a>,
}

impl<'a> ammonia::UrlRelativeEvaluate<'a> for RelativeUrls<'a> {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        // Markdown links were resolved already: they start with the base path or `#`. A raw
        // `<img src="/assets/x.png">` is root-relative to the journal, so under a project
        // site's `/blog/` it resolves like a markdown `/assets/x.png` does.
        let resolved = url.starts_with(self.links.base_path) && !url.starts_with("//");
        if resolved || url.starts_with('#') {
            Some(Cow::Borrowed(url))
        } else {
            resolve_link(url, self.links).map(Cow::Owned)
        }
    }
}
