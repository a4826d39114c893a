//! How steady the habit is: the year's heatmap of days written and the weekly streak.
//!
//! A study journal is written on study days, not every day: weekends and holidays off must not
//! read as failure. So the streak counts weeks (Monday to Sunday) with at least
//! `STUDY_DAYS_PER_WEEK` days written, and the week in progress never breaks it. The window ends
//! at the newest entry (not the build date) so the same journal always builds the same site.

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::Serialize;

use crate::date::Precision;
use crate::model::{EntryId, Site};

/// A week counts toward the streak with at least this many days written.
pub const STUDY_DAYS_PER_WEEK: usize = 3;

/// One day of the heatmap.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Day {
    #[serde(serialize_with = "serialize_date")]
    pub date: Date,
    /// Column: weeks since the window's first Monday.
    pub week: usize,
    /// Row: 0 for Monday … 6 for Sunday.
    pub weekday: usize,
    /// 0 (nothing written) to 4 (among the longest days).
    pub level: u8,
    pub characters: usize,
    pub entries: Vec<EntryId>,
}

fn serialize_date<S: serde::Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(date)
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Heatmap {
    pub days: Vec<Day>,
    pub weeks: usize,
    /// (column, year, month) where each month starts.
    pub months: Vec<(usize, i16, i8)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Streaks {
    /// Consecutive weeks with enough study days, up to the newest entry's week (that week counts
    /// once it has enough days, and never breaks the streak while in progress).
    pub current_weeks: usize,
    pub longest_weeks: usize,
    /// Days written in the newest entry's week.
    pub days_this_week: usize,
}

/// Characters written per day, from entries dated to the day.
pub fn written_days(site: &Site) -> BTreeMap<Date, (usize, Vec<EntryId>)> {
    written_days_of(site, site.daily().map(|entry| entry.id))
}

/// `written_days` of the entries `ids` alone, in their order: a month's calendar needs its
/// own month's, not the whole journal's on every rebuild.
pub fn written_days_of(
    site: &Site,
    ids: impl IntoIterator<Item = EntryId>,
) -> BTreeMap<Date, (usize, Vec<EntryId>)> {
    let mut days: BTreeMap<Date, (usize, Vec<EntryId>)> = BTreeMap::new();
    for entry in ids.into_iter().map(|id| site.entry(id)) {
        if let Some(date) = entry.date.filter(|date| date.precision == Precision::Day) {
            let day = days.entry(date.date).or_default();
            day.0 += entry.characters;
            day.1.push(entry.id);
        }
    }
    days
}

fn monday_of(date: Date) -> Date {
    let back = date.weekday().to_monday_zero_offset() as i64;
    date.checked_sub(back.days()).unwrap_or(date)
}

/// The 53 weeks up to and including the week of `end`.
pub fn heatmap(days: &BTreeMap<Date, (usize, Vec<EntryId>)>, end: Date) -> Heatmap {
    let first_monday = monday_of(end).checked_sub(52.weeks()).unwrap_or(end);
    // Levels by quartiles of the days written in the window, so a journal of short notes still
    // shows its long days.
    let mut amounts: Vec<usize> = days
        .range(first_monday..=end)
        .map(|(_, (characters, _))| (*characters).max(1))
        .collect();
    amounts.sort_unstable();
    let quartile = |fraction: f64| {
        amounts
            .get(((amounts.len() as f64 - 1.0) * fraction).floor() as usize)
            .copied()
            .unwrap_or(0)
    };
    let bounds = [quartile(0.25), quartile(0.5), quartile(0.75)];
    let mut result = Heatmap {
        days: Vec::new(),
        weeks: 53,
        months: Vec::new(),
    };
    let mut date = first_monday;
    let mut index = 0usize;
    while date <= end {
        let week = index / 7;
        if date.day() == 1 || index == 0 {
            result.months.push((week, date.year(), date.month()));
        }
        let (characters, entries) = days.get(&date).cloned().unwrap_or_default();
        let level = if entries.is_empty() {
            0
        } else {
            1 + bounds
                .iter()
                .filter(|bound| characters.max(1) > **bound)
                .count() as u8
        };
        result.days.push(Day {
            date,
            week,
            weekday: index % 7,
            level,
            characters,
            entries,
        });
        index += 1;
        date = match date.checked_add(1.day()) {
            Ok(next) => next,
            Err(_) => break,
        };
    }
    result
}

/// The weekly streak over the days written, as of the week of `end`.
pub fn streaks<'a>(written: impl IntoIterator<Item = &'a Date>, end: Date) -> Streaks {
    let mut per_week: BTreeMap<Date, usize> = BTreeMap::new();
    for date in written {
        *per_week.entry(monday_of(*date)).or_default() += 1;
    }
    let counts = |monday: &Date| per_week.get(monday).copied().unwrap_or(0) >= STUDY_DAYS_PER_WEEK;
    let this_monday = monday_of(end);
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<Date> = None;
    for (monday, days) in &per_week {
        let follows =
            previous.is_some_and(|previous| previous.checked_add(1.week()).ok() == Some(*monday));
        if *days >= STUDY_DAYS_PER_WEEK {
            run = if follows { run + 1 } else { 1 };
            longest = longest.max(run);
            previous = Some(*monday);
        } else {
            run = 0;
            previous = None;
        }
    }
    // Count back from the newest week; a week in progress that is not there yet is skipped.
    let mut current = 0;
    let mut monday = this_monday;
    if !counts(&monday) {
        monday = monday.checked_sub(1.week()).unwrap_or(monday);
    }
    while counts(&monday) {
        current += 1;
        match monday.checked_sub(1.week()) {
            Ok(earlier) => monday = earlier,
            Err(_) => break,
        }
    }
    Streaks {
        current_weeks: current,
        longest_weeks: longest,
        days_this_week: per_week.get(&this_monday).copied().unwrap_or(0),
    }
}

