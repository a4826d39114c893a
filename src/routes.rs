//! The site's own addresses: every folder the site writes pages into is named here once, and
//! the journal's pages may not take any of them (`RESERVED`). A page path is relative to the
//! site's root and ends with `/`; its file is `{path}index.html`.
//!
//! Before this module, `tags/{slug}/` was formatted in four places and the reserved list missed
//! `retro/` and `series/`, so a note `content/retro.md` failed the build.

pub(crate) const ARCHIVE: &str = "archive/";
pub(crate) const NOTES: &str = "notes/";
pub(crate) const TAGS: &str = "tags/";
pub(crate) const SEARCH: &str = "search/";
pub(crate) const RETRO: &str = "retro/";
pub(crate) const SERIES: &str = "series/";
pub(crate) const STATIC: &str = "static/";

/// Top-level page paths the journal's files may not take: the site's folders, and the names of
/// its root files as folders (`404/`, `index/`).
pub(crate) const RESERVED: [&str; 9] = [
    ARCHIVE, NOTES, STATIC, TAGS, SEARCH, "404/", "index/", RETRO, SERIES,
];

/// Files the site writes at its root. A journal's file of the same name (a Jekyll blog's
/// `index.html`, its `robots.txt`) is left out of the site: haru's pages always win.
pub(crate) const ROOT_FILES: [&str; 7] = [
    "index.html",
    "404.html",
    "robots.txt",
    "sitemap.xml",
    "atom.xml",
    ".nojekyll",
    "CNAME",
];

/// Whether a journal's file at `relative` would land where the site writes one of its own:
/// a root file, or a page (`{page}index.html`) of the journal or of the site's folders.
pub(crate) fn is_taken(relative: &str, journal_pages: &std::collections::HashSet<&str>) -> bool {
    if ROOT_FILES.contains(&relative) {
        return true;
    }
    let Some(page) = relative.strip_suffix("index.html") else {
        return false;
    };
    journal_pages.contains(page) || RESERVED.iter().any(|folder| page.starts_with(folder))
}

/// A tag's page: `tags/s3/`.
pub(crate) fn tag(slug: &str) -> String {
    format!("{TAGS}{slug}/")
}

/// Page `number` of a tag's entries (from 1): the tag's page itself, then
/// `tags/ec2/page/2/`, as Zola's and Hugo's paginators name them.
pub(crate) fn tag_page(slug: &str, number: usize) -> String {
    match number {
        0 | 1 => tag(slug),
        _ => format!("{TAGS}{slug}/page/{number}/"),
    }
}

/// A course series' page: `series/architecting-on-aws/`.
pub(crate) fn series(slug: &str) -> String {
    format!("{SERIES}{slug}/")
}

/// A month of the archive: `archive/2026/01/`.
pub(crate) fn archive_month(year: i16, month: i8) -> String {
    format!("{ARCHIVE}{year}/{month:02}/")
}

/// A year of the retrospective; the newest year is `retro/` itself.
pub(crate) fn retro_year(year: i16, newest: bool) -> String {
    if newest {
        RETRO.to_string()
    } else {
        format!("{RETRO}{year}/")
    }
}

/// An entry's text for the search page's snippets, by its number in the index (oldest first).
/// `static/search.js` asks for `search/doc/`, `search/index/` and `search/meta.json`.
pub(crate) fn search_document(number: usize) -> String {
    format!("{SEARCH}doc/{number}.json.gz")
}

/// A chunk of the search index.
pub(crate) fn search_chunk(name: &str) -> String {
    format!("{SEARCH}index/{name}.bin")
}

/// The index's table of chunks and its stamp.
/// A picture's smaller WebP copy, named by the picture's content hash and the copy's width.
pub(crate) fn image_copy(hash: u64, width: u32) -> String {
    format!("{STATIC}images/{hash:016x}-{width}.webp")
}

pub(crate) fn search_meta() -> String {
    format!("{SEARCH}meta.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_folder_the_site_makes_is_reserved() {
        for path in [
            tag("s3"),
            series("x"),
            archive_month(2026, 1),
            retro_year(2025, false),
            retro_year(2026, true),
            NOTES.to_string(),
            SEARCH.to_string(),
        ] {
            let top = format!("{}/", path.split('/').next().unwrap());
            assert!(RESERVED.contains(&top.as_str()), "{path}");
        }
        assert_eq!(archive_month(2026, 1), "archive/2026/01/");
    }
}
