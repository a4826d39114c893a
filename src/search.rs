//! Search without a server: the index the build writes as static files, and the rules for
//! cutting text into terms that `static/search.js` follows on the query side.
//!
//! Korean is written in words with particles glued on (`서버리스를`, `VPC에서`), so splitting on
//! spaces, as Pagefind and elasticlunr do, finds nothing a learner types. Terms here are
//! Hangul *bigrams* (every two adjacent syllables: `서버리스를` → 서버, 버리, 리스, 스를) and
//! lowercased ASCII words, matched by prefix. A query matches an entry holding all of its
//! bigrams; the browser then checks the words really stand together in the entry's text
//! before showing it. Titles, headings and tags also get *initials* terms (`ㅅㅂㄹㅅ` for
//! 서버리스), the 초성 search every Korean search box has, and each tag a `#slug` term, so
//! `Simple Queue Service` finds what is tagged SQS.
//!
//! The index is sorted by term and cut into chunks at points that depend on the terms alone
//! (content-defined, like backup tools cut files), so a query fetches the small meta file and
//! the chunks of its own terms, never the whole index, and a rebuild that changes one entry
//! rewrites only the chunks of that entry's terms. Each entry's text for snippets is a file of
//! its own, fetched for the results shown.
//!
//! Entries are numbered oldest first, so today's new entry adds a number instead of shifting
//! every other.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::markdown::Passage;
use crate::model::fingerprint;
use crate::text::{FIRST_SYLLABLE, SYLLABLES, code_point_at, is_syllable, is_syllable_code};

/// Weight classes of a term in an entry, the best place it occurs.
const CODE: u8 = 0;
const BODY: u8 = 1;
const HEADING: u8 = 2;
const TITLE: u8 = 3;

/// Terms longer than this are not words anybody types (hashes, base64).
const LONGEST_WORD: usize = 40;

const CHOSEONG: [char; 19] = [
    'ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ',
    'ㅌ', 'ㅍ', 'ㅎ',
];

/// The initial consonant of a Hangul syllable, as the jamo a keyboard types (`서` → `ㅅ`).
pub(crate) fn initial(character: char) -> Option<char> {
    is_syllable(character)
        .then(|| CHOSEONG[(character as u32 - FIRST_SYLLABLE) as usize / (21 * 28)])
}

/// A run of one script in a text: what terms are made of.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Run<'a> {
    /// Lowercased ASCII letters and digits.
    Word(Cow<'a, str>),
    /// Hangul syllables.
    Hangul(&'a str),
}

/// The text's runs of ASCII letters and digits and of Hangul syllables; everything else
/// (spaces, punctuation, other scripts) separates them. `S3를` is `s3` and `를`.
pub(crate) fn runs(text: &str) -> Vec<Run<'_>> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut kind = 0u8; // 0 none, 1 ASCII, 2 Hangul
    fn finish<'a>(runs: &mut Vec<Run<'a>>, kind: u8, piece: &'a str) {
        match kind {
            1 => runs.push(Run::Word(
                if piece.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Owned(piece.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(piece)
                },
            )),
            2 => runs.push(Run::Hangul(piece)),
            _ => {}
        }
    }
    for (offset, character) in text.char_indices() {
        let this = if character.is_ascii_alphanumeric() {
            1
        } else if is_syllable(character) {
            2
        } else {
            0
        };
        if this != kind {
            finish(&mut runs, kind, &text[start..offset]);
            start = offset;
            kind = this;
        }
    }
    finish(&mut runs, kind, &text[start..]);
    runs
}

/// The terms of a text, each once per occurrence: ASCII words and Hangul bigrams. A lone
/// syllable (`를`, `S3를`'s particle) makes no term: as a word it is almost always a particle.
#[cfg(test)]
pub(crate) fn terms<'a>(text: &'a str, mut each: impl FnMut(Cow<'a, str>)) {
    for run in runs(text) {
        match run {
            Run::Word(word) => {
                if word.len() <= LONGEST_WORD {
                    each(word);
                }
            }
            Run::Hangul(hangul) => {
                // Syllables are 3 bytes each in UTF-8: a bigram is 6 bytes of the run.
                let mut start = 0;
                while start + 6 <= hangul.len() {
                    each(Cow::Borrowed(&hangul[start..start + 6]));
                    start += 3;
                }
            }
        }
    }
}

