//! Finding the date of an entry in the places real journals put it.
//!
//! Order of trust: front matter `date` → the H1 heading → the file name → the folder. Each
//! finder says whether it found a real date, a date-shaped text that is no real date (a typo
//! worth a diagnostic), or nothing.

use jiff::civil::Date;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Day,
    /// Only the month is known (the entry sits in a `2025-12/` folder).
    Month,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    FrontMatter,
    Heading,
    FileName,
    Folder,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Date(Date, Precision),
    /// Looks like a date but is none, e.g. `202-12-28` or `2026-13-45`.
    Invalid(String),
    /// A 7-digit file-name date with one digit missing (`2050825`): the year is guessed
    /// later from the rest of the journal.
    MissingDigit {
        digits: String,
        month: i8,
        day: i8,
    },
    Nothing,
}

/// A date inside a heading or front-matter text, with the byte range it occupies.
pub fn in_text(text: &str) -> (Found, Option<std::ops::Range<usize>>) {
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index].is_ascii_digit() && (index == 0 || !bytes[index - 1].is_ascii_digit()) {
            if let Some((found, end)) = numeric_date_at(text, index) {
                return (found, Some(index..end));
            }
            if let Some((found, end)) = korean_date_at(text, index) {
                return (found, Some(index..end));
            }
        }
        index += 1;
    }
    (Found::Nothing, None)
}

/// `2026-01-30`, `2026.01.30`, `2026/1/30`, and date-shaped typos like `202-12-28`.
fn numeric_date_at(text: &str, start: usize) -> Option<(Found, usize)> {
    let bytes = text.as_bytes();
    let year_end = digits_end(bytes, start);
    let year_len = year_end - start;
    if !(2..=4).contains(&year_len) || year_end >= bytes.len() {
        return None;
    }
    let separator = bytes[year_end];
    if !matches!(separator, b'-' | b'.' | b'/') {
        return None;
    }
    let month_start = year_end + 1;
    let month_end = digits_end(bytes, month_start);
    if !(1..=2).contains(&(month_end - month_start))
        || month_end >= bytes.len()
        || bytes[month_end] != separator
    {
        return None;
    }
    let day_start = month_end + 1;
    let day_end = digits_end(bytes, day_start);
    if !(1..=2).contains(&(day_end - day_start)) {
        return None;
    }
    let shaped = &text[start..day_end];
    if year_len != 4 {
        return Some((Found::Invalid(shaped.to_string()), day_end));
    }
    let year: i16 = text[start..year_end].parse().ok()?;
    let month: i8 = text[month_start..month_end].parse().ok()?;
    let day: i8 = text[day_start..day_end].parse().ok()?;
    Some((make(year, month, day, shaped), day_end))
}

/// `2026년 1월 30일`.
fn korean_date_at(text: &str, start: usize) -> Option<(Found, usize)> {
    let rest = &text[start..];
    let year_len = digits_end(rest.as_bytes(), 0);
    if year_len != 4 {
        return None;
    }
    let after_year = rest[year_len..].strip_prefix("년")?.trim_start();
    let month_len = digits_end(after_year.as_bytes(), 0);
    if !(1..=2).contains(&month_len) {
        return None;
    }
    let after_month = after_year[month_len..].strip_prefix("월")?.trim_start();
    let day_len = digits_end(after_month.as_bytes(), 0);
    if !(1..=2).contains(&day_len) {
        return None;
    }
    let after_day = after_month[day_len..].strip_prefix("일")?;
    let end = text.len() - after_day.len();
    let year: i16 = rest[..year_len].parse().ok()?;
    let month: i8 = after_year[..month_len].parse().ok()?;
    let day: i8 = after_month[..day_len].parse().ok()?;
    Some((make(year, month, day, &text[start..end]), end))
}

fn make(year: i16, month: i8, day: i8, shaped: &str) -> Found {
    if !(1900..=2999).contains(&year) {
        return Found::Invalid(shaped.to_string());
    }
    match Date::new(year, month, day) {
        Ok(date) => Found::Date(date, Precision::Day),
        Err(_) => Found::Invalid(shaped.to_string()),
    }
}

