//! The index itself: terms numbered once, postings by term, cut into content-defined chunks so
//! a rebuild rewrites only the chunks whose terms changed, and the meta file the browser reads
//! first.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::fingerprint;
use crate::search::terms::{DocumentTerms, pair_text};

/// What the browser needs before it can look a term up: which chunk holds it, how many
/// entries there are (for rarity), and the tags' names (for aliases).
#[derive(Serialize)]
pub(super) struct Meta<'a> {
    version: u32,
    /// Changes whenever any chunk or entry does: the browser asks for files with it, so a
    /// cached chunk from an older build is never mixed with a newer meta file.
    stamp: String,
    documents: usize,
    /// (first term, file name) of each chunk, in term order.
    chunks: Vec<(&'a str, &'a str)>,
    /// (slug, names) of each tag, names lowercased: `sqs` → `sqs`, `amazon simple queue
    /// service`, `simple queue service`…
    tags: &'a [(String, Vec<String>)],
}

pub(super) const FORMAT_VERSION: u32 = 1;

pub(super) type TermId = u32;

#[derive(Default)]
pub(super) struct Postings {
    documents: Vec<u32>,
    weights: Vec<u8>,
    /// The sum of each posting's fingerprint: kept up to date posting by posting, and the
    /// same whatever order they came in, so a rebuild and a fresh build give a chunk the same
    /// key.
    key: u64,
}

pub(super) fn posting_key(number: u32, weight: u8) -> u64 {
    fingerprint(&(number, weight))
}

impl Postings {
    /// Document `number` with `weight`, added or changed.
    pub(super) fn set(&mut self, number: u32, weight: u8) {
        let place = if self.documents.last().is_none_or(|&last| last < number) {
            self.documents.len()
        } else {
            self.documents.partition_point(|&other| other < number)
        };
        if self.documents.get(place) == Some(&number) {
            let old = self.weights[place];
            if old != weight {
                self.weights[place] = weight;
                self.key = self
                    .key
                    .wrapping_sub(posting_key(number, old))
                    .wrapping_add(posting_key(number, weight));
            }
        } else {
            if self.documents.len() == self.documents.capacity() {
                // A quarter more, not twice: a first build fills every list this way, and
                // doubling left up to half of 40 MB empty until the end of the update.
                let more = (self.documents.len() / 4).max(4);
                self.documents.reserve_exact(more);
                self.weights.reserve_exact(more);
            }
            self.documents.insert(place, number);
            self.weights.insert(place, weight);
            self.key = self.key.wrapping_add(posting_key(number, weight));
        }
    }

    /// Takes the documents `numbers` (sorted) out.
    pub(super) fn remove_all(&mut self, numbers: &[u32]) {
        let (Some(&first), Some(&last)) = (self.documents.first(), self.documents.last()) else {
            return;
        };
        if numbers.last().is_none_or(|&high| high < first) || numbers[0] > last {
            return;
        }
        if numbers.len() <= 8 {
            for number in numbers.iter().rev() {
                if let Ok(place) = self.documents.binary_search(number) {
                    self.documents.remove(place);
                    let weight = self.weights.remove(place);
                    self.key = self.key.wrapping_sub(posting_key(*number, weight));
                }
            }
            return;
        }
        let mut kept = 0;
        for place in 0..self.documents.len() {
            let (number, weight) = (self.documents[place], self.weights[place]);
            if numbers.binary_search(&number).is_ok() {
                self.key = self.key.wrapping_sub(posting_key(number, weight));
            } else {
                self.documents[kept] = number;
                self.weights[kept] = weight;
                kept += 1;
            }
        }
        self.documents.truncate(kept);
        self.weights.truncate(kept);
    }
}

/// A chunk of the index: consecutive terms in term order, written as one file.
pub struct Chunk {
    /// The file name, from the first term, so a chunk keeps its name while its terms change.
    pub name: String,
    /// Places in the sorted term list.
    range: std::ops::Range<usize>,
    /// What it was made from: its terms and their postings.
    pub key: u64,
}

/// Below this a chunk is not cut; above the largest it always is. Between, a term ends a
/// chunk with a chance proportional to its size, decided by the hash of its text.
pub(super) const SMALLEST_CHUNK: usize = 2 * 1024;
pub(super) const TYPICAL_CHUNK: usize = 12 * 1024;
pub(super) const LARGEST_CHUNK: usize = 40 * 1024;

/// The inverted index, kept between builds so `haru serve` changes only the postings of the
/// entries a save touched.
#[derive(Default)]
pub struct Index {
    /// Each entry's fingerprint, by document number (entries oldest first).
    documents: Vec<u64>,
    ids: HashMap<Box<str>, TermId, foldhash::fast::FixedState>,
    /// Hangul bigrams by number (see `DocumentTerms::pairs`).
    pair_ids: HashMap<u32, TermId, foldhash::fast::FixedState>,
    texts: Vec<Box<str>>,
    hashes: Vec<u64>,
    postings: Vec<Postings>,
    /// Every term ever seen, in text order.
    sorted: Vec<TermId>,
    /// Aliases for the meta file, and their fingerprint.
    tags: Vec<(String, Vec<String>)>,
    tags_key: u64,
}

