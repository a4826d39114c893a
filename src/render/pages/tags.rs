//! The tags index, and a page and a feed per tag: its entries with their passage about it,
//! the tags that come with it, and its weeks.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::date::{self};
use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Site, Tag, TagId, fingerprint as key, fingerprint_sequence};
use crate::render::context::PageContext;
use crate::render::keys::tag_view_key;
use crate::render::pages::feed::FEED_ITEMS;
use crate::render::pages::home::{CELL, GAP};
use crate::render::views::excerpt_url;
use crate::routes;
use crate::study;

#[derive(Serialize)]
pub(in crate::render) struct TagSummary<'a> {
    short: &'a str,
    name: &'a str,
    url: String,
    description: &'a str,
    count: usize,
    primary_count: usize,
}

#[derive(Serialize)]
pub(in crate::render) struct CategoryView<'a> {
    label: &'a str,
    count: usize,
    tags: Vec<TagSummary<'a>>,
}

/// A tag page's entry: where it is, and the passage of the entry about the tag.
#[derive(Serialize)]
pub(in crate::render) struct TaggedEntry<'a> {
    title: &'a str,
    url: &'a str,
    date: &'a str,
    date_display: &'a str,
    count: usize,
    excerpt: &'a str,
    excerpt_url: String,
}

/// How many co-occurring tags a tag page lists.
pub(in crate::render) const RELATED_TAGS: usize = 10;

pub(in crate::render) fn tag_summary<'a>(pages: &PageContext<'a>, tag: &'a Tag) -> TagSummary<'a> {
    TagSummary {
        short: &tag.short,
        name: &tag.name,
        url: pages.views.tag_url(tag),
        description: &tag.description,
        count: tag.entries.len(),
        primary_count: tag.entries.iter().filter(|(_, primary)| *primary).count(),
    }
}

pub(in crate::render) fn render<'a>(pages: &PageContext<'a>) -> Vec<Diagnostic> {
    let (site, writer, global) = (pages.site, &pages.writer, pages.global);
    if site.tags.is_empty() {
        return Vec::new();
    }
    let mut diagnostics = Vec::new();
    // The index shows each tag's name, category and counts.
    let index_key = key(&(
        global,
        site.tags
            .iter()
            .map(|tag| {
                (
                    tag_view_key(tag),
                    tag.entries.len(),
                    tag.entries.iter().filter(|(_, primary)| *primary).count(),
                )
            })
            .collect::<Vec<_>>(),
    ));
    if !writer.wants(&format!("{}index.html", routes::TAGS), index_key) {
        return render_tag_pages(pages);
    }
    let mut categories: Vec<CategoryView> = Vec::new();
    for tag in &site.tags {
        let label: &str = if tag.category.is_empty() {
            pages.ui.other_tags
        } else {
            &tag.category_label
        };
        let summary = tag_summary(pages, tag);
        match categories
            .iter_mut()
            .find(|category| category.label == label)
        {
            Some(category) => {
                category.count += 1;
                category.tags.push(summary);
            }
            None => categories.push(CategoryView {
                label,
                count: 1,
                tags: vec![summary],
            }),
        }
    }
    for category in &mut categories {
        category
            .tags
            .sort_by(|a, b| b.count.cmp(&a.count).then(a.short.cmp(b.short)));
    }
    let mut context = pages.context(pages.ui.tags, routes::TAGS);
    context.insert("categories", &categories);
    context.insert("total", &site.tags.len());
    diagnostics.extend(writer.write("tags/index.html", pages.render("tags.html", &context)));
    diagnostics.extend(render_tag_pages(pages));
    diagnostics
}

/// What one entry says of a tag, as fingerprints: what its page and feed are made from.
#[derive(Hash)]
struct Member {
    card: u64,
    primary: bool,
    passage: u64,
    /// The entry's other tags (the co-occurring tags a tag page lists come from those).
    tagset: u64,
}

/// A tag page's links to the pages of the tag before and after it.
#[derive(Serialize)]
struct Pager {
    number: usize,
    count: usize,
    previous: Option<String>,
    next: Option<String>,
}