/// The initials of each Hangul run of a title, heading or tag: `서버리스 입문` → `ㅅㅂㄹㅅ`, `ㅇㅁ`.
pub(crate) fn initials(text: &str, mut each: impl FnMut(&str)) {
    let mut key = String::new();
    for run in runs(text) {
        if let Run::Hangul(hangul) = run {
            key.clear();
            key.extend(hangul.chars().filter_map(initial));
            each(&key);
        }
    }
}

/// What one entry gives the index.
pub struct DocumentText<'a> {
    pub title: &'a str,
    /// Its tags: (slug, label, whether the entry is about it) of each. A tag the entry is
    /// about weighs like its title; one it only mentions, like its body.
    pub tags: Vec<(&'a str, &'a str, bool)>,
    pub passages: &'a [Passage],
}

/// An entry's terms, each with its weight byte: the best place it occurs (top two bits: code,
/// body, heading, title or tag) and how much it says it (six bits: its count, saturated and
/// normalised for the entry's length).
pub fn document_terms<'a>(document: &DocumentText<'a>) -> DocumentTerms<'a> {
    type Map<K> = HashMap<K, (u8, u8), foldhash::fast::FixedState>;
    fn count<K: std::hash::Hash + Eq>(map: &mut Map<K>, key: K, class: u8) {
        let (best, count) = map.entry(key).or_insert((class, 0));
        *best = (*best).max(class);
        *count = count.saturating_add(1);
    }
    fn add_word<'a>(words: &mut Map<Cow<'a, str>>, word: &'a str, class: u8) {
        if word.len() > LONGEST_WORD {
            return;
        }
        let word = if word.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        };
        count(words, word, class);
    }
    // Bigrams by number (most of an entry's terms): hashing a u32 is cheaper than a string.
    let mut pairs: Map<u32> = HashMap::with_capacity_and_hasher(2048, Default::default());
    let mut words: Map<Cow<'a, str>> = HashMap::with_capacity_and_hasher(512, Default::default());
    // One pass over the bytes, the same cuts as `runs`: an entry's text is most of the work.
    let mut add = |text: &'a str, class: u8| {
        let bytes = text.as_bytes();
        let mut at = 0;
        let mut word_start: Option<usize> = None;
        let mut previous: Option<u32> = None;
        while at < bytes.len() {
            let byte = bytes[at];
            if byte.is_ascii_alphanumeric() {
                word_start.get_or_insert(at);
                previous = None;
                at += 1;
                continue;
            }
            if let Some(start) = word_start.take() {
                add_word(&mut words, &text[start..at], class);
            }
            // Hangul syllables are the three-byte sequences EA B0 80 ..= ED 9E A3.
            if (0xEA..=0xED).contains(&byte) && at + 2 < bytes.len() {
                let (code, _) = code_point_at(bytes, at);
                if is_syllable_code(code) {
                    let syllable = code - FIRST_SYLLABLE;
                    if let Some(first) = previous {
                        count(&mut pairs, first * SYLLABLES + syllable, class);
                    }
                    previous = Some(syllable);
                    at += 3;
                    continue;
                }
            }
            previous = None;
            at += if byte < 0x80 {
                1
            } else if byte >= 0xF0 {
                4
            } else if byte >= 0xE0 {
                3
            } else {
                2
            };
        }
        if let Some(start) = word_start {
            add_word(&mut words, &text[start..], class);
        }
    };
    add(document.title, TITLE);
    let tag_class = |primary: bool| if primary { TITLE } else { BODY };
    for &(_, label, primary) in &document.tags {
        add(label, tag_class(primary));
    }
    for passage in document.passages {
        if let Some(heading) = &passage.heading {
            add(heading, HEADING);
        }
        add(&passage.text, BODY);
        add(&passage.code, CODE);
    }
    let named = |words: &mut Map<Cow<'a, str>>, text: &str, class: u8| {
        initials(text, |key| count(words, Cow::Owned(key.to_string()), class))
    };
    named(&mut words, document.title, TITLE);
    for &(slug, label, primary) in &document.tags {
        count(
            &mut words,
            Cow::Owned(format!("#{slug}")),
            tag_class(primary),
        );
        named(&mut words, label, tag_class(primary));
    }
    for passage in document.passages {
        if let Some(heading) = &passage.heading {
            named(&mut words, heading, HEADING);
        }
    }
    // BM25's saturation and length normalisation, against a fixed length rather than the
    // journal's average so that one entry's weights never depend on the others: a word said
    // often in a short entry weighs more than once in a long one.
    let length: u32 = pairs
        .values()
        .chain(words.values())
        .map(|&(_, count)| u32::from(count))
        .sum();
    let norm = 1.0 - LENGTH_B + LENGTH_B * length as f32 / REFERENCE_LENGTH;
    let weight = |(class, count): (u8, u8)| {
        let frequency = f32::from(count) / norm;
        class << 6 | (63.0 * frequency / (frequency + SATURATION)).round() as u8
    };
    DocumentTerms {
        pairs: pairs
            .into_iter()
            .map(|(pair, found)| (pair, weight(found)))
            .collect(),
        words: words
            .into_iter()
            .map(|(word, found)| (word, weight(found)))
            .collect(),
    }
}