/// Entries per week for the 53 weeks up to the week of `end`: (Monday, count).
pub fn weekly(dates: impl IntoIterator<Item = Date>, end: Date) -> Vec<(Date, usize)> {
    let last = monday_of(end);
    let first = last.checked_sub(52.weeks()).unwrap_or(last);
    let mut counts: BTreeMap<Date, usize> = BTreeMap::new();
    for date in dates {
        let monday = monday_of(date);
        if monday >= first && monday <= last {
            *counts.entry(monday).or_default() += 1;
        }
    }
    let mut weeks = Vec::with_capacity(53);
    let mut monday = first;
    while monday <= last {
        weeks.push((monday, counts.get(&monday).copied().unwrap_or(0)));
        monday = match monday.checked_add(1.week()) {
            Ok(next) => next,
            Err(_) => break,
        };
    }
    weeks
}

/// A month as calendar rows (Monday first); `None` pads days of other months.
pub fn month_calendar(year: i16, month: i8) -> Vec<[Option<Date>; 7]> {
    let Ok(first) = Date::new(year, month, 1) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    let mut row = [None; 7];
    let mut date = first;
    while date.month() == month {
        let column = date.weekday().to_monday_zero_offset() as usize;
        row[column] = Some(date);
        if column == 6 {
            rows.push(row);
            row = [None; 7];
        }
        date = match date.checked_add(1.day()) {
            Ok(next) => next,
            Err(_) => break,
        };
    }
    if row.iter().any(Option::is_some) {
        rows.push(row);
    }
    rows
}

/// The dates a week, a month and a year before `day` (a month before 31 March is 28 or 29
/// February), for "on this day".
pub fn looking_back(day: Date) -> [(Date, Ago); 3] {
    let back = |span: jiff::Span| day.checked_sub(span).unwrap_or(day);
    [
        (back(1.week()), Ago::Week),
        (back(1.month()), Ago::Month),
        (back(1.year()), Ago::Year),
    ]
}

/// How far back the home page looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ago {
    Week,
    Month,
    Year,
}

