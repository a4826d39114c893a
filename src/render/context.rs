//! The one context every page function takes: the model and the views made of it, the theme,
//! the writer that decides which pages a rebuild makes again, and the fingerprints shared by
//! many pages (the global key, each entry's card key). Made once per render, read by all pages.

use tera::Context;

use crate::config::Language;
use crate::date;
use crate::diagnostic::Diagnostic;
use crate::i18n::Ui;
use crate::model::{Entry, EntryId, EntryKind, Site, fingerprint as key, fingerprint_sequence};
use crate::parse::Body;
use crate::render::input::{RenderOptions, Sink};
use crate::render::keys::Keys;
use crate::render::views::{Card, SiteView, TagChip, Views};
use crate::render::writer::Writer;

pub(super) struct PageContext<'a> {
    pub(super) site: &'a Site,
    pub(super) views: Views<'a>,
    pub(super) options: &'a RenderOptions<'a>,
    pub(super) keys: &'a Keys<'a>,
    pub(super) writer: Writer<'a>,
    /// The site's title, or the default one in its language.
    pub(super) title: &'a str,
    /// The absolute root for feeds (`https://user.github.io/til`).
    pub(super) root: String,
    pub(super) ui: Ui,
    pub(super) site_view: SiteView<'a>,
    /// What every page depends on: the configuration, the theme and the navigation's parts.
    pub(super) global: u64,
    /// Each entry's card key (by `EntryId`).
    pub(super) card_keys: Vec<u64>,
    /// The daily entries, newest first.
    pub(super) daily: Vec<&'a Entry>,
    /// What every page's context holds (`site`, `ui`, and `search_ui`, the words
    /// `static/search.js` shows as JSON for an attribute), made into Tera values once: their
    /// lists and long strings are shared, so each page copies pointers, not the 73 UI strings.
    common: Vec<(&'static str, tera::Value)>,
    /// Each entry's card as a Tera value, with the addresses and dates tag pages take from it,
    /// made the first time a page shows it: an entry is shown on its neighbours' and related
    /// entries' pages, its month's, its series' and its tags' (some 25 pages at 10,000
    /// entries), and a Tera value is shared, not copied, by every context that holds it. Pages
    /// a rebuild leaves alone make none.
    cards: Vec<std::sync::OnceLock<SharedCard>>,
    /// Each tag's chip (`short`, `url`) as a Tera value, by `TagId`: every card showing the tag
    /// holds this one. A chip of its own per card was most of a card's 3 to 7 KB (57 MB of the
    /// build's memory at 10,000 entries).
    chips: Vec<tera::Value>,
}

/// What pages take from an entry's card once it is made.
pub(super) struct SharedCard {
    pub(super) url: String,
    pub(super) date: String,
    pub(super) date_display: String,
    pub(super) value: tera::Value,
}

/// What `PageContext::new` is made from.
pub(super) struct ContextInput<'a> {
    pub(super) site: &'a Site,
    pub(super) bodies: &'a [&'a Body],
    pub(super) keys: &'a Keys<'a>,
    pub(super) options: &'a RenderOptions<'a>,
    pub(super) has_search: bool,
    pub(super) previous: Option<&'a crate::render::keys::PageKeys>,
    pub(super) sink: &'a dyn Sink,
}

