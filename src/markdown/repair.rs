//! Source repairs before parsing, line for line (line numbers stay those of the file the author
//! wrote): list indents, fences, `__dunder__` names and raw HTML blocks that CommonMark would read
//! otherwise than the author meant. See `docs/quirks.md`.

use std::borrow::Cow;

use super::jekyll;

pub(super) struct OpenItem {
    /// The marker's column as written.
    written_marker: usize,
    /// The marker's and the content's column after repair.
    marker: i64,
    content: i64,
    /// How far this item (and so its children) moved.
    shift: i64,
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum LineKind {
    Blank,
    Paragraph,
    ListItem,
    Quote,
    Other,
}

pub(super) struct Fence {
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
/// - `__init__` in prose is a Python name, not bold;
/// - Jekyll's `{% raw %}` markers and `{{ site.baseurl }}` are Jekyll's, not text.
pub fn prepare(source: &str) -> Cow<'_, str> {
    match without_liquid(source) {
        Cow::Borrowed(_) => repaired(source),
        Cow::Owned(clean) => Cow::Owned(repaired(&clean).into_owned()),
    }
}

/// The source without Jekyll's Liquid (see `jekyll`), line for line: a raw marker outside code
/// becomes a blank line; one inside a fence is dropped there and its line ending written
/// after the fence, so the code shows only code and every line after it keeps its number.
fn without_liquid(source: &str) -> Cow<'_, str> {
    if !source.contains("{%") && !source.contains("{{") {
        return Cow::Borrowed(source);
    }
    let mut output = String::with_capacity(source.len());
    let mut fence: Option<Fence> = None;
    let mut moved_endings = 0;
    for raw_line in source.split_inclusive('\n') {
        let (line, ending) = match raw_line.strip_suffix('\n') {
            Some(line) => (line, "\n"),
            None => (raw_line, ""),
        };
        let body = &line[visual_indent(line).1..];
        if jekyll::is_raw_marker_line(line) {
            if fence.is_some() {
                moved_endings += ending.len();
            } else {
                output.push_str(ending);
            }
            continue;
        }
        if let Some(open) = &fence {
            output.push_str(raw_line);
            if closes_fence(body, open) {
                fence = None;
                output.extend(std::iter::repeat_n('\n', moved_endings));
                moved_endings = 0;
            }
            continue;
        }
        if let Some((character, length)) = fence_open(body) {
            fence = Some(Fence {
                character,
                length,
                shift: 0,
            });
        }
        output.push_str(&jekyll::without_liquid(line));
        output.push_str(ending);
    }
    output.extend(std::iter::repeat_n('\n', moved_endings));
    if output == source {
        Cow::Borrowed(source)
    } else {
        Cow::Owned(output)
    }
}

fn repaired(source: &str) -> Cow<'_, str> {
    let mut repair = Repair {
        source,
        output: String::with_capacity(source.len() + 256),
        changed: false,
        items: Vec::new(),
        fence: None,
        previous: LineKind::Blank,
        quote_shift: None,
        last_raw_end: None,
        last_comment_end: None,
    };
    let mut line_start = 0;
    for raw_line in source.split_inclusive('\n') {
        repair.line(raw_line, line_start);
        line_start += raw_line.len();
    }
    if repair.changed {
        Cow::Owned(repair.output)
    } else {
        Cow::Borrowed(source)
    }
}

/// `prepare`'s state from one line to the next.
struct Repair<'a> {
    source: &'a str,
    output: String,
    changed: bool,
    items: Vec<OpenItem>,
    fence: Option<Fence>,
    previous: LineKind,
    quote_shift: Option<i64>,
    // Where the last end tag of a raw HTML block is, found when a block first opens.
    last_raw_end: Option<Option<usize>>,
    last_comment_end: Option<Option<usize>>,
}

impl<'a> Repair<'a> {
    /// Writes one line (with its line ending), repaired, and remembers what it opened.
    fn line(&mut self, raw_line: &'a str, this_line: usize) {
        let (line, ending) = match raw_line.strip_suffix('\n') {
            Some(line) => (line, "\n"),
            None => (raw_line, ""),
        };
        let (indent, body_start) = visual_indent(line);
        let body = &line[body_start..];
        if let Some(open) = &self.fence {
            let shift = open.shift;
            if closes_fence(body, open) {
                self.fence = None;
            }
            push_shifted(
                &mut self.output,
                line,
                indent,
                body_start,
                shift,
                &mut self.changed,
            );
            self.output.push_str(ending);
            return;
        }
        if body.trim().is_empty() {
            self.output.push_str(raw_line);
            self.previous = LineKind::Blank;
            self.quote_shift = None;
            return;
        }
        while (self.items.last()).is_some_and(|item| indent <= item.written_marker) {
            self.items.pop();
        }
        let marker = list_marker(body);
        let shift = self.shift(indent, body, marker);
        let repaired_body = self.escaped(body, this_line);
        if repaired_body != body {
            self.changed = true;
        }
        if shift != 0 {
            self.changed = true;
            let new_indent = (indent as i64 + shift).max(0) as usize;
            self.output.extend(std::iter::repeat_n(' ', new_indent));
            self.output.push_str(&repaired_body);
        } else if repaired_body != body {
            self.output.push_str(&line[..body_start]);
            self.output.push_str(&repaired_body);
        } else {
            self.output.push_str(line);
        }
        self.output.push_str(ending);
        self.remember(indent, body, marker, shift);
    }

