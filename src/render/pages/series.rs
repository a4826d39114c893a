//! A page per course series, its days in order.

use crate::diagnostic::Diagnostic;
use crate::model::fingerprint as key;
use crate::render::context::PageContext;
use crate::routes;

pub(in crate::render) fn render(pages: &PageContext) -> Vec<Diagnostic> {
    let site = pages.site;
    let mut diagnostics = Vec::new();
    for series in &site.series {
        let path = routes::series(&series.slug);
        let series_key = key(&(
            pages.global,
            &series.name,
            series
                .days
                .iter()
                .map(|(day, id)| (*day, pages.card_keys[id.0]))
                .collect::<Vec<_>>(),
        ));
        diagnostics.extend(
            pages
                .writer
                .page(&format!("{path}index.html"), series_key, || {
                    let days: Vec<(u32, tera::Value)> = series
                        .days
                        .iter()
                        .map(|(day, id)| (*day, pages.card(site.entry(*id))))
                        .collect();
                    let mut context = pages.context(&series.name, &path);
                    context.insert("series_name", &series.name);
                    context.insert("days", &days);
                    pages.render("series.html", &context)
                }),
        );
    }
    diagnostics
}
