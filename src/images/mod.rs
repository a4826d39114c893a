//! The journal's pictures, as pages show them: each image's size, read from its file, so a
//! page keeps its layout while images load (`width`/`height`), and the smaller copies a phone
//! downloads instead of a 2,000-pixel screenshot.
//!
//! Steps: `size` reads each image's header when the content folder is walked (a few bytes a
//! file); `variants` makes the smaller WebP copies of big screenshots, once, into the cache;
//! the markdown renderer looks both up by content path, and the site copies the variants in
//! beside the journal's own files.

mod size;
mod variants;

pub(crate) use size::Size;
pub(crate) use variants::Variant;

use std::collections::HashMap;
use std::path::Path;

use crate::load::Asset;

/// A picture of the journal as pages show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Picture {
    pub(crate) size: Size,
    /// Its smaller copies, narrowest first; none for a small picture.
    pub(crate) variants: Vec<Variant>,
}

/// The journal's pictures by content path (`/`-separated, relative to the content folder).
pub(crate) type Pictures = HashMap<String, Picture>;

/// Every picture among `assets` whose header can be read, with its copies made in (or found
/// in) `folder` when there is one (`haru check` and `haru inspect` need sizes only).
pub(crate) fn survey(assets: &[Asset], folder: Option<&Path>) -> Pictures {
    let sizes = size::sizes_of(assets);
    let mut variants: HashMap<String, Vec<Variant>> = match folder {
        Some(folder) => variants::variants_of(assets, &sizes, folder)
            .into_iter()
            .collect(),
        None => HashMap::new(),
    };
    sizes
        .into_iter()
        .map(|(relative, size)| {
            let variants = variants.remove(&relative).unwrap_or_default();
            (relative, Picture { size, variants })
        })
        .collect()
}
