//! GitHub's emoji shortcodes (`:bulb:`, `:heavy_check_mark:`) as the emoji they stand for.
//! The table is the `emojis` crate's copy of GitHub's gemoji list, so a code GitHub shows as an
//! emoji is one here and any other `:word:` stays as written.

use std::borrow::Cow;
use std::ops::Range;

/// Every shortcode in `text` and the emoji it stands for, in order.
pub(crate) fn shortcodes(text: &str) -> Vec<(Range<usize>, &'static str)> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(colon) = text[start..].find(':').map(|at| start + at) {
        let name_end = bytes[colon + 1..]
            .iter()
            .position(|&byte| !is_shortcode_byte(byte))
            .map_or(bytes.len(), |at| colon + 1 + at);
        if name_end > colon + 1 && bytes.get(name_end) == Some(&b':') {
            if let Some(emoji) = emojis::get_by_shortcode(&text[colon + 1..name_end]) {
                found.push((colon..name_end + 1, emoji.as_str()));
                start = name_end + 1;
                continue;
            }
        }
        // The closing colon may open the next code (`:a::bulb:`).
        start = if name_end > colon + 1 && bytes.get(name_end) == Some(&b':') {
            name_end
        } else {
            colon + 1
        };
    }
    found
}

fn is_shortcode_byte(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte.is_ascii_digit() || matches!(byte, b'_' | b'+' | b'-')
}

/// `text` with its shortcodes written as emoji (for titles and other plain text).
pub(crate) fn replace_shortcodes(text: &str) -> Cow<'_, str> {
    if !text.contains(':') {
        return Cow::Borrowed(text);
    }
    let found = shortcodes(text);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut replaced = String::with_capacity(text.len());
    let mut copied = 0;
    for (range, emoji) in found {
        replaced.push_str(&text[copied..range.start]);
        replaced.push_str(emoji);
        copied = range.end;
    }
    replaced.push_str(&text[copied..]);
    Cow::Owned(replaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_shortcodes_become_emoji_and_other_words_stay() {
        assert_eq!(replace_shortcodes(":bulb: 팁"), "💡 팁");
        assert_eq!(
            replace_shortcodes(":heavy_check_mark:완료"),
            "✔\u{fe0f}완료"
        );
        assert_eq!(replace_shortcodes(":+1::pencil:"), "👍📝");
        assert_eq!(replace_shortcodes("12:30:45 에 시작"), "12:30:45 에 시작");
        assert_eq!(
            replace_shortcodes("a:not_an_emoji_code:b"),
            "a:not_an_emoji_code:b"
        );
        assert_eq!(replace_shortcodes("std::vec::Vec"), "std::vec::Vec");
        assert_eq!(replace_shortcodes("x:y::bulb:"), "x:y:💡");
    }
}
