//! The site's pages through Tera: the theme, what each template receives, and every page
//! the site has (home, entries, archive, notes, about, 404, feed, sitemap, robots).
//!
//! The default theme is embedded in the binary so `haru` works from any folder; a journal's
//! own `templates/x.html` replaces that one template. Pages are produced in parallel and handed
//! to a `Sink` as they are made, so the whole site never sits in memory at once.

use std::path::{Path, PathBuf};

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::config::{Config, Language};
use crate::date::{self, Precision};
use crate::diagnostic::Diagnostic;
use crate::i18n::Ui;
use crate::model::{
    Entry, EntryId, EntryKind, EntryTag, Goal, Heading, Kpt, SectionKind, Site, Tag, TagId,
    TagPlace, fingerprint as key, fingerprint_sequence,
};
use crate::parse::Body;
use crate::routes;
use crate::site::{by_month, notes_by_folder};
use crate::slug::encode_path;
use crate::study;

/// The embedded default theme: (template name, source).
pub const TEMPLATES: [(&str, &str); 15] = [
    ("base.html", include_str!("../templates/base.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("entry.html", include_str!("../templates/entry.html")),
    ("page.html", include_str!("../templates/page.html")),
    ("archive.html", include_str!("../templates/archive.html")),
    ("month.html", include_str!("../templates/month.html")),
    ("notes.html", include_str!("../templates/notes.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("atom.xml", include_str!("../templates/atom.xml")),
    ("sitemap.xml", include_str!("../templates/sitemap.xml")),
    ("tags.html", include_str!("../templates/tags.html")),
    ("tag.html", include_str!("../templates/tag.html")),
    ("series.html", include_str!("../templates/series.html")),
    ("retro.html", include_str!("../templates/retro.html")),
    ("search.html", include_str!("../templates/search.html")),
];

/// The embedded static files: (path in the site, contents).
pub const STATIC_FILES: [(&str, &str); 2] = [
    ("static/style.css", include_str!("../static/style.css")),
    ("static/search.js", include_str!("../static/search.js")),
];

/// Where pages go. Implementations must accept writes from several threads.
/// An HTML or XML page without the characters XML 1.0 forbids. Journal text was cleaned when
/// it was read (with a warning); this catches what came another way (a file name, the config).
fn xml_safe(path: &str, bytes: Vec<u8>) -> Vec<u8> {
    let markup = path.ends_with(".html") || path.ends_with(".xml");
    if !markup || !bytes.iter().any(crate::text::may_start_forbidden) {
        return bytes;
    }
    match String::from_utf8(bytes) {
        Ok(text) => crate::text::remove_forbidden(text).0.into_bytes(),
        Err(error) => error.into_bytes(),
    }
}

pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;
}

pub struct Theme {
    tera: Tera,
}

impl Theme {
    /// The default theme with any of `templates_dir`'s files in place of the embedded ones.
    pub fn load(
        templates_dir: Option<&Path>,
        display_base: &Path,
    ) -> Result<Theme, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let mut sources: Vec<(String, String)> = TEMPLATES
            .iter()
            .map(|(name, source)| (name.to_string(), source.to_string()))
            .collect();
        let mut diagnostics = Vec::new();
        if let Some(dir) = templates_dir.filter(|dir| dir.is_dir()) {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            files.sort();
            for path in files {
                let Some(name) = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .map(str::to_string)
                else {
                    continue;
                };
                if !(name.ends_with(".html") || name.ends_with(".xml")) {
                    continue;
                }
                match std::fs::read_to_string(&path) {
                    Ok(text) => match sources.iter_mut().find(|(existing, _)| *existing == name) {
                        Some(slot) => slot.1 = text,
                        None => sources.push((name, text)),
                    },
                    Err(error) => diagnostics.push(Diagnostic::error(
                        crate::diagnostic::display_path(&path, display_base),
                        format!("cannot read the template: {error}"),
                    )),
                }
            }
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let display_dir =
            templates_dir.map(|dir| crate::diagnostic::display_path(dir, display_base));
        for (name, source) in &sources {
            if let Err(error) = tera.add_raw_template(name, source) {
                diagnostics.push(template_error(display_dir.as_deref(), name, &error));
            }
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        Ok(Theme { tera })
    }

    /// Renders straight into bytes: `Tera::render` would validate each page as UTF-8 again.
    fn render(&self, name: &str, context: &Context) -> Result<Vec<u8>, Diagnostic> {
        let mut page = Vec::with_capacity(32 * 1024);
        self.tera
            .render_to(name, context, &mut page)
            .map_err(|error| template_error(None, name, &error))?;
        Ok(page)
    }
}

fn template_error(dir: Option<&Path>, name: &str, error: &tera::Error) -> Diagnostic {
    let report = error.to_string();
    let mut full = report.clone();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        full.push_str(&format!("\n  caused by: {cause}"));
        source = cause.source();
    }
    let path = match dir {
        Some(dir) => dir.join(name),
        None => PathBuf::from(format!("templates/{name}")),
    };
    let mut diagnostic = Diagnostic::error(path, format!("template error: {full}"))
        .with_hint("fix the template; `haru inspect FILE` shows the data it receives");
    if let Some(line) = report_line(&report) {
        diagnostic = diagnostic.at_line(line);
    }
    diagnostic
}

/// The line number out of a Tera report (`--> name:12:5`).
fn report_line(report: &str) -> Option<usize> {
    let arrow = report.find("-->")?;
    let rest = &report[arrow + 3..];
    let rest = rest.lines().next()?.trim();
    let mut parts = rest.rsplitn(3, ':');
    let _column = parts.next()?;
    parts.next()?.trim().parse().ok()
}

/// What every template receives as `site`.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    author: Option<&'a str>,
    lang: &'static str,
    /// The base path, `/` or `/til/`: prefix of every internal link.
    base: String,
    /// The absolute root for feeds (`https://user.github.io/til`).
    root: String,
    generator: &'static str,
    has_notes: bool,
    has_about: bool,
    has_tags: bool,
    has_retro: bool,
    has_search: bool,
}

/// An entry as lists, feeds and neighbours show it.
#[derive(Serialize, Clone)]
struct Card<'a> {
    title: &'a str,
    url: String,
    /// ISO date (`2026-01-30`), empty for notes.
    date: String,
    date_display: String,
    summary: &'a str,
    reading_minutes: usize,
    /// Its primary tags.
    tags: Vec<TagChip<'a>>,
    source: &'a str,
}

/// A tag as lists show it beside an entry.
#[derive(Serialize, Clone)]
struct TagChip<'a> {
    short: &'a str,
    url: String,
}

