//! Assembling parsed files into the `Site`: page paths settled, 7-digit typo dates repaired
//! from the rest of the journal, entries ordered (newest first) and numbered.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use crate::date::{DateSource, Precision, repair_missing_digit};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Entry, EntryDate, EntryId, EntryKind, EntryTag, Series, SeriesDay, SeriesId, Site, Tag, TagId,
};
use crate::parse::{Parsed, RawTag, TagKey, page_path};
use crate::slug::path_segment;
use crate::tags::Catalogue;

/// How many related entries an entry page lists.
const RELATED: usize = 5;

/// Page paths for every source, unique: a collision gets `-2`, `-3`… in path order.
pub fn page_paths(sources: &[String]) -> HashMap<String, String> {
    let mut taken: HashSet<String> = crate::routes::RESERVED
        .iter()
        .map(|path| path.to_string())
        .collect();
    let mut pages = HashMap::new();
    let mut sorted: Vec<&String> = sources.iter().collect();
    sorted.sort();
    // The root README (the about page) keeps its path whatever else is there; a note
    // `about.md` gets another.
    for source in &sorted {
        let path = page_path(source);
        let readme =
            ["readme.md", "readme.markdown"].contains(&source.to_ascii_lowercase().as_str());
        if readme && path == "about/" {
            taken.insert(path.clone());
            pages.insert((*source).clone(), path);
        }
    }
    for source in sorted {
        if pages.contains_key(source) {
            continue;
        }
        let path = page_path(source);
        let mut candidate = path.clone();
        let mut counter = 2;
        while taken.contains(&candidate.to_lowercase()) || taken.contains(&candidate) {
            candidate = format!("{}-{counter}/", path.trim_end_matches('/'));
            counter += 1;
        }
        taken.insert(candidate.to_lowercase());
        pages.insert(source.clone(), candidate);
    }
    pages
}

pub struct Assembled {
    pub site: Site,
    /// For each entry (by `EntryId`), its place in the parsed files handed in: where its body is.
    pub order: Vec<usize>,
    /// Every tag's id by its key, for entries that replace themselves later (`replace`).
    pub tag_ids: HashMap<TagKey, TagId>,
}

/// `display_prefix` is how messages name the content folder (`content/`). Entries are cloned
/// out of `parsed`, which stays as it is so a later build can reuse it.
pub fn assemble(
    parsed: &[&Parsed],
    drafts: bool,
    display_prefix: &str,
    catalogue: &Catalogue,
    diagnostics: &mut Vec<Diagnostic>,
) -> Assembled {
    let mut years: Vec<i16> = parsed
        .iter()
        .filter_map(|p| p.entry.date.map(|d| d.date.year()))
        .collect();
    years.sort_unstable();
    let typical_year = years.get(years.len() / 2).copied().unwrap_or(2025);

    // Copying 10,000 entries is 170 MB of small allocations: in parallel.
    let copies: Vec<Entry> = parsed
        .par_iter()
        .map(|parsed| parsed.entry.clone())
        .collect();
    // (entry, index in `parsed`)
    let mut items: Vec<(Entry, usize)> = Vec::with_capacity(parsed.len());
    for (index, (parsed, mut entry)) in parsed.iter().zip(copies).enumerate() {
        diagnostics.extend(parsed.diagnostics.iter().cloned());
        if let Some((digits, month, day)) = &parsed.missing_digit {
            match repair_missing_digit(digits, *month, *day, typical_year) {
                Some(date) => {
                    entry.date = Some(EntryDate {
                        date,
                        precision: Precision::Day,
                        source: DateSource::FileName,
                    });
                    diagnostics.push(
                        Diagnostic::warning(
                            std::path::PathBuf::from(format!("{display_prefix}{}", entry.source)),
                            format!("file name date `{digits}` has 7 digits; read as {date}"),
                        )
                        .ko(format!(
                            "파일 이름의 날짜 `{digits}`가 일곱 자리라서 {date}(으)로 읽었습니다"
                        ))
                        .ko_hint("파일 이름을 여덟 자리 날짜(YYYYMMDD)로 바꾸세요")
                        .with_hint("rename the file with an 8-digit date (YYYYMMDD)"),
                    );
                }
                None => entry.kind = EntryKind::Note,
            }
        }
        if (entry.draft && !drafts) || parsed.blank {
            continue;
        }
        items.push((entry, index));
    }
    // Dated entries newest first (same day: by path), then notes and the about page by path.
    items.sort_by(|(a, _), (b, _)| {
        let rank = |kind: EntryKind| match kind {
            EntryKind::Daily => 0,
            EntryKind::Note => 1,
            EntryKind::About => 2,
        };
        rank(a.kind)
            .cmp(&rank(b.kind))
            .then_with(|| b.date.map(|d| d.date).cmp(&a.date.map(|d| d.date)))
            .then_with(|| a.source.cmp(&b.source))
    });
    let mut site = Site::default();
    let mut order = Vec::with_capacity(items.len());
    for (id, (mut entry, index)) in items.into_iter().enumerate() {
        entry.id = EntryId(id);
        site.entries.push(entry);
        order.push(index);
    }
    let raw_tags: Vec<&[RawTag]> = order.iter().map(|&index| &parsed[index].tags[..]).collect();
    let tag_ids = number_tags(&mut site, &raw_tags, catalogue);
    let raw_series: Vec<Option<(String, u32)>> = order
        .iter()
        .map(|&index| parsed[index].series.clone())
        .collect();
    number_series(&mut site, raw_series);
    let related = related_entries(&site);
    for (entry, related) in site.entries.iter_mut().zip(related) {
        entry.related = related;
    }
    Assembled {
        site,
        order,
        tag_ids,
    }
}