impl<'a> PageContext<'a> {
    pub(super) fn new(input: ContextInput<'a>) -> PageContext<'a> {
        let ContextInput {
            site,
            bodies,
            keys,
            options,
            has_search,
            previous,
            sink,
        } = input;
        let config = options.config;
        let title: &str = if config.title.is_empty() {
            if config.language == Language::En {
                "Study journal"
            } else {
                "학습 일지"
            }
        } else {
            &config.title
        };
        let site_view = site_view(site, options, title, has_search);
        let ui = Ui::for_language(config.language);
        let common = common_values(&site_view, &ui);
        let global = key(&(
            keys.global,
            site_view.has_notes,
            site_view.has_about,
            site_view.has_tags,
            site_view.has_retro,
        ));
        let views = Views::new(site, bodies, config);
        let chips = (site.tags.iter())
            .map(|tag| {
                tera::Value::from_serializable(&TagChip {
                    short: &tag.short,
                    url: views.tag_url(tag),
                    tag: tag.id,
                })
            })
            .collect();
        PageContext {
            site,
            views,
            options,
            keys,
            writer: Writer::new(previous, sink),
            title,
            root: config.absolute_root(),
            ui,
            site_view,
            global,
            card_keys: keys.entries.iter().map(|keys| keys.card).collect(),
            daily: site.daily().collect(),
            common,
            cards: site.entries.iter().map(|_| Default::default()).collect(),
            chips,
        }
    }

    pub(super) fn url(&self, path: &str) -> String {
        self.views.url(path)
    }

    /// A page's whole address, for what leaves the site: feeds, the sitemap, `robots.txt`,
    /// canonical and shared links (KakaoTalk, Slack, Discord). Root-relative while the
    /// configuration gives no host.
    pub(super) fn absolute_url(&self, path: &str) -> String {
        format!("{}/{}", self.root, crate::slug::encode_path(path))
    }

    pub(super) fn card(&self, entry: &'a Entry) -> tera::Value {
        self.cached_card(entry).value.clone()
    }

    pub(super) fn cached_card(&self, entry: &'a Entry) -> &SharedCard {
        self.cards[entry.id.0].get_or_init(|| {
            let card = self.views.card(entry);
            let value = self.card_value(&card);
            SharedCard {
                url: card.url,
                date: card.date,
                date_display: card.date_display,
                value,
            }
        })
    }

    /// `card` as Tera would make it of its fields, but holding the tags' shared chips.
    fn card_value(&self, card: &Card) -> tera::Value {
        let chips: Vec<tera::Value> = (card.tags.iter())
            .map(|chip| self.chips[chip.tag.0].clone())
            .collect();
        let fields: [(&'static str, tera::Value); 8] = [
            ("title", card.title.into()),
            ("url", card.url.as_str().into()),
            ("date", card.date.as_str().into()),
            ("date_display", card.date_display.as_str().into()),
            ("summary", card.summary.into()),
            ("reading_minutes", card.reading_minutes.into()),
            ("tags", chips.into()),
            ("source", card.source.into()),
        ];
        let mut map = tera::Map::default();
        for (name, value) in fields {
            map.insert(name.into(), value);
        }
        let value = map.into();
        // Every card of every test build checks that the fields above are the card's own.
        debug_assert_eq!(value, tera::Value::from_serializable(card));
        value
    }

    /// The fingerprint of the cards of `ids`, in order: a list page's key.
    pub(super) fn cards_of(&self, ids: impl Iterator<Item = EntryId>) -> u64 {
        fingerprint_sequence(ids.map(|id| self.card_keys[id.0]))
    }

    /// A daily entry's older and newer neighbours (the daily list is newest first).
    pub(super) fn older_and_newer(&self, entry: &Entry) -> (Option<&'a Entry>, Option<&'a Entry>) {
        // Daily entries come first in the site, so an entry's id is its place among them.
        let daily = &self.daily;
        let position = Some(entry.id.0).filter(|&index| {
            entry.kind == EntryKind::Daily
                && daily.get(index).is_some_and(|other| other.id == entry.id)
        });
        let older = position.and_then(|position| daily.get(position + 1).copied());
        let newer = position
            .filter(|&position| position > 0)
            .map(|position| daily[position - 1]);
        (older, newer)
    }

    pub(super) fn context(&self, page_title: &str, page_path: &str) -> Context {
        let mut context = Context::new();
        for (key, value) in &self.common {
            context.insert_value(*key, value.clone());
        }
        context.insert("page_title", page_title);
        context.insert("page_url", &self.url(page_path));
        context.insert("page_absolute_url", &self.absolute_url(page_path));
        context.insert(
            "syntax_css_url",
            &format!("{}static/syntax.css", self.views.base),
        );
        context
    }

    /// Renders `template` with `context`.
    pub(super) fn render(&self, template: &str, context: &Context) -> Result<Vec<u8>, Diagnostic> {
        self.options.theme.render(template, context)
    }
}

fn site_view<'a>(
    site: &Site,
    options: &'a RenderOptions<'a>,
    title: &'a str,
    has_search: bool,
) -> SiteView<'a> {
    let config = options.config;
    SiteView {
        title,
        description: config.description.as_deref(),
        author: config.author.as_deref(),
        lang: config.language.code(),
        giscus: config.comments.giscus.as_ref(),
        locale: match config.language {
            Language::Ko => "ko_KR",
            Language::En => "en_US",
        },
        base: config.base_path(),
        root: config.absolute_root(),
        hosted: config.names_host(),
        generator: concat!("haru ", env!("CARGO_PKG_VERSION")),
        has_notes: site.notes().next().is_some(),
        has_about: site.about().is_some(),
        has_tags: !site.tags.is_empty(),
        has_retro: site.daily().any(|entry| {
            entry
                .date
                .is_some_and(|d| d.precision == date::Precision::Day)
                && !(entry.kpt.is_empty() && entry.goals.is_empty())
        }),
        has_search,
    }
}

fn common_values(site_view: &SiteView, ui: &Ui) -> Vec<(&'static str, tera::Value)> {
    let mut common = vec![
        ("site", tera::Value::from_serializable(site_view)),
        ("ui", tera::Value::from_serializable(ui)),
    ];
    if site_view.has_search {
        let search_ui = serde_json::json!({
            "count": ui.search_count,
            "count_at_least": ui.search_count_at_least,
            "none": ui.search_none,
            "failed": ui.search_failed,
        })
        .to_string();
        common.push(("search_ui", tera::Value::from_serializable(&search_ui)));
    }
    common
}
