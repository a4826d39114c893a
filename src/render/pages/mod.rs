//! Every page the site has, one module a page kind; each takes the one `PageContext` and writes
//! through its writer, so a rebuild makes only the pages whose inputs changed.

pub(super) mod archive;
pub(super) mod entry;
pub(super) mod feed;
pub(super) mod fixed;
pub(super) mod home;
pub(super) mod notes;
pub(super) mod retro;
pub(super) mod search;
pub(super) mod series;
pub(super) mod sitemap;
pub(super) mod tags;