/// A tag as a link, with how the entry relates to it.
#[derive(Serialize, Clone)]
struct TagLink<'a> {
    slug: &'a str,
    short: &'a str,
    name: &'a str,
    url: String,
    category_label: &'a str,
    primary: bool,
    /// Mentions in the entry; where, by section and heading.
    count: usize,
    places: &'a [TagPlace],
    excerpt: &'a str,
    /// The excerpt's place on the entry page.
    excerpt_url: String,
}

/// Where an entry's passage about a tag is: the heading's anchor on its page, or the page.
fn excerpt_url(page: String, tag: &EntryTag) -> String {
    match &tag.anchor {
        Some(anchor) => format!("{page}#{anchor}"),
        None => page,
    }
}

#[derive(Serialize)]
struct SectionView<'a> {
    kind: SectionKind,
    heading: Option<&'a str>,
    anchor: Option<&'a str>,
    html: &'a str,
    is_empty: bool,
}

/// `C`: how neighbours' cards are held (the card itself for `haru inspect`, its shared Tera
/// value for pages).
#[derive(Serialize)]
struct SeriesNav<'a, C> {
    name: &'a str,
    url: String,
    day: u32,
    previous: Option<(u32, C)>,
    next: Option<(u32, C)>,
}

#[derive(Serialize)]
struct EntryView<'a, C> {
    #[serde(flatten)]
    card: Card<'a>,
    kind: EntryKind,
    /// Not on cards: lists would change with every keystroke.
    characters: usize,
    sections: Vec<SectionView<'a>>,
    toc: &'a [Heading],
    goals: &'a [Goal],
    goals_done: usize,
    goals_total: usize,
    kpt: &'a Kpt,
    words: usize,
    extra: &'a serde_json::Value,
    /// Every tag: primary first, then services it only mentions.
    all_tags: Vec<TagLink<'a>>,
    related: Vec<C>,
    series: Option<SeriesNav<'a, C>>,
}

/// Builds what templates receive from the model; shared by the pages and `haru inspect`.
struct Views<'a> {
    site: &'a Site,
    bodies: &'a [&'a Body],
    base: String,
    english: bool,
    /// Each tag's page URL, made once: every card shows its tags.
    tag_urls: Vec<String>,
}

impl<'a> Views<'a> {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, encode_path(path))
    }

    fn new(site: &'a Site, bodies: &'a [&'a Body], config: &Config) -> Views<'a> {
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

    fn tag_url(&self, tag: &Tag) -> String {
        self.tag_urls[tag.id.0].clone()
    }

    /// `page`: the entry's page address (its card's), made once for all of its tags.
    fn tag_link(&self, page: &str, tag: &'a EntryTag) -> TagLink<'a> {
        let model = &self.site.tags[tag.tag.0];
        TagLink {
            slug: &model.slug,
            short: &model.short,
            name: &model.name,
            url: self.tag_url(model),
            category_label: &model.category_label,
            primary: tag.primary,
            count: tag.count,
            places: &tag.places,
            excerpt: &tag.excerpt,
            excerpt_url: excerpt_url(page.to_string(), tag),
        }
    }

    fn dates(&self, entry: &Entry) -> (String, String) {
        match entry.date {
            Some(date) => (
                date.date.to_string(),
                date::long_format(date.date, date.precision, self.english),
            ),
            None => (String::new(), String::new()),
        }
    }

    fn card(&self, entry: &'a Entry) -> Card<'a> {
        let (date, date_display) = self.dates(entry);
        Card {
            title: &entry.title,
            url: self.url(&entry.path),
            date,
            date_display,
            summary: &entry.summary,
            reading_minutes: entry.reading_minutes,
            tags: entry
                .tags
                .iter()
                .filter(|tag| tag.primary)
                .map(|tag| {
                    let model = &self.site.tags[tag.tag.0];
                    TagChip {
                        short: &model.short,
                        url: self.tag_url(model),
                    }
                })
                .collect(),
            source: &entry.source,
        }
    }

    /// What an entry's page shows of it; `card_of` makes the cards of the entries it links to.
    fn entry_view<C>(
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
        let all_tags = entry
            .tags
            .iter()
            .map(|tag| self.tag_link(&card.url, tag))
            .collect();
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
            related: entry
                .related
                .iter()
                .map(|id| card_of(self.site.entry(*id)))
                .collect(),
            series,
        }
    }
}

#[derive(Serialize)]
struct CalendarDay {
    day: i8,
    url: Option<String>,
    title: String,
    weekend: bool,
}

#[derive(Serialize)]
struct MonthView {
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
struct YearView {
    year: i16,
    count: usize,
    months: Vec<MonthView>,
}

#[derive(Serialize)]
struct FolderView<'a> {
    folder: &'a str,
    entries: Vec<tera::Value>,
}

#[derive(Serialize)]
struct FeedItem<'a> {
    #[serde(flatten)]
    card: Card<'a>,
    absolute_url: String,
    updated: String,
    content: String,
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

pub struct RenderOptions<'a> {
    pub config: &'a Config,
    pub theme: &'a Theme,
    /// Stylesheet for code, generated from the configured themes.
    pub syntax_css: &'a str,
}

struct Pages<'a> {
    views: Views<'a>,
    options: &'a RenderOptions<'a>,
    root: String,
    ui: Ui,
    site_view: SiteView<'a>,
    /// What every page's context holds (`site`, `ui`, and `search_ui`, the words
    /// `static/search.js` shows as JSON for an attribute), made into Tera values once: their
    /// lists and long strings are shared, so each page copies pointers, not the 73 UI strings.
    common: Vec<(&'static str, tera::Value)>,
    /// Each entry's card, with the same card as a Tera value, made the first time a page shows
    /// it: an entry is shown on its neighbours' and related entries' pages, its month's, its
    /// series' and its tags' (some 25 pages at 10,000 entries), and a Tera value is shared, not
    /// copied, by every context that holds it. Pages a rebuild leaves alone make none.
    cards: Vec<std::sync::OnceLock<(Card<'a>, tera::Value)>>,
}

impl<'a> Pages<'a> {
    fn url(&self, path: &str) -> String {
        self.views.url(path)
    }

    fn card(&self, entry: &'a Entry) -> tera::Value {
        self.cached_card(entry).1.clone()
    }

    fn cached_card(&self, entry: &'a Entry) -> &(Card<'a>, tera::Value) {
        self.cards[entry.id.0].get_or_init(|| {
            let card = self.views.card(entry);
            let value = tera::Value::from_serializable(&card);
            (card, value)
        })
    }

    fn context(&self, page_title: &str, page_path: &str) -> Context {
        let mut context = Context::new();
        for (key, value) in &self.common {
            context.insert_value(*key, value.clone());
        }
        context.insert("page_title", page_title);
        context.insert("page_url", &self.url(page_path));
        context.insert(
            "syntax_css_url",
            &format!("{}static/syntax.css", self.views.base),
        );
        context
    }

    /// The HTML of an entry's sections, for feeds.
    fn content_html(&self, id: EntryId) -> String {
        self.views.bodies[id.0]
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
    fn feed(
        &self,
        title: &str,
        path: &str,
        entries: &[&'a Entry],
        about: Option<TagId>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let items: Vec<FeedItem> = entries
            .iter()
            .take(FEED_ITEMS)
            .map(|entry| {
                let mut card = self.views.card(entry);
                let content = match about {
                    None => self.content_html(entry.id),
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
                    absolute_url: format!("{}/{}", self.root, encode_path(&entry.path)),
                    card,
                    updated: entry
                        .date
                        .map(|d| format!("{}T00:00:00+09:00", d.date))
                        .unwrap_or_default(),
                    content,
                }
            })
            .collect();
        let mut context = self.context(title, path);
        context.insert("feed_title", title);
        context.insert("feed_url", &format!("{}/{}", self.root, encode_path(path)));
        context.insert("home_url", &format!("{}/", self.root));
        context.insert(
            "updated",
            &items
                .first()
                .map(|item| item.updated.clone())
                .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into()),
        );
        context.insert("items", &items);
        self.options.theme.render("atom.xml", &context)
    }
}

#[derive(Serialize)]
struct TagSummary<'a> {
    short: &'a str,
    name: &'a str,
    url: String,
    description: &'a str,
    count: usize,
    primary_count: usize,
}

#[derive(Serialize)]
struct CategoryView<'a> {
    label: &'a str,
    count: usize,
    tags: Vec<TagSummary<'a>>,
}

/// A tag page's entry: where it is, and the passage of the entry about the tag.
#[derive(Serialize)]
struct TaggedEntry<'a> {
    title: &'a str,
    url: &'a str,
    date: &'a str,
    date_display: &'a str,
    count: usize,
    excerpt: &'a str,
    excerpt_url: String,
}

/// How many entries a feed carries.
const FEED_ITEMS: usize = 20;

/// How many co-occurring tags a tag page lists.
const RELATED_TAGS: usize = 10;

fn tag_summary<'a>(pages: &Pages<'a>, tag: &'a Tag) -> TagSummary<'a> {
    TagSummary {
        short: &tag.short,
        name: &tag.name,
        url: pages.views.tag_url(tag),
        description: &tag.description,
        count: tag.entries.len(),
        primary_count: tag.entries.iter().filter(|(_, primary)| *primary).count(),
    }
}

fn render_tags<'a>(
    pages: &Pages<'a>,
    site: &'a Site,
    writer: &Writer,
    global: u64,
    entry_keys: &[EntryKeys],
) -> Vec<Diagnostic> {
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
        return render_tag_pages(pages, site, writer, global, entry_keys);
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
    diagnostics.extend(writer.write(
        "tags/index.html",
        pages.options.theme.render("tags.html", &context),
    ));
    diagnostics.extend(render_tag_pages(pages, site, writer, global, entry_keys));
    diagnostics
}