    /// How far a line moves: under its list item's text, out of a lazy paragraph, or out of
    /// an indented code block it was never meant to be.
    fn shift(&self, indent: usize, body: &str, marker: Option<(bool, usize)>) -> i64 {
        let parent_shift = self.items.last().map_or(0, |item| item.shift);
        let mut shift = parent_shift;
        if let Some(parent) = self.items.last() {
            let shifted = indent as i64 + parent_shift;
            if shifted >= parent.marker + 2 && shifted < parent.content {
                shift += parent.content - shifted;
            }
        }
        if let Some((false, _)) = marker {
            if self.previous == LineKind::Paragraph {
                let container = self.items.last().map_or(0, |item| item.content);
                let shifted = indent as i64 + shift;
                if shifted - container >= 4 {
                    shift = container + 2 - indent as i64;
                }
            }
        }
        if self.items.is_empty() && indent >= 4 {
            let is_fence_open = fence_open(body).is_some();
            if self.previous == LineKind::Blank && (is_fence_open || body.starts_with('>')) {
                shift = -(indent as i64);
            } else if self.previous == LineKind::Quote && body.starts_with('>') {
                if let Some(quote) = self.quote_shift {
                    shift = quote;
                }
            }
        }
        shift
    }

    /// The line's text with `__dunder__` names escaped, and a backslash before an HTML
    /// comment or raw block that nothing below closes.
    fn escaped(&mut self, body: &'a str, this_line: usize) -> Cow<'a, str> {
        let source = self.source;
        let repaired_body = escape_dunder(body);
        if body.starts_with("<!--") {
            let last_end = *self
                .last_comment_end
                .get_or_insert_with(|| source.rfind("-->"));
            if last_end.is_none_or(|end| end < this_line) {
                // A comment never closed would hide the rest of the file (GitHub hides it too).
                return Cow::Owned(format!("\\{repaired_body}"));
            }
        } else if opens_raw_html_block(body) {
            let last_end = *self
                .last_raw_end
                .get_or_insert_with(|| last_raw_block_end(source));
            if last_end.is_none_or(|end| end < this_line) {
                // `<style> 태그는…` at a line's start with no end tag below would make the rest of
                // the file one HTML block: the author is writing about the tag.
                return Cow::Owned(format!("\\{repaired_body}"));
            }
        }
        repaired_body
    }

    /// The fence, list item or quote a line opens, and what kind of line it was.
    fn remember(&mut self, indent: usize, body: &str, marker: Option<(bool, usize)>, shift: i64) {
        let is_fence_open = fence_open(body).is_some();
        if let Some((character, length)) = fence_open(body) {
            self.fence = Some(Fence {
                character,
                length,
                shift,
            });
        }
        let position = indent as i64 + shift;
        if let Some((_, content_offset)) = marker {
            self.items.push(OpenItem {
                written_marker: indent,
                marker: position,
                content: position + content_offset as i64,
                shift,
            });
        }
        self.previous = if marker.is_some() {
            LineKind::ListItem
        } else if body.starts_with('>') {
            self.quote_shift = Some(shift);
            LineKind::Quote
        } else if body.starts_with('#')
            || is_fence_open
            || (self.items.is_empty() && indent >= 4 && self.previous == LineKind::Blank)
        {
            LineKind::Other
        } else {
            LineKind::Paragraph
        };
    }
}

/// Whether a line opens a CommonMark HTML block of the first kind, which runs until a line
/// holding `</script>`, `</pre>`, `</style>` or `</textarea>`, or else to the end of the file.
pub(super) fn opens_raw_html_block(body: &str) -> bool {
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
pub(super) fn last_raw_block_end(source: &str) -> Option<usize> {
    let lower = source.to_ascii_lowercase();
    ["</script>", "</pre>", "</style>", "</textarea>"]
        .iter()
        .filter_map(|end| lower.rfind(end))
        .max()
}

pub(super) fn push_shifted(
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
pub(super) fn visual_indent(line: &str) -> (usize, usize) {
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
pub(super) fn list_marker(body: &str) -> Option<(bool, usize)> {
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

pub(super) fn fence_open(body: &str) -> Option<(u8, usize)> {
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

pub(super) fn closes_fence(body: &str, fence: &Fence) -> bool {
    let length = body.bytes().take_while(|b| *b == fence.character).count();
    length >= fence.length && body[length..].trim().is_empty()
}

/// `(__init__)` → `(\_\_init\_\_)` outside code spans: Python names, not bold.
pub(super) fn escape_dunder(body: &str) -> Cow<'_, str> {
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
            // A Python name is lower case (`__init__`, `__main__`); `__ACID__` is bold, as
            // on GitHub.
            let is_python_name = name_length > 0
                && bytes[name_start].is_ascii_lowercase()
                && bytes[name_start..name_end]
                    .iter()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
            if is_python_name
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

pub(super) fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}
