//! An entry's title, by one rule (docs/titles.md), in this order:
//!
//! 1. the front matter's `title`;
//! 2. the H1 that opens the file, without its date, template placeholders and numbering;
//! 3. the file name's words when it is more than a date (`Attention.md`, `2025-08-22-spring-cache.md`;
//!    an Obsidian note is its file name), or the folder's for a `README.md`/`index.md`;
//! 4. the first topic heading, without list numbering (`1.`, `(1)`, `0)`);
//! 5. the date (or, for a file with none, its name).
//!
//! A title is plain text: no markdown, and emoji shortcodes written as emoji.

use std::ops::Range;

use jiff::civil::Date;

use crate::date;
use crate::model::{EntryKind, Heading};

/// Words a template leaves in place of a title.
const PLACEHOLDERS: [&str; 5] = [
    "제목을 적어주세요",
    "제목",
    "title",
    "YYYY-MM-DD",
    "제목 없음",
];

/// File names that say nothing of what the file holds.
const NAMELESS: [&str; 9] = [
    "readme",
    "index",
    "_index",
    "untitled",
    "제목 없음",
    "til",
    "note",
    "notes",
    "메모",
];

/// Where a title may come from, as the parse found them.
pub(super) struct Candidates<'a> {
    pub(super) front: Option<&'a str>,
    /// The H1 opening the file, and where a date stands in it.
    pub(super) heading: Option<&'a str>,
    pub(super) heading_date: Option<Range<usize>>,
    pub(super) stem: &'a str,
    pub(super) folder: &'a str,
    /// Every heading but the title and the template's own, in order.
    pub(super) headings: &'a [Heading],
    pub(super) date: Option<Date>,
    pub(super) kind: EntryKind,
}

pub(super) fn choose(candidates: &Candidates) -> String {
    let front = candidates.front.map(crate::emoji::replace_shortcodes);
    let chosen = front
        .map(|title| title_without_date(&title, date::in_text(&title).1))
        .filter(|title| !title.is_empty())
        .or_else(|| {
            candidates
                .heading
                .map(|text| title_without_date(text, candidates.heading_date.clone()))
                .map(|title| without_numbering(&title))
                .filter(|title| !title.is_empty())
        })
        .or_else(|| name_words(candidates.stem, candidates.folder))
        .or_else(|| first_topic(candidates.headings))
        .unwrap_or_else(|| match (candidates.kind, candidates.date) {
            (EntryKind::About, _) => "About".to_string(),
            (_, Some(date)) => date.to_string(),
            _ => candidates.stem.to_string(),
        });
    match crate::emoji::replace_shortcodes(&chosen) {
        std::borrow::Cow::Owned(replaced) => replaced,
        std::borrow::Cow::Borrowed(_) => chosen,
    }
}

/// Whether a heading is only a date and placeholders (`[YYYY-MM-DD] 제목을 적어주세요`).
pub(super) fn says_nothing(heading: &str, date: Option<Range<usize>>) -> bool {
    title_without_date(heading, date).is_empty()
}

/// `[2026-01-30 TIL]`, `2025-08-22 - 캐시 정리` → the title without the date (`""`, `캐시 정리`);
/// `[YYYY-MM-DD] 제목을 적어주세요` → `""`.
fn title_without_date(text: &str, range: Option<Range<usize>>) -> String {
    let dated = range.is_some();
    let remainder = match range {
        Some(range) => format!("{} {}", &text[..range.start], &text[range.end..]),
        None => text.to_string(),
    };
    let mut remainder = remainder.replace(['[', ']'], " ");
    for placeholder in PLACEHOLDERS {
        if let Some(at) = remainder.find(placeholder) {
            let is_whole_word = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
            let before = remainder[..at].chars().next_back();
            let after = remainder[at + placeholder.len()..].chars().next();
            if is_whole_word(before) && is_whole_word(after) {
                remainder.replace_range(at..at + placeholder.len(), " ");
            }
        }
    }
    // `[2026-01-09 TIL]`: next to a date, "TIL" says nothing.
    let cleaned = remainder
        .split_whitespace()
        .filter(|word| !(dated && word.eq_ignore_ascii_case("til")))
        .collect::<Vec<_>>()
        .join(" ");
    cleaned
        .trim_matches(|c: char| {
            c.is_whitespace() || matches!(c, '-' | '–' | '—' | ':' | '|' | '·' | '/')
        })
        .to_string()
}