/// A page and a feed per tag.
fn render_tag_pages<'a>(
    pages: &Pages<'a>,
    site: &'a Site,
    writer: &Writer,
    global: u64,
    entry_keys: &[EntryKeys],
) -> Vec<Diagnostic> {
    // What each member says of each tag: its card, whether the tag is primary, its passage,
    // and its other tags (the co-occurring tags listed come from those). One pass over the
    // entries, in entry order, as `tag.entries` lists them.
    let mut members: Vec<Vec<(u64, bool, u64, u64)>> = site
        .tags
        .iter()
        .map(|tag| Vec::with_capacity(tag.entries.len()))
        .collect();
    for keys in entry_keys {
        for (tag, primary, passage) in &keys.tags {
            members[tag.0].push((keys.card, *primary, *passage, keys.tagset));
        }
    }
    site.tags
        .par_iter()
        .zip(members.par_iter())
        .flat_map_iter(|(tag, members)| {
            let path = routes::tag(&tag.slug);
            let page_path = format!("{path}index.html");
            let feed_path = format!("{path}atom.xml");
            let view = tag_view_key(tag);
            let page_wanted = writer.wants(&page_path, key(&(global, view, &members)));
            let feed: Vec<(u64, u64)> = members
                .iter()
                .take(FEED_ITEMS)
                .map(|(card, _, passage, _)| (*card, *passage))
                .collect();
            let feed_wanted = writer.wants(&feed_path, key(&(global, view, feed)));
            if !(page_wanted || feed_wanted) {
                return Vec::new().into_iter().flatten();
            }
            let tagged = |primary: bool| -> Vec<TaggedEntry> {
                tag.entries
                    .iter()
                    .filter(|(_, is_primary)| *is_primary == primary)
                    .map(|(id, _)| {
                        let entry = site.entry(*id);
                        let entry_tag = entry
                            .tags
                            .iter()
                            .find(|t| t.tag == tag.id)
                            .expect("the entry has the tag");
                        // Its card has the page's address and dates, made once for every page
                        // that shows the entry.
                        let (card, _) = pages.cached_card(entry);
                        TaggedEntry {
                            title: &entry.title,
                            url: &card.url,
                            date: &card.date,
                            date_display: &card.date_display,
                            count: entry_tag.count,
                            excerpt: &entry_tag.excerpt,
                            excerpt_url: excerpt_url(card.url.clone(), entry_tag),
                        }
                    })
                    .collect()
            };
            // Co-occurring tags, by how many entries share them.
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
            let related: Vec<TagSummary> = related
                .into_iter()
                .take(RELATED_TAGS)
                .map(|(id, _)| tag_summary(pages, &site.tags[id.0]))
                .collect();
            let mut context = pages.context(&tag.short, &path);
            context.insert("tag", &tag_summary(pages, tag));
            context.insert("tag_name", &tag.name);
            context.insert("category_label", &tag.category_label);
            context.insert("primary_entries", &tagged(true));
            context.insert("mentioned_entries", &tagged(false));
            context.insert("related_tags", &related);
            context.insert("activity", &activity_strip(pages, site, tag));
            context.insert("feed_url", &pages.url(&format!("{path}atom.xml")));
            let entries: Vec<&Entry> = tag.entries.iter().map(|(id, _)| site.entry(*id)).collect();
            let feed_title = format!("{} · {}", tag.short, pages.site_view.title);
            vec![
                page_wanted.then(|| {
                    writer.write(&page_path, pages.options.theme.render("tag.html", &context))
                }),
                feed_wanted.then(|| {
                    writer.write(
                        &feed_path,
                        pages.feed(&feed_title, &feed_path, &entries, Some(tag.id)),
                    )
                }),
            ]
            .into_iter()
            .flatten()
        })
        .flatten()
        .collect()
}

