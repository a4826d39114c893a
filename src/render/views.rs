use serde::Serialize;

use crate::config::{Config, Language};
use crate::date::{self};
use crate::model::{
    Entry, EntryKind, EntryTag, Goal, Heading, Kpt, SectionKind, Site, Tag, TagPlace,
};
use crate::parse::Body;
use crate::routes;
use crate::slug::encode_path;

/// The most tag chips an entry's header shows before folding the rest behind "+N".
const PRIMARY_CHIPS: usize = 6;
/// The same for an entry that is about no service in particular.
const MENTIONED_CHIPS: usize = 3;
/// What every template receives as `site`.
#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) author: Option<&'a str>,
    pub(super) lang: &'static str,
    /// Open Graph's name for the language (`ko_KR`).
    pub(super) locale: &'static str,
    /// Comments under entries, when configured.
    pub(super) giscus: Option<&'a crate::config::GiscusConfig>,
    /// The base path, `/` or `/til/`: prefix of every internal link.
    pub(super) base: String,
    /// The absolute root for feeds (`https://user.github.io/til`).
    pub(super) root: String,
    /// Whether the base URL names a host, so that pages can carry whole addresses
    /// (`og:url` must be one, or left out).
    pub(super) hosted: bool,
    pub(super) generator: &'static str,
    pub(super) has_notes: bool,
    pub(super) has_about: bool,
    pub(super) has_tags: bool,
    pub(super) has_retro: bool,
    pub(super) has_search: bool,
}

/// An entry as lists, feeds and neighbours show it.
#[derive(Serialize, Clone)]
pub(super) struct Card<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    /// ISO date (`2026-01-30`), empty for notes.
    pub(super) date: String,
    pub(super) date_display: String,
    pub(super) summary: &'a str,
    pub(super) reading_minutes: usize,
    /// Its primary tags.
    pub(super) tags: Vec<TagChip<'a>>,
    pub(super) source: &'a str,
}

/// A tag as lists show it beside an entry.
#[derive(Serialize, Clone)]
pub(super) struct TagChip<'a> {
    pub(super) short: &'a str,
    pub(super) url: String,
    /// Which tag: cards made into Tera values share its chip (see `PageContext::card`).
    #[serde(skip)]
    pub(super) tag: crate::model::TagId,
}

/// A tag as a link, with how the entry relates to it.
#[derive(Serialize, Clone)]
pub(super) struct TagLink<'a> {
    pub(super) slug: &'a str,
    pub(super) short: &'a str,
    pub(super) name: &'a str,
    pub(super) url: String,
    pub(super) category_label: &'a str,
    /// An AWS service, not the rest of the stack or the journal's own tag.
    pub(super) aws: bool,
    pub(super) primary: bool,
    /// Mentions in the entry; where, by section and heading.
    pub(super) count: usize,
    pub(super) places: &'a [TagPlace],
    pub(super) excerpt: &'a str,
    /// The excerpt's place on the entry page.
    pub(super) excerpt_url: String,
}

/// Where an entry's passage about a tag is: the heading's anchor on its page, or the page.
pub(super) fn excerpt_url(page: String, tag: &EntryTag) -> String {
    match &tag.anchor {
        Some(anchor) => format!("{page}#{anchor}"),
        None => page,
    }
}

#[derive(Serialize)]
pub(super) struct SectionView<'a> {
    pub(super) kind: SectionKind,
    pub(super) heading: Option<&'a str>,
    pub(super) anchor: Option<&'a str>,
    pub(super) html: &'a str,
    pub(super) is_empty: bool,
}

/// `C`: how neighbours' cards are held (the card itself for `haru inspect`, its shared Tera
/// value for pages).
#[derive(Serialize)]
pub(super) struct SeriesNav<'a, C> {
    pub(super) name: &'a str,
    pub(super) url: String,
    pub(super) day: u32,
    pub(super) previous: Option<(u32, C)>,
    pub(super) next: Option<(u32, C)>,
}

