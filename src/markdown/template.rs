//! The cohort template read from a section's events: which heading opens which section, the
//! Scrum goals, the Keep/Problem/Try items (as lists, subheadings or a table), and placeholders.

use crate::model::{Goal, Kpt, SectionKind};
use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

/// Which template section a heading opens, by keyword, ignoring emoji, numbering, a trailing
/// `/` and an `(English)` gloss: `☀️ 오늘의 목표 (Scrum)`, `🔥 도전 과제 & 해결 (…)/`, `후기`.
pub fn classify_section(heading: &str) -> Option<SectionKind> {
    // `# [2026-01-09 TIL]` is a dated title, not the TIL section.
    if !matches!(crate::date::in_text(heading).0, crate::date::Found::Nothing) {
        return None;
    }
    let (main, gloss) = split_gloss(heading);
    let main = strip_decoration(&main);
    let gloss = gloss.to_lowercase();
    let lower = main.to_lowercase();
    let starts = |keywords: &[&str]| {
        keywords.iter().any(|keyword| {
            lower == *keyword
                || lower
                    .strip_prefix(keyword)
                    .is_some_and(|rest| rest.starts_with([' ', '/', ':', '&', '및']))
        })
    };
    let glossed = |keywords: &[&str]| keywords.iter().any(|keyword| gloss.trim() == *keyword);
    SECTION_NAMES
        .iter()
        .find(|(_, names, glosses)| starts(names) || glossed(glosses))
        .map(|(kind, _, _)| *kind)
}

/// Each template section: the names its heading starts with, and the `(English)` glosses that
/// name it whatever the Korean says. In order: the first that matches wins.
const SECTION_NAMES: [(SectionKind, &[&str], &[&str]); 5] = [
    (
        SectionKind::Goals,
        &[
            "오늘의 목표",
            "오늘 목표",
            "오늘 할 일",
            "목표",
            "스크럼",
            "scrum",
            "goals",
            "today's goals",
        ],
        &["scrum", "goals"],
    ),
    (
        SectionKind::Learned,
        &["배운 내용", "오늘 배운 내용", "today i learned", "til"],
        &["today i learned", "til"],
    ),
    (
        SectionKind::Challenge,
        &[
            "도전 과제",
            "도전과제",
            "challenge",
            "challenge & solution",
            "트러블슈팅",
        ],
        &["challenge & solution", "challenge", "challenges"],
    ),
    (
        SectionKind::Retrospective,
        &[
            "오늘의 회고",
            "회고",
            "후기",
            "kpt",
            "keep/problem/try",
            "retrospective",
            "느낀 점",
            "소감",
        ],
        &["retrospective", "kpt", "retro"],
    ),
    (
        SectionKind::References,
        &[
            "참고 자료",
            "참고자료",
            "참고",
            "references",
            "reference",
            "출처",
            "참고 링크",
        ],
        &["references", "reference"],
    ),
];

/// `오늘의 목표 (Scrum)` → (`오늘의 목표`, `Scrum`).
pub(super) fn split_gloss(heading: &str) -> (String, String) {
    let trimmed = heading.trim().trim_end_matches(['/', ':', ' ']);
    if let (Some(open), true) = (trimmed.rfind('('), trimmed.ends_with(')')) {
        let gloss = &trimmed[open + 1..trimmed.len() - 1];
        return (trimmed[..open].trim().to_string(), gloss.to_string());
    }
    (trimmed.to_string(), String::new())
}

/// Drops leading emoji, symbols and numbering (`1.`, `5)`) from a heading.
pub(super) fn strip_decoration(text: &str) -> String {
    let trimmed = text.trim_start_matches(|c: char| {
        !(c.is_alphanumeric()) || c.is_ascii_digit() || matches!(c, '\u{FE0F}' | '\u{200D}')
    });
    trimmed
        .trim()
        .trim_end_matches(['/', ':'])
        .trim()
        .to_string()
}