fn digits_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    end
}

/// A date at the start of a file stem: `2026-01-30`, `2026.01.30`, `2026_01_30`,
/// `20250610-7_TIL`, `2025-08-22-slug`, and the 7-digit typo `2050825_react`.
pub fn in_file_stem(stem: &str) -> Found {
    let bytes = stem.as_bytes();
    let run = digits_end(bytes, 0);
    if run == 4 && bytes.len() >= 10 {
        let separator = bytes[4];
        if matches!(separator, b'-' | b'.' | b'_')
            && bytes[5..7].iter().all(u8::is_ascii_digit)
            && bytes[7] == separator
            && bytes[8..10].iter().all(u8::is_ascii_digit)
            && bytes.get(10).is_none_or(|b| !b.is_ascii_digit())
        {
            let year: i16 = stem[0..4].parse().unwrap_or(0);
            let month: i8 = stem[5..7].parse().unwrap_or(0);
            let day: i8 = stem[8..10].parse().unwrap_or(0);
            return make(year, month, day, &stem[..10]);
        }
        return Found::Nothing;
    }
    if run == 8 {
        let year: i16 = stem[0..4].parse().unwrap_or(0);
        let month: i8 = stem[4..6].parse().unwrap_or(0);
        let day: i8 = stem[6..8].parse().unwrap_or(0);
        return make(year, month, day, &stem[..8]);
    }
    if run == 7 && stem.starts_with("20") {
        let month: i8 = stem[3..5].parse().unwrap_or(0);
        let day: i8 = stem[5..7].parse().unwrap_or(0);
        if Date::new(2024, month, day).is_ok() {
            return Found::MissingDigit {
                digits: stem[..7].to_string(),
                month,
                day,
            };
        }
        return Found::Invalid(stem[..7].to_string());
    }
    Found::Nothing
}

/// Repairs a 7-digit `20?YMMDD` typo: of the years that differ from it by one dropped digit,
/// the one nearest to `typical_year` (the journal's median year).
pub fn repair_missing_digit(digits: &str, month: i8, day: i8, typical_year: i16) -> Option<Date> {
    let year_digits = &digits[..3];
    let mut candidates = Vec::new();
    for position in 0..=3 {
        for digit in b'0'..=b'9' {
            let mut year = year_digits.as_bytes().to_vec();
            year.insert(position, digit);
            if let Ok(year) = std::str::from_utf8(&year).unwrap_or("").parse::<i16>() {
                if (1990..=2100).contains(&year) {
                    candidates.push(year);
                }
            }
        }
    }
    candidates.sort_by_key(|year| ((year - typical_year).abs(), *year));
    candidates
        .into_iter()
        .find_map(|year| Date::new(year, month, day).ok())
}

/// A month from the folders above a file, deepest first: `2025-12/`, `2025.12/`,
/// `2025/10_October/`, `2025/11월/`.
pub fn in_folders(folders: &[&str]) -> Found {
    for (depth, folder) in folders.iter().enumerate().rev() {
        // A day folder: `20220816/README.md`, `2024.05.16/note.md`.
        if let Found::Date(date, Precision::Day) = in_file_stem(folder) {
            return Found::Date(date, Precision::Day);
        }
        let bytes = folder.as_bytes();
        // `2025-12`, `2025.12`, `2025_12`
        if bytes.len() >= 6 && digits_end(bytes, 0) == 4 && matches!(bytes[4], b'-' | b'.' | b'_') {
            let month_end = digits_end(bytes, 5);
            if (1..=2).contains(&(month_end - 5)) && month_end == bytes.len() {
                if let Some(found) = month_of(&folder[..4], &folder[5..month_end]) {
                    return found;
                }
            }
        }
        // `10_October`, `11월`, `1월`, `03` under a `2025` folder
        let month_end = digits_end(bytes, 0);
        if (1..=2).contains(&month_end) && depth > 0 {
            let rest = &folder[month_end..];
            let looks_like_month =
                rest.is_empty() || rest == "월" || rest.starts_with('_') || rest.starts_with('-');
            let parent = folders[depth - 1];
            if looks_like_month && parent.len() == 4 && digits_end(parent.as_bytes(), 0) == 4 {
                if let Some(found) = month_of(parent, &folder[..month_end]) {
                    return found;
                }
            }
        }
    }
    Found::Nothing
}

