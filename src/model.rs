//! The journal as plain data: entries, their sections, goals and retrospective, and the site
//! that indexes them. Nothing here knows about HTML, files or templates; stages refer to
//! entries by `EntryId`, an index into `Site::entries`.

use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

use crate::date::{DateSource, Precision};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EntryId(pub usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TagId(pub usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SeriesId(pub usize);

/// A tag of the journal: an AWS service from the catalogue, or a front-matter tag of the
/// journal's own (`spring`) with no category.
#[derive(Clone, Debug, Serialize)]
pub struct Tag {
    pub id: TagId,
    pub slug: String,
    /// Canonical name (`Amazon Simple Queue Service`).
    pub name: String,
    /// How people write it (`SQS`): the label shown on pages.
    pub short: String,
    /// Category key (`application-integration`), empty for a journal's own tags.
    pub category: String,
    pub category_label: String,
    pub description: String,
    /// An AWS service (the site's first way in), not the rest of the stack or the journal's own.
    pub aws: bool,
    /// Entries with this tag, newest first, and whether it is primary there.
    pub entries: Vec<(EntryId, bool)>,
}

/// Where in an entry a service is mentioned.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TagPlace {
    pub section: SectionKind,
    /// The heading above the mention, `None` at the top of the page: one text shared by every
    /// place and tag under that heading.
    pub anchor: Option<Arc<str>>,
    pub count: usize,
}

/// A fixed-seed hash of `value`: equal inputs give equal fingerprints within one build of haru,
/// so a rebuild can tell which pages' inputs changed. Where one names a file kept between
/// builds (picture copies, a journal's highlight cache), another haru may name it otherwise:
/// that costs a cache miss, never a wrong page.
pub fn fingerprint<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(FINGERPRINT_SEED).hash_one(value)
}

/// The fingerprint of a sequence of fingerprints, without collecting them first.
pub fn fingerprint_sequence(values: impl IntoIterator<Item = u64>) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = foldhash::quality::FixedState::with_seed(FINGERPRINT_SEED).build_hasher();
    for value in values {
        hasher.write_u64(value);
    }
    hasher.finish()
}

const FINGERPRINT_SEED: u64 = 0x68617275;

/// A tag on an entry, with what the entry says of it.
#[derive(Clone, Debug, Serialize)]
pub struct EntryTag {
    pub tag: TagId,
    /// The entry is about it (title, heading or list-item title names it, or 3+ mentions),
    /// or the author put it in front matter.
    pub primary: bool,
    pub count: usize,
    /// Shared with the parsed file it came from (a rebuild keeps those): the model is made
    /// again from them without copying every entry's passages.
    pub places: Arc<[TagPlace]>,
    pub excerpt: Arc<str>,
    pub anchor: Option<Arc<str>>,
    /// Fingerprint of count, excerpt and anchor: what a tag page shows of this entry. Made
    /// when the file is parsed, so a rebuild need not hash every passage again.
    #[serde(skip)]
    pub passage: u64,
}