pub(crate) fn is_placeholder_value(text: &str) -> bool {
    let value = text
        .trim()
        .trim_matches(|c: char| c == '.' || c == '-' || c == '*' || c.is_whitespace());
    // The longest placeholder is a few words; lowercasing shrinks a character at most three
    // times, so a longer value cannot be one, and most text is spared the lowercase copy.
    if value.len() > 64 {
        return false;
    }
    matches!(
        value.to_lowercase().as_str(),
        "" | "x"
            | "없음"
            | "없다"
            | "없습니다"
            | "n/a"
            | "na"
            | "none"
            | "링크 제목"
            | "-"
            | "내용"
            | "상세 내용"
            | "제목"
            | "todo"
    ) || is_numbered_placeholder(value)
}

/// `목표 1`, `주제 2`, `상세 내용 1`: a word or two and a one-digit number, as templates number
/// the lines they leave to fill.
fn is_numbered_placeholder(value: &str) -> bool {
    let Some((words, number)) = value.rsplit_once(' ') else {
        return false;
    };
    let words = words.trim();
    number.len() == 1
        && number.bytes().all(|b| b.is_ascii_digit())
        && !words.is_empty()
        && words.split_whitespace().count() <= 2
        && words.chars().count() <= 8
        && words.chars().all(|c| crate::text::is_hangul(c) || c == ' ')
}

/// A template's guidance to the writer (`…을 적습니다.`, `…적어 주세요`), quoted under a
/// section's heading: the template speaking, not the author.
pub(super) fn is_instruction(text: &str) -> bool {
    let text = text.trim().trim_end_matches('.');
    ["니다", "세요"].iter().any(|ending| text.ends_with(ending))
        && text.chars().filter(|c| crate::text::is_hangul(*c)).count() >= 8
}

/// A code block a template ships as an example (a greeting printed, comments): not the
/// author's code.
pub(super) fn is_sample_code(code: &str) -> bool {
    let lines: Vec<&str> = code
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let is_comment = |line: &&str| {
        ["//", "#", "/*", "*", "--"]
            .iter()
            .any(|start| line.starts_with(start))
    };
    let greets = |line: &&str| line.to_lowercase().contains("hello");
    lines.len() <= 3 && lines.iter().all(|line| is_comment(line) || greets(line))
}

/// A section is empty when every list item or paragraph in it is a placeholder, possibly
/// behind a `**label**:` (`- **과제/문제**: X`).
pub(super) fn section_is_empty(events: &[(Event, Range<usize>)]) -> bool {
    let mut code: Option<String> = None;
    let mut quotes = 0usize;
    // Inside an HTML block that opened as a comment.
    let mut in_comment = false;
    let mut current = String::new();
    let mut depth = 0usize;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Item)
            | Event::Start(Tag::Paragraph)
            | Event::Start(Tag::TableCell) => {
                if depth == 0 {
                    current.clear();
                }
                depth += 1;
            }
            Event::End(TagEnd::Item)
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::TableCell) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    // Guidance quoted under the heading is the template's (`is_instruction`).
                    // A block that says something ends the search: most sections have one.
                    let says_nothing =
                        (quotes > 0 && is_instruction(&current)) || is_placeholder_block(&current);
                    if !says_nothing {
                        return false;
                    }
                    current.clear();
                }
            }
            Event::Start(Tag::BlockQuote(_)) => quotes += 1,
            Event::End(TagEnd::BlockQuote(_)) => quotes = quotes.saturating_sub(1),
            Event::Text(text) if code.is_some() => {
                code.as_mut().expect("open").push_str(text);
            }
            Event::Text(text) | Event::Code(text) => {
                if depth == 0 {
                    if !is_placeholder_block(text) {
                        return false;
                    }
                } else {
                    current.push_str(text);
                }
            }
            // Comments say nothing; code, images and other HTML do. A block that opens with
            // `<!--` is one comment however many lines it has (CommonMark's HTML block 2).
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => in_comment = false,
            Event::Html(_) if in_comment => {}
            Event::Html(html) if html.trim_start().starts_with("<!--") => in_comment = true,
            Event::InlineHtml(html) if html.trim_start().starts_with("<!--") => {}
            Event::Start(Tag::CodeBlock(_)) => code = Some(String::new()),
            Event::End(TagEnd::CodeBlock)
                if !code.take().is_some_and(|code| is_sample_code(&code)) =>
            {
                return false;
            }
            Event::Start(Tag::Image { .. }) | Event::Html(_) | Event::InlineHtml(_) => {
                return false;
            }
            // The template's `[링크 제목](https://www.google.com/search?q=URL)` is no reference.
            Event::Start(Tag::Link { dest_url, .. })
                if !dest_url.contains("google.com/search?q=URL") =>
            {
                current.push_str(dest_url);
            }
            _ => {}
        }
    }
    true
}