/// A month-day file name in its month's folder: `12-31-Deepdive` or `1231_정리` in `2025-12/`,
/// `0109-deepDive_` in `2026-01/`. The month must be the folder's, so `01_python` stays a name.
pub fn month_day_in(stem: &str, month: Date) -> Option<Date> {
    let bytes = stem.as_bytes();
    let two = |at: usize| -> Option<i8> {
        let pair = bytes.get(at..at + 2)?;
        pair.iter()
            .all(u8::is_ascii_digit)
            .then(|| ((pair[0] - b'0') * 10 + pair[1] - b'0') as i8)
    };
    let written_month = two(0)?;
    let day_at = if matches!(bytes.get(2), Some(b'-' | b'_' | b'.')) {
        3
    } else {
        2
    };
    let day = two(day_at)?;
    let ends = bytes.get(day_at + 2).is_none_or(|b| !b.is_ascii_digit());
    (ends && written_month == month.month())
        .then(|| Date::new(month.year(), written_month, day).ok())
        .flatten()
}

fn month_of(year: &str, month: &str) -> Option<Found> {
    let year: i16 = year.parse().ok()?;
    let month: i8 = month.parse().ok()?;
    if !(1900..=2999).contains(&year) {
        return None;
    }
    Date::new(year, month, 1)
        .ok()
        .map(|date| Found::Date(date, Precision::Month))
}

