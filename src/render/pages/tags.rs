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
/// A rebuild finds each page's key from its members' keys (made with the entries' keys) and
/// makes the page, its links and the tag's summary only when the key changed.
fn render_tag_pages<'a>(pages: &PageContext<'a>) -> Vec<Diagnostic> {
    let members = member_keys_by_tag(pages);
    let size = pages.options.config.tag_page_size;
    pages
        .site
        .tags
        .par_iter()
        .zip(members.par_iter())
        .flat_map_iter(|(tag, member_keys)| {
            // Places in `tag.entries` (and `member_keys`), in the order the pages list them.
            let places = |primary: bool| {
                (tag.entries.iter().enumerate())
                    .filter(move |(_, (_, is_primary))| *is_primary == primary)
                    .map(|(at, _)| at)
            };
            let mut order: Vec<usize> = Vec::with_capacity(tag.entries.len());
            order.extend(places(true));
            order.extend(places(false));
            let count = order.len().div_ceil(size).max(1);
            let listing = Listing {
                tag,
                view: tag_view_key(tag),
                member_keys,
                summary: std::cell::OnceCell::new(),
                count,
            };
            let mut written: Vec<Diagnostic> = (1..=count)
                .flat_map(|number| {
                    let shown = &order
                        [((number - 1) * size).min(order.len())..(number * size).min(order.len())];
                    tag_page(pages, &listing, number, shown)
                })
                .collect();
            written.extend(tag_feed(pages, tag, listing.view));
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

/// Each tag's members' keys (`MemberKeys::member`), in `tag.entries` order: one pass over
/// the entries, in the order their keys lie in memory.
fn member_keys_by_tag(pages: &PageContext) -> Vec<Vec<u64>> {
    let mut members: Vec<Vec<u64>> = (pages.site.tags.iter())
        .map(|tag| Vec::with_capacity(tag.entries.len()))
        .collect();
    for keys in pages.keys.entries {
        for member in &keys.tags {
            members[member.tag.0].push(member.member);
        }
    }
    members
}

/// What every page of one tag shares: its view's key, every member's key, its page count, and
/// its summary once a page needs it.
struct Listing<'k, 'a> {
    tag: &'a Tag,
    view: u64,
    member_keys: &'k [u64],
    summary: std::cell::OnceCell<TagSummary<'a>>,
    count: usize,
}

/// Page `number` of a tag: the entries at places `shown` of `tag.entries`.
fn tag_page<'a>(
    pages: &PageContext<'a>,
    listing: &Listing<'_, 'a>,
    number: usize,
    shown: &[usize],
) -> Option<Diagnostic> {
    let (site, tag) = (pages.site, listing.tag);
    let first = number == 1;
    // The first page shows the tag's weeks and related tags, made from every member.
    let members = if first {
        fingerprint_sequence(listing.member_keys.iter().copied())
    } else {
        fingerprint_sequence(shown.iter().map(|&at| listing.member_keys[at]))
    };
    // The pager's links follow from the tag's slug (in its view), the site's address (in
    // `global`) and the numbers.
    let page_key = key(&(
        pages.global,
        listing.view,
        members,
        shown,
        number,
        listing.count,
    ));
    let path = routes::tag_page(&tag.slug, number);
    let file = format!("{path}index.html");
    if !pages.writer.wants(&file, page_key) {
        return None;
    }
    let summary = listing.summary.get_or_init(|| tag_summary(pages, tag));
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
            .replace("{number}", &number.to_string());
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
    context.insert("pager", &Pager::new(pages, tag, number, listing.count));
    context.insert(
        "feed_url",
        &pages.url(&format!("{}atom.xml", routes::tag(&tag.slug))),
    );
    pages
        .writer
        .write(&file, pages.render("tag.html", &context))
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
fn tag_feed(pages: &PageContext, tag: &Tag, view: u64) -> Option<Diagnostic> {
    let feed_path = format!("{}atom.xml", routes::tag(&tag.slug));
    let feed: Vec<(u64, u64)> = (tag.entries.iter())
        .take(FEED_ITEMS)
        .map(|(id, _)| {
            let keys = &pages.keys.entries[id.0];
            let passage = (keys.tags.iter())
                .find(|member| member.tag == tag.id)
                .map(|member| member.passage);
            (
                keys.card,
                passage.expect("an entry's keys name each of its tags"),
            )
        })
        .collect();
    let feed_key = key(&(pages.global, view, feed));
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
