//! Small text helpers every stage shares: HTML escaping, truncation that keeps whole words,
//! and the characters XML 1.0 forbids. Here, below every stage, so no stage imports another
//! for them (`highlight` once imported `markdown` for escaping, which imported `highlight`).

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

/// Whether a byte can start a character XML forbids: a C0 control, or EF (U+F000..U+FFFF). A
/// byte scan, fast on the text of every page.
pub(crate) fn may_start_forbidden(byte: &u8) -> bool {
    (*byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')) || *byte == 0xEF
}

/// `text` without the characters XML forbids, and (first line, how many) if there were any.
pub(crate) fn remove_forbidden(text: String) -> (String, Option<(usize, usize)>) {
    let Some(first) = text.as_bytes().iter().position(may_start_forbidden) else {
        return (text, None);
    };
    if !text[first..].chars().any(is_forbidden_in_xml) {
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
}