/// Days of one course, from Scrum goals or titles like `Architecting on AWS 3일차`.
#[derive(Clone, Debug, Serialize)]
pub struct Series {
    pub id: SeriesId,
    pub slug: String,
    pub name: String,
    /// (day, entry), by day then date.
    pub days: Vec<(u32, EntryId)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SeriesDay {
    pub series: SeriesId,
    pub day: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Text outside the template's sections (a whole note when there is no template).
    Body,
    /// ☀️ 오늘의 목표 (Scrum)
    Goals,
    /// 📝 배운 내용 (Today I Learned)
    Learned,
    /// 🔥 도전 과제 & 해결 (Challenge & Solution)
    Challenge,
    /// 💭 오늘의 회고 (Retrospective)
    Retrospective,
    /// 🔗 참고 자료 (References)
    References,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Goal {
    pub text: String,
    /// `Some` for a task-list goal (`- [x]` is `Some(true)`), `None` for a plain bullet.
    pub done: Option<bool>,
}

/// Keep / Problem / Try, each a list of items; "X", "없음" and empty values are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Kpt {
    pub keep: Vec<String>,
    pub problem: Vec<String>,
    #[serde(rename = "try")]
    pub try_next: Vec<String>,
}

impl Kpt {
    pub fn is_empty(&self) -> bool {
        self.keep.is_empty() && self.problem.is_empty() && self.try_next.is_empty()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EntryDate {
    #[serde(serialize_with = "serialize_date")]
    pub date: Date,
    pub precision: Precision,
    pub source: DateSource,
}

fn serialize_date<S: serde::Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(date)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A dated journal entry.
    Daily,
    /// A markdown file with no date: listed under its folder.
    Note,
    /// The README at the content root.
    About,
}

#[derive(Clone, Debug, Serialize)]
pub struct Section {
    pub kind: SectionKind,
    pub heading: Option<String>,
    pub anchor: Option<String>,
    pub line: usize,
    pub is_empty: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub anchor: String,
    pub line: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub id: EntryId,
    pub kind: EntryKind,
    /// Path relative to the content root, `/`-separated, as written.
    pub source: String,
    /// Page path relative to the site root, ending in `/` (`TIL/AWS/2026.01.30/`).
    pub path: String,
    pub title: String,
    pub date: Option<EntryDate>,
    // What the parse read is shared with the parsed file it came from, as the tags' excerpts
    // are: every build assembles the model again, and copying 10,000 entries' headings,
    // goals and summaries held 68 MB twice.
    pub sections: Arc<[Section]>,
    pub headings: Arc<[Heading]>,
    pub goals: Arc<[Goal]>,
    pub kpt: Arc<Kpt>,
    /// Primary tags first, then the services it only mentions.
    pub tags: Vec<EntryTag>,
    pub series: Option<SeriesDay>,
    /// Entries sharing its tags, the rarer the tag the closer; best first.
    pub related: Vec<EntryId>,
    pub draft: bool,
    /// Non-whitespace characters of the prose.
    pub characters: usize,
    pub words: usize,
    pub reading_minutes: usize,
    /// A plain-text opening for lists and feeds, cut at a character boundary.
    pub summary: Arc<str>,
    /// The folder the file sits in, relative to the content root (`""` at the root).
    pub folder: String,
    /// Front matter's `extra` table, passed through to templates.
    pub extra: serde_json::Value,
}

#[cfg(test)]
impl Entry {
    /// An entry with nothing in it, for tests of later stages.
    pub(crate) fn blank(id: usize, kind: EntryKind) -> Entry {
        Entry {
            id: EntryId(id),
            kind,
            source: format!("{id}.md"),
            path: format!("{id}/"),
            title: String::new(),
            date: None,
            sections: Arc::new([]),
            headings: Arc::new([]),
            goals: Arc::new([]),
            kpt: Arc::default(),
            tags: Vec::new(),
            series: None,
            related: Vec::new(),
            draft: false,
            characters: 0,
            words: 0,
            reading_minutes: 1,
            summary: Arc::from(""),
            folder: String::new(),
            extra: serde_json::Value::Null,
        }
    }
}

/// The whole journal, entries sorted: dated ones newest first, then notes by path.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Site {
    pub entries: Vec<Entry>,
    /// Catalogue services in catalogue order, then the journal's own tags by name.
    pub tags: Vec<Tag>,
    pub series: Vec<Series>,
}

impl Site {
    pub fn entry(&self, id: EntryId) -> &Entry {
        &self.entries[id.0]
    }

    /// Dated entries, newest first (several on one day keep path order).
    pub fn daily(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|entry| entry.kind == EntryKind::Daily)
    }

    pub fn notes(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|entry| entry.kind == EntryKind::Note)
    }

    pub fn about(&self) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|entry| entry.kind == EntryKind::About)
    }
}