/// The words of a short text that say what it is about: lowercase ASCII words of two letters or
/// more, and Hangul as two-syllable pieces (Korean glues particles and endings to words, so
/// `CIDR 문제 풀기` and `CIDR 문제를 풀었다` share `cidr`, `문제`), less endings that say
/// nothing (`하기`, `보기`).
pub fn topic_tokens(text: &str) -> std::collections::BTreeSet<String> {
    const FILLER: [&str; 12] = [
        "하기", "보기", "해보", "해야", "하자", "한다", "했다", "하고", "에서", "으로", "하는",
        "있다",
    ];
    let mut tokens = std::collections::BTreeSet::new();
    let mut ascii = String::new();
    let mut hangul: Vec<char> = Vec::new();
    let flush_hangul = |hangul: &mut Vec<char>, tokens: &mut std::collections::BTreeSet<String>| {
        for pair in hangul.windows(2) {
            let token: String = pair.iter().collect();
            if !FILLER.contains(&token.as_str()) {
                tokens.insert(token);
            }
        }
        hangul.clear();
    };
    // When and how often say nothing about what: `내일 아침에 CIDR 문제 풀기`.
    const TIME_WORDS: [&str; 16] = [
        "내일",
        "아침",
        "아침에",
        "오늘",
        "저녁",
        "저녁에",
        "다음",
        "다음주",
        "다음주에",
        "주에는",
        "매일",
        "꼭",
        "계속",
        "다시",
        "좀",
        "더",
    ];
    let text: String = text
        .split_whitespace()
        .filter(|word| !TIME_WORDS.contains(&word.trim_matches(|c: char| !c.is_alphanumeric())))
        .collect::<Vec<_>>()
        .join(" ");
    for character in text.chars().chain(std::iter::once(' ')) {
        if character.is_ascii_alphanumeric() {
            ascii.push(character.to_ascii_lowercase());
            continue;
        }
        if ascii.len() >= 2 {
            tokens.insert(std::mem::take(&mut ascii));
        }
        ascii.clear();
        if crate::text::is_hangul(character) {
            hangul.push(character);
        } else {
            flush_hangul(&mut hangul, &mut tokens);
        }
    }
    tokens
}

/// Whether `later` picks up `try_text`: it holds at least 60% of the Try's topic tokens (and the
/// Try has at least three, so `공부하기` alone matches nothing).
#[cfg(test)]
pub fn picks_up(try_tokens: &std::collections::BTreeSet<String>, later: &str) -> bool {
    shares_topic(try_tokens, &topic_tokens(later))
}

/// `picks_up` on tokens made beforehand (a build compares each Try with many later texts).
pub fn shares_topic(
    try_tokens: &std::collections::BTreeSet<String>,
    later: &std::collections::BTreeSet<String>,
) -> bool {
    try_tokens.len() >= 3 && try_tokens.intersection(later).count() * 10 >= try_tokens.len() * 6
}

