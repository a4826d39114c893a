//! What rendering one file yields (`Document`) and what it needs to know of the site (`Links`):
//! the markdown stage's inputs and outputs, with no HTML writing of their own.

use crate::model::{Goal, Heading, Kpt, SectionKind, TagPlace};
use crate::tags::{Catalogue, PRIMARY_MENTIONS, ServiceId};
use serde::Serialize;
use std::collections::HashMap;

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
    /// The journal's files by name, for Obsidian's `[[wikilinks]]`.
    pub names: Option<&'a super::FileNames>,
    /// The journal's pictures, by content path: `width`, `height` and `srcset`.
    pub(crate) images: Option<&'a crate::images::Pictures>,
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
    /// its first mention. Shared by the services of one passage.
    pub excerpt: std::sync::Arc<str>,
    /// Where that passage is: a heading anchor, `None` for the top of the page.
    pub anchor: Option<std::sync::Arc<str>>,
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
    pub notes: Vec<Note>,
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
pub(super) type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
pub(super) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

/// A problem worth telling the author, at a 1-based line of the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub line: usize,
    pub message: String,
    /// The same in Korean.
    pub korean: String,
}
