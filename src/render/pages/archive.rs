//! The archive: every daily entry by year and month, and a page per month with its calendar.

use serde::Serialize;

use crate::date::{self};
use crate::diagnostic::Diagnostic;
use crate::model::{EntryId, Site, fingerprint as key};
use crate::render::context::PageContext;
use crate::routes;
use crate::site::by_month;
use crate::study;

pub(in crate::render) fn render(pages: &PageContext) -> Vec<Diagnostic> {
    let (site, writer, global) = (pages.site, &pages.writer, pages.global);
    let mut diagnostics = Vec::new();
    let daily_cards = pages.cards_of(pages.daily.iter().map(|entry| entry.id));
    let months = by_month(site);
    let archive_wanted = writer.wants(
        &format!("{}index.html", routes::ARCHIVE),
        key(&(global, daily_cards)),
    );
    let mut years: Vec<YearView> = Vec::new();
    for ((year, month), ids) in months.iter().rev() {
        let path = routes::archive_month(*year, *month);
        let month_key = key(&(global, pages.cards_of(ids.iter().copied())));
        let month_wanted = writer.wants(&format!("{path}index.html"), month_key);
        if !(month_wanted || archive_wanted) {
            continue;
        }
        let month_view = MonthView {
            year: *year,
            month: *month,
            name: date::month_name(*year, *month, pages.views.english),
            url: pages.url(&path),
            count: ids.len(),
            entries: ids.iter().map(|id| pages.card(site.entry(*id))).collect(),
            calendar: if month_wanted {
                month_calendar(pages, site, ids, *year, *month)
            } else {
                Vec::new()
            },
        };
        if month_wanted {
            let mut context = pages.context(&month_view.name, &path);
            context.insert("month", &month_view);
            diagnostics.extend(writer.write(
                &format!("{path}index.html"),
                pages.render("month.html", &context),
            ));
        }
        add_to_year(&mut years, month_view);
    }
    if archive_wanted {
        let mut context = pages.context(pages.ui.archive, routes::ARCHIVE);
        context.insert("years", &years);
        context.insert("total", &pages.daily.len());
        diagnostics
            .extend(writer.write("archive/index.html", pages.render("archive.html", &context)));
    }
    diagnostics
}

/// Lists a month on the archive index, under its year; the index lists months, not their
/// calendars.
fn add_to_year(years: &mut Vec<YearView>, month_view: MonthView) {
    let month_view = MonthView {
        calendar: Vec::new(),
        ..month_view
    };
    match years.last_mut() {
        Some(last) if last.year == month_view.year => {
            last.count += month_view.count;
            last.months.push(month_view);
        }
        _ => years.push(YearView {
            year: month_view.year,
            count: month_view.count,
            months: vec![month_view],
        }),
    }
}

#[derive(Serialize)]
pub(in crate::render) struct CalendarDay {
    day: i8,
    url: Option<String>,
    title: String,
    weekend: bool,
}

#[derive(Serialize)]
pub(in crate::render) struct MonthView {
    year: i16,
    month: i8,
    name: String,
    url: String,
    count: usize,
    entries: Vec<tera::Value>,
    /// Weeks (Monday first) of the month; `None` pads other months' days.
    calendar: Vec<Vec<Option<CalendarDay>>>,
}

#[derive(Serialize)]
pub(in crate::render) struct YearView {
    year: i16,
    count: usize,
    months: Vec<MonthView>,
}

/// A month page's calendar: days with entries link to the first one and name them all.
pub(in crate::render) fn month_calendar(
    pages: &PageContext,
    site: &Site,
    ids: &[EntryId],
    year: i16,
    month: i8,
) -> Vec<Vec<Option<CalendarDay>>> {
    // The month's own entries: the journal's other days never show on its calendar.
    let written = study::written_days_of(site, ids.iter().copied());
    study::month_calendar(year, month)
        .into_iter()
        .map(|row| {
            row.iter()
                .map(|day| {
                    day.map(|date| {
                        let entries = written
                            .get(&date)
                            .map(|(_, entries)| entries.as_slice())
                            .unwrap_or(&[]);
                        CalendarDay {
                            day: date.day(),
                            url: entries.first().map(|id| pages.url(&site.entry(*id).path)),
                            title: entries
                                .iter()
                                .map(|id| site.entry(*id).title.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                            weekend: study::is_weekend(date),
                        }
                    })
                })
                .collect()
        })
        .collect()
}
