use crate::check::finding::{Checked, Finding, Rule};
use crate::model::EntryKind;
use std::collections::HashMap;

/// The heading's date against the file name's, and dated siblings of an undated file.
pub(in crate::check) fn dates(file: &Checked, found: &mut Vec<Finding>) {
    use crate::date::{Found, Precision, in_file_stem, in_text};
    let name = file.relative.rsplit('/').next().unwrap_or(file.relative);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let from_name = match in_file_stem(stem) {
        Found::Date(date, Precision::Day) => Some(date),
        _ => None,
    };
    let body = &file.text[file.body_start..];
    let Some((heading_offset, heading)) = body
        .lines()
        .scan(0usize, |offset, line| {
            let start = *offset;
            *offset += line.len() + 1;
            Some((start, line))
        })
        .find(|(_, line)| line.starts_with("# "))
    else {
        return;
    };
    if let (Some(from_name), (Found::Date(from_heading, Precision::Day), Some(range))) =
        (from_name, in_text(heading))
        && from_name != from_heading
    {
        found.push(
            file.at(
                Rule::DateMismatch,
                file.body_start + heading_offset + range.start,
                format!("the heading says {from_heading}, the file name {from_name}"),
                "make them agree: haru goes by the heading",
            )
            .ko(
                format!("제목은 {from_heading}, 파일 이름은 {from_name}입니다"),
                "둘을 맞추세요. haru는 제목의 날짜를 따릅니다",
            ),
        );
    }
}

/// A file with no date at all among files that mostly have one (3 or more dated siblings, at
/// least two thirds of its folder): probably an entry whose date was forgotten, listed as a note.
pub(in crate::check) fn undated(files: &[Checked]) -> Vec<Finding> {
    let folder = |file: &Checked| -> String {
        file.relative
            .rsplit_once('/')
            .map_or(String::new(), |(folder, _)| folder.to_string())
    };
    let mut folders: HashMap<String, (usize, usize)> = HashMap::new();
    for file in files {
        let counts = folders.entry(folder(file)).or_default();
        counts.0 += 1;
        counts.1 += usize::from(file.parsed.entry.kind == EntryKind::Daily);
    }
    files
        .iter()
        .filter(|file| file.parsed.entry.kind == EntryKind::Note)
        // A folder's index or README is about the folder, not a day.
        .filter(|file| {
            let name = file.relative.rsplit('/').next().unwrap_or("").to_lowercase();
            !["index.md", "_index.md", "readme.md"].contains(&name.as_str())
        })
        .filter(|file| {
            let (all, dated) = folders[&folder(file)];
            dated >= 3 && dated * 3 >= all * 2
        })
        .map(|file| {
            Finding::about_file(
                Rule::NoDate,
                file.shown.clone(),
                "no date in its front matter, heading, name or folder, unlike the files beside it"
                    .into(),
                "start it with `# [YYYY-MM-DD]` or name it YYYY-MM-DD.md; as it is, it is listed as a note",
            )
.ko("옆의 파일들과 달리 프런트 매터, 제목, 이름, 폴더 어디에도 날짜가 없습니다", "`# [YYYY-MM-DD]`로 시작하거나 이름을 YYYY-MM-DD.md로 바꾸세요. 지금은 노트로 실립니다")
        })
        .collect()
}

/// A date years away from the rest of the journal (`2016-01-11` among entries of 2025–2026):
/// most likely a typo in the year, which puts the entry at the far end of the archive.
pub(in crate::check) fn outliers(files: &[Checked]) -> Vec<Finding> {
    let dated: Vec<(&Checked, jiff::civil::Date)> = files
        .iter()
        .filter(|file| file.parsed.entry.kind == EntryKind::Daily)
        .filter_map(|file| file.parsed.entry.date.map(|date| (file, date.date)))
        .collect();
    if dated.len() < 5 {
        return Vec::new();
    }
    let mut years: Vec<i16> = dated.iter().map(|(_, date)| date.year()).collect();
    years.sort_unstable();
    let median = years[years.len() / 2];
    let (first, last) = (
        years[years.len() / 10],
        years[years.len() - 1 - years.len() / 10],
    );
    dated
        .into_iter()
        .filter(|(_, date)| (date.year() - median).abs() >= 3)
        .filter(|(_, date)| {
            years.iter().filter(|year| **year == date.year()).count() * 5 < years.len()
        })
        .map(|(file, date)| {
            Finding::about_file(
                Rule::DateOutlier,
                file.shown.clone(),
                format!(
                    "dated {date}, years away from the journal's other entries ({first}–{last})"
                ),
                "check the year in its heading or file name",
            )
.ko(format!("날짜가 {date}(으)로, 일지의 다른 기록({first}–{last})과 몇 해나 떨어져 있습니다"), "제목이나 파일 이름의 연도를 확인하세요")
        })
        .collect()
}

/// Two files with the same date and title: one was probably copied and not edited.
pub(in crate::check) fn duplicates(files: &[Checked]) -> Vec<Finding> {
    let mut seen: HashMap<(jiff::civil::Date, &str), &Checked> = HashMap::new();
    let mut found = Vec::new();
    for file in files {
        let entry = &file.parsed.entry;
        let Some(date) = entry
            .date
            .filter(|d| d.precision == crate::date::Precision::Day)
        else {
            continue;
        };
        if entry.kind != EntryKind::Daily {
            continue;
        }
        match seen.get(&(date.date, entry.title.as_str())) {
            Some(first) => found.push(
                Finding::about_file(
                    Rule::DuplicateEntry,
                    file.shown.clone(),
                    format!(
                        "same date ({}) and title as {}",
                        date.date,
                        first.shown.display()
                    ),
                    "give it its own date or title, or delete the copy",
                )
                .ko(
                    format!(
                        "{}과(와) 날짜({})와 제목이 같습니다",
                        first.shown.display(),
                        date.date
                    ),
                    "날짜나 제목을 따로 주거나, 사본을 지우세요",
                ),
            ),
            None => {
                seen.insert((date.date, entry.title.as_str()), file);
            }
        }
    }
    found
}
