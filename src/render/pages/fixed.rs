//! The pages and files every site has whatever its journal holds: the 404 page, robots.txt,
//! .nojekyll, CNAME, and the theme's stylesheets and script.

use crate::diagnostic::Diagnostic;
use crate::render::context::PageContext;
use crate::render::theme::STATIC_FILES;

/// How many of the newest entries the 404 page offers.
const NOT_FOUND_ENTRIES: usize = 5;

/// The 404 page: the search box and the newest entries, for a reader whose link went stale.
pub(in crate::render) fn render_not_found(pages: &PageContext) -> Option<Diagnostic> {
    let newest = pages.daily.iter().take(NOT_FOUND_ENTRIES);
    let key = crate::model::fingerprint(&(
        pages.global,
        pages.cards_of(newest.clone().map(|entry| entry.id)),
    ));
    pages.writer.page("404.html", key, || {
        let mut context = pages.context(pages.ui.not_found, "404.html");
        let entries: Vec<tera::Value> = newest.map(|entry| pages.card(entry)).collect();
        context.insert("entries", &entries);
        pages.render("404.html", &context)
    })
}

pub(in crate::render) fn render(pages: &PageContext) -> Vec<Diagnostic> {
    let writer = &pages.writer;
    // These depend on the configuration and theme alone, not on the navigation.
    let base = pages.keys.global;
    let mut diagnostics = Vec::new();
    diagnostics.extend(writer.page("robots.txt", base, || {
        Ok(format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            pages.absolute_url("sitemap.xml")
        )
        .into_bytes())
    }));
    diagnostics.extend(writer.page(".nojekyll", base, || Ok(Vec::new())));
    if let Some(domain) = pages
        .options
        .config
        .cname
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        diagnostics.extend(writer.page("CNAME", base, || Ok(format!("{domain}\n").into_bytes())));
    }
    for (path, contents) in STATIC_FILES {
        if path == "static/search.js" && !pages.site_view.has_search {
            continue;
        }
        diagnostics.extend(writer.page(path, base, || Ok(contents.to_vec())));
    }
    diagnostics.extend(writer.page("static/syntax.css", base, || {
        Ok(pages.options.syntax_css.as_bytes().to_vec())
    }));
    diagnostics
}
