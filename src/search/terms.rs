//! Cutting text into the index's terms: Hangul bigrams, lowercased ASCII words, 초성
//! initials and `#tag` terms, each weighed by where it occurs and how often. `static/search.js`
//! follows the same rules on the query side.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::markdown::Passage;
use crate::text::{
    FIRST_SYLLABLE, SYLLABLES, code_point_at, is_syllable, is_syllable_code, utf8_width,
};

/// Weight classes of a term in an entry, the best place it occurs.
pub(super) const CODE: u8 = 0;
pub(super) const BODY: u8 = 1;
pub(super) const HEADING: u8 = 2;
pub(super) const TITLE: u8 = 3;

/// Terms longer than this are not words anybody types (hashes, base64).
pub(super) const LONGEST_WORD: usize = 40;

pub(super) const CHOSEONG: [char; 19] = [
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
    let mut counter = Counter::default();
    counter.text(document.title, TITLE);
    let tag_class = |primary: bool| if primary { TITLE } else { BODY };
    for &(_, label, primary) in &document.tags {
        counter.text(label, tag_class(primary));
    }
    for passage in document.passages {
        if let Some(heading) = &passage.heading {
            counter.text(heading, HEADING);
        }
        counter.text(&passage.text, BODY);
        counter.text(&passage.code, CODE);
    }
    counter.initials(document.title, TITLE);
    for &(slug, label, primary) in &document.tags {
        let tag = Cow::Owned(format!("#{slug}"));
        count(&mut counter.words, tag, tag_class(primary));
        counter.initials(label, tag_class(primary));
    }
    for passage in document.passages {
        if let Some(heading) = &passage.heading {
            counter.initials(heading, HEADING);
        }
    }
    counter.weights()
}

pub(super) type Map<K> = HashMap<K, (u8, u8), foldhash::fast::FixedState>;

/// Each term's best class and count so far.
pub(super) struct Counter<'a> {
    /// Bigrams by number (most of an entry's terms): hashing a u32 is cheaper than a string.
    pairs: Map<u32>,
    words: Map<Cow<'a, str>>,
}

impl Default for Counter<'_> {
    fn default() -> Self {
        Counter {
            pairs: HashMap::with_capacity_and_hasher(2048, Default::default()),
            words: HashMap::with_capacity_and_hasher(512, Default::default()),
        }
    }
}

pub(super) fn count<K: std::hash::Hash + Eq>(map: &mut Map<K>, key: K, class: u8) {
    let (best, count) = map.entry(key).or_insert((class, 0));
    *best = (*best).max(class);
    *count = count.saturating_add(1);
}

impl<'a> Counter<'a> {
    /// One pass over the bytes, the same cuts as `runs`: an entry's text is most of the work.
    fn text(&mut self, text: &'a str, class: u8) {
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
                self.word(&text[start..at], class);
            }
            // Hangul syllables are the three-byte sequences EA B0 80 ..= ED 9E A3.
            if (0xEA..=0xED).contains(&byte) && at + 2 < bytes.len() {
                let (code, _) = code_point_at(bytes, at);
                if is_syllable_code(code) {
                    let syllable = code - FIRST_SYLLABLE;
                    if let Some(first) = previous {
                        count(&mut self.pairs, first * SYLLABLES + syllable, class);
                    }
                    previous = Some(syllable);
                    at += 3;
                    continue;
                }
            }
            previous = None;
            at += utf8_width(byte);
        }
        if let Some(start) = word_start {
            self.word(&text[start..], class);
        }
    }

    fn word(&mut self, word: &'a str, class: u8) {
        if word.len() > LONGEST_WORD {
            return;
        }
        let word = if word.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        };
        count(&mut self.words, word, class);
    }

    /// The 초성 terms of a title, heading or tag.
    fn initials(&mut self, text: &str, class: u8) {
        initials(text, |key| {
            count(&mut self.words, Cow::Owned(key.to_string()), class)
        })
    }

    /// BM25's saturation and length normalisation, against a fixed length rather than the
    /// journal's average so that one entry's weights never depend on the others: a word said
    /// often in a short entry weighs more than once in a long one.
    fn weights(self) -> DocumentTerms<'a> {
        let length: u32 = (self.pairs.values())
            .chain(self.words.values())
            .map(|&(_, count)| u32::from(count))
            .sum();
        let norm = 1.0 - LENGTH_B + LENGTH_B * length as f32 / REFERENCE_LENGTH;
        let weight = |(class, count): (u8, u8)| {
            let frequency = f32::from(count) / norm;
            class << 6 | (63.0 * frequency / (frequency + SATURATION)).round() as u8
        };
        DocumentTerms {
            pairs: (self.pairs.into_iter())
                .map(|(pair, found)| (pair, weight(found)))
                .collect(),
            words: (self.words.into_iter())
                .map(|(word, found)| (word, weight(found)))
                .collect(),
        }
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
    #[cfg(test)]
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

pub(super) fn pair_text(pair: u32) -> String {
    let mut text = String::with_capacity(6);
    text.push(char::from_u32(FIRST_SYLLABLE + pair / SYLLABLES).expect("a syllable"));
    text.push(char::from_u32(FIRST_SYLLABLE + pair % SYLLABLES).expect("a syllable"));
    text
}

/// BM25's k1 and b, and the length (terms) at which an entry's counts are taken as they are.
pub(super) const SATURATION: f32 = 1.2;
pub(super) const LENGTH_B: f32 = 0.75;
pub(super) const REFERENCE_LENGTH: f32 = 1500.0;