#[derive(Serialize)]
struct HeatmapCell {
    x: usize,
    y: usize,
    level: u8,
    title: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct Label {
    x: usize,
    y: usize,
    text: String,
}

#[derive(Serialize)]
struct LookBack {
    label: &'static str,
    date_display: String,
    entries: Vec<tera::Value>,
}

#[derive(Serialize)]
struct StudyView {
    width: usize,
    height: usize,
    cells: Vec<HeatmapCell>,
    labels: Vec<Label>,
    streaks: study::Streaks,
    entries_this_month: usize,
    total_entries: usize,
    total_characters: String,
    /// Entries of a week, a month and a year before the newest entry, where there are some.
    looking_back: Vec<LookBack>,
}

const CELL: usize = 11;
const GAP: usize = 3;
const LEFT: usize = 28;
const TOP: usize = 16;

/// The home page's heatmap (53 weeks up to the newest entry) and habit figures.
fn study_view<'a>(pages: &Pages<'a>, site: &'a Site) -> Option<StudyView> {
    let days = study::written_days(site);
    let (&end, _) = days.iter().next_back()?;
    let heatmap = study::heatmap(&days, end);
    let english = pages.views.english;
    let cells = heatmap
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
        .collect();
    let mut labels: Vec<Label> = Vec::new();
    let mut last_label_week: Option<usize> = None;
    for &(week, _, month) in &heatmap.months {
        // Skip a month label that would overlap the previous one.
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
    let streaks = study::streaks(days.keys(), end);
    let entries_this_month = site
        .daily()
        .filter(|entry| {
            entry.date.is_some_and(|date| {
                (date.date.year(), date.date.month()) == (end.year(), end.month())
            })
        })
        .count();
    let characters: usize = site.daily().map(|entry| entry.characters).sum();
    let looking_back = study::looking_back(end)
        .into_iter()
        .filter_map(|(date, span)| {
            let (_, entries) = days.get(&date)?;
            let label = match span {
                "week" => pages.ui.a_week_ago,
                "month" => pages.ui.a_month_ago,
                _ => pages.ui.a_year_ago,
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
        .collect();
    Some(StudyView {
        looking_back,
        width: LEFT + heatmap.weeks * (CELL + GAP),
        height: TOP + 7 * (CELL + GAP),
        cells,
        labels,
        streaks,
        entries_this_month,
        total_entries: site.daily().count(),
        total_characters: thousands(characters),
    })
}

#[derive(Serialize)]
struct StripCell {
    x: usize,
    level: usize,
    title: String,
}

/// A tag's weeks: 53 cells up to its newest entry, shaded by how many entries had it.
fn activity_strip(pages: &Pages, site: &Site, tag: &Tag) -> Vec<StripCell> {
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

/// An entry as a plain link, for pages that list many (the retrospective).
#[derive(Serialize)]
struct EntryLink<'a> {
    title: &'a str,
    url: String,
    date_display: String,
}

#[derive(Serialize)]
struct RetroItem<'a> {
    #[serde(skip)]
    year: i16,
    kind: &'static str,
    text: &'a str,
    entry: EntryLink<'a>,
    /// The later entry that picked this Try up.
    followed_by: Option<EntryLink<'a>>,
    /// How many times the same words were written (a standing intention, day after day).
    times: usize,
}

#[derive(Serialize)]
struct RetroWeek<'a> {
    label: String,
    goals_checked: usize,
    goals_total: usize,
    items: Vec<RetroItem<'a>>,
}

#[derive(Serialize)]
struct RetroMonth<'a> {
    #[serde(skip)]
    year: i16,
    name: String,
    weeks: Vec<RetroWeek<'a>>,
}

#[derive(Serialize)]
struct UncheckedGoal<'a> {
    #[serde(skip)]
    year: i16,
    text: &'a str,
    entry: EntryLink<'a>,
}

/// How far after a Try a goal, Keep or heading picking it up is looked for.
const FOLLOW_UP_DAYS: i64 = 30;