/// A page and a feed per tag. A tag's entries (those about it first, then those that only
/// mention it) are listed `tag_page_size` a page, so no page costs bytes in proportion to a
/// tag of thousands of entries; the first page also has the tag's weeks and related tags.
fn render_tag_pages<'a>(pages: &PageContext<'a>) -> Vec<Diagnostic> {
    let members = members_by_tag(pages);
    let size = pages.options.config.tag_page_size;
    pages
        .site
        .tags
        .par_iter()
        .zip(members.par_iter())
        .flat_map_iter(|(tag, members)| {
            // Places in `tag.entries` (and `members`), in the order the pages list them.
            let order: Vec<usize> = (0..2)
                .flat_map(|pass| {
                    let primary = pass == 0;
                    (0..tag.entries.len()).filter(move |&at| tag.entries[at].1 == primary)
                })
                .collect();
            let count = order.len().div_ceil(size).max(1);
            // Each member's fingerprint and the tag's counts once, for all its pages.
            let member_keys: Vec<u64> = members.iter().map(key).collect();
            let summary = tag_summary(pages, tag);
            let mut written: Vec<Diagnostic> = (1..=count)
                .flat_map(|number| {
                    let shown = &order
                        [((number - 1) * size).min(order.len())..(number * size).min(order.len())];
                    let listed = Listed {
                        shown,
                        member_keys: &member_keys,
                        summary: &summary,
                    };
                    tag_page(pages, tag, listed, Pager::new(pages, tag, number, count))
                })
                .collect();
            written.extend(tag_feed(pages, tag, members));
            written.into_iter()
        })
        .collect()
}

impl Pager {
    fn new(pages: &PageContext, tag: &Tag, number: usize, count: usize) -> Pager {
        let url = |number| pages.url(&routes::tag_page(&tag.slug, number));
        Pager {
            number,
            count,
            previous: (number > 1).then(|| url(number - 1)),
            next: (number < count).then(|| url(number + 1)),
        }
    }
}

/// What each member says of each tag, in `tag.entries` order: one pass over the entries.
fn members_by_tag(pages: &PageContext) -> Vec<Vec<Member>> {
    let mut members: Vec<Vec<Member>> = (pages.site.tags.iter())
        .map(|tag| Vec::with_capacity(tag.entries.len()))
        .collect();
    for keys in pages.keys.entries {
        for (tag, primary, passage) in &keys.tags {
            members[tag.0].push(Member {
                card: keys.card,
                primary: *primary,
                passage: *passage,
                tagset: keys.tagset,
            });
        }
    }
    members
}

/// The entries one page of a tag lists: places in `tag.entries`; every member's key and the
/// tag's summary, made once for all its pages.
struct Listed<'k, 'a> {
    shown: &'k [usize],
    member_keys: &'k [u64],
    summary: &'k TagSummary<'a>,
}

/// One page of a tag: the entries at `listed.shown`.
fn tag_page<'a>(
    pages: &PageContext<'a>,
    tag: &'a Tag,
    listed: Listed<'_, 'a>,
    pager: Pager,
) -> Option<Diagnostic> {
    let (site, global) = (pages.site, pages.global);
    let Listed {
        shown,
        member_keys,
        summary,
    } = listed;
    let path = routes::tag_page(&tag.slug, pager.number);
    let first = pager.number == 1;
    // The first page shows the tag's weeks and related tags, made from every member.
    let members = if first {
        fingerprint_sequence(member_keys.iter().copied())
    } else {
        fingerprint_sequence(shown.iter().map(|&at| member_keys[at]))
    };
    let view = tag_view_key(tag);
    let page_key = key(&(global, view, members, shown, &pager.previous, pager.count));
    if !pages.writer.wants(&format!("{path}index.html"), page_key) {
        return None;
    }
    let tagged = |primary: bool| -> Vec<TaggedEntry> {
        (shown.iter())
            .map(|&at| tag.entries[at])
            .filter(|(_, is_primary)| *is_primary == primary)
            .map(|(id, _)| tagged_entry(pages, site.entry(id), tag))
            .collect()
    };
    let title = if first {
        tag.short.clone()
    } else {
        let number = pages
            .ui
            .page_number
            .replace("{number}", &pager.number.to_string());
        format!("{} · {number}", tag.short)
    };
    let mut context = pages.context(&title, &path);
    context.insert("primary_total", &summary.primary_count);
    context.insert("mentioned_total", &(summary.count - summary.primary_count));
    context.insert("tag", summary);
    context.insert("tag_name", &tag.name);
    context.insert("category_label", &tag.category_label);
    context.insert("primary_entries", &tagged(true));
    context.insert("mentioned_entries", &tagged(false));
    if first {
        context.insert("related_tags", &related_tags(pages, tag));
        context.insert("activity", &activity_strip(pages, site, tag));
    }
    context.insert("pager", &pager);
    context.insert(
        "feed_url",
        &pages.url(&format!("{}atom.xml", routes::tag(&tag.slug))),
    );
    pages.writer.write(
        &format!("{path}index.html"),
        pages.render("tag.html", &context),
    )
}

