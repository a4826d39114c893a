//! Small text helpers every stage shares: HTML escaping, truncation that keeps whole words,
//! the characters XML 1.0 forbids, what counts as Hangul, and decoding a character from bytes.
//! Here, below every stage, so no stage imports another for them (`highlight` once imported
//! `markdown` for escaping, which imported `highlight`) and no stage keeps its own copy of the
//! Hangul ranges.

pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 16);
    pulldown_cmark_escape::escape_html(&mut escaped, text).expect("writing to a String");
    escaped
}

/// Cuts `text` to at most `limit` characters (never inside a character), preferring a word
/// boundary near the end, and marks the cut with `…`.
pub fn truncate_chars(text: &str, limit: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit).collect();
    let at_space = cut
        .rfind(' ')
        .filter(|&space| cut[space..].chars().count() <= 20);
    let kept = match at_space {
        Some(space) => &cut[..space],
        None => cut.as_str(),
    };
    format!(
        "{}…",
        kept.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '·'))
    )
}

/// Whether a character is one XML 1.0 forbids (C0 controls but tab and line breaks, and the
/// non-characters U+FFFE, U+FFFF): in a feed it makes the whole file invalid.
pub(crate) fn is_forbidden_in_xml(character: char) -> bool {
    matches!(character, '\0'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Whether UTF-8 `bytes` hold a character XML forbids: a C0 control (but tab and line breaks),
/// or U+FFFE / U+FFFF (EF BF BE, EF BF BF). A byte scan, fast on the text of every page: it
/// looks past the EF that starts every fullwidth form and emoji variation selector (️) in
/// Korean text, which a check of the first byte alone sent to a character-by-character pass.
pub(crate) fn has_forbidden(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    let forbidden_at = |at: usize| {
        let byte = bytes[at];
        (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r'))
            || (byte == 0xEF && matches!(bytes.get(at + 1..at + 3), Some([0xBF, 0xBE | 0xBF])))
    };
    // Eight bytes at a time: a word with no byte under 0x20 and no EF (most of a page's text)
    // is passed at once; the others are looked at byte by byte. The two tests are the
    // classic "has a byte less than n" and "has a zero byte": they may flag a word wrongly,
    // never miss one.
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
        let below_space = word.wrapping_sub(ONES * 0x20) & !word;
        let not_ef = word ^ (ONES * 0xEF);
        let ef = not_ef.wrapping_sub(ONES) & !not_ef;
        if (below_space | ef) & HIGHS != 0 && (at..at + 8).any(forbidden_at) {
            return true;
        }
        at += 8;
    }
    (at..bytes.len()).any(forbidden_at)
}

/// `text` without the characters XML forbids, and (first line, how many) if there were any.
pub(crate) fn remove_forbidden(text: String) -> (String, Option<(usize, usize)>) {
    if !has_forbidden(text.as_bytes()) {
        return (text, None);
    }
    let mut line = None;
    let mut count = 0;
    let mut kept = String::with_capacity(text.len());
    let mut current_line = 1;
    for character in text.chars() {
        if character == '\n' {
            current_line += 1;
        }
        if is_forbidden_in_xml(character) {
            line.get_or_insert(current_line);
            count += 1;
        } else {
            kept.push(character);
        }
    }
    (kept, line.map(|line| (line, count)))
}

/// The first precomposed Hangul syllable (가) and how many there are (to 힣).
pub(crate) const FIRST_SYLLABLE: u32 = 0xAC00;
pub(crate) const SYLLABLES: u32 = 11172;

/// Whether a code point is a precomposed Hangul syllable (가..=힣).
#[inline]
pub(crate) const fn is_syllable_code(point: u32) -> bool {
    point.wrapping_sub(FIRST_SYLLABLE) < SYLLABLES
}

pub(crate) fn is_syllable(character: char) -> bool {
    is_syllable_code(character as u32)
}

/// Whether a code point is Hangul as Korean text holds it: the syllables, the conjoining jamo
/// (U+1100..) that decomposed text is made of, and the compatibility jamo a keyboard types
/// alone (ㅋㅋ, ㅠㅠ).
#[inline]
pub(crate) const fn is_hangul_code(point: u32) -> bool {
    is_syllable_code(point) || matches!(point, 0x1100..=0x11FF | 0x3130..=0x318F)
}

pub(crate) fn is_hangul(character: char) -> bool {
    is_hangul_code(character as u32)
}

/// The code point starting at `place` (a character boundary of valid UTF-8) and its width.
/// Decoded by hand for the passes that read every byte of a journal: `str::chars` checks what
/// a `&str` already guarantees, and Korean text is almost all three-byte characters.
/// Always inlined: called once a character in those loops, a call costs more than it does.
#[inline(always)]
pub(crate) fn code_point_at(bytes: &[u8], place: usize) -> (u32, usize) {
    let byte = bytes[place];
    let continuation = |offset: usize| u32::from(bytes[place + offset] & 0x3F);
    if byte < 0x80 {
        (u32::from(byte), 1)
    } else if byte < 0xE0 {
        (u32::from(byte & 0x1F) << 6 | continuation(1), 2)
    } else if byte < 0xF0 {
        (
            u32::from(byte & 0x0F) << 12 | continuation(1) << 6 | continuation(2),
            3,
        )
    } else {
        (
            u32::from(byte & 0x07) << 18
                | continuation(1) << 12
                | continuation(2) << 6
                | continuation(3),
            4,
        )
    }
}

/// How many bytes a UTF-8 character takes, from its first byte.
#[inline]
pub(crate) fn utf8_width(byte: u8) -> usize {
    if byte < 0x80 {
        1
    } else if byte >= 0xF0 {
        4
    } else if byte >= 0xE0 {
        3
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_removed_with_their_line() {
        let (text, removed) = remove_forbidden("가\n나\u{1b}[31m\u{8}\0다\t\n\u{FFFF}".into());
        assert_eq!(text, "가\n나[31m다\t\n");
        assert_eq!(removed, Some((2, 4)));
        let (text, removed) = remove_forbidden("（괄호） 한글\r\n".into());
        assert_eq!(text, "（괄호） 한글\r\n");
        assert_eq!(removed, None);
    }

    #[test]
    fn the_byte_scan_for_forbidden_characters_looks_past_emoji_and_fullwidth_forms() {
        for allowed in [
            "☀️ 오늘의 목표",
            "（괄호）",
            "\u{FFFD}\u{FFEE}\u{F000}",
            "\t\r\n",
            "가",
        ] {
            assert!(!has_forbidden(allowed.as_bytes()), "{allowed:?}");
        }
        for forbidden in ["☀️\u{FFFE}", "\u{FFFF}", "️\u{1}", "가\u{1b}", "\u{7}"] {
            assert!(has_forbidden(forbidden.as_bytes()), "{forbidden:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_byte_scan_agrees_with_the_characters(text in "[\\x00-\\x{20}가-힣\\x{FE00}-\\x{FFFF}a-z]{0,12}") {
            proptest::prop_assert_eq!(has_forbidden(text.as_bytes()), text.chars().any(is_forbidden_in_xml));
        }

        /// Long allowed text with one forbidden character at any place: the word-at-a-time
        /// scan finds it across every alignment, and passes the text without it.
        #[test]
        fn one_forbidden_character_is_found_wherever_it_stands(
            before in "[가-힣a-z\\n\t\\x{FE0F}（）]{0,40}",
            forbidden in "[\\x00-\\x08\\x0B\\x1F\\x{FFFE}\\x{FFFF}]",
            after in "[가-힣a-z\\r\\x{FE0F}]{0,40}",
        ) {
            let allowed = format!("{before}{after}");
            proptest::prop_assert!(!has_forbidden(allowed.as_bytes()));
            let text = format!("{before}{forbidden}{after}");
            proptest::prop_assert!(has_forbidden(text.as_bytes()));
        }
    }

    #[test]
    fn hangul_is_syllables_and_both_kinds_of_jamo() {
        for hangul in ['가', '힣', 'ㅋ', 'ㅠ', '\u{1100}', '\u{11FF}'] {
            assert!(is_hangul(hangul), "{hangul:?}");
        }
        for other in ['a', '漢', 'ア', '\u{D7A4}', '\u{ABFF}', '・'] {
            assert!(!is_hangul(other), "{other:?}");
        }
        assert!(is_syllable('가') && is_syllable('힣'));
        assert!(!is_syllable('ㄱ') && !is_syllable('\u{D7A4}'));
    }

    #[test]
    fn code_points_decode_like_chars() {
        let text = "a\u{e9}가😀";
        let mut place = 0;
        for character in text.chars() {
            let (point, width) = code_point_at(text.as_bytes(), place);
            assert_eq!((point, width), (character as u32, character.len_utf8()));
            place += width;
        }
    }
}
