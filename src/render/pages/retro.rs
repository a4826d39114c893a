//! The retrospective: every Keep, Problem and Try by month and week, each Try with the entry
//! that picked it up, goals checked per week and goals left unchecked. One page a year (the
//! newest at `retro/`): a long journal's retrospective would be one huge page.

use rayon::prelude::*;
use std::collections::HashMap;

use serde::Serialize;

use crate::date::{self};
use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Site, fingerprint as key};
use crate::render::context::PageContext;
use crate::routes;
use crate::study;

pub(in crate::render) fn render(pages: &PageContext) -> Vec<Diagnostic> {
    if !pages.site_view.has_retro {
        return Vec::new();
    }
    let (daily, writer) = (&pages.daily, &pages.writer);
    let retro_key = key(&(
        pages.global,
        daily
            .iter()
            .map(|entry| pages.keys.entries[entry.id.0].retro)
            .collect::<Vec<u64>>(),
    ));
    let mut years: Vec<i16> = daily
        .iter()
        .filter(|entry| !(entry.kpt.is_empty() && entry.goals.is_empty()))
        .filter_map(|entry| {
            entry
                .date
                .filter(|d| d.precision == date::Precision::Day)
                .map(|d| d.date.year())
        })
        .collect();
    years.dedup();
    let paths: Vec<String> = years
        .iter()
        .enumerate()
        .map(|(index, year)| routes::retro_year(*year, index == 0))
        .collect();
    let wanted: Vec<bool> = paths
        .iter()
        .map(|path| writer.wants(&format!("{path}index.html"), retro_key))
        .collect();
    if !wanted.contains(&true) {
        return Vec::new();
    }
    let Some((months, not_yet, unchecked)) = retro_view(pages, pages.site) else {
        return Vec::new();
    };
    let year_links: Vec<(i16, String)> = years
        .iter()
        .zip(&paths)
        .map(|(year, path)| (*year, pages.url(path)))
        .collect();
    let wanted_years: Vec<(&i16, &String)> = (years.iter().zip(&paths).zip(&wanted))
        .filter(|(_, wanted)| **wanted)
        .map(|(year_and_path, _)| year_and_path)
        .collect();
    // A year's page is made apart from the others': the entry pages may have left the other
    // thread nothing else to do.
    wanted_years
        .par_iter()
        .filter_map(|&(year, path)| {
            let mut context = pages.context(pages.ui.retro, path);
            context.insert("year", year);
            context.insert("years", &year_links);
            context.insert("months", &of_year(&months, *year, |m| m.year));
            context.insert("not_yet_tried", &of_year(&not_yet, *year, |i| i.year));
            context.insert("unchecked_goals", &of_year(&unchecked, *year, |g| g.year));
            writer.write(
                &format!("{path}index.html"),
                pages.render("retro.html", &context),
            )
        })
        .collect()
}

/// An entry as a plain link, for pages that list many (the retrospective).
#[derive(Serialize)]
pub(in crate::render) struct EntryLink<'a> {
    title: &'a str,
    url: String,
    date_display: String,
}

/// Which of Keep, Problem and Try an item is; templates see `keep`, `problem`, `try`.
#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub(in crate::render) enum KptKind {
    Keep,
    Problem,
    Try,
}

#[derive(Serialize)]
pub(in crate::render) struct RetroItem<'a> {
    #[serde(skip)]
    year: i16,
    kind: KptKind,
    text: &'a str,
    entry: EntryLink<'a>,
    /// The later entry that picked this Try up.
    followed_by: Option<EntryLink<'a>>,
    /// How many times the same words were written (a standing intention, day after day).
    times: usize,
}

#[derive(Serialize)]
pub(in crate::render) struct RetroWeek<'a> {
    label: String,
    goals_checked: usize,
    goals_total: usize,
    items: Vec<RetroItem<'a>>,
}

#[derive(Serialize)]
pub(in crate::render) struct RetroMonth<'a> {
    #[serde(skip)]
    year: i16,
    name: String,
    weeks: Vec<RetroWeek<'a>>,
}

#[derive(Serialize)]
pub(in crate::render) struct UncheckedGoal<'a> {
    #[serde(skip)]
    year: i16,
    text: &'a str,
    entry: EntryLink<'a>,
}

/// How far after a Try a goal, Keep or heading picking it up is looked for.
pub(in crate::render) const FOLLOW_UP_DAYS: i64 = 30;