/// A tag page's entry, from the card the entry shares with every page that shows it.
fn tagged_entry<'p, 'a: 'p>(
    pages: &'p PageContext<'a>,
    entry: &'a Entry,
    tag: &Tag,
) -> TaggedEntry<'p> {
    let entry_tag = (entry.tags.iter())
        .find(|t| t.tag == tag.id)
        .expect("the entry has the tag");
    let card = pages.cached_card(entry);
    TaggedEntry {
        title: &entry.title,
        url: &card.url,
        date: &card.date,
        date_display: &card.date_display,
        count: entry_tag.count,
        excerpt: &entry_tag.excerpt,
        excerpt_url: excerpt_url(card.url.clone(), entry_tag),
    }
}

/// The tags that come with `tag` most often, by how many entries share them.
fn related_tags<'a>(pages: &PageContext<'a>, tag: &Tag) -> Vec<TagSummary<'a>> {
    let site = pages.site;
    let mut together: HashMap<TagId, usize> = HashMap::new();
    for (id, _) in &tag.entries {
        for other in &site.entry(*id).tags {
            if other.tag != tag.id {
                *together.entry(other.tag).or_default() += 1;
            }
        }
    }
    let mut related: Vec<(TagId, usize)> = together.into_iter().collect();
    related.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    (related.into_iter())
        .take(RELATED_TAGS)
        .map(|(id, _)| tag_summary(pages, &site.tags[id.0]))
        .collect()
}

/// A tag's feed: its newest entries.
fn tag_feed(pages: &PageContext, tag: &Tag, members: &[Member]) -> Option<Diagnostic> {
    let feed_path = format!("{}atom.xml", routes::tag(&tag.slug));
    let feed: Vec<(u64, u64)> = (members.iter())
        .take(FEED_ITEMS)
        .map(|member| (member.card, member.passage))
        .collect();
    let feed_key = key(&(pages.global, tag_view_key(tag), feed));
    if !pages.writer.wants(&feed_path, feed_key) {
        return None;
    }
    let entries: Vec<&Entry> = (tag.entries.iter())
        .take(FEED_ITEMS)
        .map(|(id, _)| pages.site.entry(*id))
        .collect();
    let feed_title = format!("{} · {}", tag.short, pages.site_view.title);
    pages.writer.write(
        &feed_path,
        super::feed::feed(pages, &feed_title, &feed_path, &entries, Some(tag.id)),
    )
}

#[derive(Serialize)]
pub(in crate::render) struct StripCell {
    x: usize,
    level: usize,
    title: String,
}

/// A tag's weeks: 53 cells up to its newest entry, shaded by how many entries had it.
pub(in crate::render) fn activity_strip(
    pages: &PageContext,
    site: &Site,
    tag: &Tag,
) -> Vec<StripCell> {
    let dates: Vec<jiff::civil::Date> = tag
        .entries
        .iter()
        .filter_map(|(id, _)| {
            site.entry(*id)
                .date
                .filter(|date| date.precision == date::Precision::Day)
        })
        .map(|date| date.date)
        .collect();
    let Some(&end) = dates.iter().max() else {
        return Vec::new();
    };
    study::weekly(dates, end)
        .into_iter()
        .enumerate()
        .map(|(index, (monday, count))| StripCell {
            x: index * (CELL + GAP),
            level: count.min(4),
            title: format!(
                "{} {}: {count}{}",
                date::long_format(monday, date::Precision::Day, pages.views.english),
                pages.ui.week_of,
                pages.ui.entry_count
            ),
        })
        .collect()
}