/// What of a parsed file decides the site's shape: its place in the order, its tags, its
/// series. Two versions of a file with one signature differ only in what their own page and
/// the lists showing them say, so the newer can take the older's place (`replace`).
pub fn signature(parsed: &Parsed) -> u64 {
    let entry = &parsed.entry;
    crate::model::fingerprint(&(
        &entry.source,
        &entry.path,
        entry.date.map(|d| (d.date, d.precision)),
        (entry.kind as u8, entry.draft, parsed.blank),
        &parsed.missing_digit,
        parsed
            .tags
            .iter()
            .map(|tag| (&tag.key, tag.primary))
            .collect::<Vec<_>>(),
        &parsed.series,
    ))
}

/// Puts a new version of entry `id`'s file in its place; `signature(parsed)` must equal the
/// old version's. Its tags, series and related entries stay those worked out for the old one.
pub fn replace(site: &mut Site, id: EntryId, parsed: &Parsed, tag_ids: &HashMap<TagKey, TagId>) {
    let old = &site.entries[id.0];
    let mut entry = parsed.entry.clone();
    entry.id = id;
    entry.series = old.series;
    entry.related = old.related.clone();
    entry.tags = entry_tags(&parsed.tags, tag_ids);
    site.entries[id.0] = entry;
}

/// Gives every tag an id (catalogue services in catalogue order, then the journal's own tags
/// by name) and fills entries' tags and tags' entries.
fn number_tags(
    site: &mut Site,
    raw: &[&[RawTag]],
    catalogue: &Catalogue,
) -> HashMap<TagKey, TagId> {
    // A journal's own tags are one tag per URL segment (`spring boot` and `spring-boot`), shown
    // as first written (entries are newest first).
    let mut own_names: HashMap<String, String> = HashMap::new();
    for tag in raw.iter().copied().flatten() {
        if let TagKey::Own(name) = &tag.key {
            own_names
                .entry(own_slug(name, catalogue))
                .or_insert_with(|| name.trim().to_string());
        }
    }
    let normalized = |key: &TagKey| match key {
        TagKey::Own(name) => TagKey::Own(own_slug(name, catalogue)),
        service => service.clone(),
    };
    // Each key once (a long journal names the same services thousands of times).
    let written: std::collections::HashSet<&TagKey> =
        raw.iter().copied().flatten().map(|tag| &tag.key).collect();
    let mut keys: Vec<TagKey> = written.iter().map(|key| normalized(key)).collect();
    keys.sort();
    keys.dedup();
    let ids: HashMap<TagKey, TagId> = keys
        .iter()
        .enumerate()
        .map(|(index, key)| (key.clone(), TagId(index)))
        .collect();
    site.tags = keys
        .iter()
        .enumerate()
        .map(|(index, key)| match key {
            TagKey::Service(service) => {
                let service = catalogue.service(*service);
                Tag {
                    id: TagId(index),
                    slug: service.slug.clone(),
                    name: service.name.clone(),
                    short: service.short.clone(),
                    category: service.category.clone(),
                    category_label: catalogue.category_label(&service.category).to_string(),
                    description: service.description.clone(),
                    aws: service.family == crate::tags::Family::Aws,
                    entries: Vec::new(),
                }
            }
            TagKey::Own(slug) => Tag {
                id: TagId(index),
                slug: slug.clone(),
                name: own_names[slug].clone(),
                short: own_names[slug].clone(),
                category: String::new(),
                category_label: String::new(),
                description: String::new(),
                aws: false,
                entries: Vec::new(),
            },
        })
        .collect();
    // Ids by the keys as written, so `entry_tags` needs no catalogue.
    let by_written: HashMap<TagKey, TagId> = written
        .into_iter()
        .map(|key| (key.clone(), ids[&normalized(key)]))
        .collect();
    let tags_of: Vec<Vec<EntryTag>> = raw
        .par_iter()
        .map(|tags| entry_tags(tags, &by_written))
        .collect();
    for (entry, entry_tags) in site.entries.iter_mut().zip(tags_of) {
        for tag in &entry_tags {
            site.tags[tag.tag.0].entries.push((entry.id, tag.primary));
        }
        entry.tags = entry_tags;
    }
    by_written
}