/// The retrospective page: every Keep, Problem and Try by month and week, each Try with the
/// entry that picked it up; goals checked per week; goals left unchecked.
fn retro_view<'a>(
    pages: &Pages<'a>,
    site: &'a Site,
) -> Option<(
    Vec<RetroMonth<'a>>,
    Vec<RetroItem<'a>>,
    Vec<UncheckedGoal<'a>>,
)> {
    use jiff::ToSpan;
    let mut dated: Vec<&'a Entry> = site
        .daily()
        .filter(|entry| {
            entry
                .date
                .is_some_and(|d| d.precision == date::Precision::Day)
        })
        .collect();
    if dated
        .iter()
        .all(|entry| entry.kpt.is_empty() && entry.goals.is_empty())
    {
        return None;
    }
    dated.reverse(); // oldest first
    // What each entry says it did: its goals, Keep items and headings, as topic tokens.
    let said: Vec<Vec<std::collections::BTreeSet<String>>> = dated
        .iter()
        .map(|entry| {
            entry
                .goals
                .iter()
                .map(|goal| goal.text.as_str())
                .chain(entry.kpt.keep.iter().map(String::as_str))
                .chain(entry.headings.iter().map(|heading| heading.text.as_str()))
                .map(study::topic_tokens)
                .collect()
        })
        .collect();
    let follow_up = |position: usize, text: &str| -> Option<&'a Entry> {
        let try_tokens = study::topic_tokens(text);
        let day = dated[position].date?.date;
        let until = day.checked_add(FOLLOW_UP_DAYS.days()).ok()?;
        dated[position + 1..]
            .iter()
            .zip(&said[position + 1..])
            .take_while(|(entry, _)| entry.date.is_some_and(|d| d.date <= until))
            .find(|(entry, texts)| {
                entry.date.is_some_and(|d| d.date > day)
                    && texts
                        .iter()
                        .any(|tokens| study::shares_topic(&try_tokens, tokens))
            })
            .map(|(entry, _)| *entry)
    };
    let link = |entry: &'a Entry| EntryLink {
        title: &entry.title,
        url: pages.url(&entry.path),
        date_display: pages.views.dates(entry).1,
    };
    let mut months: Vec<RetroMonth> = Vec::new();
    let mut not_yet: Vec<RetroItem> = Vec::new();
    let mut listed: HashMap<(i16, &str), usize> = HashMap::new();
    let mut unchecked = Vec::new();
    for (position, entry) in dated.iter().enumerate().rev() {
        let date = entry.date.expect("dated").date;
        let monday = date
            .checked_sub((date.weekday().to_monday_zero_offset() as i64).days())
            .unwrap_or(date);
        let month_name = date::month_name(date.year(), date.month(), pages.views.english);
        if months.last().is_none_or(|month| month.name != month_name) {
            months.push(RetroMonth {
                year: date.year(),
                name: month_name,
                weeks: Vec::new(),
            });
        }
        let month = months.last_mut().expect("a month");
        let week_label = format!(
            "{} {}",
            date::long_format(monday, date::Precision::Day, pages.views.english),
            pages.ui.week_of
        );
        if month
            .weeks
            .last()
            .is_none_or(|week| week.label != week_label)
        {
            month.weeks.push(RetroWeek {
                label: week_label,
                goals_checked: 0,
                goals_total: 0,
                items: Vec::new(),
            });
        }
        let week = month.weeks.last_mut().expect("a week");
        for goal in &entry.goals {
            if let Some(done) = goal.done {
                week.goals_total += 1;
                if done {
                    week.goals_checked += 1;
                } else {
                    unchecked.push(UncheckedGoal {
                        year: date.year(),
                        text: &goal.text,
                        entry: link(entry),
                    });
                }
            }
        }
        let card = || link(entry);
        for text in &entry.kpt.keep {
            week.items.push(RetroItem {
                year: date.year(),
                kind: "keep",
                text,
                entry: card(),
                followed_by: None,
                times: 1,
            });
        }
        for text in &entry.kpt.problem {
            week.items.push(RetroItem {
                year: date.year(),
                kind: "problem",
                text,
                entry: card(),
                followed_by: None,
                times: 1,
            });
        }
        for text in &entry.kpt.try_next {
            let followed_by = follow_up(position, text).map(&link);
            if followed_by.is_none() {
                // Newest first: the first one listed stays, and counts the rest.
                match listed.entry((date.year(), text.as_str())) {
                    std::collections::hash_map::Entry::Occupied(place) => {
                        not_yet[*place.get()].times += 1
                    }
                    std::collections::hash_map::Entry::Vacant(place) => {
                        place.insert(not_yet.len());
                        not_yet.push(RetroItem {
                            year: date.year(),
                            kind: "try",
                            text,
                            entry: card(),
                            followed_by: None,
                            times: 1,
                        });
                    }
                }
            }
            week.items.push(RetroItem {
                year: date.year(),
                kind: "try",
                text,
                entry: card(),
                followed_by,
                times: 1,
            });
        }
    }
    Some((months, not_yet, unchecked))
}

/// A month page's calendar: days with entries link to the first one and name them all.
fn month_calendar(
    pages: &Pages,
    site: &Site,
    written: &BTreeMap<jiff::civil::Date, (usize, Vec<EntryId>)>,
    year: i16,
    month: i8,
) -> Vec<Vec<Option<CalendarDay>>> {
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

/// 1234567 → `1,234,567`.
fn thousands(number: usize) -> String {
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

/// What `render_site` renders: the model, each entry's rendered body (by `EntryId`), the
/// pages' input fingerprints, and the search index to update and write.
pub struct RenderInput<'a> {
    pub site: &'a Site,
    pub bodies: &'a [&'a Body],
    pub keys: &'a Keys<'a>,
    pub search: Option<SearchUpdate<'a>>,
}

/// The search index and how to bring it up to date for this build, which `render_site` does
/// while it renders the entry pages; `None` with search off.
pub struct SearchUpdate<'s> {
    pub index: &'s mut crate::search::Index,
    pub update: &'s (dyn Fn(&mut crate::search::Index) + Sync),
}

/// What pages show of one entry, as fingerprints.
#[derive(Clone, Debug, Default)]
pub struct EntryKeys {
    /// What its card shows (title, date, summary, primary tags…): list pages use it.
    card: u64,
    /// What its own page shows besides its text and card: its tags with their passages, its
    /// series, its kind.
    own: u64,
    /// Its part in the site's shape: only the sitemap depends on all of it.
    structure: u64,
    /// What the retrospective shows of it.
    retro: u64,
    /// Its tags as tag pages show them: which tags co-occur depends on these.
    tagset: u64,
    /// Its tags, whether primary, and the fingerprint of its passage about each.
    tags: Vec<(TagId, bool, u64)>,
}

impl EntryKeys {
    /// What search shows of the entry besides its text: its card (title, date, link) and
    /// its tags.
    pub fn search(&self) -> u64 {
        fingerprint_sequence([self.card, self.tagset])
    }
}

/// What a tag's name, link and description look like.
fn tag_view_key(tag: &Tag) -> u64 {
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
        tagset: key(&tag_views),
        tags: entry
            .tags
            .iter()
            .map(|tag| (tag.tag, tag.primary, tag.passage))
            .collect(),
    }
}

/// The pages a build produced, each with the key of what it was made from. A later build
/// renders only the pages whose key changed, and removes the pages it no longer produces.
pub type PageKeys = HashMap<String, u64, foldhash::fast::FixedState>;

/// The shape of the site: which entries there are, in what order, with which tags, series and
/// related entries, and what each tag and series is called. Only the sitemap lists all of it;
/// every other page's key names just the parts it shows.
fn structure_key(site: &Site, entries: &[EntryKeys]) -> u64 {
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

/// Decides which pages to render and hands the made ones to the sink.
struct Writer<'w> {
    previous: Option<&'w PageKeys>,
    produced: std::sync::Mutex<PageKeys>,
    sink: &'w dyn Sink,
}

