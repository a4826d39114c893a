//! Finding the services an entry names, where (section, heading, goal) and which it is about,
//! driven by `tags`' catalogue; code, inline code and URLs are not mentions.

use super::document::{FastMap, TagMention};
use super::outline::Segment;
use crate::model::{SectionKind, TagPlace};
use crate::tags::{Catalogue, ServiceId, names_aws};
use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

/// What a line is, for deciding whether it titles the services it names.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum LineRole {
    /// The first line of a list item: a title when the part before `:` is short.
    ItemFirstLine,
    /// A Scrum goal: it names the day's topics.
    Goal,
    /// The first line of a paragraph: a title when it starts like a pseudo-list item
    /// (`(1) CloudWatch`, `※ Compute Optimizer : …`, `① S3`).
    ParagraphFirstLine,
}

pub(super) const TITLE_CHARACTERS: usize = 40;
pub(super) const EXCERPT_CHARACTERS: usize = 200;

/// At most `TITLE_CHARACTERS` characters, counted only when the length in bytes leaves it open.
fn is_short(text: &str) -> bool {
    text.len() <= TITLE_CHARACTERS
        || (text.len() <= TITLE_CHARACTERS * 4 && text.chars().count() <= TITLE_CHARACTERS)
}

pub(super) fn starts_like_a_pseudo_item(line: &str) -> bool {
    let trimmed = line.trim_start();
    let mut characters = trimmed.chars();
    match characters.next() {
        Some('※') | Some('▶') | Some('■') | Some('●') => true,
        Some('①'..='⑳') => true,
        Some('(') => characters.next().is_some_and(|c| c.is_ascii_digit()),
        Some(c) if c.is_ascii_digit() => trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .starts_with(')'),
        _ => false,
    }
}

/// Finds the services an entry mentions, where, and which ones it is about.
pub(super) fn scan_tags(
    events: &[(Event, Range<usize>)],
    segments: &[Segment],
    heading_anchor: &FastMap<usize, String>,
    title: Option<Range<usize>>,
    catalogue: &Catalogue,
    found_in_texts: &mut FastMap<usize, Vec<crate::tags::Found>>,
) -> Vec<TagMention> {
    let mut scan = Scan {
        catalogue,
        found_in_texts,
        tallies: Vec::new(),
        index_of: FastMap::default(),
        about_aws: false,
        anchor: None,
        section: SectionKind::Body,
        in_code: false,
        heading: None,
        line: None,
        block: String::new(),
        awaiting_excerpt: Vec::new(),
        under_heading: None,
        pending_title: None,
    };
    let mut segment = 0;
    for (index, (event, range)) in events.iter().enumerate() {
        while segment + 1 < segments.len() && index >= segments[segment].events.end {
            segment += 1;
        }
        scan.section = segments[segment].kind;
        if let Some(head) = scan.pending_title.take() {
            if !matches!(event, Event::End(TagEnd::Item)) {
                scan.title_services(&head);
            }
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => scan.in_code = true,
            Event::End(TagEnd::CodeBlock) => scan.in_code = false,
            Event::Start(Tag::Heading { .. }) => {
                // The passage under a heading that names a service ends at the next heading.
                scan.close_heading_passage();
                scan.heading = Some((
                    String::new(),
                    (heading_anchor.get(&range.start)).map(|anchor| anchor.as_str().into()),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                let is_title = title.as_ref().is_some_and(|title| title.contains(&index));
                scan.heading_end(is_title);
            }
            Event::Start(Tag::Item) => {
                let role = if scan.section == SectionKind::Goals {
                    LineRole::Goal
                } else {
                    LineRole::ItemFirstLine
                };
                scan.line = Some((role, String::new()));
            }
            Event::Start(Tag::Paragraph) if scan.line.is_none() => {
                scan.line = Some((LineRole::ParagraphFirstLine, String::new()));
            }
            Event::Text(text) if !scan.in_code => scan.text(text, range.start),
            Event::Code(text) => scan.code(text),
            Event::SoftBreak
            | Event::HardBreak
            | Event::Start(Tag::List(_))
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item) => scan.line_break(event),
            _ => {}
        }
    }
    scan.close_heading_passage();
    scan.fill_excerpts();
    let about_aws = scan.about_aws;
    scan.tallies
        .into_iter()
        // `Lambda` alone is a Java lambda unless the entry is about AWS.
        .filter(|tally| about_aws || !tally.only_ordinary)
        .map(|tally| tally.mention)
        .collect()
}

/// What is known of one service so far.
struct Tally {
    mention: TagMention,
    /// Seen only written as an ordinary word (`Lambda`), so far.
    only_ordinary: bool,
    /// The excerpt came from a heading that names the service (it wins over a paragraph).
    excerpt_from_heading: bool,
    /// Each place's index in `mention.places` by the fingerprint of (section, anchor): a
    /// service under each of 27,000 headings must not search 27,000 places per mention.
    place_index: FastMap<u64, usize>,
}

/// `scan_tags`' state as it walks the events.
struct Scan<'a> {
    catalogue: &'a Catalogue,
    found_in_texts: &'a mut FastMap<usize, Vec<crate::tags::Found>>,
    tallies: Vec<Tally>,
    index_of: FastMap<ServiceId, usize>,
    /// Whether the entry is about AWS: an unambiguous service or AWS itself is named.
    about_aws: bool,
    /// The anchor of the heading the text is under (shared by the places and tags under it).
    anchor: Option<std::sync::Arc<str>>,
    section: SectionKind,
    in_code: bool,
    /// An open heading: its text so far and its anchor.
    heading: Option<(String, Option<std::sync::Arc<str>>)>,
    /// The first line of an open list item or paragraph, and what it is.
    line: Option<(LineRole, String)>,
    /// The text of the open block, for excerpts.
    block: String,
    /// Services mentioned in the open block that have no excerpt yet.
    awaiting_excerpt: Vec<usize>,
    /// The services a heading names, the text under it so far and its anchor.
    under_heading: Option<(Vec<usize>, String, Option<std::sync::Arc<str>>)>,
    /// A loose item's first paragraph, a title if more follows in the item.
    pending_title: Option<String>,
}

