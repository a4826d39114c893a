//! The home page: the newest entries, the year's heatmap and the habit figures.

use serde::Serialize;

use crate::date::{self};
use crate::diagnostic::Diagnostic;
use crate::model::{Site, fingerprint as key};
use crate::render::context::PageContext;
use crate::study;

pub(in crate::render) fn render(pages: &PageContext) -> Option<Diagnostic> {
    let daily = &pages.daily;
    let daily_cards = pages.cards_of(daily.iter().map(|entry| entry.id));
    // The heatmap shades each day by the characters written.
    let characters: Vec<usize> = daily.iter().map(|entry| entry.characters).collect();
    pages.writer.page(
        "index.html",
        key(&(pages.global, daily_cards, characters)),
        || {
            let recent: Vec<tera::Value> = daily
                .iter()
                .take(pages.options.config.home_entries)
                .map(|entry| pages.card(entry))
                .collect();
            let mut context = pages.context(pages.title, "");
            context.insert("entries", &recent);
            context.insert("total", &daily.len());
            if let Some(study) = study_view(pages, pages.site) {
                context.insert("study", &study);
            }
            pages.render("index.html", &context)
        },
    )
}

#[derive(Serialize)]
pub(in crate::render) struct HeatmapCell {
    x: usize,
    y: usize,
    level: u8,
    title: String,
    url: Option<String>,
}

#[derive(Serialize)]
pub(in crate::render) struct Label {
    x: usize,
    y: usize,
    text: String,
}

#[derive(Serialize)]
pub(in crate::render) struct LookBack {
    label: &'static str,
    date_display: String,
    entries: Vec<tera::Value>,
}

#[derive(Serialize)]
pub(in crate::render) struct StudyView {
    width: usize,
    height: usize,
    cells: Vec<HeatmapCell>,
    labels: Vec<Label>,
    streaks: study::Streaks,
    entries_this_month: usize,
    total_entries: usize,
    total_characters: String,
    /// The newest entry's date, as the page shows dates: the figures run to it.
    as_of: String,
    as_of_display: String,
    /// Entries of a week, a month and a year before the newest entry, where there are some.
    looking_back: Vec<LookBack>,
}

pub(in crate::render) const CELL: usize = 11;
pub(in crate::render) const GAP: usize = 3;
pub(in crate::render) const LEFT: usize = 28;
pub(in crate::render) const TOP: usize = 16;

/// The home page's heatmap (53 weeks up to the newest entry) and habit figures.
pub(in crate::render) fn study_view<'a>(
    pages: &PageContext<'a>,
    site: &'a Site,
) -> Option<StudyView> {
    let days = study::written_days(site);
    let (&end, _) = days.iter().next_back()?;
    let heatmap = study::heatmap(&days, end);
    let entries_this_month = site
        .daily()
        .filter(|entry| {
            entry.date.is_some_and(|date| {
                (date.date.year(), date.date.month()) == (end.year(), end.month())
            })
        })
        .count();
    let characters: usize = site.daily().map(|entry| entry.characters).sum();
    Some(StudyView {
        looking_back: looking_back(pages, site, &days, end),
        width: LEFT + heatmap.weeks * (CELL + GAP),
        height: TOP + 7 * (CELL + GAP),
        cells: cells(pages, site, &heatmap),
        labels: labels(pages, &heatmap),
        streaks: study::streaks(days.keys(), end),
        entries_this_month,
        total_entries: site.daily().count(),
        total_characters: thousands(characters),
        as_of: end.to_string(),
        as_of_display: date::long_format(end, date::Precision::Day, pages.views.english),
    })
}

/// A square a day: its level, the entries written (as its tooltip) and a link to the first.
fn cells(pages: &PageContext, site: &Site, heatmap: &study::Heatmap) -> Vec<HeatmapCell> {
    let english = pages.views.english;
    heatmap
        .days
        .iter()
        .map(|day| {
            let titles: Vec<&str> = day
                .entries
                .iter()
                .map(|id| site.entry(*id).title.as_str())
                .collect();
            let date = date::long_format(day.date, date::Precision::Day, english);
            HeatmapCell {
                x: LEFT + day.week * (CELL + GAP),
                y: TOP + day.weekday * (CELL + GAP),
                level: day.level,
                title: if titles.is_empty() {
                    date
                } else {
                    format!("{date}: {}", titles.join(", "))
                },
                url: day
                    .entries
                    .first()
                    .map(|id| pages.url(&site.entry(*id).path)),
            }
        })
        .collect()
}

/// The months along the top (none so close to the last that they would overlap) and the
/// weekdays down the side.
fn labels(pages: &PageContext, heatmap: &study::Heatmap) -> Vec<Label> {
    let english = pages.views.english;
    let mut labels: Vec<Label> = Vec::new();
    let mut last_label_week: Option<usize> = None;
    for &(week, _, month) in &heatmap.months {
        if last_label_week.is_some_and(|last| week < last + 3) {
            continue;
        }
        last_label_week = Some(week);
        let text = if english {
            date::month_name(2000, month, true)
                .split(' ')
                .next()
                .unwrap_or("")
                .chars()
                .take(3)
                .collect()
        } else {
            format!("{month}월")
        };
        labels.push(Label {
            x: LEFT + week * (CELL + GAP),
            y: TOP - 5,
            text,
        });
    }
    for (row, text) in [1usize, 3, 5].into_iter().zip(pages.ui.weekday_labels) {
        labels.push(Label {
            x: 0,
            y: TOP + (row - 1) * (CELL + GAP) + CELL - 1,
            text: text.to_string(),
        });
    }
    labels
}

/// The entries of a week, a month and a year before the newest, where there are some.
fn looking_back<'a>(
    pages: &PageContext<'a>,
    site: &'a Site,
    days: &std::collections::BTreeMap<jiff::civil::Date, (usize, Vec<crate::model::EntryId>)>,
    end: jiff::civil::Date,
) -> Vec<LookBack> {
    let english = pages.views.english;
    study::looking_back(end)
        .into_iter()
        .filter_map(|(date, span)| {
            let (_, entries) = days.get(&date)?;
            let label = match span {
                study::Ago::Week => pages.ui.a_week_ago,
                study::Ago::Month => pages.ui.a_month_ago,
                study::Ago::Year => pages.ui.a_year_ago,
            };
            Some(LookBack {
                label,
                date_display: date::long_format(date, date::Precision::Day, english),
                entries: entries
                    .iter()
                    .map(|id| pages.card(site.entry(*id)))
                    .collect(),
            })
        })
        .collect()
}

/// 1234567 → `1,234,567`.
pub(in crate::render) fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}