/// An entry's tags from what its file names, primary first, then by mentions.
fn entry_tags(raw: &[RawTag], ids: &HashMap<TagKey, TagId>) -> Vec<EntryTag> {
    let mut entry_tags: Vec<EntryTag> = Vec::with_capacity(raw.len());
    for tag in raw {
        let id = ids[&tag.key];
        match entry_tags.iter_mut().find(|existing| existing.tag == id) {
            Some(existing) => existing.primary |= tag.primary,
            None => entry_tags.push(EntryTag {
                tag: id,
                primary: tag.primary,
                count: tag.count,
                places: tag.places.clone(),
                excerpt: tag.excerpt.clone(),
                anchor: tag.anchor.clone(),
                passage: tag.passage,
            }),
        }
    }
    entry_tags.sort_by(|a, b| {
        b.primary
            .cmp(&a.primary)
            .then(b.count.cmp(&a.count))
            .then(a.tag.cmp(&b.tag))
    });
    // Kept for the whole build: no room for tags named twice.
    entry_tags.shrink_to_fit();
    entry_tags
}

/// A journal's own tag gets a URL segment that never takes a catalogue service's.
fn own_slug(name: &str, catalogue: &Catalogue) -> String {
    let slug = path_segment(&name.to_lowercase());
    if catalogue
        .services
        .iter()
        .any(|service| service.slug == slug)
    {
        format!("{slug}-tag")
    } else {
        slug
    }
}

fn number_series(site: &mut Site, raw: Vec<Option<(String, u32)>>) {
    let mut by_name: BTreeMap<String, Vec<(u32, EntryId)>> = BTreeMap::new();
    let mut names: HashMap<String, String> = HashMap::new();
    for (entry, series) in site.entries.iter().zip(&raw) {
        if let Some((name, day)) = series {
            let key = name.to_lowercase();
            names.entry(key.clone()).or_insert_with(|| name.clone());
            by_name.entry(key).or_default().push((*day, entry.id));
        }
    }
    let mut taken = std::collections::HashSet::new();
    for (index, (key, mut days)) in by_name.into_iter().enumerate() {
        // Entries are newest first; a day's own order is by date, oldest first.
        days.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut slug = path_segment(&key);
        while !taken.insert(slug.clone()) {
            slug.push_str("-2");
        }
        let id = SeriesId(index);
        for (day, entry) in &days {
            site.entries[entry.0].series = Some(SeriesDay {
                series: id,
                day: *day,
            });
        }
        site.series.push(Series {
            id,
            slug,
            name: names[&key].clone(),
            days,
        });
    }
}