/// An entry's terms with their weight bytes: Hangul bigrams by number (most of them; no
/// string is made for one the index already has), and the rest as text.
pub struct DocumentTerms<'a> {
    /// `first * SYLLABLES + second`, syllables counted from U+AC00.
    pub pairs: Vec<(u32, u8)>,
    pub words: Vec<(Cow<'a, str>, u8)>,
}

impl DocumentTerms<'_> {
    /// Every term as text, with its weight.
    pub fn list(&self) -> Vec<(String, u8)> {
        self.pairs
            .iter()
            .map(|&(pair, weight)| (pair_text(pair), weight))
            .chain(
                self.words
                    .iter()
                    .map(|(word, weight)| (word.to_string(), *weight)),
            )
            .collect()
    }
}

fn pair_text(pair: u32) -> String {
    let mut text = String::with_capacity(6);
    text.push(char::from_u32(FIRST_SYLLABLE + pair / SYLLABLES).expect("a syllable"));
    text.push(char::from_u32(FIRST_SYLLABLE + pair % SYLLABLES).expect("a syllable"));
    text
}

/// BM25's k1 and b, and the length (terms) at which an entry's counts are taken as they are.
const SATURATION: f32 = 1.2;
const LENGTH_B: f32 = 0.75;
const REFERENCE_LENGTH: f32 = 1500.0;

/// An entry's file of text for snippets: what the browser shows of a result and checks a
/// query's words against.
#[derive(Serialize)]
pub struct Fragment<'a> {
    /// The page, with the base path.
    pub url: String,
    pub title: &'a str,
    pub date: String,
    pub tags: Vec<&'a str>,
    pub passages: &'a [Passage],
}

impl Fragment<'_> {
    /// The fragment as gzip-compressed JSON: an entry's text is most of what a query fetches,
    /// and Korean prose shrinks about three times. (Static hosts do not compress files
    /// themselves, and GitHub Pages would not for these; the browser inflates them.)
    /// libdeflate's fastest level takes the time zlib's fastest did and its files are a
    /// quarter smaller (43 MB of 3,000 entries' JSON: 14.6 MB against 18.8 MB).
    pub fn to_gzip_json(&self) -> Vec<u8> {
        thread_local! {
            // A compressor holds its tables (hundreds of KB): one per thread, not per entry.
            static COMPRESSOR: std::cell::RefCell<libdeflater::Compressor> =
                std::cell::RefCell::new(libdeflater::Compressor::new(
                    libdeflater::CompressionLvl::new(1).expect("level 1 exists"),
                ));
        }
        let json = serde_json::to_vec(self).expect("a fragment serialises");
        COMPRESSOR.with_borrow_mut(|compressor| {
            let mut gzip = vec![0; compressor.gzip_compress_bound(json.len())];
            let length = compressor
                .gzip_compress(&json, &mut gzip)
                .expect("the bound leaves room");
            gzip.truncate(length);
            gzip.shrink_to_fit();
            gzip
        })
    }
}