pub fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    /// Weekdays Monday..=Friday of the week starting `monday`, the first `count` of them.
    fn week(monday: Date, count: usize) -> Vec<Date> {
        (0..count)
            .map(|offset| monday.checked_add((offset as i64).days()).unwrap())
            .collect()
    }

    #[test]
    fn weekends_off_do_not_break_a_streak() {
        // Three full study weeks (Mon-Fri), weekends off.
        let days: Vec<Date> = [day(2026, 1, 12), day(2026, 1, 19), day(2026, 1, 26)]
            .into_iter()
            .flat_map(|monday| week(monday, 5))
            .collect();
        let streaks = streaks(&days, day(2026, 1, 30));
        assert_eq!(
            streaks,
            Streaks {
                current_weeks: 3,
                longest_weeks: 3,
                days_this_week: 5
            }
        );
    }

    #[test]
    fn streak_runs_across_month_and_year_boundaries() {
        // Weeks starting 2025-12-22, 2025-12-29 (spans the new year) and 2026-01-05.
        let days: Vec<Date> = [day(2025, 12, 22), day(2025, 12, 29), day(2026, 1, 5)]
            .into_iter()
            .flat_map(|monday| week(monday, 3))
            .collect();
        assert_eq!(streaks(&days, day(2026, 1, 7)).current_weeks, 3);
        assert_eq!(monday_of(day(2026, 1, 1)), day(2025, 12, 29));
    }

    #[test]
    fn a_gap_week_breaks_the_streak_and_longest_is_kept() {
        let mut days: Vec<Date> = [day(2026, 1, 5), day(2026, 1, 12), day(2026, 1, 19)]
            .into_iter()
            .flat_map(|monday| week(monday, 4))
            .collect();
        days.extend(week(day(2026, 1, 26), 1)); // too few days: breaks
        days.extend(week(day(2026, 2, 2), 3));
        let streaks = streaks(&days, day(2026, 2, 4));
        assert_eq!(streaks.current_weeks, 1);
        assert_eq!(streaks.longest_weeks, 3);
    }

    #[test]
    fn the_week_in_progress_does_not_break_the_streak() {
        let mut days: Vec<Date> = [day(2026, 1, 12), day(2026, 1, 19)]
            .into_iter()
            .flat_map(|monday| week(monday, 5))
            .collect();
        days.push(day(2026, 1, 26)); // Monday of this week only
        let streaks = streaks(&days, day(2026, 1, 26));
        assert_eq!(streaks.current_weeks, 2);
        assert_eq!(streaks.days_this_week, 1);
    }

    #[test]
    fn several_entries_on_one_day_are_one_study_day() {
        let mut site = Site::default();
        for (index, characters) in [100, 50].into_iter().enumerate() {
            site.entries.push(crate::model::Entry {
                date: Some(crate::model::EntryDate {
                    date: day(2026, 1, 30),
                    precision: Precision::Day,
                    source: crate::date::DateSource::FileName,
                }),
                characters,
                ..crate::model::Entry::blank(index, crate::model::EntryKind::Daily)
            });
        }
        let days = written_days(&site);
        assert_eq!(days.len(), 1);
        assert_eq!(days[&day(2026, 1, 30)], (150, vec![EntryId(0), EntryId(1)]));
        assert_eq!(streaks(days.keys(), day(2026, 1, 30)).days_this_week, 1);
    }

    #[test]
    fn a_try_is_picked_up_by_a_later_goal_that_says_the_same() {
        let try_tokens = topic_tokens("내일 아침에 CIDR 문제 10개 풀기");
        assert!(picks_up(&try_tokens, "CIDR 문제 10개 풀기"));
        assert!(picks_up(&try_tokens, "[x] CIDR 문제 10개를 풀었다"));
        assert!(!picks_up(&try_tokens, "보안 그룹과 NACL 차이 정리"));
        let session = topic_tokens("Session Manager로 접속해 보기");
        assert!(picks_up(&session, "Session Manager 접속 실습"));
        assert!(
            !picks_up(&topic_tokens("공부하기"), "공부하기"),
            "too little to say the same thing"
        );
    }

    #[test]
    fn month_calendar_starts_on_monday() {
        let rows = month_calendar(2026, 3);
        // March 2026 starts on a Sunday: the first row is all padding but its last day.
        assert_eq!(
            rows[0],
            [None, None, None, None, None, None, Some(day(2026, 3, 1))]
        );
        assert_eq!(rows.last().unwrap()[1], Some(day(2026, 3, 31)));
        assert_eq!(rows.iter().flatten().flatten().count(), 31);
    }

    #[test]
    fn looking_back_a_week_a_month_a_year() {
        let dates: Vec<Date> = looking_back(day(2026, 3, 31))
            .iter()
            .map(|(date, _)| *date)
            .collect();
        assert_eq!(
            dates,
            [day(2026, 3, 24), day(2026, 2, 28), day(2025, 3, 31)]
        );
    }

    #[test]
    fn weekly_counts_53_weeks() {
        let weeks = weekly(
            [day(2026, 1, 26), day(2026, 1, 28), day(2025, 1, 1)],
            day(2026, 1, 30),
        );
        assert_eq!(weeks.len(), 53);
        assert_eq!(weeks.last().unwrap(), &(day(2026, 1, 26), 2));
        assert_eq!(
            weeks.iter().map(|(_, count)| count).sum::<usize>(),
            2,
            "a year and more ago is outside"
        );
    }

    #[test]
    fn heatmap_covers_53_weeks_from_a_monday_and_shades_by_quartile() {
        let mut days = BTreeMap::new();
        for (index, characters) in [10, 200, 400, 800].into_iter().enumerate() {
            days.insert(
                day(2026, 1, 26 + index as i8),
                (characters, vec![EntryId(index)]),
            );
        }
        let map = heatmap(&days, day(2026, 1, 29));
        assert_eq!(map.days.first().unwrap().date.weekday(), Weekday::Monday);
        assert_eq!(map.days.last().unwrap().date, day(2026, 1, 29));
        assert_eq!(map.days.last().unwrap().week, 52);
        let levels: Vec<u8> = map
            .days
            .iter()
            .filter(|d| d.level > 0)
            .map(|d| d.level)
            .collect();
        assert_eq!(levels, [1, 2, 3, 4]);
        assert!(
            map.months
                .iter()
                .any(|&(_, year, month)| (year, month) == (2026, 1))
        );
        assert!(is_weekend(day(2026, 1, 31)));
    }
}