impl Writer<'_> {
    /// Records that the site has page `path` made from inputs `key`; true when it must be
    /// rendered (the previous build had no such page, or made it from other inputs).
    fn wants(&self, path: &str, key: u64) -> bool {
        self.produced
            .lock()
            .expect("no writer panicked")
            .insert(path.to_string(), key);
        self.previous.and_then(|previous| previous.get(path)) != Some(&key)
    }

    /// `wants` for many pages at once (one lock): the places in `pages` of those to render.
    fn wants_all(&self, pages: &[(String, u64)]) -> Vec<usize> {
        let mut produced = self.produced.lock().expect("no writer panicked");
        produced.reserve(pages.len());
        let mut wanted = Vec::new();
        for (index, (path, key)) in pages.iter().enumerate() {
            produced.insert(path.clone(), *key);
            if self.previous.and_then(|previous| previous.get(path)) != Some(key) {
                wanted.push(index);
            }
        }
        wanted
    }

    fn write(&self, path: &str, result: Result<Vec<u8>, Diagnostic>) -> Option<Diagnostic> {
        match result {
            Ok(bytes) => self
                .sink
                .write(path, &xml_safe(path, bytes))
                .err()
                .map(|error| {
                    Diagnostic::error(
                        PathBuf::from(path),
                        format!("cannot write the page: {error}"),
                    )
                }),
            Err(diagnostic) => Some(diagnostic),
        }
    }

    /// Renders and writes page `path` unless the previous build made it from the same inputs.
    fn page(
        &self,
        path: &str,
        key: u64,
        make: impl FnOnce() -> Result<Vec<u8>, Diagnostic>,
    ) -> Option<Diagnostic> {
        if self.wants(path, key) {
            self.write(path, make())
        } else {
            None
        }
    }
}