/// The retrospective page: every Keep, Problem and Try by month and week, each Try with the
/// entry that picked it up; goals checked per week; goals left unchecked.
pub(in crate::render) fn retro_view<'a>(
    pages: &PageContext<'a>,
    site: &'a Site,
) -> Option<(
    Vec<RetroMonth<'a>>,
    Vec<RetroItem<'a>>,
    Vec<UncheckedGoal<'a>>,
)> {
    let mut dated: Vec<&'a Entry> = site
        .daily()
        .filter(|entry| {
            entry
                .date
                .is_some_and(|d| d.precision == date::Precision::Day)
        })
        .collect();
    if dated
        .iter()
        .all(|entry| entry.kpt.is_empty() && entry.goals.is_empty())
    {
        return None;
    }
    dated.reverse(); // oldest first
    let mut follow_ups = FollowUps::new(&dated);
    let link = |entry: &'a Entry| EntryLink {
        title: &entry.title,
        url: pages.url(&entry.path),
        date_display: pages.views.dates(entry).1,
    };
    let mut months: Vec<RetroMonth> = Vec::new();
    let mut not_yet: Vec<RetroItem> = Vec::new();
    let mut listed: HashMap<(i16, &str), usize> = HashMap::new();
    let mut unchecked = Vec::new();
    for (position, entry) in dated.iter().enumerate().rev() {
        let date = entry.date.expect("dated").date;
        let week = week_of(pages, &mut months, date);
        for goal in entry.goals.iter() {
            let Some(done) = goal.done else { continue };
            week.goals_total += 1;
            if done {
                week.goals_checked += 1;
            } else {
                unchecked.push(UncheckedGoal {
                    year: date.year(),
                    text: &goal.text,
                    entry: link(entry),
                });
            }
        }
        let item = |kind: KptKind, text: &'a str, followed_by: Option<EntryLink<'a>>| RetroItem {
            year: date.year(),
            kind,
            text,
            entry: link(entry),
            followed_by,
            times: 1,
        };
        week.items.extend(
            entry
                .kpt
                .keep
                .iter()
                .map(|text| item(KptKind::Keep, text, None)),
        );
        week.items.extend(
            entry
                .kpt
                .problem
                .iter()
                .map(|text| item(KptKind::Problem, text, None)),
        );
        for text in &entry.kpt.try_next {
            let followed_by = follow_ups.of(position, text).map(link);
            if followed_by.is_none() {
                // Newest first: the first one listed stays, and counts the rest.
                match listed.entry((date.year(), text.as_str())) {
                    std::collections::hash_map::Entry::Occupied(place) => {
                        not_yet[*place.get()].times += 1
                    }
                    std::collections::hash_map::Entry::Vacant(place) => {
                        place.insert(not_yet.len());
                        not_yet.push(item(KptKind::Try, text, None));
                    }
                }
            }
            week.items.push(item(KptKind::Try, text, followed_by));
        }
    }
    Some((months, not_yet, unchecked))
}

/// The week of `date` on the retrospective, opened (with its month) if it is new: entries come
/// newest first, so a new week or month is always the last one.
fn week_of<'m, 'a>(
    pages: &PageContext,
    months: &'m mut Vec<RetroMonth<'a>>,
    date: jiff::civil::Date,
) -> &'m mut RetroWeek<'a> {
    use jiff::ToSpan;
    let monday = date
        .checked_sub((date.weekday().to_monday_zero_offset() as i64).days())
        .unwrap_or(date);
    let month_name = date::month_name(date.year(), date.month(), pages.views.english);
    if months.last().is_none_or(|month| month.name != month_name) {
        months.push(RetroMonth {
            year: date.year(),
            name: month_name,
            weeks: Vec::new(),
        });
    }
    let month = months.last_mut().expect("a month");
    let week_label = format!(
        "{} {}",
        date::long_format(monday, date::Precision::Day, pages.views.english),
        pages.ui.week_of
    );
    if month
        .weeks
        .last()
        .is_none_or(|week| week.label != week_label)
    {
        month.weeks.push(RetroWeek {
            label: week_label,
            goals_checked: 0,
            goals_total: 0,
            items: Vec::new(),
        });
    }
    month.weeks.last_mut().expect("a week")
}

/// Which later entry picked a Try up: what each entry says it did (its goals, Keep items and
/// headings) as topic tokens, searched for FOLLOW_UP_DAYS after the Try. Tokens are made when a
/// question first needs them and dropped once no later question can: the retrospective asks
/// newest entry first, so it holds those of FOLLOW_UP_DAYS at a time, not the whole journal's
/// (25 MB at 10,000 entries). Asked in another order it is as right, only slower.
struct FollowUps<'d, 'a> {
    dated: &'d [&'a Entry],
    /// By position (oldest first): the tokens made and not yet dropped.
    said: Vec<Option<Vec<std::collections::BTreeSet<String>>>>,
    /// No token is kept at this position or after.
    kept_until: usize,
}