/// The words of a file name that is more than a date: `2025-08-22-spring-cache` → `spring
/// cache`, `12-31-Deepdive` → `Deepdive`; a `README.md` is named by its folder.
fn name_words(stem: &str, folder: &str) -> Option<String> {
    let nameless = |name: &str| NAMELESS.contains(&name.to_lowercase().as_str());
    let name = if nameless(stem) {
        folder.rsplit('/').next().filter(|name| !name.is_empty())?
    } else {
        stem
    };
    let without_date = title_without_date(name, date::in_text(name).1);
    // Month-day and counter prefixes (`0109-`, `12-31-`, `01_`) are no words.
    let words = without_date
        .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | ' '))
        .replace(['_', '-'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let has_letters = words.chars().any(char::is_alphabetic);
    (has_letters && !nameless(&words)).then_some(words)
}

/// The first topic heading, without the list numbering authors give them: `1. Job` → `Job`,
/// `(1) Referencing Security Group` → `Referencing Security Group`.
fn first_topic(headings: &[Heading]) -> Option<String> {
    headings
        .iter()
        .filter(|heading| !crate::markdown::is_placeholder(&heading.text))
        .map(|heading| without_numbering(&heading.text))
        .find(|text| text.chars().any(char::is_alphanumeric))
}

fn without_numbering(text: &str) -> String {
    let text = text.trim();
    let open = text.strip_prefix('(').unwrap_or(text);
    let digits = open.trim_start_matches(|c: char| c.is_ascii_digit());
    let numbered = digits.len() < open.len();
    let rest = match digits.chars().next() {
        Some('.' | ')') if numbered => &digits[1..],
        _ => return text.to_string(),
    };
    let rest = rest.trim_start();
    if rest.is_empty() {
        text.to_string()
    } else {
        rest.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(text: &str) -> Heading {
        Heading {
            level: 2,
            text: text.to_string(),
            anchor: String::new(),
            line: 1,
        }
    }

    /// The title of a file at `relative` with front matter `front`, opening H1 `h1` and topic
    /// headings `topics`.
    fn title(relative: &str, front: Option<&str>, h1: Option<&str>, topics: &[&str]) -> String {
        let (folder, name) = relative.rsplit_once('/').unwrap_or(("", relative));
        let stem = name.strip_suffix(".md").unwrap_or(name);
        let headings: Vec<Heading> = topics.iter().map(|text| heading(text)).collect();
        let dated = h1.map(|text| date::in_text(text).1).unwrap_or_default();
        let found_date = match date::in_file_stem(stem) {
            date::Found::Date(date, _) => Some(date),
            _ => h1.and_then(|text| match date::in_text(text).0 {
                date::Found::Date(date, _) => Some(date),
                _ => None,
            }),
        };
        choose(&Candidates {
            front,
            heading: h1,
            heading_date: dated,
            stem,
            folder,
            headings: &headings,
            date: found_date,
            kind: EntryKind::Daily,
        })
    }

    /// (file, front matter title, opening H1, topic headings, expected title).
    type Case = (
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        &'static [&'static str],
        &'static str,
    );

    /// Cases of the kinds real journals have, each written anew here.
    #[test]
    fn titles_follow_the_rule_in_order() {
        let cases: [Case; 16] = [
            (
                "2026-01-30.md",
                Some("VPC 정리"),
                Some("[2026-01-30] 다른 제목"),
                &[],
                "VPC 정리",
            ),
            (
                "2026-01-30.md",
                None,
                Some("[2026-01-30] 서브넷 나누기"),
                &[],
                "서브넷 나누기",
            ),
            (
                "2026-01-30.md",
                None,
                Some("[2026-01-30 TIL]"),
                &["1. Job"],
                "Job",
            ),
            (
                "2025-12/2025-12-22",
                None,
                Some("[YYYY-MM-DD] 제목을 적어주세요"),
                &[],
                "2025-12-22",
            ),
            (
                "2025-12/2025-12-22",
                None,
                Some("[2025-12-22] 제목을 적어주세요"),
                &["(1) Referencing Security Group"],
                "Referencing Security Group",
            ),
            (
                "notes/Attention.md",
                None,
                None,
                &["들어가기 전에"],
                "Attention",
            ),
            (
                "_posts/2025-08-22-spring-cache.md",
                None,
                None,
                &["캐시란"],
                "spring cache",
            ),
            (
                "2025-12/12-31-Deepdive.md",
                None,
                None,
                &["0) 정리"],
                "Deepdive",
            ),
            ("2026-01/0109-deepDive_.md", None, None, &[], "deepDive"),
            (
                "20220816/README.md",
                None,
                None,
                &["0) 네트워크 기초"],
                "네트워크 기초",
            ),
            ("TIL/Linux/README.md", None, None, &["권한"], "Linux"),
            ("2026-02-01.md", None, None, &[], "2026-02-01"),
            (
                "2026-02-02.md",
                Some(":bulb: 아이디어"),
                None,
                &[],
                "💡 아이디어",
            ),
            ("2026-02-03.md", None, None, &["2024년 회고"], "2024년 회고"),
            (
                "2026-02-04.md",
                None,
                Some("2026-02-04 - Spring Cache 적용"),
                &[],
                "Spring Cache 적용",
            ),
            (
                "2025-12/12-31-Deepdive.md",
                None,
                Some("1. Job"),
                &[],
                "Job",
            ),
        ];
        for (relative, front, h1, topics, expected) in cases {
            assert_eq!(title(relative, front, h1, topics), expected, "{relative}");
        }
    }

    #[test]
    fn titles_without_dates() {
        let title = |text: &str| title_without_date(text, date::in_text(text).1);
        assert_eq!(title("[2026-01-30]"), "");
        assert_eq!(title("[2026-01-09 TIL]"), "");
        assert_eq!(title("2025-08-22 - Spring Cache 적용"), "Spring Cache 적용");
        assert_eq!(title("[2025-12-22] 제목을 적어주세요"), "");
        assert_eq!(title("[YYYY-MM-DD] 제목을 적어주세요"), "");
        assert_eq!(title("오늘 배운 것"), "오늘 배운 것");
        assert_eq!(title("제목학원"), "제목학원");
    }
}
