//! Atom feeds: the site's, and the one of each tag (built with the tag's pages).

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::{Entry, EntryId, TagId, fingerprint as key};
use crate::render::context::PageContext;

use crate::render::views::Card;

/// The site's feed: the newest daily entries, whole.
pub(in crate::render) fn render(pages: &PageContext) -> Option<Diagnostic> {
    let feed_key = key(&(
        pages.global,
        pages
            .daily
            .iter()
            .take(FEED_ITEMS)
            .map(|entry| (pages.card_keys[entry.id.0], pages.keys.content[entry.id.0]))
            .collect::<Vec<_>>(),
    ));
    pages.writer.page("atom.xml", feed_key, || {
        feed(pages, pages.title, "atom.xml", &pages.daily, None)
    })
}

/// The HTML of an entry's sections, for feeds.
fn content_html(pages: &PageContext, id: EntryId) -> String {
    pages.views.bodies[id.0]
        .sections
        .iter()
        .filter(|section| !section.is_empty)
        .map(|section| match &section.heading {
            Some(heading) => format!(
                "<h2>{}</h2>\n{}",
                crate::text::escape_html(heading),
                section.html
            ),
            None => section.html.clone(),
        })
        .collect()
}

/// An Atom feed of `entries` (newest first, at most 20).
/// `about`: for a tag's feed, the tag: each item then carries the passage about it instead
/// of the whole entry (the site feed carries whole entries).
pub(in crate::render) fn feed<'a>(
    pages: &PageContext<'a>,
    title: &str,
    path: &str,
    entries: &[&'a Entry],
    about: Option<TagId>,
) -> Result<Vec<u8>, Diagnostic> {
    let items: Vec<FeedItem> = entries
        .iter()
        .take(FEED_ITEMS)
        .map(|entry| {
            let mut card = pages.views.card(entry);
            let content = match about {
                None => content_html(pages, entry.id),
                Some(tag) => {
                    if let Some(entry_tag) =
                        entry.tags.iter().find(|entry_tag| entry_tag.tag == tag)
                    {
                        card.summary = &entry_tag.excerpt;
                    }
                    String::new()
                }
            };
            FeedItem {
                absolute_url: pages.absolute_url(&entry.path),
                card,
                updated: entry
                    .date
                    .map(|d| format!("{}T00:00:00+09:00", d.date))
                    .unwrap_or_default(),
                content,
            }
        })
        .collect();
    let mut context = pages.context(title, path);
    context.insert("feed_title", title);
    context.insert("feed_url", &pages.absolute_url(path));
    context.insert("home_url", &pages.absolute_url(""));
    context.insert(
        "updated",
        &items
            .first()
            .map(|item| item.updated.clone())
            .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into()),
    );
    context.insert("items", &items);
    pages.render("atom.xml", &context)
}

#[derive(Serialize)]
pub(in crate::render) struct FeedItem<'a> {
    #[serde(flatten)]
    card: Card<'a>,
    absolute_url: String,
    updated: String,
    content: String,
}

/// How many entries a feed carries.
pub(in crate::render) const FEED_ITEMS: usize = 20;
