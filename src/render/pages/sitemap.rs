//! The sitemap: every page's address, and the date of those that have one. It lists the
//! site's whole shape, so its key is the structure key.

use serde::Serialize;

use crate::date::Precision;
use crate::diagnostic::Diagnostic;
use crate::model::fingerprint as key;
use crate::render::context::PageContext;
use crate::render::keys::structure_key;
use crate::routes;
use crate::site::by_month;

pub(in crate::render) fn render(pages: &PageContext) -> Option<Diagnostic> {
    let site = pages.site;
    let structure = key(&(pages.global, structure_key(site, pages.keys.entries)));
    pages.writer.page("sitemap.xml", structure, || {
        let absolute = |path: &str| pages.absolute_url(path);
        let mut urls = vec![SitemapUrl {
            loc: absolute(""),
            lastmod: pages
                .daily
                .first()
                .and_then(|e| e.date)
                .map(|d| d.date.to_string()),
        }];
        urls.push(SitemapUrl {
            loc: absolute(routes::ARCHIVE),
            lastmod: None,
        });
        for (year, month) in by_month(site).keys() {
            urls.push(SitemapUrl {
                loc: absolute(&routes::archive_month(*year, *month)),
                lastmod: None,
            });
        }
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
        if site.notes().next().is_some() {
            urls.push(SitemapUrl {
                loc: absolute(routes::NOTES),
                lastmod: None,
            });
        }
        for entry in &site.entries {
            urls.push(SitemapUrl {
                loc: absolute(&entry.path),
                lastmod: entry
                    .date
                    .filter(|d| d.precision == Precision::Day)
                    .map(|d| d.date.to_string()),
            });
        }
        let mut context = pages.context(pages.title, "sitemap.xml");
        context.insert("urls", &urls);
        pages.render("sitemap.xml", &context)
    })
}

#[derive(Serialize)]
pub(in crate::render) struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}
