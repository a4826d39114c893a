//! The notes page: every entry that is not a daily one, by folder.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::fingerprint as key;
use crate::render::context::PageContext;
use crate::routes;
use crate::site::notes_by_folder;

pub(in crate::render) fn render(pages: &PageContext) -> Option<Diagnostic> {
    let site = pages.site;
    let note_folders = notes_by_folder(site);
    if note_folders.is_empty() {
        return None;
    }
    let notes_key = key(&(
        pages.global,
        site.notes()
            .map(|entry| (pages.card_keys[entry.id.0], &entry.folder))
            .collect::<Vec<_>>(),
    ));
    pages.writer.page("notes/index.html", notes_key, || {
        let folders: Vec<FolderView> = note_folders
            .iter()
            .map(|(folder, ids)| FolderView {
                folder,
                entries: ids.iter().map(|id| pages.card(site.entry(*id))).collect(),
            })
            .collect();
        let mut context = pages.context(pages.ui.notes, routes::NOTES);
        context.insert("folders", &folders);
        pages.render("notes.html", &context)
    })
}

#[derive(Serialize)]
pub(in crate::render) struct FolderView<'a> {
    folder: &'a str,
    entries: Vec<tera::Value>,
}
