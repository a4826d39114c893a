//! Every entry's page, in parallel: the bulk of a build. Every page's key first (cheap), then
//! only the pages whose key changed are rendered.

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::model::{EntryKind, fingerprint as key};
use crate::render::context::PageContext;

pub(in crate::render) fn render(pages: &PageContext) -> Vec<Diagnostic> {
    let site = pages.site;
    let keys = pages.keys;
    let card_keys = &pages.card_keys;
    let entry_pages: Vec<(String, u64)> = site
        .entries
        .par_iter()
        .map(|entry| {
            let (older, newer) = pages.older_and_newer(entry);
            let series_days = entry
                .series
                .map(|day| &site.series[day.series.0].days[..])
                .unwrap_or(&[]);
            let page_key = key(&(
                pages.global,
                keys.content[entry.id.0],
                card_keys[entry.id.0],
                keys.entries[entry.id.0].own,
                older.map(|other| card_keys[other.id.0]),
                newer.map(|other| card_keys[other.id.0]),
                pages.cards_of(entry.related.iter().copied()),
                series_days
                    .iter()
                    .map(|(day, id)| (*day, card_keys[id.0]))
                    .collect::<Vec<_>>(),
            ));
            (format!("{}index.html", entry.path), page_key)
        })
        .collect();
    let wanted = pages.writer.wants_all(&entry_pages);
    wanted
        .par_iter()
        .filter_map(|&index| {
            let entry = &site.entries[index];
            let (older, newer) = pages.older_and_newer(entry);
            let mut context = pages.context(&entry.title, &entry.path);
            context.insert(
                "entry",
                &pages.views.entry_view(entry, |other| pages.card(other)),
            );
            let template = if entry.kind == EntryKind::Daily {
                if let Some(older) = older {
                    context.insert_value("older", pages.card(older));
                }
                if let Some(newer) = newer {
                    context.insert_value("newer", pages.card(newer));
                }
                "entry.html"
            } else {
                "page.html"
            };
            pages
                .writer
                .write(&entry_pages[index].0, pages.render(template, &context))
        })
        .collect()
}