impl<'d, 'a> FollowUps<'d, 'a> {
    fn new(dated: &'d [&'a Entry]) -> FollowUps<'d, 'a> {
        FollowUps {
            dated,
            said: vec![None; dated.len()],
            kept_until: 0,
        }
    }

    fn tokens(entry: &Entry) -> Vec<std::collections::BTreeSet<String>> {
        (entry.goals.iter())
            .map(|goal| goal.text.as_str())
            .chain(entry.kpt.keep.iter().map(String::as_str))
            .chain(entry.headings.iter().map(|heading| heading.text.as_str()))
            .map(study::topic_tokens)
            .collect()
    }

    /// The first entry after the one at `position` (oldest first) that shares a topic with
    /// its Try `text`.
    fn of(&mut self, position: usize, text: &str) -> Option<&'a Entry> {
        use jiff::ToSpan;
        let day = self.dated[position].date?.date;
        let until = day.checked_add(FOLLOW_UP_DAYS.days()).ok()?;
        // Dates grow with position: the entries within the days end at the first past them.
        let end = (position + 1..self.dated.len())
            .find(|&later| self.dated[later].date.is_none_or(|d| d.date > until))
            .unwrap_or(self.dated.len());
        // A question about an older entry reaches no further than this one.
        if end < self.kept_until {
            self.said[end..self.kept_until].fill(None);
        }
        self.kept_until = end;
        let try_tokens = study::topic_tokens(text);
        for later in position + 1..end {
            let entry = self.dated[later];
            if entry.date.is_none_or(|d| d.date <= day) {
                continue;
            }
            let said = self.said[later].get_or_insert_with(|| Self::tokens(entry));
            if said
                .iter()
                .any(|tokens| study::shares_topic(&try_tokens, tokens))
            {
                return Some(entry);
            }
        }
        None
    }
}

/// The items of one year, for that year's retrospective page.
pub(in crate::render) fn of_year<T>(
    items: &[T],
    year: i16,
    year_of: impl Fn(&T) -> i16,
) -> Vec<&T> {
    items.iter().filter(|item| year_of(item) == year).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntryDate, EntryKind, Goal};

    fn day(offset: i64, goals: &[&str]) -> Entry {
        use jiff::ToSpan;
        let mut entry = Entry::blank(offset as usize, EntryKind::Daily);
        entry.date = Some(EntryDate {
            date: jiff::civil::date(2026, 1, 1)
                .checked_add(offset.days())
                .unwrap(),
            precision: date::Precision::Day,
            source: date::DateSource::FileName,
        });
        entry.goals = (goals.iter())
            .map(|text| Goal {
                text: text.to_string(),
                done: None,
            })
            .collect();
        entry
    }

    /// The window of tokens slides as the retrospective asks, newest entry first: what is
    /// found is what a search of every later entry would find.
    #[test]
    fn a_try_is_followed_up_within_its_days_only_whatever_was_asked_before() {
        let entries = [
            day(0, &[]),
            day(1, &[]),
            day(5, &["CIDR 서브넷 계산 문제 풀기"]),
            day(20, &[]),
            day(45, &["VPC 피어링 라우팅 실습"]),
            day(70, &["VPC 피어링 라우팅 실습"]),
        ];
        let dated: Vec<&Entry> = entries.iter().collect();
        let mut follow_ups = FollowUps::new(&dated);
        let found = |entry: Option<&Entry>| entry.map(|entry| entry.id.0);
        // Newest first, as `retro_view` asks.
        assert_eq!(found(follow_ups.of(4, "VPC 피어링 라우팅 실습")), Some(70));
        assert_eq!(found(follow_ups.of(3, "VPC 피어링 라우팅 실습")), Some(45));
        // Day 1's Try: day 5 is within the days, day 45 is not.
        assert_eq!(
            found(follow_ups.of(1, "CIDR 서브넷 계산 문제 풀기")),
            Some(5)
        );
        assert_eq!(found(follow_ups.of(1, "VPC 피어링 라우팅 실습")), None);
        assert_eq!(
            found(follow_ups.of(0, "CIDR 서브넷 계산 문제 풀기")),
            Some(5)
        );
        let kept = follow_ups.said.iter().filter(|said| said.is_some()).count();
        assert!(kept <= 3, "{kept} entries kept");
    }

    /// The first question can be about an entry long before the newest (the newest has no
    /// Try): with no tokens kept yet, the search looped forever (found by the fuzz test).
    #[test]
    fn a_first_question_far_before_the_newest_entry_ends() {
        let entries = [
            day(0, &[]),
            day(3, &["VPC 피어링 라우팅 실습"]),
            day(100, &[]),
        ];
        let dated: Vec<&Entry> = entries.iter().collect();
        let mut follow_ups = FollowUps::new(&dated);
        let found = follow_ups
            .of(0, "VPC 피어링 라우팅 실습")
            .map(|entry| entry.id.0);
        assert_eq!(found, Some(3));
    }
}
