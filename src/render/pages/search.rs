//! The search page and the files its script reads: the index's meta file and chunks, and
//! each entry's text.

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::model::fingerprint_sequence;
use crate::render::context::PageContext;
use crate::routes;

/// The search page and the index: its meta file, its chunks, and each entry's text.
pub(in crate::render) fn render(
    pages: &PageContext,
    index: &crate::search::Index,
) -> Vec<Diagnostic> {
    let (site, keys, writer, global) = (pages.site, pages.keys, &pages.writer, pages.global);
    use crate::search::Fragment;
    let mut diagnostics = Vec::new();
    let path = routes::SEARCH;
    diagnostics.extend(writer.page(&format!("{path}index.html"), global, || {
        let context = pages.context(pages.ui.search, path);
        pages.render("search.html", &context)
    }));
    let count = site.entries.len();
    // Entries oldest first: the numbers the index gives them.
    let fragments: Vec<(String, u64)> = (0..count)
        .map(|number| {
            let entry = &site.entries[count - 1 - number];
            (
                routes::search_document(number),
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
        .map(|chunk| (routes::search_chunk(&chunk.name), chunk.key))
        .collect();
    let wanted = writer.wants_all(&files);
    diagnostics.extend(
        wanted
            .par_iter()
            .filter_map(|&place| writer.write(&files[place].0, Ok(index.encode(&chunks[place]))))
            .collect::<Vec<_>>(),
    );
    let (meta, meta_key) = index.meta(&chunks);
    diagnostics.extend(writer.page(&routes::search_meta(), meta_key, || Ok(meta)));
    diagnostics
}