/// What the browser needs before it can look a term up: which chunk holds it, how many
/// entries there are (for rarity), and the tags' names (for aliases).
#[derive(Serialize)]
struct Meta<'a> {
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

const FORMAT_VERSION: u32 = 1;

type TermId = u32;

#[derive(Default)]
struct Postings {
    documents: Vec<u32>,
    weights: Vec<u8>,
    /// The sum of each posting's fingerprint: kept up to date posting by posting, and the
    /// same whatever order they came in, so a rebuild and a fresh build give a chunk the same
    /// key.
    key: u64,
}

fn posting_key(number: u32, weight: u8) -> u64 {
    fingerprint(&(number, weight))
}

impl Postings {
    /// Document `number` with `weight`, added or changed.
    fn set(&mut self, number: u32, weight: u8) {
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
            self.documents.insert(place, number);
            self.weights.insert(place, weight);
            self.key = self.key.wrapping_add(posting_key(number, weight));
        }
    }

    /// Takes the documents `numbers` (sorted) out.
    fn remove_all(&mut self, numbers: &[u32]) {
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
const SMALLEST_CHUNK: usize = 2 * 1024;
const TYPICAL_CHUNK: usize = 12 * 1024;
const LARGEST_CHUNK: usize = 40 * 1024;

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
    fn term(&mut self, text: &str) -> TermId {
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

    fn pair_term(&mut self, pair: u32) -> TermId {
        if let Some(&id) = self.pair_ids.get(&pair) {
            return id;
        }
        let id = self.term(&pair_text(pair));
        self.pair_ids.insert(pair, id);
        id
    }

    /// The term ids of `terms`, with their weights.
    fn ids_of(&mut self, terms: &DocumentTerms) -> Vec<(TermId, u8)> {
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
    fn sort_new(&mut self, first_new: usize) {
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
    }

    /// Gives document `number`, which the index has, the terms `terms` instead of its old
    /// ones: only postings whose weight changed are touched, so a one-bullet edit changes a
    /// few chunks, not every chunk holding one of the entry's common words.
    fn replace(&mut self, number: u32, terms: &[(TermId, u8)]) {
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
    fn size(&self, id: TermId) -> usize {
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
    fn dump(&self) -> Vec<(String, Vec<(u32, u8)>)> {
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

fn varint(bytes: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        bytes.push((value as u8) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_terms(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        terms(text, |term| found.push(term.into_owned()));
        found
    }

    #[test]
    fn particles_stay_on_the_word_but_its_bigrams_match() {
        assert_eq!(all_terms("서버리스를"), ["서버", "버리", "리스", "스를"]);
        // A query's bigrams are a subset of the word's with its particle.
        let query = all_terms("서버리스");
        let word = all_terms("서버리스를");
        assert!(query.iter().all(|pair| word.contains(pair)));
        let query = all_terms("엔드포인트");
        let word = all_terms("엔드포인트는");
        assert!(query.iter().all(|pair| word.contains(pair)));
    }

    #[test]
    fn mixed_hangul_and_ascii_split_at_the_script() {
        assert_eq!(all_terms("S3를"), ["s3"]);
        assert_eq!(all_terms("VPC에서 EC2로"), ["vpc", "에서", "ec2"]);
        assert_eq!(all_terms("CloudFront-배포"), ["cloudfront", "배포"]);
        assert_eq!(all_terms("snake_case"), ["snake", "case"]);
    }

    #[test]
    fn decomposed_hangul_is_not_a_syllable_until_normalised() {
        use unicode_normalization::UnicodeNormalization;
        let decomposed: String = "서버".nfd().collect();
        assert!(all_terms(&decomposed).is_empty());
        let composed: String = decomposed.nfc().collect();
        assert_eq!(all_terms(&composed), ["서버"]);
    }

    #[test]
    fn initials_of_hangul_runs() {
        let mut found = Vec::new();
        initials("서버리스 입문: AWS람다", |key| {
            found.push(key.to_string())
        });
        assert_eq!(found, ["ㅅㅂㄹㅅ", "ㅇㅁ", "ㄹㄷ"]);
        assert_eq!(initial('까'), Some('ㄲ'));
        assert_eq!(initial('힣'), Some('ㅎ'));
        assert_eq!(initial('a'), None);
    }

    #[test]
    fn weights_keep_the_best_place_and_the_count() {
        let passages = [
            Passage {
                heading: Some("큐 설계".into()),
                anchor: Some("큐-설계".into()),
                text: "SQS 큐를 설계했다. SQS 폴링.".into(),
                code: "aws sqs send-message".into(),
            },
            Passage {
                heading: None,
                anchor: None,
                text: String::new(),
                code: "terraform apply".into(),
            },
        ];
        let terms = document_terms(&DocumentText {
            title: "메시지 큐",
            tags: vec![("sqs", "SQS", true)],
            passages: &passages,
        })
        .list();
        let weight = |term: &str| {
            terms
                .iter()
                .find(|(t, _)| t == term)
                .map(|(_, w)| *w)
                .unwrap()
        };
        let class = |term: &str| weight(term) >> 6;
        let amount = |term: &str| weight(term) & 63;
        assert_eq!(class("#sqs"), TITLE);
        // In the tag label, in the body and in code: the best place counts.
        assert_eq!(class("sqs"), TITLE);
        assert_eq!(class("설계"), HEADING);
        assert_eq!(class("terraform"), CODE);
        assert_eq!(class("ㅁㅅㅈ"), TITLE);
        // Said four times weighs more than once, but not four times as much.
        assert!(amount("sqs") > amount("terraform"));
        assert!(amount("sqs") < 4 * amount("terraform"));
    }

    #[test]
    fn an_entrys_terms_are_the_terms_of_its_text() {
        let text = "S3를 VPC에서 쓰고 CloudFront-배포, snake_case 😀 서버리스를 ㅋㅋ é 람다";
        let mut expected: Vec<String> = Vec::new();
        terms(text, |term| expected.push(term.into_owned()));
        expected.sort();
        expected.dedup();
        let mut found: Vec<String> = document(text)
            .list()
            .into_iter()
            .map(|(term, _)| term)
            .collect();
        found.sort();
        assert_eq!(found, expected);
    }

    #[test]
    fn a_word_weighs_less_in_a_long_entry() {
        let short = document("람다 함수를 만들었다");
        let long = document(&format!(
            "람다 함수를 만들었다 {}",
            "다른 이야기 ".repeat(2000)
        ));
        let weight = |terms: &DocumentTerms| {
            terms
                .list()
                .into_iter()
                .find(|(t, _)| t == "람다")
                .unwrap()
                .1
        };
        assert!(
            weight(&short) > weight(&long),
            "{} {}",
            weight(&short),
            weight(&long)
        );
    }

    fn document(words: &str) -> DocumentTerms<'static> {
        let passages = [Passage {
            text: words.to_string(),
            ..Passage::default()
        }];
        let terms = document_terms(&DocumentText {
            title: "",
            tags: Vec::new(),
            passages: &passages,
        });
        DocumentTerms {
            pairs: terms.pairs,
            words: terms
                .words
                .into_iter()
                .map(|(word, weight)| (Cow::Owned(word.into_owned()), weight))
                .collect(),
        }
    }

    fn fresh(texts: &[&str]) -> Index {
        let mut index = Index::default();
        let keys: Vec<u64> = texts.iter().map(fingerprint).collect();
        index.update(&keys, |number| document(texts[number]), Vec::new());
        index
    }

    #[test]
    fn an_update_equals_a_fresh_index() {
        let mut texts = vec!["서버리스 람다", "VPC 서브넷", "람다 함수 VPC", "S3 버킷"];
        let mut index = fresh(&texts);
        for edit in [
            vec![
                "서버리스 람다",
                "VPC 서브넷 라우팅",
                "람다 함수 VPC",
                "S3 버킷",
            ],
            vec!["서버리스", "VPC 서브넷 라우팅", "람다 함수 VPC"],
            vec![
                "새 글",
                "서버리스",
                "VPC 서브넷 라우팅",
                "람다 함수 VPC",
                "더 새 글",
            ],
            vec!["EC2"; 70],
        ] {
            texts = edit;
            let keys: Vec<u64> = texts.iter().map(fingerprint).collect();
            index.update(&keys, |number| document(texts[number]), Vec::new());
            assert_eq!(index.dump(), fresh(&texts).dump(), "after {texts:?}");
        }
        // An entry put before a hundred others renumbers them all.
        let many: Vec<String> = (0..100).map(|n| format!("글{n} 공통 word{n}")).collect();
        let shifted: Vec<String> = std::iter::once("맨 앞 글".to_string())
            .chain(many.iter().cloned())
            .collect();
        for edit in [
            many.iter().map(String::as_str).collect::<Vec<_>>(),
            shifted.iter().map(String::as_str).collect(),
        ] {
            texts = edit;
            let keys: Vec<u64> = texts.iter().map(fingerprint).collect();
            index.update(&keys, |number| document(texts[number]), Vec::new());
            assert_eq!(index.dump(), fresh(&texts).dump(), "after {texts:?}");
        }
    }

    #[test]
    fn a_changed_entry_changes_only_the_chunks_of_its_terms() {
        let texts: Vec<String> = (0..6000)
            .map(|number| format!("word{number} other{number} common 공통 단어{}", number % 97))
            .collect();
        let mut index = Index::default();
        let keys: Vec<u64> = texts.iter().map(fingerprint).collect();
        index.update(&keys, |number| document(&texts[number]), Vec::new());
        let before = index.chunks();
        assert!(before.len() > 3, "{} chunks", before.len());
        let mut texts = texts;
        texts[1500] = "word1500 other1500 common 공통 단어4 새말".to_string();
        let keys: Vec<u64> = texts.iter().map(fingerprint).collect();
        index.update(&keys, |number| document(&texts[number]), Vec::new());
        let after = index.chunks();
        let old: HashMap<&str, u64> = before.iter().map(|c| (c.name.as_str(), c.key)).collect();
        let rewritten = after
            .iter()
            .filter(|chunk| old.get(chunk.name.as_str()) != Some(&chunk.key))
            .count();
        // The terms it lost and gained, and the ones all entries share.
        assert!(
            rewritten <= 6,
            "{rewritten} of {} chunks rewritten",
            after.len()
        );
    }

    #[test]
    fn chunks_encode_every_posting() {
        let index = fresh(&["서버리스 람다", "VPC 서브넷", "람다 함수 VPC"]);
        let chunks = index.chunks();
        let bytes: Vec<u8> = chunks
            .iter()
            .flat_map(|chunk| index.encode(chunk))
            .collect();
        // Decode and compare with the dump.
        let mut decoded = Vec::new();
        let mut at = 0;
        let read = |at: &mut usize| -> u32 {
            let mut value = 0u32;
            let mut shift = 0;
            loop {
                let byte = bytes[*at];
                *at += 1;
                value |= ((byte & 0x7f) as u32) << shift;
                if byte < 0x80 {
                    return value;
                }
                shift += 7;
            }
        };
        while at < bytes.len() {
            let length = read(&mut at) as usize;
            let text = String::from_utf8(bytes[at..at + length].to_vec()).unwrap();
            at += length;
            let count = read(&mut at);
            let mut number = 0;
            let mut postings = Vec::new();
            for _ in 0..count {
                number += read(&mut at);
                postings.push((number, bytes[at]));
                at += 1;
            }
            decoded.push((text, postings));
        }
        assert_eq!(decoded, index.dump());
    }

    #[test]
    fn an_entrys_text_file_is_gzip_of_its_json_and_the_same_every_time() {
        use std::io::Read;
        let passages = vec![Passage {
            heading: Some("네트워킹 Part.2".into()),
            anchor: Some("네트워킹-part2".into()),
            text: "두 VPC를 피어링으로 연결한다. ".repeat(200),
            code: "aws ec2 describe-vpcs".into(),
        }];
        let fragment = Fragment {
            url: "/til/2026-01-30/".into(),
            title: "VPC 피어링",
            date: "2026-01-30".into(),
            tags: vec!["vpc"],
            passages: &passages,
        };
        let gzip = fragment.to_gzip_json();
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_end(&mut json)
            .expect("a gzip stream");
        assert_eq!(json, serde_json::to_vec(&fragment).unwrap());
        assert!(gzip.len() * 10 < json.len(), "repeated text compresses");
        assert_eq!(gzip, fragment.to_gzip_json());
    }
}