impl Index {
    pub(super) fn term(&mut self, text: &str) -> TermId {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.texts.len() as TermId;
        self.ids.insert(text.into(), id);
        self.texts.push(text.into());
        self.hashes.push(fingerprint(text));
        self.postings.push(Postings::default());
        id
    }

    pub(super) fn pair_term(&mut self, pair: u32) -> TermId {
        if let Some(&id) = self.pair_ids.get(&pair) {
            return id;
        }
        let id = self.term(&pair_text(pair));
        self.pair_ids.insert(pair, id);
        id
    }

    /// The term ids of `terms`, with their weights.
    pub(super) fn ids_of(&mut self, terms: &DocumentTerms) -> Vec<(TermId, u8)> {
        let mut ids = Vec::with_capacity(terms.pairs.len() + terms.words.len());
        for &(pair, weight) in &terms.pairs {
            ids.push((self.pair_term(pair), weight));
        }
        for (word, weight) in &terms.words {
            ids.push((self.term(word), *weight));
        }
        ids
    }

    /// Puts terms made since `first_new` into the sorted list (one merge, not an insert each).
    pub(super) fn sort_new(&mut self, first_new: usize) {
        if first_new == self.texts.len() {
            return;
        }
        let texts = &self.texts;
        let mut new: Vec<TermId> = (first_new as TermId..texts.len() as TermId).collect();
        new.par_sort_unstable_by(|&a, &b| texts[a as usize].cmp(&texts[b as usize]));
        let old = std::mem::take(&mut self.sorted);
        let mut merged = Vec::with_capacity(old.len() + new.len());
        let (mut a, mut b) = (old.into_iter().peekable(), new.into_iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(&x), Some(&y)) => {
                    if texts[x as usize] <= texts[y as usize] {
                        a.next()
                    } else {
                        b.next()
                    }
                }
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            merged.extend(next);
        }
        self.sorted = merged;
    }

    /// Brings the index up to date with `keys` (each document's fingerprint, by document
    /// number): documents whose fingerprint changed get their terms from `terms_of`.
    pub fn update<'t>(
        &mut self,
        keys: &[u64],
        terms_of: impl Fn(usize) -> DocumentTerms<'t> + Sync,
        tags: Vec<(String, Vec<String>)>,
    ) {
        let tags_key = fingerprint(&tags);
        if tags_key != self.tags_key {
            self.tags = tags;
            self.tags_key = tags_key;
        }
        let changed: Vec<usize> = (0..keys.len())
            .filter(|&number| self.documents.get(number) != Some(&keys[number]))
            .collect();
        let gone: Vec<u32> = (keys.len()..self.documents.len())
            .map(|number| number as u32)
            .collect();
        if changed.is_empty() && gone.is_empty() {
            return;
        }
        let known = self.documents.len().min(keys.len());
        let (edited, added): (Vec<usize>, Vec<usize>) =
            changed.iter().partition(|&&number| number < known);
        // Many entries renumbered (one inserted among old ones): every posting list is
        // filtered once, and the documents go in as new ones.
        let bulk = edited.len() > 64;
        let mut stale = gone;
        if bulk {
            stale.extend(edited.iter().map(|&number| number as u32));
            stale.sort_unstable();
        }
        if !stale.is_empty() {
            self.postings
                .par_iter_mut()
                .for_each(|postings| postings.remove_all(&stale));
        }
        self.documents.clear();
        self.documents.extend_from_slice(keys);

        // Put the changed documents' terms in, a batch at a time, so a first build never holds
        // every entry's terms at once.
        let (edited, added) = if bulk {
            (Vec::new(), changed)
        } else {
            (edited, added)
        };
        let first_new = self.texts.len();
        let many = edited.len() + added.len() > 64;
        for batch in edited.chunks(256) {
            let fresh: Vec<DocumentTerms> = batch.par_iter().map(|&n| terms_of(n)).collect();
            for (&number, terms) in batch.iter().zip(&fresh) {
                let ids = self.ids_of(terms);
                self.replace(number as u32, &ids);
            }
        }
        for batch in added.chunks(256) {
            let fresh: Vec<DocumentTerms> = batch.par_iter().map(|&n| terms_of(n)).collect();
            for (&number, terms) in batch.iter().zip(&fresh) {
                for (id, weight) in self.ids_of(terms) {
                    self.postings[id as usize].set(number as u32, weight);
                }
            }
        }
        self.sort_new(first_new);
        // Lists grow by doubling: after many additions a quarter of their room would stay
        // empty for the rest of the build (15 MB at 10,000 entries).
        if many {
            for postings in &mut self.postings {
                postings.documents.shrink_to_fit();
                postings.weights.shrink_to_fit();
            }
        }
    }

    /// Gives document `number`, which the index has, the terms `terms` instead of its old
    /// ones: only postings whose weight changed are touched, so a one-bullet edit changes a
    /// few chunks, not every chunk holding one of the entry's common words.
    pub(super) fn replace(&mut self, number: u32, terms: &[(TermId, u8)]) {
        let mut seen: std::collections::HashSet<TermId, foldhash::fast::FixedState> =
            std::collections::HashSet::with_capacity_and_hasher(terms.len(), Default::default());
        for &(id, weight) in terms {
            seen.insert(id);
            self.postings[id as usize].set(number, weight);
        }
        for (id, postings) in self.postings.iter_mut().enumerate() {
            if !seen.contains(&(id as TermId)) {
                postings.remove_all(&[number]);
            }
        }
    }

    /// About how many bytes a term takes in a chunk.
    pub(super) fn size(&self, id: TermId) -> usize {
        self.texts[id as usize].len() + 2 + 3 * self.postings[id as usize].documents.len()
    }

    /// The chunks the index is written as.
    pub fn chunks(&self) -> Vec<Chunk> {
        let mut chunks = Vec::new();
        let mut names = std::collections::HashSet::new();
        let mut start: Option<usize> = None;
        let mut bytes = 0usize;
        let mut parts: Vec<u64> = Vec::new();
        let mut close =
            |start: usize, end: usize, parts: &mut Vec<u64>, chunks: &mut Vec<Chunk>| {
                let first = self.sorted[start] as usize;
                let mut name = format!("{:016x}", self.hashes[first]);
                while !names.insert(name.clone()) {
                    name.push('x');
                }
                chunks.push(Chunk {
                    name,
                    range: start..end,
                    key: crate::model::fingerprint_sequence(parts.drain(..)),
                });
            };
        for (place, &id) in self.sorted.iter().enumerate() {
            let postings = &self.postings[id as usize];
            if postings.documents.is_empty() {
                continue;
            }
            let begin = *start.get_or_insert(place);
            let size = self.size(id);
            bytes += size;
            parts.push(self.hashes[id as usize]);
            parts.push(postings.key);
            // A term ends a chunk with a chance proportional to its size, by its own hash.
            let chance = (self.hashes[id as usize] >> 11) as f64 / (1u64 << 53) as f64;
            let cut = bytes >= LARGEST_CHUNK
                || (bytes >= SMALLEST_CHUNK && chance < size as f64 / TYPICAL_CHUNK as f64);
            if cut {
                close(begin, place + 1, &mut parts, &mut chunks);
                start = None;
                bytes = 0;
            }
        }
        if let Some(begin) = start {
            close(begin, self.sorted.len(), &mut parts, &mut chunks);
        }
        chunks
    }

    /// A chunk's bytes: for each term, its length and UTF-8 text, its number of documents,
    /// then each document as the difference from the one before and its weight byte
    /// (lengths and differences as LEB128 varints).
    pub fn encode(&self, chunk: &Chunk) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(LARGEST_CHUNK / 2);
        for &id in &self.sorted[chunk.range.clone()] {
            let postings = &self.postings[id as usize];
            if postings.documents.is_empty() {
                continue;
            }
            let text = self.texts[id as usize].as_bytes();
            varint(&mut bytes, text.len() as u32);
            bytes.extend_from_slice(text);
            varint(&mut bytes, postings.documents.len() as u32);
            let mut previous = 0;
            for (&number, &weight) in postings.documents.iter().zip(&postings.weights) {
                varint(&mut bytes, number - previous);
                bytes.push(weight);
                previous = number;
            }
        }
        bytes
    }

    /// The meta file for `chunks`, and its key.
    pub fn meta(&self, chunks: &[Chunk]) -> (Vec<u8>, u64) {
        let stamp = crate::model::fingerprint_sequence(
            self.documents
                .iter()
                .copied()
                .chain(chunks.iter().map(|chunk| chunk.key)),
        );
        let meta = Meta {
            version: FORMAT_VERSION,
            stamp: format!("{stamp:016x}"),
            documents: self.documents.len(),
            chunks: chunks
                .iter()
                .map(|chunk| {
                    let first = self.sorted[chunk.range.start] as usize;
                    (&*self.texts[first], chunk.name.as_str())
                })
                .collect(),
            tags: &self.tags,
        };
        let key = fingerprint(&(stamp, &meta.chunks, self.tags_key, FORMAT_VERSION));
        (
            serde_json::to_vec(&meta).expect("the meta file serialises"),
            key,
        )
    }

    /// Every term with its postings (document, weight), in term order.
    #[cfg(test)]
    pub(super) fn dump(&self) -> Vec<(String, Vec<(u32, u8)>)> {
        self.sorted
            .iter()
            .map(|&id| &self.postings[id as usize])
            .zip(&self.sorted)
            .filter(|(postings, _)| !postings.documents.is_empty())
            .map(|(postings, &id)| {
                (
                    self.texts[id as usize].to_string(),
                    postings
                        .documents
                        .iter()
                        .copied()
                        .zip(postings.weights.iter().copied())
                        .collect(),
                )
            })
            .collect()
    }
}

pub(super) fn varint(bytes: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        bytes.push((value as u8) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}