/// Renders the pages of the site into `sink`: all of them, or with `previous` (the keys of the
/// build whose output the sink holds) only those whose inputs changed. Returns every problem
/// and the keys of all pages the site now has.
pub fn render_site(
    input: RenderInput,
    options: &RenderOptions,
    previous: Option<&PageKeys>,
    sink: &dyn Sink,
) -> (Vec<Diagnostic>, PageKeys) {
    let RenderInput {
        site,
        bodies,
        keys,
        search,
    } = input;
    let config = options.config;
    let english = config.language == Language::En;
    let base = config.base_path();
    let title: &str = if config.title.is_empty() {
        if english {
            "Study journal"
        } else {
            "학습 일지"
        }
    } else {
        &config.title
    };
    let site_view = SiteView {
        title,
        description: config.description.as_deref(),
        author: config.author.as_deref(),
        lang: config.language.code(),
        base,
        root: config.absolute_root(),
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
        has_search: search.is_some(),
    };
    let ui = Ui::for_language(config.language);
    let mut common = vec![
        ("site", tera::Value::from_serializable(&site_view)),
        ("ui", tera::Value::from_serializable(&ui)),
    ];
    if site_view.has_search {
        let search_ui = serde_json::json!({
            "count": ui.search_count,
            "none": ui.search_none,
            "failed": ui.search_failed,
        })
        .to_string();
        common.push(("search_ui", tera::Value::from_serializable(&search_ui)));
    }
    let pages = Pages {
        views: Views::new(site, bodies, config),
        options,
        root: config.absolute_root(),
        ui,
        common,
        site_view,
        cards: site.entries.iter().map(|_| Default::default()).collect(),
    };
    let writer = Writer {
        previous,
        produced: Default::default(),
        sink,
    };
    // What every page depends on: configuration and theme, and the navigation's parts.
    let base = keys.global;
    let global = key(&(
        base,
        pages.site_view.has_notes,
        pages.site_view.has_about,
        pages.site_view.has_tags,
        pages.site_view.has_retro,
    ));
    let card_keys: Vec<u64> = keys.entries.iter().map(|keys| keys.card).collect();
    let cards_of = |ids: &mut dyn Iterator<Item = EntryId>| -> u64 {
        fingerprint_sequence(ids.map(|id| card_keys[id.0]))
    };

    // Entry pages, in parallel: the bulk of the work. Every page's key first (cheap), then
    // only the pages whose key changed are rendered.
    let daily: Vec<&Entry> = site.daily().collect();
    // Newest first: the older neighbour is the next one in the list.
    let older_and_newer = |entry: &Entry| -> (Option<&Entry>, Option<&Entry>) {
        // Daily entries come first in the site, so an entry's id is its place among them.
        let position = Some(entry.id.0).filter(|&index| {
            entry.kind == EntryKind::Daily
                && daily.get(index).is_some_and(|other| other.id == entry.id)
        });
        let older = position.and_then(|position| daily.get(position + 1).copied());
        let newer = position
            .filter(|&position| position > 0)
            .map(|position| daily[position - 1]);
        (older, newer)
    };
    // Every other page is made beside the entry pages (the bulk, made in parallel).
    let has_search = search.is_some();
    let entry_pages = || -> Vec<Diagnostic> {
        let entry_pages: Vec<(String, u64)> = site
            .entries
            .par_iter()
            .map(|entry| {
                let (older, newer) = older_and_newer(entry);
                let series_days = entry
                    .series
                    .map(|day| &site.series[day.series.0].days[..])
                    .unwrap_or(&[]);
                let page_key = key(&(
                    global,
                    keys.content[entry.id.0],
                    card_keys[entry.id.0],
                    keys.entries[entry.id.0].own,
                    older.map(|other| card_keys[other.id.0]),
                    newer.map(|other| card_keys[other.id.0]),
                    cards_of(&mut entry.related.iter().copied()),
                    series_days
                        .iter()
                        .map(|(day, id)| (*day, card_keys[id.0]))
                        .collect::<Vec<_>>(),
                ));
                (format!("{}index.html", entry.path), page_key)
            })
            .collect();
        let wanted = writer.wants_all(&entry_pages);
        wanted
            .par_iter()
            .filter_map(|&index| {
                let entry = &site.entries[index];
                let (older, newer) = older_and_newer(entry);
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
                writer.write(
                    &entry_pages[index].0,
                    pages.options.theme.render(template, &context),
                )
            })
            .collect()
    };
    let other_pages = || -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        // The index's update is mostly one thread's work: it goes first, so the entry pages
        // keep the other thread busy meanwhile.
        let index = search.map(|search| {
            (search.update)(&mut *search.index);
            &*search.index
        });
        // Home, with the year's heatmap and the streak.
        let daily_cards = cards_of(&mut daily.iter().map(|entry| entry.id));
        // The heatmap shades each day by the characters written.
        let characters: Vec<usize> = daily.iter().map(|entry| entry.characters).collect();
        diagnostics.extend(writer.page(
            "index.html",
            key(&(global, daily_cards, characters)),
            || {
                let recent: Vec<tera::Value> = daily
                    .iter()
                    .take(config.home_entries)
                    .map(|entry| pages.card(entry))
                    .collect();
                let mut context = pages.context(title, "");
                context.insert("entries", &recent);
                context.insert("total", &daily.len());
                if let Some(study) = study_view(&pages, site) {
                    context.insert("study", &study);
                }
                options.theme.render("index.html", &context)
            },
        ));

        // Archive: everything by year and month, and a page per month.
        let months = by_month(site);
        let written = study::written_days(site);
        let archive_wanted = writer.wants(
            &format!("{}index.html", routes::ARCHIVE),
            key(&(global, daily_cards)),
        );
        let mut years: Vec<YearView> = Vec::new();
        for ((year, month), ids) in months.iter().rev() {
            let path = routes::archive_month(*year, *month);
            let month_key = key(&(global, cards_of(&mut ids.iter().copied())));
            let month_wanted = writer.wants(&format!("{path}index.html"), month_key);
            if !(month_wanted || archive_wanted) {
                continue;
            }
            let month_view = MonthView {
                year: *year,
                month: *month,
                name: date::month_name(*year, *month, english),
                url: pages.url(&path),
                count: ids.len(),
                entries: ids.iter().map(|id| pages.card(site.entry(*id))).collect(),
                calendar: if month_wanted {
                    month_calendar(&pages, site, &written, *year, *month)
                } else {
                    Vec::new()
                },
            };
            if month_wanted {
                let mut context = pages.context(&month_view.name, &path);
                context.insert("month", &month_view);
                diagnostics.extend(writer.write(
                    &format!("{path}index.html"),
                    options.theme.render("month.html", &context),
                ));
            }
            // The archive index lists months, not their calendars.
            let month_view = MonthView {
                calendar: Vec::new(),
                ..month_view
            };
            match years.last_mut() {
                Some(last) if last.year == *year => {
                    last.count += month_view.count;
                    last.months.push(month_view);
                }
                _ => years.push(YearView {
                    year: *year,
                    count: month_view.count,
                    months: vec![month_view],
                }),
            }
        }
        if archive_wanted {
            let mut context = pages.context(pages.ui.archive, routes::ARCHIVE);
            context.insert("years", &years);
            context.insert("total", &daily.len());
            diagnostics.extend(writer.write(
                "archive/index.html",
                options.theme.render("archive.html", &context),
            ));
        }

        // The retrospective.
        // One page a year (the newest at /retro/): a long journal's retrospective would be one huge page.
        if pages.site_view.has_retro {
            let retro_key = key(&(
                global,
                daily
                    .iter()
                    .map(|entry| keys.entries[entry.id.0].retro)
                    .collect::<Vec<u64>>(),
            ));
            let mut years: Vec<i16> = daily
                .iter()
                .filter(|entry| !(entry.kpt.is_empty() && entry.goals.is_empty()))
                .filter_map(|entry| {
                    entry
                        .date
                        .filter(|d| d.precision == date::Precision::Day)
                        .map(|d| d.date.year())
                })
                .collect();
            years.dedup();
            let paths: Vec<String> = years
                .iter()
                .enumerate()
                .map(|(index, year)| routes::retro_year(*year, index == 0))
                .collect();
            let wanted: Vec<bool> = paths
                .iter()
                .map(|path| writer.wants(&format!("{path}index.html"), retro_key))
                .collect();
            if wanted.contains(&true)
                && let Some((months, not_yet, unchecked)) = retro_view(&pages, site)
            {
                let year_links: Vec<(i16, String)> = years
                    .iter()
                    .zip(&paths)
                    .map(|(year, path)| (*year, pages.url(path)))
                    .collect();
                for ((year, path), _) in years.iter().zip(&paths).zip(&wanted).filter(|(_, w)| **w)
                {
                    let mut context = pages.context(pages.ui.retro, path);
                    context.insert("year", year);
                    context.insert("years", &year_links);
                    context.insert("months", &of_year(&months, *year, |m| m.year));
                    context.insert("not_yet_tried", &of_year(&not_yet, *year, |i| i.year));
                    context.insert("unchecked_goals", &of_year(&unchecked, *year, |g| g.year));
                    diagnostics.extend(writer.write(
                        &format!("{path}index.html"),
                        options.theme.render("retro.html", &context),
                    ));
                }
            }
        }

        // Notes by folder.
        let note_folders = notes_by_folder(site);
        if !note_folders.is_empty() {
            let notes_key = key(&(
                global,
                site.notes()
                    .map(|entry| (card_keys[entry.id.0], &entry.folder))
                    .collect::<Vec<_>>(),
            ));
            diagnostics.extend(writer.page("notes/index.html", notes_key, || {
                let folders: Vec<FolderView> = note_folders
                    .iter()
                    .map(|(folder, ids)| FolderView {
                        folder,
                        entries: ids.iter().map(|id| pages.card(site.entry(*id))).collect(),
                    })
                    .collect();
                let mut context = pages.context(pages.ui.notes, routes::NOTES);
                context.insert("folders", &folders);
                options.theme.render("notes.html", &context)
            }));
        }

        // 404, feed, sitemap, robots, .nojekyll, styles.
        diagnostics.extend(writer.page("404.html", global, || {
            let context = pages.context(pages.ui.not_found, "404.html");
            options.theme.render("404.html", &context)
        }));

        let feed_key = key(&(
            global,
            daily
                .iter()
                .take(FEED_ITEMS)
                .map(|entry| (card_keys[entry.id.0], keys.content[entry.id.0]))
                .collect::<Vec<_>>(),
        ));
        diagnostics.extend(writer.page("atom.xml", feed_key, || {
            pages.feed(title, "atom.xml", &daily, None)
        }));

        // Series: a page per course, its days in order.
        for series in &site.series {
            let path = routes::series(&series.slug);
            let series_key = key(&(
                global,
                &series.name,
                series
                    .days
                    .iter()
                    .map(|(day, id)| (*day, card_keys[id.0]))
                    .collect::<Vec<_>>(),
            ));
            diagnostics.extend(writer.page(&format!("{path}index.html"), series_key, || {
                let days: Vec<(u32, tera::Value)> = series
                    .days
                    .iter()
                    .map(|(day, id)| (*day, pages.card(site.entry(*id))))
                    .collect();
                let mut context = pages.context(&series.name, &path);
                context.insert("series_name", &series.name);
                context.insert("days", &days);
                options.theme.render("series.html", &context)
            }));
        }

        // The sitemap lists paths and dates only: part of the site's structure.
        let structure = key(&(global, structure_key(site, keys.entries)));
        diagnostics.extend(writer.page("sitemap.xml", structure, || {
            let mut urls = vec![SitemapUrl {
                loc: format!("{}/", pages.root),
                lastmod: daily
                    .first()
                    .and_then(|e| e.date)
                    .map(|d| d.date.to_string()),
            }];
            urls.push(SitemapUrl {
                loc: format!("{}/{}", pages.root, routes::ARCHIVE),
                lastmod: None,
            });
            for (year, month) in months.keys() {
                urls.push(SitemapUrl {
                    loc: format!("{}/{}", pages.root, routes::archive_month(*year, *month)),
                    lastmod: None,
                });
            }
            let absolute = |path: &str| format!("{}/{}", pages.root, encode_path(path));
            let listed = site.tags.iter().map(|tag| routes::tag(&tag.slug));
            let listed = listed.chain(
                site.series
                    .iter()
                    .map(|series| routes::series(&series.slug)),
            );
            let listed = listed.chain((!site.tags.is_empty()).then(|| routes::TAGS.to_string()));
            let listed = listed.chain(pages.site_view.has_retro.then(|| routes::RETRO.to_string()));
            for path in listed {
                urls.push(SitemapUrl {
                    loc: absolute(&path),
                    lastmod: None,
                });
            }
            if !note_folders.is_empty() {
                urls.push(SitemapUrl {
                    loc: format!("{}/notes/", pages.root),
                    lastmod: None,
                });
            }
            for entry in &site.entries {
                urls.push(SitemapUrl {
                    loc: format!("{}/{}", pages.root, encode_path(&entry.path)),
                    lastmod: entry
                        .date
                        .filter(|d| d.precision == Precision::Day)
                        .map(|d| d.date.to_string()),
                });
            }
            let mut context = pages.context(title, "sitemap.xml");
            context.insert("urls", &urls);
            options.theme.render("sitemap.xml", &context)
        }));

        diagnostics.extend(writer.page("robots.txt", base, || {
            Ok(format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
                pages.root
            )
            .into_bytes())
        }));
        diagnostics.extend(writer.page(".nojekyll", base, || Ok(Vec::new())));
        if let Some(domain) = config
            .cname
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            diagnostics
                .extend(writer.page("CNAME", base, || Ok(format!("{domain}\n").into_bytes())));
        }
        for (path, contents) in STATIC_FILES {
            if path == "static/search.js" && !has_search {
                continue;
            }
            diagnostics.extend(writer.page(path, base, || Ok(contents.as_bytes().to_vec())));
        }
        diagnostics.extend(writer.page("static/syntax.css", base, || {
            Ok(options.syntax_css.as_bytes().to_vec())
        }));
        // Tag pages and the search files are many and made in parallel: last, so that both
        // threads share them once the entry pages are done.
        diagnostics.extend(render_tags(&pages, site, &writer, global, keys.entries));
        if let Some(index) = index {
            diagnostics.extend(render_search(&pages, site, keys, index, &writer, global));
        }
        diagnostics
    };
    let (mut diagnostics, others) = rayon::join(entry_pages, other_pages);
    diagnostics.extend(others);
    let produced = writer.produced.into_inner().expect("no writer panicked");
    (diagnostics, produced)
}