#[derive(Serialize)]
pub(super) struct EntryView<'a, C> {
    #[serde(flatten)]
    pub(super) card: Card<'a>,
    pub(super) kind: EntryKind,
    /// Not on cards: lists would change with every keystroke.
    pub(super) characters: usize,
    pub(super) sections: Vec<SectionView<'a>>,
    pub(super) toc: &'a [Heading],
    pub(super) goals: &'a [Goal],
    pub(super) goals_done: usize,
    pub(super) goals_total: usize,
    pub(super) kpt: &'a Kpt,
    pub(super) words: usize,
    pub(super) extra: &'a serde_json::Value,
    /// Every tag: primary first, then services it only mentions.
    pub(super) all_tags: Vec<TagLink<'a>>,
    /// How many of them the entry is about: the header shows those, the text links the rest.
    pub(super) primary_tags: usize,
    /// How many chips the header shows (the first of `all_tags`); the rest fold behind "+N".
    pub(super) shown_tags: usize,
    pub(super) related: Vec<C>,
    pub(super) series: Option<SeriesNav<'a, C>>,
    /// The entry's comment thread's name: ASCII and kept while the entry keeps its address.
    pub(super) comment_id: String,
}

/// Builds what templates receive from the model; shared by the pages and `haru inspect`.
pub(super) struct Views<'a> {
    pub(super) site: &'a Site,
    pub(super) bodies: &'a [&'a Body],
    pub(super) base: String,
    pub(super) english: bool,
    /// Each tag's page URL, made once: every card shows its tags.
    pub(super) tag_urls: Vec<String>,
}