impl Scan<'_> {
    /// Counts one mention (or a title naming the service) in the current section and place.
    fn note(&mut self, found: crate::tags::Found, titled: bool) -> usize {
        let tallies = &mut self.tallies;
        let position = *self.index_of.entry(found.service).or_insert_with(|| {
            tallies.push(Tally {
                mention: TagMention {
                    service: found.service,
                    count: 0,
                    titled: false,
                    places: Vec::new(),
                    excerpt: "".into(),
                    anchor: None,
                },
                only_ordinary: true,
                excerpt_from_heading: false,
                place_index: FastMap::default(),
            });
            tallies.len() - 1
        });
        let tally = &mut self.tallies[position];
        tally.only_ordinary &= found.needs_context;
        if titled {
            tally.mention.titled = true;
        } else {
            tally.mention.count += 1;
            add_place(tally, self.section, &self.anchor);
        }
        position
    }

    /// The services a title names; three or more are an enumeration, not a topic.
    fn title_services(&mut self, head: &str) {
        let found = self.catalogue.find(head);
        let mut distinct: Vec<ServiceId> = found.iter().map(|f| f.service).collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() >= 3 {
            return;
        }
        for found in found {
            self.note(found, true);
        }
    }

    /// A heading's services are titled; the text under it becomes their excerpt.
    fn heading_end(&mut self, is_title: bool) {
        let Some((text, heading_anchor)) = self.heading.take() else {
            return;
        };
        if !is_title {
            self.anchor = heading_anchor.clone();
        }
        let mut named = Vec::new();
        for found in self.catalogue.find(&text) {
            self.about_aws |= found.names_aws;
            let position = self.note(found, true);
            if !named.contains(&position) {
                named.push(position);
            }
        }
        self.under_heading = if named.is_empty() || is_title {
            None
        } else {
            Some((named, String::new(), heading_anchor))
        };
    }

    /// Prose: its services are mentions (kept by offset for the renderer to link).
    fn text(&mut self, text: &str, offset: usize) {
        if let Some((buffer, _)) = &mut self.heading {
            buffer.push_str(text);
            return;
        }
        if !self.about_aws {
            self.about_aws = names_aws(text);
        }
        let found_here = self.catalogue.find(text);
        for &found in &found_here {
            self.about_aws |= found.names_aws;
            let position = self.note(found, false);
            if self.tallies[position].mention.excerpt.is_empty()
                && !self.awaiting_excerpt.contains(&position)
            {
                self.awaiting_excerpt.push(position);
            }
        }
        if !found_here.is_empty() {
            self.found_in_texts.insert(offset, found_here);
        }
        if let Some((_, buffer)) = &mut self.line {
            buffer.push_str(text);
        }
        self.block.push_str(text);
        if let Some((_, buffer, _)) = &mut self.under_heading {
            // No character is shorter than a byte: most buffers need no counting.
            let room = EXCERPT_CHARACTERS * 2;
            if buffer.len() < room || buffer.chars().count() < room {
                buffer.push_str(text);
                buffer.push(' ');
            }
        }
    }

    /// Inline code: part of the line and block, never a mention.
    fn code(&mut self, text: &str) {
        if let Some((buffer, _)) = &mut self.heading {
            buffer.push_str(text);
            return;
        }
        if let Some((_, buffer)) = &mut self.line {
            buffer.push_str(text);
        }
        self.block.push_str(text);
    }

    /// A line ends: its first line is judged a title or not; a block's end gives the services
    /// it mentioned their excerpt.
    fn line_break(&mut self, event: &Event) {
        let is_break = matches!(event, Event::SoftBreak | Event::HardBreak);
        if let Some((role, text)) = self.line.take() {
            // A goal goes on to its end; other lines are judged at their first break.
            if role == LineRole::Goal && is_break {
                self.line = Some((role, text));
            } else {
                self.judge_line(role, &text, event);
            }
        }
        if is_break {
            self.block.push(' ');
        } else {
            self.fill_excerpts();
            self.block.clear();
        }
    }

    /// Whether a first line titles the services it names: a goal does, `- **Keep**: …` and
    /// `1. VPC 엔드포인트` with sub-items do; a short statement with nothing under it does not.
    fn judge_line(&mut self, role: LineRole, text: &str, event: &Event) {
        // Most paragraphs: their first line reads like no list item, whatever its length.
        if role == LineRole::ParagraphFirstLine && !starts_like_a_pseudo_item(text) {
            return;
        }
        // Two byte searches: faster than one that decodes every character for either colon.
        let colon = match (text.find(':'), text.find('：')) {
            (Some(ascii), Some(wide)) => Some(ascii.min(wide)),
            (ascii, wide) => ascii.or(wide),
        };
        let (head, has_colon) = match colon {
            Some(colon) => (&text[..colon], true),
            None => (text, false),
        };
        let short = is_short(head.trim());
        let titled = match role {
            LineRole::Goal => Some(true),
            LineRole::ItemFirstLine if short && has_colon => Some(true),
            LineRole::ItemFirstLine if short => match event {
                Event::Start(Tag::List(_)) => Some(true),
                Event::End(TagEnd::Paragraph) => None,
                _ => Some(false),
            },
            LineRole::ItemFirstLine => Some(false),
            // Read like a list item (above): a title when short.
            LineRole::ParagraphFirstLine => Some(short),
        };
        match titled {
            Some(true) => self.title_services(head),
            // A loose item's first paragraph: a title if more follows in the item.
            None => self.pending_title = Some(head.to_string()),
            Some(false) => {}
        }
    }

    /// The services of the block just ended that have no excerpt yet take it.
    fn fill_excerpts(&mut self) {
        // One text for every service of the block: an entry's tags share their excerpts.
        let mut excerpt: Option<std::sync::Arc<str>> = None;
        for position in self.awaiting_excerpt.drain(..) {
            let tally = &mut self.tallies[position];
            if tally.mention.excerpt.is_empty() {
                tally.mention.excerpt = (excerpt.get_or_insert_with(|| {
                    crate::text::truncate_chars(&self.block, EXCERPT_CHARACTERS).into()
                }))
                .clone();
                tally.mention.anchor = self.anchor.clone();
            }
        }
    }

    /// The text under a heading that names services is their excerpt (over a paragraph's).
    fn close_heading_passage(&mut self) {
        let Some((named, text, heading_anchor)) = self.under_heading.take() else {
            return;
        };
        let mut excerpt: Option<std::sync::Arc<str>> = None;
        for position in named {
            let tally = &mut self.tallies[position];
            if !tally.excerpt_from_heading && !text.trim().is_empty() {
                tally.mention.excerpt = (excerpt.get_or_insert_with(|| {
                    crate::text::truncate_chars(&text, EXCERPT_CHARACTERS).into()
                }))
                .clone();
                tally.mention.anchor = heading_anchor.clone();
                tally.excerpt_from_heading = true;
            }
        }
    }
}

/// One more mention at (section, anchor).
fn add_place(tally: &mut Tally, section: SectionKind, anchor: &Option<std::sync::Arc<str>>) {
    let key = crate::model::fingerprint(&(section, anchor.as_deref()));
    let places = &mut tally.mention.places;
    let known = tally
        .place_index
        .get(&key)
        .copied()
        .filter(|&at| places[at].section == section && places[at].anchor == *anchor)
        // A fingerprint shared by two places: look the slow way.
        .or_else(|| {
            tally.place_index.contains_key(&key).then(|| {
                places
                    .iter()
                    .position(|place| place.section == section && place.anchor == *anchor)
            })?
        });
    match known {
        Some(at) => places[at].count += 1,
        None => {
            tally.place_index.entry(key).or_insert(places.len());
            places.push(TagPlace {
                section,
                anchor: anchor.clone(),
                count: 1,
            });
        }
    }
}