/// For each entry, the entries sharing the most of its topics, a shared tag weighing
/// ln(N / entries with the tag): a shared `WAF` says more than a shared `EC2`. A topic of both
/// entries counts fully, a passing mention on either side half.
///
/// Tags on more than `common` entries would make this quadratic (EC2 is on most pages of a big
/// journal) while saying little: candidates come from the rarer tags (or, when an entry has
/// nothing but common tags, from the newest `common` entries of its rarest one), and common tags
/// only re-rank the fifty best of them.
fn related_entries(site: &Site) -> Vec<Vec<EntryId>> {
    let total = site.entries.len();
    let common = (total / 50).max(200);
    let weight: Vec<f64> = site
        .tags
        .iter()
        .map(|tag| (total as f64 / tag.entries.len().max(1) as f64).ln())
        .collect();
    let factor = |primary: bool| if primary { 1.0 } else { 0.5 };
    site.entries
        .par_iter()
        .map_init(
            || {
                let marks: Vec<Option<bool>> = vec![None; site.tags.len()];
                (vec![0f64; total], Vec::<usize>::new(), marks)
            },
            |(scores, touched, marks), entry| {
                let add = |other: EntryId,
                           amount: f64,
                           scores: &mut Vec<f64>,
                           touched: &mut Vec<usize>| {
                    if other == entry.id || amount <= 0.0 {
                        return;
                    }
                    if scores[other.0] == 0.0 {
                        touched.push(other.0);
                    }
                    scores[other.0] += amount;
                };
                let is_common = |tag: &EntryTag| site.tags[tag.tag.0].entries.len() > common;
                for tag in entry.tags.iter().filter(|tag| !is_common(tag)) {
                    for (other, other_primary) in &site.tags[tag.tag.0].entries {
                        add(
                            *other,
                            weight[tag.tag.0] * factor(tag.primary) * factor(*other_primary),
                            scores,
                            touched,
                        );
                    }
                }
                let mut seeded = None;
                if touched.is_empty() {
                    if let Some(rarest) = entry
                        .tags
                        .iter()
                        .min_by_key(|tag| (site.tags[tag.tag.0].entries.len(), tag.tag))
                    {
                        for (other, other_primary) in
                            site.tags[rarest.tag.0].entries.iter().take(common)
                        {
                            add(
                                *other,
                                weight[rarest.tag.0]
                                    * factor(rarest.primary)
                                    * factor(*other_primary),
                                scores,
                                touched,
                            );
                        }
                        seeded = Some(rarest.tag);
                    }
                }
                // Common tags re-rank the best candidates found so far.
                // The best few of thousands touched: selected, not sorted.
                let mut leaders: Vec<usize> = touched.clone();
                best_first(&mut leaders, RELATED * 10, |a, b| {
                    scores[*b].total_cmp(&scores[*a]).then(a.cmp(b))
                });
                let common_tags: Vec<&EntryTag> = (entry.tags.iter())
                    .filter(|tag| is_common(tag) && Some(tag.tag) != seeded)
                    .collect();
                if !common_tags.is_empty() {
                    // Each leader's tags marked by id, so a common tag is looked up, not
                    // searched for; a leader's score takes them in the entry's order, as
                    // sums of floats depend on it.
                    for &index in &leaders {
                        let other_tags = &site.entries[index].tags;
                        for other in other_tags {
                            marks[other.tag.0] = Some(other.primary);
                        }
                        for tag in &common_tags {
                            if let Some(other_primary) = marks[tag.tag.0] {
                                scores[index] +=
                                    weight[tag.tag.0] * factor(tag.primary) * factor(other_primary);
                            }
                        }
                        for other in other_tags {
                            marks[other.tag.0] = None;
                        }
                    }
                }
                let mut best: Vec<(f64, usize)> = touched
                    .iter()
                    .map(|&index| (scores[index], index))
                    .filter(|(score, _)| *score > 0.0)
                    .collect();
                best_first(&mut best, RELATED, |a, b| {
                    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
                });
                for &index in touched.iter() {
                    scores[index] = 0.0;
                }
                touched.clear();
                // A list of its own: collected from `best` in place, it kept the room of
                // every candidate (41 MB at 10,000 entries).
                let mut related = Vec::with_capacity(best.len().min(RELATED));
                related.extend(best.iter().take(RELATED).map(|&(_, index)| EntryId(index)));
                related
            },
        )
        .collect()
}

