//! Heading anchors and URL path segments that keep Hangul, the way GitHub makes them.
//!
//! Authors link to `#네트워킹-part2` on GitHub; the same link must work on the built site,
//! so anchors follow GitHub's rule (lowercase, drop punctuation and symbols, spaces to `-`)
//! instead of romanising like Zola.

use std::collections::HashMap;

/// GitHub's heading slug: `네트워킹 Part.2` → `네트워킹-part2`, `☀️ 오늘의 목표 (Scrum)` →
/// `-오늘의-목표-scrum`. Invisible joiners and variation selectors are dropped too.
pub fn heading_slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for character in text.trim().chars() {
        if character == ' ' {
            slug.push('-');
        } else if character == '-' || character == '_' {
            slug.push(character);
        } else if character.is_alphanumeric() {
            slug.extend(character.to_lowercase());
        } else if is_combining_mark(character) && !is_invisible(character) {
            slug.push(character);
        }
    }
    slug
}

fn is_invisible(character: char) -> bool {
    matches!(character, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

fn is_combining_mark(character: char) -> bool {
    // Hangul syllables are precomposed after NFC; the marks that remain are accents.
    matches!(character, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{20D0}'..='\u{20FF}')
}

/// Hands out unique anchors within one page: `a`, `a-1`, `a-2`, like GitHub.
#[derive(Default)]
pub struct AnchorSet {
    seen: HashMap<String, usize>,
}

impl AnchorSet {
    pub fn unique(&mut self, base: String) -> String {
        let Some(&count) = self.seen.get(&base) else {
            self.seen.insert(base.clone(), 0);
            return base;
        };
        let mut count = count;
        loop {
            count += 1;
            let candidate = format!("{base}-{count}");
            if !self.seen.contains_key(&candidate) {
                self.seen.insert(base, count);
                self.seen.insert(candidate.clone(), 0);
                return candidate;
            }
        }
    }
}

/// A URL path segment from a file, folder, tag or series name: spaces become `-`; characters
/// that mean something in a URL, a path or a shell (`/ \ ? # % & ( ) '` …) and control
/// characters are dropped; Hangul is kept. This is the one door from the journal's text to the
/// site's paths, so it can only make a safe segment: never empty, never `.` or `..`, never
/// starting with a dot (a hidden file that GitHub Pages leaves out).
pub fn path_segment(name: &str) -> String {
    let mut segment = String::with_capacity(name.len());
    for character in name.chars() {
        match character {
            ' ' | '\t' => {
                if !segment.ends_with('-') {
                    segment.push('-');
                }
            }
            '/' | '?' | '#' | '%' | '&' | '(' | ')' | '\'' | '"' | '<' | '>' | '\\' | '[' | ']'
            | '{' | '}' | '|' | '^' | '`' | '+' | ',' | ';' | '=' | '!' | '*' | '$' | '@' => {}
            other if other.is_control() => {}
            other => segment.push(other),
        }
    }
    let trimmed = segment.trim_matches('-').trim_start_matches('.');
    if trimmed.is_empty() {
        "page".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Percent-encodes what a URL path may not hold raw (non-ASCII, spaces), keeping `/`.
pub fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                encoded.push(byte as char)
            }
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    encoded
}

/// Decodes `%XX` escapes (for links authors wrote percent-encoded).
pub fn decode_percent(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            let high = (bytes[index + 1] as char).to_digit(16);
            let low = (bytes[index + 2] as char).to_digit(16);
            if let (Some(high), Some(low)) = (high, low) {
                decoded.push((high * 16 + low) as u8);
                index += 3;
                continue;
            }
        }
        decoded.push(bytes[index]);
        index += 1;
    }
    String::from_utf8(decoded).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_keeps_hangul_like_github() {
        assert_eq!(heading_slug("네트워킹 Part.2"), "네트워킹-part2");
        assert_eq!(heading_slug("☀️ 오늘의 목표 (Scrum)"), "-오늘의-목표-scrum");
        assert_eq!(
            heading_slug("🔥 도전 과제 & 해결 (Challenge & Solution)"),
            "-도전-과제--해결-challenge--solution"
        );
        assert_eq!(heading_slug("Route 53_설정"), "route-53_설정");
    }

    #[test]
    fn duplicate_anchors_are_numbered() {
        let mut anchors = AnchorSet::default();
        assert_eq!(anchors.unique("a".into()), "a");
        assert_eq!(anchors.unique("a".into()), "a-1");
        assert_eq!(anchors.unique("a".into()), "a-2");
        assert_eq!(anchors.unique("a-1".into()), "a-1-1");
    }

    #[test]
    fn path_segments_keep_hangul_and_drop_url_syntax() {
        assert_eq!(path_segment("Python_코드흐름이해"), "Python_코드흐름이해");
        assert_eq!(path_segment("Authentication&Token"), "AuthenticationToken");
        assert_eq!(
            path_segment("Java Web Base Knowledge"),
            "Java-Web-Base-Knowledge"
        );
        assert_eq!(path_segment("(2025)"), "2025");
    }

    #[test]
    fn hostile_names_make_only_safe_segments() {
        for name in [
            "..",
            ".",
            "/",
            "\\",
            "../../../../var/x",
            "..\\..\\x",
            "%2e%2e",
            "a\0b",
            "/etc/passwd",
            "C:\\Windows",
            ".hidden",
            "",
            "   ",
            "-..-",
        ] {
            let segment = path_segment(name);
            assert!(!segment.is_empty(), "{name:?}");
            assert!(!segment.starts_with('.'), "{name:?} -> {segment:?}");
            assert!(
                !segment.contains(['/', '\\', '\0', '%']),
                "{name:?} -> {segment:?}"
            );
        }
        assert_eq!(path_segment("../../../../var/x"), "varx");
        assert_eq!(path_segment(".."), "page");
        assert_eq!(path_segment(".NET"), "NET");
    }

    #[test]
    fn encode_and_decode_round_trip() {
        let encoded = encode_path("/til/11월/a b/");
        assert_eq!(encoded, "/til/11%EC%9B%94/a%20b/");
        assert_eq!(decode_percent(&encoded), "/til/11월/a b/");
    }
}
