use std::collections::HashMap;

use crate::model::{Entry, Site, Tag, TagId, fingerprint as key, fingerprint_sequence};

/// What the build knows of its inputs beyond the model, to tell which pages must be made again.
pub struct Keys<'k> {
    /// Everything every page depends on that the model does not hold: the configuration, the
    /// theme's templates, the syntax stylesheet.
    pub global: u64,
    /// Each entry's source text (by `EntryId`): its body and everything parsed from it.
    pub content: &'k [u64],
    /// Each entry's fingerprints (by `EntryId`), from `entry_keys`. A rebuild makes them again
    /// only for the entries it changed: hashing every entry's title, summary and passages on
    /// every save would cost more than the rest of a one-entry rebuild.
    pub entries: &'k [EntryKeys],
}

/// What pages show of one entry, as fingerprints.
#[derive(Clone, Debug, Default)]
pub struct EntryKeys {
    /// What its card shows (title, date, summary, primary tags…): list pages use it.
    pub(super) card: u64,
    /// What its own page shows besides its text and card: its tags with their passages, its
    /// series, its kind.
    pub(super) own: u64,
    /// Its part in the site's shape: only the sitemap depends on all of it.
    pub(super) structure: u64,
    /// What the retrospective shows of it.
    pub(super) retro: u64,
    /// Its tags as tag pages show them: which tags co-occur depends on these.
    pub(super) tagset: u64,
    /// Its tags, and what it says of each as that tag's pages and feed show it.
    pub(super) tags: Vec<MemberKeys>,
}

/// What an entry says of one of its tags, as fingerprints. Made with the entry's keys (once per
/// changed entry), not by each tag page: a rebuild would hash every member of every tag again.
#[derive(Clone, Copy, Debug)]
pub(super) struct MemberKeys {
    pub(super) tag: TagId,
    /// Its passage about the tag.
    pub(super) passage: u64,
    /// Its card, whether it is about the tag, that passage and its other tags (the related
    /// tags a tag page lists come from those): what a tag page shows of it.
    pub(super) member: u64,
}

impl EntryKeys {
    /// What search shows of the entry besides its text: its card (title, date, link) and
    /// its tags.
    pub fn search(&self) -> u64 {
        fingerprint_sequence([self.card, self.tagset])
    }
}

/// What a tag's name, link and description look like.
pub(super) fn tag_view_key(tag: &Tag) -> u64 {
    key(&(
        &tag.slug,
        &tag.name,
        &tag.short,
        &tag.category,
        &tag.category_label,
        &tag.description,
    ))
}

/// The fingerprints of `entry` for `Keys::entries`.
pub fn entry_keys(site: &Site, entry: &Entry) -> EntryKeys {
    let tag_views: Vec<u64> = entry
        .tags
        .iter()
        .map(|tag| tag_view_key(&site.tags[tag.tag.0]))
        .collect();
    let card = key(&(
        &entry.title,
        &entry.path,
        entry.date.map(|d| (d.date, d.precision)),
        &entry.summary,
        entry.reading_minutes,
        &entry.source,
        entry
            .tags
            .iter()
            .zip(&tag_views)
            .filter(|(tag, _)| tag.primary)
            .map(|(_, view)| *view)
            .collect::<Vec<_>>(),
    ));
    let tagset = key(&tag_views);
    EntryKeys {
        card,
        own: key(&(
            entry.kind as u8,
            &entry.folder,
            entry
                .series
                .map(|day| (&site.series[day.series.0].name, day.day)),
            entry
                .tags
                .iter()
                .zip(&tag_views)
                .map(|(tag, view)| (*view, tag.primary, tag.passage))
                .collect::<Vec<_>>(),
        )),
        structure: key(&(
            &entry.source,
            &entry.path,
            entry.date.map(|d| (d.date, d.precision)),
            entry.kind as u8,
            &entry.folder,
            entry.series.map(|day| (day.series, day.day)),
            entry
                .tags
                .iter()
                .map(|tag| (tag.tag, tag.primary))
                .collect::<Vec<_>>(),
            &entry.related,
            entry.kpt.is_empty() && entry.goals.is_empty(),
        )),
        retro: key(&(
            card,
            &entry.kpt,
            &entry.goals,
            entry
                .headings
                .iter()
                .map(|heading| &heading.text)
                .collect::<Vec<_>>(),
        )),
        tagset,
        tags: entry
            .tags
            .iter()
            .map(|tag| MemberKeys {
                tag: tag.tag,
                passage: tag.passage,
                member: key(&(card, tag.primary, tag.passage, tagset)),
            })
            .collect(),
    }
}

/// The pages a build produced, each with the key of what it was made from. A later build
/// renders only the pages whose key changed, and removes the pages it no longer produces.
/// A path is shared with the build before when that build had the page: a rebuild of a site of
/// 26,000 pages makes no new text for the pages it keeps.
pub type PageKeys = HashMap<std::sync::Arc<str>, u64, foldhash::fast::FixedState>;

/// What a render produced: every page's key, and how many of the previous build's pages it
/// did not make again (those the site lost; none in most rebuilds, which then look no further).
pub struct Produced {
    pub keys: PageKeys,
    pub lost: usize,
}

/// The shape of the site: which entries there are, in what order, with which tags, series and
/// related entries, and what each tag and series is called. Only the sitemap lists all of it;
/// every other page's key names just the parts it shows.
pub(super) fn structure_key(site: &Site, entries: &[EntryKeys]) -> u64 {
    let entries: Vec<u64> = entries.iter().map(|keys| keys.structure).collect();
    let tags: Vec<u64> = site
        .tags
        .iter()
        .map(|tag| key(&(tag_view_key(tag), &tag.entries)))
        .collect();
    let series: Vec<u64> = site
        .series
        .iter()
        .map(|series| key(&(&series.slug, &series.name, &series.days)))
        .collect();
    key(&(entries, tags, series))
}
