//! The entry's text cut at its headings, whitespace collapsed, code kept apart: what search
//! indexes and quotes.

use super::document::{FastMap, Passage};
use super::sanitize::is_known_html;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

/// The entry's text cut at its headings (the title heading left out: search has the title).
pub(super) fn passages(
    events: &[(Event, Range<usize>)],
    heading_anchor: &FastMap<usize, String>,
    title: Option<Range<usize>>,
) -> Vec<Passage> {
    enum Target {
        Heading,
        Code,
        Text,
    }
    let mut passages = vec![Passage::default()];
    let mut heading = String::new();
    let mut into = Target::Text;
    for (index, (event, range)) in events.iter().enumerate() {
        if title.as_ref().is_some_and(|title| title.contains(&index)) {
            continue;
        }
        let passage = passages.last_mut().expect("a passage");
        let target = match into {
            Target::Heading => &mut heading,
            Target::Code => &mut passage.code,
            Target::Text => &mut passage.text,
        };
        match event {
            Event::Start(Tag::Heading { .. }) => {
                passages.push(Passage {
                    anchor: heading_anchor.get(&range.start).cloned(),
                    ..Passage::default()
                });
                heading.clear();
                into = Target::Heading;
            }
            Event::End(TagEnd::Heading(_)) => {
                passage.heading = Some(collapse_whitespace(&heading));
                into = Target::Text;
            }
            Event::Start(Tag::CodeBlock(_)) => into = Target::Code,
            Event::End(TagEnd::CodeBlock) => {
                push_collapsed(&mut passage.code, " ");
                into = Target::Text;
            }
            Event::Text(text)
            | Event::Code(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text) => push_collapsed(target, text),
            // `git checkout <commit-hash>`: a placeholder shown as text is text.
            Event::InlineHtml(html) if !is_known_html(html) => push_collapsed(target, html),
            Event::SoftBreak | Event::HardBreak => push_collapsed(target, " "),
            // Between blocks, not inside them: `**버킷**에` is one word.
            Event::Start(
                Tag::Paragraph
                | Tag::Item
                | Tag::List(_)
                | Tag::TableCell
                | Tag::BlockQuote(_)
                | Tag::FootnoteDefinition(_),
            ) => push_collapsed(target, " "),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock,
            ) => push_collapsed(target, " "),
            _ => {}
        }
    }
    for passage in &mut passages {
        for text in [&mut passage.text, &mut passage.code] {
            if text.ends_with(' ') {
                text.pop();
            }
            text.shrink_to_fit();
        }
    }
    // The top of an entry that opens with a heading holds nothing.
    if passages.len() > 1 && passages[0].text.is_empty() && passages[0].code.is_empty() {
        passages.remove(0);
    }
    // Kept until the search files are written: the list's spare room would be 40% of it.
    passages.shrink_to_fit();
    passages
}

/// Appends `text` with each run of ASCII whitespace made one space, and no space at the start
/// or after a space: the passages' text as one line, made in one pass.
pub(super) fn push_collapsed(target: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // Whether whitespace came before the stretch about to be pushed.
    let mut space = false;
    let mut start = 0;
    let mut place = 0;
    // Prose is words with one space between them: those stretches go in whole, and only a
    // run of other whitespace cuts. ASCII whitespace is never inside a multi-byte character,
    // so the cuts are boundaries.
    while place < bytes.len() {
        let byte = bytes[place];
        if !byte.is_ascii_whitespace()
            || (byte == b' '
                && place > start
                && bytes
                    .get(place + 1)
                    .is_some_and(|next| !next.is_ascii_whitespace()))
        {
            place += 1;
            continue;
        }
        if start < place {
            if space && !target.is_empty() && !target.ends_with(' ') {
                target.push(' ');
            }
            target.push_str(&text[start..place]);
        }
        space = true;
        while place < bytes.len() && bytes[place].is_ascii_whitespace() {
            place += 1;
        }
        start = place;
    }
    if start < text.len() {
        if space && !target.is_empty() && !target.ends_with(' ') {
            target.push(' ');
        }
        target.push_str(&text[start..]);
    } else if space && !target.is_empty() && !target.ends_with(' ') {
        target.push(' ');
    }
}

/// `text` with each run of whitespace made one space, trimmed.
pub(super) fn collapse_whitespace(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    collapsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::stats::Stats;
    use crate::text::is_hangul;

    #[test]
    fn counting_bytes_counts_what_counting_characters_counts() {
        for text in [
            "",
            "VPC 서브넷을\t나눴다.\u{3000}ＶＰＣ\u{a0}x\u{b}y\u{85}z",
            "  버킷\n\n에 ㄱㄴ ᄀ 🙂 é  ",
            "a\u{2028}b\u{202f}c\u{1c}d",
        ]
        .into_iter()
        .map(String::from)
        // Every character, between two letters.
        .chain(('\0'..=char::MAX).map(|character| format!("a{character}b")))
        {
            let text = text.as_str();
            let mut fast = Stats::default();
            fast.count(text);
            let (mut characters, mut hangul, mut words, mut in_word) = (0, 0, 0, false);
            for character in text.chars() {
                if character.is_whitespace() {
                    in_word = false;
                } else {
                    characters += 1;
                    hangul += usize::from(is_hangul(character));
                    words += usize::from(!in_word);
                    in_word = true;
                }
            }
            assert_eq!(
                (fast.characters, fast.hangul, fast.words),
                (characters, hangul, words),
                "{text:?}"
            );
        }
    }

    #[test]
    fn text_is_collapsed_as_it_is_pushed() {
        let mut text = String::new();
        for piece in ["  버킷", "에 ", "\n\n 정책을", "", " ", "  붙였다  ", "x"] {
            push_collapsed(&mut text, piece);
        }
        assert_eq!(text, "버킷에 정책을 붙였다 x");
        // Against the plain definition, over every short string of a small alphabet.
        let alphabet = ["", " ", "\n", "가", "a", "\t "];
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    for d in alphabet {
                        let (first, second, third) =
                            ([a, b].concat(), [c, d].concat(), [d, a, c].concat());
                        let pieces = [first.as_str(), second.as_str(), "", third.as_str(), b];
                        let mut pushed = String::new();
                        for piece in pieces {
                            push_collapsed(&mut pushed, piece);
                        }
                        let joined: String = pieces.concat();
                        let mut expected = joined
                            .split_ascii_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ");
                        if joined.ends_with(|c: char| c.is_ascii_whitespace())
                            && !expected.is_empty()
                        {
                            expected.push(' ');
                        }
                        assert_eq!(pushed, expected, "{pieces:?}");
                    }
                }
            }
        }
    }
}