const WEEKDAYS_KO: [&str; 7] = ["월", "화", "수", "목", "금", "토", "일"];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
pub(crate) const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2026년 1월 30일 (금)` / `Fri, January 30, 2026`; a month-precision date shows its month only.
pub fn long_format(date: Date, precision: Precision, english: bool) -> String {
    let weekday = date.weekday().to_monday_zero_offset() as usize;
    match (precision, english) {
        (Precision::Day, false) => format!(
            "{}년 {}월 {}일 ({})",
            date.year(),
            date.month(),
            date.day(),
            WEEKDAYS_KO[weekday]
        ),
        (Precision::Month, false) => format!("{}년 {}월", date.year(), date.month()),
        (Precision::Day, true) => format!(
            "{}, {} {}, {}",
            WEEKDAYS_EN[weekday],
            MONTHS_EN[date.month() as usize - 1],
            date.day(),
            date.year()
        ),
        (Precision::Month, true) => {
            format!("{} {}", MONTHS_EN[date.month() as usize - 1], date.year())
        }
    }
}

pub fn month_name(year: i16, month: i8, english: bool) -> String {
    if english {
        format!("{} {year}", MONTHS_EN[month as usize - 1])
    } else {
        format!("{year}년 {month}월")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i16, m: i8, d: i8) -> Found {
        Found::Date(Date::new(y, m, d).unwrap(), Precision::Day)
    }

    #[test]
    fn heading_forms() {
        assert_eq!(in_text("[2026-01-30]").0, day(2026, 1, 30));
        assert_eq!(in_text("[2026-01-09 TIL]").0, day(2026, 1, 9));
        assert_eq!(in_text("2025-08-22 - 캐시").0, day(2025, 8, 22));
        assert_eq!(in_text("2026.01.30").0, day(2026, 1, 30));
        assert_eq!(in_text("2026년 1월 30일").0, day(2026, 1, 30));
        assert_eq!(in_text("📖 TIL - 2025년 8월").0, Found::Nothing);
        assert_eq!(in_text("VPC 피어링").0, Found::Nothing);
        assert_eq!(in_text("Route 53 설정").0, Found::Nothing);
    }

    #[test]
    fn date_shaped_typos_are_invalid() {
        assert_eq!(
            in_text("[202-12-28] TIL").0,
            Found::Invalid("202-12-28".into())
        );
        assert_eq!(
            in_text("[2026-13-45]").0,
            Found::Invalid("2026-13-45".into())
        );
        assert_eq!(
            in_text("[2026-02-30]").0,
            Found::Invalid("2026-02-30".into())
        );
    }

    #[test]
    fn date_range_is_reported() {
        let (_, range) = in_text("[2026-01-30] 제목");
        assert_eq!(range, Some(1..11));
    }

    #[test]
    fn file_stems() {
        assert_eq!(in_file_stem("2026-01-30"), day(2026, 1, 30));
        assert_eq!(in_file_stem("2026.01.30"), day(2026, 1, 30));
        assert_eq!(in_file_stem("2025_11_11"), day(2025, 11, 11));
        assert_eq!(in_file_stem("20250610-7_TIL"), day(2025, 6, 10));
        assert_eq!(in_file_stem("20250513TIL"), day(2025, 5, 13));
        assert_eq!(in_file_stem("20250625_JAVA_6_TIL"), day(2025, 6, 25));
        assert_eq!(in_file_stem("2025-08-22-spring-cache"), day(2025, 8, 22));
        assert_eq!(in_file_stem("nginx-502-bad-gateway"), Found::Nothing);
        assert_eq!(in_file_stem("README"), Found::Nothing);
        assert_eq!(
            in_file_stem("2050825_react_0_TIL"),
            Found::MissingDigit {
                digits: "2050825".into(),
                month: 8,
                day: 25
            }
        );
    }

    #[test]
    fn missing_digit_takes_the_nearest_year() {
        assert_eq!(
            repair_missing_digit("2050825", 8, 25, 2025),
            Some(Date::new(2025, 8, 25).unwrap())
        );
    }

    #[test]
    fn folders() {
        let month = |y, m| Found::Date(Date::new(y, m, 1).unwrap(), Precision::Month);
        assert_eq!(in_folders(&["2025-12"]), month(2025, 12));
        assert_eq!(in_folders(&["til", "2025-08"]), month(2025, 8));
        assert_eq!(in_folders(&["2025", "10_October"]), month(2025, 10));
        assert_eq!(in_folders(&["2025", "11월"]), month(2025, 11));
        assert_eq!(in_folders(&["2025.12"]), month(2025, 12));
        assert_eq!(in_folders(&["TIL", "AWS"]), Found::Nothing);
        assert_eq!(in_folders(&["JS"]), Found::Nothing);
        let day = |y, m, d| Found::Date(Date::new(y, m, d).unwrap(), Precision::Day);
        assert_eq!(in_folders(&["20220816"]), day(2022, 8, 16));
        assert_eq!(in_folders(&["notes", "2024.05.16"]), day(2024, 5, 16));
    }

    #[test]
    fn month_day_names_in_a_month_folder() {
        let december = Date::new(2025, 12, 1).unwrap();
        let january = Date::new(2026, 1, 1).unwrap();
        assert_eq!(
            month_day_in("12-31-Deepdive", december),
            Date::new(2025, 12, 31).ok()
        );
        assert_eq!(
            month_day_in("0109-deepDive_", january),
            Date::new(2026, 1, 9).ok()
        );
        assert_eq!(month_day_in("1231", december), Date::new(2025, 12, 31).ok());
        assert_eq!(
            month_day_in("01_python", december),
            None,
            "another month: a name"
        );
        assert_eq!(month_day_in("12345-x", december), None);
        assert_eq!(month_day_in("12-32-x", december), None, "no such day");
    }

    #[test]
    fn korean_long_format() {
        let date = Date::new(2026, 1, 30).unwrap();
        assert_eq!(
            long_format(date, Precision::Day, false),
            "2026년 1월 30일 (금)"
        );
        assert_eq!(long_format(date, Precision::Month, false), "2026년 1월");
        assert_eq!(
            long_format(date, Precision::Day, true),
            "Fri, January 30, 2026"
        );
    }
}