impl<'a> Views<'a> {
    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, encode_path(path))
    }

    pub(super) fn new(site: &'a Site, bodies: &'a [&'a Body], config: &Config) -> Views<'a> {
        let base = config.base_path();
        let tag_urls = site
            .tags
            .iter()
            .map(|tag| format!("{base}{}", encode_path(&routes::tag(&tag.slug))))
            .collect();
        Views {
            site,
            bodies,
            base,
            english: config.language == Language::En,
            tag_urls,
        }
    }

    pub(super) fn tag_url(&self, tag: &Tag) -> String {
        self.tag_urls[tag.id.0].clone()
    }

    /// `page`: the entry's page address (its card's), made once for all of its tags.
    pub(super) fn tag_link(&self, page: &str, tag: &'a EntryTag) -> TagLink<'a> {
        let model = &self.site.tags[tag.tag.0];
        TagLink {
            slug: &model.slug,
            short: &model.short,
            name: &model.name,
            url: self.tag_url(model),
            category_label: &model.category_label,
            aws: model.aws,
            primary: tag.primary,
            count: tag.count,
            places: &tag.places,
            excerpt: &tag.excerpt,
            excerpt_url: excerpt_url(page.to_string(), tag),
        }
    }

    pub(super) fn dates(&self, entry: &Entry) -> (String, String) {
        match entry.date {
            Some(date) => (
                date.date.to_string(),
                date::long_format(date.date, date.precision, self.english),
            ),
            None => (String::new(), String::new()),
        }
    }

    /// These tags' models, AWS's services first, each group in the entry's own order.
    fn aws_first(
        &self,
        tags: impl Iterator<Item = &'a crate::model::EntryTag>,
    ) -> impl Iterator<Item = &'a crate::model::Tag> {
        let mut models: Vec<&'a crate::model::Tag> =
            tags.map(|tag| &self.site.tags[tag.tag.0]).collect();
        models.sort_by_key(|model| !model.aws);
        models.into_iter()
    }

    pub(super) fn card(&self, entry: &'a Entry) -> Card<'a> {
        let (date, date_display) = self.dates(entry);
        Card {
            title: &entry.title,
            url: self.url(&entry.path),
            date,
            date_display,
            summary: &entry.summary,
            reading_minutes: entry.reading_minutes,
            tags: self
                .aws_first(entry.tags.iter().filter(|tag| tag.primary))
                .map(|model| TagChip {
                    short: &model.short,
                    url: self.tag_url(model),
                    tag: model.id,
                })
                .collect(),
            source: &entry.source,
        }
    }

    /// What an entry's page shows of it; `card_of` makes the cards of the entries it links to.
    pub(super) fn entry_view<C>(
        &self,
        entry: &'a Entry,
        card_of: impl Fn(&'a Entry) -> C,
    ) -> EntryView<'a, C> {
        let body = &self.bodies[entry.id.0];
        let series = entry.series.map(|day| {
            let series = &self.site.series[day.series.0];
            let position = series
                .days
                .iter()
                .position(|(_, id)| *id == entry.id)
                .unwrap_or(0);
            let neighbour = |index: Option<usize>| {
                index
                    .and_then(|index| series.days.get(index))
                    .map(|(day, id)| (*day, card_of(self.site.entry(*id))))
            };
            SeriesNav {
                name: &series.name,
                url: self.url(&routes::series(&series.slug)),
                day: day.day,
                previous: neighbour(position.checked_sub(1)),
                next: neighbour(Some(position + 1)),
            }
        });
        let card = self.card(entry);
        let mut all_tags: Vec<TagLink> = entry
            .tags
            .iter()
            .map(|tag| self.tag_link(&card.url, tag))
            .collect();
        // Primary first, and among them AWS's services first: browsing by service is the point.
        all_tags.sort_by_key(|tag| (!tag.primary, !tag.aws));
        let primary_tags = all_tags.iter().filter(|tag| tag.primary).count();
        // A few chips say what the entry is about; an entry about nothing in particular still
        // shows the first services it mentions.
        let shown_tags = match primary_tags {
            0 => all_tags.len().min(MENTIONED_CHIPS),
            primary => primary.min(PRIMARY_CHIPS),
        };
        EntryView {
            card,
            kind: entry.kind,
            characters: entry.characters,
            sections: body
                .sections
                .iter()
                .map(|section| SectionView {
                    kind: section.kind,
                    heading: section.heading.as_deref(),
                    anchor: section.anchor.as_deref(),
                    html: &section.html,
                    is_empty: section.is_empty,
                })
                .collect(),
            toc: &body.toc,
            goals: &entry.goals,
            goals_done: entry
                .goals
                .iter()
                .filter(|goal| goal.done == Some(true))
                .count(),
            goals_total: entry
                .goals
                .iter()
                .filter(|goal| goal.done.is_some())
                .count(),
            kpt: &entry.kpt,
            words: entry.words,
            extra: &entry.extra,
            all_tags,
            primary_tags,
            shown_tags,
            related: entry
                .related
                .iter()
                .map(|id| card_of(self.site.entry(*id)))
                .collect(),
            series,
            comment_id: comment_id(entry),
        }
    }
}

/// `2026-03-05-1a2b3c4d`: the date (or `note`) and a hash of the page's address. giscus finds
/// an entry's discussion by this name; its own mapping by page path breaks on Hangul
/// addresses, and a title can change while the address stays.
fn comment_id(entry: &Entry) -> String {
    // FNV-1a, written out: the name must not change with a library or compiler release.
    let hash = entry
        .path
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    let day = entry
        .date
        .map_or_else(|| "note".to_string(), |date| date.date.to_string());
    format!("{day}-{:08x}", hash as u32)
}

/// The data `entry.html` receives as `entry`, as JSON (for `haru inspect`).
pub fn entry_json(
    entry: &Entry,
    site: &Site,
    bodies: &[&Body],
    config: &Config,
) -> serde_json::Value {
    let views = Views::new(site, bodies, config);
    let view = views.entry_view(entry, |other| views.card(other));
    let mut value = serde_json::to_value(view).expect("entry view serialises");
    if let serde_json::Value::Object(map) = &mut value {
        map.insert(
            "date_source".into(),
            serde_json::to_value(entry.date.map(|d| d.source)).expect("json"),
        );
        map.insert(
            "date_precision".into(),
            serde_json::to_value(entry.date.map(|d| d.precision)).expect("json"),
        );
        map.insert(
            "headings".into(),
            serde_json::to_value(&entry.headings).expect("json"),
        );
        map.insert("draft".into(), serde_json::Value::Bool(entry.draft));
    }
    value
}
