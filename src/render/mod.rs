//! The site's pages through Tera: the theme, what each template receives, and every page
//! the site has (home, entries, archive, notes, tags, series, retrospective, search, feeds,
//! sitemap, 404, robots).
//!
//! The default theme is embedded in the binary so `haru` works from any folder; a journal's
//! own `templates/x.html` replaces that one template. Pages are produced in parallel and handed
//! to a `Sink` as they are made, so the whole site never sits in memory at once. The steps:
//! `keys` fingerprints what each page is made from, `context` gathers what every page needs,
//! `views` shapes the model for templates, `pages/*` make one page kind each, and `writer`
//! writes only what changed.

mod context;
mod input;
mod keys;
mod pages;
mod theme;
mod views;
mod writer;

use crate::diagnostic::Diagnostic;
use context::{ContextInput, PageContext};

pub use input::{RenderInput, RenderOptions, SearchUpdate, Sink};
pub use keys::{EntryKeys, Keys, PageKeys, Produced, entry_keys};
pub use theme::Theme;
pub use views::entry_json;

/// Renders the pages of the site into `sink`: all of them, or with `previous` (the keys of the
/// build whose output the sink holds) only those whose inputs changed. Returns every problem
/// and the keys of all pages the site now has (with how many of `previous`' it lost).
pub fn render_site(
    input: RenderInput,
    options: &RenderOptions,
    previous: Option<&PageKeys>,
    sink: &dyn Sink,
) -> (Vec<Diagnostic>, Produced) {
    let RenderInput {
        site,
        bodies,
        keys,
        search,
    } = input;
    let pages = PageContext::new(ContextInput {
        site,
        bodies,
        keys,
        options,
        has_search: search.is_some(),
        previous,
        sink,
    });
    // Every other page is made beside the entry pages (the bulk, made in parallel).
    let (mut diagnostics, others) = rayon::join(
        || pages::entry::render(&pages),
        || other_pages(&pages, search),
    );
    diagnostics.extend(others);
    (diagnostics, pages.writer.into_produced())
}

fn other_pages(pages: &PageContext, search: Option<SearchUpdate>) -> Vec<Diagnostic> {
    // The index's update is mostly one thread's work: it goes first, so the entry pages keep
    // the other thread busy meanwhile.
    let index = search.map(|search| {
        (search.update)(&mut *search.index);
        &*search.index
    });
    let mut diagnostics = Vec::new();
    diagnostics.extend(pages::home::render(pages));
    diagnostics.extend(pages::archive::render(pages));
    diagnostics.extend(pages::retro::render(pages));
    diagnostics.extend(pages::notes::render(pages));
    diagnostics.extend(pages::fixed::render_not_found(pages));
    diagnostics.extend(pages::feed::render(pages));
    diagnostics.extend(pages::series::render(pages));
    diagnostics.extend(pages::sitemap::render(pages));
    diagnostics.extend(pages::fixed::render(pages));
    // Tag pages and the search files are many and made in parallel: last, so that both
    // threads share them once the entry pages are done.
    diagnostics.extend(pages::tags::render(pages));
    if let Some(index) = index {
        diagnostics.extend(pages::search::render(pages, index));
    }
    diagnostics
}
