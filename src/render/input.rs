//! What the render stage is given: the model and bodies, the fingerprints, the options, the
//! search index to update, and the `Sink` pages go to. Apart from `mod.rs`, so the steps that
//! take them import this file and `mod.rs` alone imports the steps.

use crate::config::Config;
use crate::model::Site;
use crate::parse::Body;
use crate::render::keys::Keys;
use crate::render::theme::Theme;

/// Where pages go. Implementations must accept writes from several threads.
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;
}

pub struct RenderOptions<'a> {
    pub config: &'a Config,
    pub theme: &'a Theme,
    /// Stylesheet for code, generated from the configured themes.
    pub syntax_css: &'a str,
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