/// The search page and the index: its meta file, its chunks, and each entry's text.
fn render_search(
    pages: &Pages,
    site: &Site,
    keys: &Keys,
    index: &crate::search::Index,
    writer: &Writer,
    global: u64,
) -> Vec<Diagnostic> {
    use crate::search::{FOLDER, Fragment};
    let mut diagnostics = Vec::new();
    let path = format!("{FOLDER}/");
    diagnostics.extend(writer.page(&format!("{path}index.html"), global, || {
        let context = pages.context(pages.ui.search, &path);
        pages.options.theme.render("search.html", &context)
    }));
    let count = site.entries.len();
    // Entries oldest first: the numbers the index gives them.
    let fragments: Vec<(String, u64)> = (0..count)
        .map(|number| {
            let entry = &site.entries[count - 1 - number];
            (
                format!("{FOLDER}/doc/{number}.json.gz"),
                fingerprint_sequence([
                    global,
                    keys.content[entry.id.0],
                    keys.entries[entry.id.0].search(),
                ]),
            )
        })
        .collect();
    let wanted = writer.wants_all(&fragments);
    diagnostics.extend(
        wanted
            .par_iter()
            .filter_map(|&number| {
                let entry = &site.entries[count - 1 - number];
                let fragment = Fragment {
                    url: pages.url(&entry.path),
                    title: &entry.title,
                    date: pages.views.dates(entry).1,
                    tags: entry
                        .tags
                        .iter()
                        .map(|tag| site.tags[tag.tag.0].slug.as_str())
                        .collect(),
                    passages: &pages.views.bodies[entry.id.0].passages,
                };
                writer.write(&fragments[number].0, Ok(fragment.to_gzip_json()))
            })
            .collect::<Vec<_>>(),
    );
    let chunks = index.chunks();
    let files: Vec<(String, u64)> = chunks
        .iter()
        .map(|chunk| (format!("{FOLDER}/index/{}.bin", chunk.name), chunk.key))
        .collect();
    let wanted = writer.wants_all(&files);
    diagnostics.extend(
        wanted
            .par_iter()
            .filter_map(|&place| writer.write(&files[place].0, Ok(index.encode(&chunks[place]))))
            .collect::<Vec<_>>(),
    );
    let (meta, meta_key) = index.meta(&chunks);
    diagnostics.extend(writer.page(&format!("{FOLDER}/meta.json"), meta_key, || Ok(meta)));
    diagnostics
}

/// The items of one year, for that year's retrospective page.
fn of_year<T>(items: &[T], year: i16, year_of: impl Fn(&T) -> i16) -> Vec<&T> {
    items.iter().filter(|item| year_of(item) == year).collect()
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