/// A block of a section that says nothing: a placeholder, or a label and a placeholder
/// (`목표: X`).
fn is_placeholder_block(block: &str) -> bool {
    let value = match block.find([':', '：']) {
        Some(colon) if block[..colon].chars().count() <= 30 => &block[colon + 1..],
        _ => block,
    };
    is_placeholder_value(value)
}

/// Scrum goals: each top-level list item, with its `[ ]`/`[x]` state when it has one.
pub(super) fn read_goals(events: &[(Event, Range<usize>)]) -> Vec<Goal> {
    let mut goals = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<Goal> = None;
    let mut quote_text: Option<String> = None;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Item) => {
                depth += 1;
                if depth == 1 {
                    current = Some(Goal {
                        text: String::new(),
                        done: None,
                    });
                }
            }
            Event::End(TagEnd::Item) => {
                if depth == 1 {
                    if let Some(goal) = current.take() {
                        let text = goal.text.trim().to_string();
                        if !is_placeholder_value(&text) {
                            goals.push(Goal { text, ..goal });
                        }
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::TaskListMarker(done) if depth == 1 => {
                if let Some(goal) = &mut current {
                    goal.done = Some(*done);
                }
            }
            Event::Start(Tag::BlockQuote(_)) if depth == 0 => quote_text = Some(String::new()),
            Event::End(TagEnd::BlockQuote(_)) if depth == 0 => {
                if let Some(text) = quote_text.take() {
                    let text = text.trim().to_string();
                    if !is_placeholder_value(&text) && !is_instruction(&text) {
                        goals.push(Goal { text, done: None });
                    }
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if depth == 1 {
                    if let Some(goal) = &mut current {
                        goal.text.push_str(text);
                    }
                } else if let Some(buffer) = &mut quote_text {
                    buffer.push_str(text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(goal) = &mut current {
                    goal.text.push(' ');
                }
            }
            _ => {}
        }
    }
    goals
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum KptLabel {
    Keep,
    Problem,
    Try,
}

/// `Keep (좋았던 점): 값` → (Keep, `값`). Also `**Keep**:`, `Keep -`, `K:`, `좋았던 점:`.
pub(super) fn kpt_label(text: &str) -> Option<(KptLabel, &str)> {
    let trimmed = text.trim_start();
    let lower = trimmed.to_lowercase();
    let candidates: [(&str, KptLabel); 9] = [
        ("keep", KptLabel::Keep),
        ("problem", KptLabel::Problem),
        ("try", KptLabel::Try),
        ("좋았던 점", KptLabel::Keep),
        ("잘한 점", KptLabel::Keep),
        ("아쉬웠던 점", KptLabel::Problem),
        ("아쉬운 점", KptLabel::Problem),
        ("시도할 점", KptLabel::Try),
        ("개선할 점", KptLabel::Try),
    ];
    for (word, label) in candidates {
        if !lower.starts_with(word) {
            continue;
        }
        let mut rest = &trimmed[word.len()..];
        if rest.starts_with(|c: char| c.is_alphanumeric()) {
            continue;
        }
        rest = rest.trim_start();
        if rest.starts_with('(') {
            match rest.find(')') {
                Some(close) => rest = rest[close + 1..].trim_start(),
                None => continue,
            }
        }
        if let Some(value) = rest.strip_prefix([':', '：', '-', '–']) {
            return Some((label, value.trim()));
        }
        if rest.is_empty() {
            return Some((label, ""));
        }
    }
    None
}

/// Keep/Problem/Try from a retrospective written as labelled bullets, sub-headings or a table.
/// Returns the items and the event ranges they came from (rendered apart, not twice).
pub(super) fn read_kpt(events: &[(Event, Range<usize>)]) -> (Kpt, Vec<Range<usize>>) {
    let mut kpt = Kpt::default();
    let mut consumed = Vec::new();
    let push = push_kpt;

    // Pass 1: labelled list items (and their sub-items) at any list depth 1.
    let mut index = 0;
    let mut list_depth = 0usize;
    let mut heading_label: Option<KptLabel> = None;
    let mut heading_start: Option<usize> = None;
    while index < events.len() {
        match &events[index].0 {
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Heading { .. }) => {
                let end = find_end(events, index);
                let text = plain_text(&events[index..end]);
                if let Some(start) = heading_start.take() {
                    consumed.push(start..index);
                }
                heading_label = kpt_label(&text)
                    .filter(|(_, rest)| rest.is_empty())
                    .map(|(label, _)| label);
                if heading_label.is_some() {
                    heading_start = Some(index);
                }
                index = end;
                continue;
            }
            Event::Start(Tag::Item) if list_depth == 1 => {
                let end = find_end(events, index);
                let (own, nested) = item_text(&events[index..end]);
                if let Some((label, value)) = kpt_label(&own) {
                    push(&mut kpt, label, value);
                    for line in nested {
                        push(&mut kpt, label, &line);
                    }
                    consumed.push(index..end);
                } else if let Some(label) = heading_label {
                    push(&mut kpt, label, &own);
                    for line in nested {
                        push(&mut kpt, label, &line);
                    }
                }
                index = end;
                continue;
            }
            Event::Start(Tag::Paragraph) if list_depth == 0 => {
                let end = find_end(events, index);
                let text = plain_text(&events[index..end]);
                if let Some(label) = heading_label {
                    push(&mut kpt, label, &text);
                } else if let Some((label, value)) = kpt_label(&text) {
                    push(&mut kpt, label, value);
                    consumed.push(index..end);
                }
                index = end;
                continue;
            }
            Event::Start(Tag::Table(_)) => {
                let end = find_end(events, index);
                if read_kpt_table(&events[index..end], &mut kpt, &push) {
                    consumed.push(index..end);
                }
                index = end;
                continue;
            }
            _ => {}
        }
        index += 1;
    }
    if let Some(start) = heading_start {
        consumed.push(start..events.len());
    }
    let whole = whole_lists(events, &consumed);
    consumed.extend(whole);
    (kpt, consumed)
}

/// Adds the lines of a value to the Keep, Problem or Try list, leaving out template
/// placeholders.
fn push_kpt(kpt: &mut Kpt, label: KptLabel, value: &str) {
    for line in value.lines() {
        let line = line.trim().trim_start_matches(['+', '-', '*']).trim();
        if is_placeholder_value(line) {
            continue;
        }
        let list = match label {
            KptLabel::Keep => &mut kpt.keep,
            KptLabel::Problem => &mut kpt.problem,
            KptLabel::Try => &mut kpt.try_next,
        };
        list.push(line.to_string());
    }
}

/// The top-level lists whose every item was consumed: they go entirely, so no empty `<ul>` is
/// left.
fn whole_lists(events: &[(Event, Range<usize>)], consumed: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut whole = Vec::new();
    let mut lists = Vec::new();
    let mut open_lists: Vec<usize> = Vec::new();
    for (position, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::List(_)) => open_lists.push(position),
            Event::End(TagEnd::List(_)) => {
                if let Some(start) = open_lists.pop() {
                    if open_lists.is_empty() {
                        lists.push(start..position + 1);
                    }
                }
            }
            _ => {}
        }
    }
    for list in lists {
        let mut position = list.start + 1;
        let mut all_consumed = true;
        let mut any_item = false;
        while position < list.end - 1 {
            if matches!(events[position].0, Event::Start(Tag::Item)) {
                any_item = true;
                let end = find_end(events, position);
                if !consumed
                    .iter()
                    .any(|range| range.start <= position && range.end >= end)
                {
                    all_consumed = false;
                }
                position = end;
            } else {
                position += 1;
            }
        }
        if any_item && all_consumed {
            whole.push(list);
        }
    }
    whole
}

pub(super) fn read_kpt_table(
    events: &[(Event, Range<usize>)],
    kpt: &mut Kpt,
    push: &impl Fn(&mut Kpt, KptLabel, &str),
) -> bool {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cell = String::new();
    for (event, _) in events {
        match event {
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell.clear(),
            Event::End(TagEnd::TableCell) => {
                if let Some(row) = rows.last_mut() {
                    row.push(cell.trim().to_string());
                }
            }
            Event::Text(text) | Event::Code(text) => cell.push_str(text),
            Event::HardBreak | Event::SoftBreak => cell.push('\n'),
            Event::InlineHtml(html) if html.starts_with("<br") => cell.push('\n'),
            _ => {}
        }
    }
    let Some(header) = rows.first() else {
        return false;
    };
    let column_labels: Vec<Option<KptLabel>> = header
        .iter()
        .map(|cell| {
            kpt_label(cell)
                .filter(|(_, rest)| rest.is_empty())
                .map(|(l, _)| l)
        })
        .collect();
    if column_labels.iter().filter(|label| label.is_some()).count() >= 2 {
        for row in &rows[1..] {
            for (cell, label) in row.iter().zip(&column_labels) {
                if let Some(label) = label {
                    push(kpt, *label, cell);
                }
            }
        }
        return true;
    }
    let row_labels: Vec<(KptLabel, String)> = rows
        .iter()
        .filter_map(|row| {
            let label = kpt_label(row.first()?)?.0;
            Some((label, row[1..].join("\n")))
        })
        .collect();
    if row_labels.len() >= 2 {
        for (label, value) in row_labels {
            push(kpt, label, &value);
        }
        return true;
    }
    false
}

/// Index just past the End matching the Start at `start`.
pub(super) fn find_end(events: &[(Event, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (offset, (event, _)) in events[start..].iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return start + offset + 1;
                }
            }
            _ => {}
        }
    }
    events.len()
}

pub(super) fn plain_text(events: &[(Event, Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(value) | Event::Code(value) => text.push_str(value),
            Event::SoftBreak | Event::HardBreak => text.push('\n'),
            _ => {}
        }
    }
    text
}

/// An item's own text (its paragraphs) and the text of each nested item, one per line.
pub(super) fn item_text(events: &[(Event, Range<usize>)]) -> (String, Vec<String>) {
    let mut own = String::new();
    let mut nested = Vec::new();
    let mut depth = 0usize;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Item) => {
                depth += 1;
                if depth == 2 {
                    nested.push(String::new());
                }
            }
            Event::End(TagEnd::Item) => depth = depth.saturating_sub(1),
            Event::Text(value) | Event::Code(value) => {
                if depth >= 2 {
                    if let Some(last) = nested.last_mut() {
                        last.push_str(value);
                    }
                } else {
                    own.push_str(value);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if depth >= 2 {
                    if let Some(last) = nested.last_mut() {
                        last.push(' ');
                    }
                } else {
                    own.push('\n');
                }
            }
            _ => {}
        }
    }
    (own, nested)
}
