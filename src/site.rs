//! Assembling parsed files into the `Site`: page paths settled, 7-digit typo dates repaired
//! from the rest of the journal, entries ordered (newest first) and numbered.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::date::{DateSource, Precision, repair_missing_digit};
use crate::diagnostic::Diagnostic;
use crate::model::{EntryDate, EntryId, EntryKind, Site};
use crate::parse::{Body, Parsed, page_path};

/// Top-level page paths that belong to the site itself.
const RESERVED: [&str; 7] = [
    "archive/", "notes/", "static/", "tags/", "search/", "404/", "index/",
];

/// Page paths for every source, unique: a collision gets `-2`, `-3`… in path order.
pub fn page_paths(sources: &[String]) -> HashMap<String, String> {
    let mut taken: HashSet<String> = RESERVED.iter().map(|path| path.to_string()).collect();
    let mut pages = HashMap::new();
    let mut sorted: Vec<&String> = sources.iter().collect();
    sorted.sort();
    // The about page keeps its path whatever else is there.
    for source in &sorted {
        let path = page_path(source);
        if path == "about/" {
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
    /// Rendered bodies, indexed by `EntryId`.
    pub bodies: Vec<Body>,
}

/// `display_prefix` is how messages name the content folder (`content/`).
pub fn assemble(
    parsed: Vec<Parsed>,
    drafts: bool,
    display_prefix: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Assembled {
    let mut years: Vec<i16> = parsed
        .iter()
        .filter_map(|p| p.entry.date.map(|d| d.date.year()))
        .collect();
    years.sort_unstable();
    let typical_year = years.get(years.len() / 2).copied().unwrap_or(2025);

    let mut items: Vec<(crate::model::Entry, Body)> = Vec::with_capacity(parsed.len());
    for mut parsed in parsed {
        diagnostics.append(&mut parsed.diagnostics);
        if let Some((digits, month, day)) = parsed.missing_digit.take() {
            match repair_missing_digit(&digits, month, day, typical_year) {
                Some(date) => {
                    parsed.entry.date = Some(EntryDate {
                        date,
                        precision: Precision::Day,
                        source: DateSource::FileName,
                    });
                    diagnostics.push(
                        Diagnostic::warning(
                            std::path::PathBuf::from(format!(
                                "{display_prefix}{}",
                                parsed.entry.source
                            )),
                            format!("file name date `{digits}` has 7 digits; read as {date}"),
                        )
                        .with_hint("rename the file with an 8-digit date (YYYYMMDD)"),
                    );
                }
                None => parsed.entry.kind = EntryKind::Note,
            }
        }
        if parsed.entry.draft && !drafts {
            continue;
        }
        items.push((parsed.entry, parsed.body));
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
    let mut bodies = Vec::with_capacity(items.len());
    for (index, (mut entry, body)) in items.into_iter().enumerate() {
        entry.id = EntryId(index);
        site.entries.push(entry);
        bodies.push(body);
    }
    Assembled { site, bodies }
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
