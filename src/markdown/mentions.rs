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
    let mut tallies: Vec<Tally> = Vec::new();
    let mut index_of: FastMap<ServiceId, usize> = FastMap::default();
    let mut about_aws = false;
    let mut anchor: Option<String> = None;
    let mut in_code = false;
    let mut heading: Option<(String, Option<String>)> = None;
    let mut line: Option<(LineRole, String)> = None;
    let mut block = String::new();
    let mut awaiting_excerpt: Vec<usize> = Vec::new();
    let mut under_heading: Option<(Vec<usize>, String, Option<String>)> = None;
    let mut segment = 0;
    let mut pending_title: Option<String> = None;

    let note = |tallies: &mut Vec<Tally>,
                index_of: &mut FastMap<ServiceId, usize>,
                found: crate::tags::Found,
                section: SectionKind,
                anchor: &Option<String>,
                titled: bool|
     -> usize {
        let position = *index_of.entry(found.service).or_insert_with(|| {
            tallies.push(Tally {
                mention: TagMention {
                    service: found.service,
                    count: 0,
                    titled: false,
                    places: Vec::new(),
                    excerpt: String::new(),
                    anchor: None,
                },
                only_ordinary: true,
                excerpt_from_heading: false,
                place_index: FastMap::default(),
            });
            tallies.len() - 1
        });
        let tally = &mut tallies[position];
        tally.only_ordinary &= found.needs_context;
        if titled {
            tally.mention.titled = true;
        } else {
            tally.mention.count += 1;
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
        position
    };

    // The services a title names; three or more are an enumeration, not a topic.
    let title_services = |head: &str,
                          tallies: &mut Vec<Tally>,
                          index_of: &mut FastMap<ServiceId, usize>,
                          section: SectionKind,
                          anchor: &Option<String>| {
        let found = catalogue.find(head);
        let mut distinct: Vec<ServiceId> = found.iter().map(|f| f.service).collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() >= 3 {
            return;
        }
        for found in found {
            note(tallies, index_of, found, section, anchor, true);
        }
    };

    for (index, (event, range)) in events.iter().enumerate() {
        while segment + 1 < segments.len() && index >= segments[segment].events.end {
            segment += 1;
        }
        let section = segments[segment].kind;
        let is_title = title.as_ref().is_some_and(|title| title.contains(&index));
        if let Some(head) = pending_title.take() {
            if !matches!(event, Event::End(TagEnd::Item)) {
                title_services(&head, &mut tallies, &mut index_of, section, &anchor);
            }
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((String::new(), heading_anchor.get(&range.start).cloned()));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((text, heading_anchor)) = heading.take() else {
                    continue;
                };
                if !is_title {
                    anchor = heading_anchor.clone();
                }
                let mut named = Vec::new();
                for found in catalogue.find(&text) {
                    about_aws |= !found.needs_context;
                    let position = note(&mut tallies, &mut index_of, found, section, &anchor, true);
                    if !named.contains(&position) {
                        named.push(position);
                    }
                }
                under_heading = if named.is_empty() || is_title {
                    None
                } else {
                    Some((named, String::new(), heading_anchor))
                };
            }
            Event::Start(Tag::Item) => {
                let role = if section == SectionKind::Goals {
                    LineRole::Goal
                } else {
                    LineRole::ItemFirstLine
                };
                line = Some((role, String::new()));
            }
            Event::Start(Tag::Paragraph) if line.is_none() => {
                line = Some((LineRole::ParagraphFirstLine, String::new()));
            }
            Event::Text(text) if !in_code => {
                if let Some((buffer, _)) = &mut heading {
                    buffer.push_str(text);
                    continue;
                }
                if !about_aws {
                    about_aws = names_aws(text);
                }
                let found_here = catalogue.find(text);
                for &found in &found_here {
                    about_aws |= !found.needs_context;
                    let position =
                        note(&mut tallies, &mut index_of, found, section, &anchor, false);
                    if tallies[position].mention.excerpt.is_empty()
                        && !awaiting_excerpt.contains(&position)
                    {
                        awaiting_excerpt.push(position);
                    }
                }
                if !found_here.is_empty() {
                    found_in_texts.insert(range.start, found_here);
                }
                if let Some((_, buffer)) = &mut line {
                    buffer.push_str(text);
                }
                block.push_str(text);
                if let Some((_, buffer, _)) = &mut under_heading {
                    if buffer.chars().count() < EXCERPT_CHARACTERS * 2 {
                        buffer.push_str(text);
                        buffer.push(' ');
                    }
                }
            }
            Event::Code(text) => {
                if let Some((buffer, _)) = &mut heading {
                    buffer.push_str(text);
                    continue;
                }
                if let Some((_, buffer)) = &mut line {
                    buffer.push_str(text);
                }
                block.push_str(text);
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::Start(Tag::List(_))
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item) => {
                if let Some((role, text)) = line.take() {
                    // A goal goes on to its end; other lines are judged at their first break.
                    if role == LineRole::Goal
                        && matches!(event, Event::SoftBreak | Event::HardBreak)
                    {
                        line = Some((role, text));
                    } else {
                        let (head, has_colon) = match text.find([':', '：']) {
                            Some(colon) => (text[..colon].to_string(), true),
                            None => (text.clone(), false),
                        };
                        let short = head.trim().chars().count() <= TITLE_CHARACTERS;
                        let titled = match role {
                            LineRole::Goal => Some(true),
                            // `- **Keep**: …` and `1. VPC 엔드포인트` with sub-items are titles; a
                            // short statement with nothing under it is not.
                            LineRole::ItemFirstLine if short && has_colon => Some(true),
                            LineRole::ItemFirstLine if short => match event {
                                Event::Start(Tag::List(_)) => Some(true),
                                Event::End(TagEnd::Paragraph) => None,
                                _ => Some(false),
                            },
                            LineRole::ItemFirstLine => Some(false),
                            LineRole::ParagraphFirstLine => {
                                Some(short && starts_like_a_pseudo_item(&text))
                            }
                        };
                        match titled {
                            Some(true) => {
                                title_services(&head, &mut tallies, &mut index_of, section, &anchor)
                            }
                            // A loose item's first paragraph: a title if more follows in the item.
                            None => pending_title = Some(head),
                            Some(false) => {}
                        }
                    }
                }
                if matches!(event, Event::SoftBreak | Event::HardBreak) {
                    block.push(' ');
                } else {
                    for position in awaiting_excerpt.drain(..) {
                        let tally = &mut tallies[position];
                        if tally.mention.excerpt.is_empty() {
                            tally.mention.excerpt =
                                crate::text::truncate_chars(&block, EXCERPT_CHARACTERS);
                            tally.mention.anchor = anchor.clone();
                        }
                    }
                    block.clear();
                }
            }
            _ => {}
        }
        // The passage under a heading that names a service ends at the next heading.
        if matches!(event, Event::Start(Tag::Heading { .. })) {
            if let Some((named, text, heading_anchor)) = under_heading.take() {
                for position in named {
                    let tally = &mut tallies[position];
                    if !tally.excerpt_from_heading && !text.trim().is_empty() {
                        tally.mention.excerpt =
                            crate::text::truncate_chars(&text, EXCERPT_CHARACTERS);
                        tally.mention.anchor = heading_anchor.clone();
                        tally.excerpt_from_heading = true;
                    }
                }
            }
        }
    }
    if let Some((named, text, heading_anchor)) = under_heading.take() {
        for position in named {
            let tally = &mut tallies[position];
            if !tally.excerpt_from_heading && !text.trim().is_empty() {
                tally.mention.excerpt = crate::text::truncate_chars(&text, EXCERPT_CHARACTERS);
                tally.mention.anchor = heading_anchor.clone();
                tally.excerpt_from_heading = true;
            }
        }
    }
    for position in awaiting_excerpt {
        let tally = &mut tallies[position];
        if tally.mention.excerpt.is_empty() {
            tally.mention.excerpt = crate::text::truncate_chars(&block, EXCERPT_CHARACTERS);
            tally.mention.anchor = anchor.clone();
        }
    }
    tallies
        .into_iter()
        // `Lambda` alone is a Java lambda unless the entry is about AWS.
        .filter(|tally| about_aws || !tally.only_ordinary)
        .map(|tally| tally.mention)
        .collect()
}
