//! Bringing the search index up to date with the site: each entry known by its text, title
//! and tags, and every name its tags go by.

use std::collections::HashMap;

use crate::model::Site;
use crate::parse::Body;
use crate::render::EntryKeys;
use crate::search;
use crate::tags;

pub(super) fn update_search(
    index: &mut search::Index,
    site: &Site,
    bodies: &[&Body],
    content: &[u64],
    entry_keys: &[EntryKeys],
    catalogue: &tags::Catalogue,
) {
    let count = site.entries.len();
    let entry_of = |number: usize| &site.entries[count - 1 - number];
    let tags_of = |entry: &crate::model::Entry| -> Vec<(&str, &str, bool)> {
        entry
            .tags
            .iter()
            .map(|tag| {
                let model = &site.tags[tag.tag.0];
                (model.slug.as_str(), model.short.as_str(), tag.primary)
            })
            .collect()
    };
    let keys: Vec<u64> = (0..count)
        .map(|number| {
            let id = entry_of(number).id.0;
            crate::model::fingerprint_sequence([content[id], entry_keys[id].search()])
        })
        .collect();
    let services: HashMap<&str, &tags::Service> = catalogue
        .services
        .iter()
        .map(|service| (service.slug.as_str(), service))
        .collect();
    // Every name a tag goes by, for queries like `Simple Queue Service`.
    let aliases: Vec<(String, Vec<String>)> = site
        .tags
        .iter()
        .map(|tag| {
            let mut names: Vec<String> = [&tag.slug, &tag.short, &tag.name]
                .into_iter()
                .chain(
                    services
                        .get(tag.slug.as_str())
                        .into_iter()
                        .flat_map(|s| &s.aliases),
                )
                .map(|name| name.to_lowercase())
                .collect();
            names.sort();
            names.dedup();
            (tag.slug.clone(), names)
        })
        .collect();
    index.update(
        &keys,
        |number| {
            let entry = entry_of(number);
            search::document_terms(&search::DocumentText {
                title: &entry.title,
                tags: tags_of(entry),
                passages: &bodies[entry.id.0].passages,
            })
        },
        aliases,
    );
}