/// Keeps the `count` first items of `items` by `order` (a total order), sorted: what a full
/// sort and truncation would keep, in linear time for the many left out.
fn best_first<T>(items: &mut Vec<T>, count: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if items.len() > count && count > 0 {
        items.select_nth_unstable_by(count - 1, &order);
    }
    items.truncate(count);
    items.sort_by(order);
}

/// Dated entries grouped by year, then month (newest first), as entry ids.
pub fn by_month(site: &Site) -> BTreeMap<(i16, i8), Vec<EntryId>> {
    let mut months: BTreeMap<(i16, i8), Vec<EntryId>> = BTreeMap::new();
    for entry in site.daily() {
        if let Some(date) = entry.date {
            months
                .entry((date.date.year(), date.date.month()))
                .or_default()
                .push(entry.id);
        }
    }
    months
}

/// Notes grouped by folder (`""` for the root), folders in path order.
pub fn notes_by_folder(site: &Site) -> BTreeMap<String, Vec<EntryId>> {
    let mut folders: BTreeMap<String, Vec<EntryId>> = BTreeMap::new();
    for entry in site.notes() {
        folders
            .entry(entry.folder.clone())
            .or_default()
            .push(entry.id);
    }
    folders
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A journal's own tag as its file names it, primary.
    fn raw_tag(name: &str) -> RawTag {
        RawTag {
            key: TagKey::Own(name.into()),
            primary: true,
            count: 0,
            places: std::sync::Arc::new([]),
            excerpt: "".into(),
            anchor: None,
            passage: 0,
        }
    }

    #[test]
    fn own_tags_spelled_two_ways_are_one_tag() {
        let catalogue = Catalogue::builtin();
        let mut site = Site::default();
        for index in 0..2 {
            site.entries.push(Entry::blank(index, EntryKind::Note));
        }
        let first = [raw_tag("Spring Boot")];
        let second = [raw_tag("spring-boot"), raw_tag("S3")];
        number_tags(&mut site, &[&first[..], &second[..]], &catalogue);
        let slugs: Vec<&str> = site.tags.iter().map(|tag| tag.slug.as_str()).collect();
        // An own tag that is spelled like a service gets its own segment.
        assert_eq!(slugs, ["s3-tag", "spring-boot"]);
        assert_eq!(site.tags[1].name, "Spring Boot");
        assert_eq!(site.tags[1].entries.len(), 2);
    }

    #[test]
    fn related_lists_keep_no_room_for_the_candidates_left_out() {
        let catalogue = Catalogue::builtin();
        let tag = |name: &str| [raw_tag(name)];
        // Two tags of 150 and 250 entries (under 200, or a fiftieth, is not common): each
        // entry has a hundred candidates or more.
        let (first, second) = (tag("notes"), tag("labs"));
        let mut site = Site::default();
        for index in 0..400 {
            site.entries.push(Entry::blank(index, EntryKind::Note));
        }
        let raw: Vec<&[RawTag]> = (0..400)
            .map(|index| if index < 150 { &first[..] } else { &second[..] })
            .collect();
        number_tags(&mut site, &raw, &catalogue);
        for related in related_entries(&site) {
            assert_eq!(related.len(), RELATED);
            assert!(related.capacity() <= RELATED, "{} kept", related.capacity());
        }
    }

    #[test]
    fn colliding_page_paths_get_numbers() {
        let pages = page_paths(&[
            "a b.md".into(),
            "a-b.md".into(),
            "README.md".into(),
            "archive.md".into(),
        ]);
        assert_eq!(pages["README.md"], "about/");
        assert_eq!(pages["a b.md"], "a-b/");
        assert_eq!(pages["a-b.md"], "a-b-2/");
        assert_eq!(pages["archive.md"], "archive-2/");
    }
}
