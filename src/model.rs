//! The journal as plain data: entries, their sections, goals and retrospective, and the site
//! that indexes them. Nothing here knows about HTML, files or templates; stages refer to
//! entries by `EntryId`, an index into `Site::entries`.

use jiff::civil::Date;
use serde::Serialize;

use crate::date::{DateSource, Precision};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EntryId(pub usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Goal {
    pub text: String,
    /// `Some` for a task-list goal (`- [x]` is `Some(true)`), `None` for a plain bullet.
    pub done: Option<bool>,
}

/// Keep / Problem / Try, each a list of items; "X", "없음" and empty values are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
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
    pub sections: Vec<Section>,
    pub headings: Vec<Heading>,
    pub goals: Vec<Goal>,
    pub kpt: Kpt,
    /// Tags from front matter.
    pub tags: Vec<String>,
    pub draft: bool,
    /// Non-whitespace characters of the prose.
    pub characters: usize,
    pub words: usize,
    pub reading_minutes: usize,
    /// A plain-text opening for lists and feeds, cut at a character boundary.
    pub summary: String,
    /// The folder the file sits in, relative to the content root (`""` at the root).
    pub folder: String,
    /// Front matter's `extra` table, passed through to templates.
    pub extra: serde_json::Value,
}

/// The whole journal, entries sorted: dated ones newest first, then notes by path.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Site {
    pub entries: Vec<Entry>,
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
