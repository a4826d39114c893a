//! The model of the site for this build: the last one with the changed entries replaced in
//! place when the site keeps its shape (same files, dates, tags and series), else assembled
//! anew from every parsed file.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::journal::Journal;
use crate::model::{EntryId, Site, TagId};
use crate::parse::{Parsed, TagKey};
use crate::render::{self, EntryKeys};
use crate::site;

use super::files::{Files, Shape, Walked};

/// The site's model and what the engine keeps beside it.
#[derive(Default)]
pub(super) struct Model {
    pub(super) site: Site,
    pub(super) tag_ids: HashMap<TagKey, TagId>,
    /// Each entry's place (by `EntryId`) in the walk's sources and `Files::parsed`.
    pub(super) slots: Vec<usize>,
    /// Each entry's fingerprints (by `EntryId`), made again only for entries that changed.
    pub(super) entry_keys: Vec<EntryKeys>,
}

/// What assembling needs besides the files.
pub(super) struct AssembleInput<'a> {
    pub(super) journal: &'a Journal,
    pub(super) drafts: bool,
    pub(super) walked: Walked,
    pub(super) shape: Shape,
}

/// Patches the last build's model, or assembles a new one; parse errors and the site's own
/// problems (two entries on one page…) go to `diagnostics`.
pub(super) fn assemble(
    files: &Files,
    last_model: Option<&mut Model>,
    input: AssembleInput,
    diagnostics: &mut Diagnostics,
) -> Model {
    let mut problems = Vec::new();
    let mut ordered: Vec<&Parsed> = Vec::with_capacity(files.parsed.len());
    let mut ordered_slots: Vec<usize> = Vec::with_capacity(files.parsed.len());
    for (slot, cached) in files.parsed.iter().enumerate() {
        match &cached.as_ref().expect("every source parsed").parsed {
            Ok(parsed) => {
                ordered.push(parsed);
                ordered_slots.push(slot);
            }
            Err(diagnostic) => problems.push(diagnostic.clone()),
        }
    }
    let shape = &input.shape;
    let model = match last_model {
        Some(previous) if shape.replaceable || (shape.unchanged && problems.is_empty()) => {
            let model = patch(files, previous, input.walked, shape);
            // Warnings are reported on every build, the unchanged files' too.
            for parsed in &ordered {
                diagnostics.extend(parsed.diagnostics.iter().cloned());
            }
            model
        }
        _ => assemble_anew(&ordered, &ordered_slots, &input, &mut problems),
    };
    diagnostics.extend(problems);
    diagnostics.sort();
    model
}

/// The last model with the changed entries replaced; the model is taken out of `last`.
fn patch(files: &Files, last: &mut Model, walked: Walked, shape: &Shape) -> Model {
    let mut model = std::mem::take(last);
    if walked.again {
        // The same files (else neither `replaceable` nor `unchanged`): their places are looked
        // up again all the same.
        let walk = files.walk();
        model.slots = model
            .site
            .entries
            .iter()
            .map(|entry| walk.index[&entry.source])
            .collect();
    }
    for (id, &slot) in model.slots.iter().enumerate() {
        if shape.changed.contains(&slot) {
            site::replace(
                &mut model.site,
                EntryId(id),
                files.parsed_at(slot),
                &model.tag_ids,
            );
            model.entry_keys[id] = render::entry_keys(&model.site, &model.site.entries[id]);
        }
    }
    model
}

fn assemble_anew(
    ordered: &[&Parsed],
    ordered_slots: &[usize],
    input: &AssembleInput,
    problems: &mut Vec<Diagnostic>,
) -> Model {
    let journal = input.journal;
    let assembled = site::assemble(
        ordered,
        input.drafts,
        &journal.display_prefix,
        &journal.catalogue,
        problems,
    );
    let slots = assembled
        .order
        .iter()
        .map(|&place| ordered_slots[place])
        .collect();
    let entry_keys = assembled
        .site
        .entries
        .par_iter()
        .map(|entry| render::entry_keys(&assembled.site, entry))
        .collect();
    Model {
        site: assembled.site,
        tag_ids: assembled.tag_ids,
        slots,
        entry_keys,
    }
}
