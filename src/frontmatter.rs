//! Front matter: YAML between `---` lines (Jekyll, Hugo) or TOML between `+++` (Zola).
//!
//! Known keys are read (title, date, tags, draft, extra); the rest — Jekyll's `layout`,
//! `permalink`, `categories` — is accepted and ignored, since adopted repositories carry them.
//! The front matter's lines are blanked in the body so markdown line numbers stay the file's.

use serde::Deserialize;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    /// The date as written; the date module reads it.
    pub date: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub extra: serde_json::Value,
}

#[derive(Debug, PartialEq)]
pub struct FrontMatterError {
    /// 1-based line in the file.
    pub line: usize,
    pub message: String,
    pub hint: &'static str,
    /// The message and hint in Korean.
    pub korean: String,
    pub korean_hint: &'static str,
}

const FIX_HINT: &str = "fix the front matter between the --- lines, or remove it";
const KOREAN_FIX_HINT: &str = "--- 줄 사이의 프런트 매터를 고치거나 지우세요";

/// A parser's message without its own `at line 3 column 1`: it counts from the front
/// matter's first line, and the diagnostic already names the file's line.
fn without_position(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(" at line ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + " at line ".len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let after = &after[digits..];
        rest = match after.strip_prefix(" column ") {
            Some(column) => column.trim_start_matches(|c: char| c.is_ascii_digit()),
            None => after,
        };
    }
    out.push_str(rest);
    out.trim().to_string()
}

#[derive(Deserialize, Default)]
struct Raw {
    title: Option<Scalar>,
    date: Option<Scalar>,
    #[serde(default)]
    tags: Option<Tags>,
    #[serde(default)]
    draft: Option<bool>,
    #[serde(default)]
    extra: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Number(f64),
    Other(serde_json::Value),
}

impl Scalar {
    fn into_string(self) -> String {
        match self {
            Scalar::Text(text) => text,
            Scalar::Number(number) => number.to_string(),
            // TOML dates arrive as `{"$__toml_private_datetime": "2026-01-30"}`.
            Scalar::Other(serde_json::Value::Object(map)) if map.len() == 1 => {
                match map.values().next() {
                    Some(serde_json::Value::String(text)) => text.clone(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                }
            }
            Scalar::Other(value) => value.to_string().trim_matches('"').to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Tags {
    List(Vec<Scalar>),
    One(String),
}

/// `title: x`, `tags:`: a YAML key at the start of a line.
fn looks_like_a_key(line: &str) -> bool {
    let Some((key, _)) = line.split_once(':') else {
        return false;
    };
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Splits front matter off `text`. Returns it (if any) and the body with the front matter's
/// lines blanked.
pub fn split(text: &str) -> Result<(Option<FrontMatter>, String), FrontMatterError> {
    let delimiter = if text.starts_with("---\n") || text == "---" {
        "---"
    } else if text.starts_with("+++\n") {
        "+++"
    } else {
        return Ok((None, text.to_string()));
    };
    let mut offset = delimiter.len() + 1;
    let mut end = None;
    for (index, line) in text[offset.min(text.len())..]
        .split_inclusive('\n')
        .enumerate()
    {
        let trimmed = line.trim_end();
        if trimmed == delimiter || (delimiter == "---" && trimmed == "...") {
            end = Some((offset, offset + line.len(), index + 2));
            break;
        }
        offset += line.len();
    }
    let Some((inner_end, body_start, _closing_line)) = end else {
        // `---` opening a file with no closing line is a thematic break, unless what follows
        // reads as front matter: then the closing line was forgotten, and guessing would put
        // `title: x` on the page as the entry's title.
        let opened = (delimiter.len() + 1).min(text.len());
        let next = text[opened..].lines().next().unwrap_or("");
        if delimiter == "+++" || looks_like_a_key(next) {
            return Err(FrontMatterError {
                line: 1,
                message: format!("front matter opened with `{delimiter}` is never closed"),
                hint: if delimiter == "+++" {
                    "end it with a line of +++ before the text"
                } else {
                    "end it with a line of --- before the text"
                },
                korean: format!("`{delimiter}`로 연 프런트 매터가 닫히지 않았습니다"),
                korean_hint: if delimiter == "+++" {
                    "본문 앞에 +++ 한 줄로 닫으세요"
                } else {
                    "본문 앞에 --- 한 줄로 닫으세요"
                },
            });
        }
        return Ok((None, text.to_string()));
    };
    let inner = &text[delimiter.len() + 1..inner_end];
    let raw: Raw = if delimiter == "---" {
        if inner.trim().is_empty() {
            Raw::default()
        } else {
            serde_norway::from_str(inner).map_err(|error| {
                let reason = without_position(&error.to_string());
                FrontMatterError {
                    line: error.location().map_or(2, |location| location.line() + 1),
                    message: format!("front matter is not valid YAML: {reason}"),
                    hint: FIX_HINT,
                    korean: format!("프런트 매터가 올바른 YAML이 아닙니다: {reason}"),
                    korean_hint: KOREAN_FIX_HINT,
                }
            })?
        }
    } else {
        toml::from_str(inner).map_err(|error| FrontMatterError {
            line: error
                .span()
                .map_or(2, |span| crate::diagnostic::line_of(inner, span.start) + 1),
            message: format!("front matter is not valid TOML: {}", error.message()),
            hint: FIX_HINT,
            korean: format!("프런트 매터가 올바른 TOML이 아닙니다: {}", error.message()),
            korean_hint: KOREAN_FIX_HINT,
        })?
    };
    let front = FrontMatter {
        title: raw.title.map(Scalar::into_string),
        date: raw.date.map(Scalar::into_string),
        tags: match raw.tags {
            Some(Tags::List(list)) => list.into_iter().map(Scalar::into_string).collect(),
            Some(Tags::One(text)) => text
                .split(',')
                .map(|tag| tag.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            None => Vec::new(),
        },
        draft: raw.draft.unwrap_or(false),
        extra: raw.extra.unwrap_or(serde_json::Value::Null),
    };
    let blank_lines = text[..body_start].matches('\n').count();
    let mut body = "\n".repeat(blank_lines);
    body.push_str(&text[body_start..]);
    Ok((Some(front), body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jekyll_yaml_front_matter() {
        let text = "---\nlayout: page\ntitle: \"2025-08-22 - Spring Cache\"\ndate: 2025-08-22\ncategories: [til]\ntags: [spring, cache]\n---\n\n# 2025-08-22 - Spring Cache\n";
        let (front, body) = split(text).unwrap();
        let front = front.unwrap();
        assert_eq!(front.title.as_deref(), Some("2025-08-22 - Spring Cache"));
        assert_eq!(front.date.as_deref(), Some("2025-08-22"));
        assert_eq!(front.tags, ["spring", "cache"]);
        assert_eq!(body.lines().count(), text.lines().count());
        assert_eq!(body.lines().nth(8), Some("# 2025-08-22 - Spring Cache"));
    }

    #[test]
    fn zola_toml_front_matter() {
        let text = "+++\ntitle = \"VPC\"\ndate = 2026-01-30\ndraft = true\ntags = [\"VPC\"]\n[extra]\nmood = \"good\"\n+++\nbody\n";
        let (front, body) = split(text).unwrap();
        let front = front.unwrap();
        assert_eq!(front.title.as_deref(), Some("VPC"));
        assert_eq!(front.date.as_deref(), Some("2026-01-30"));
        assert!(front.draft);
        assert_eq!(front.extra["mood"], "good");
        assert!(body.ends_with("body\n"));
    }

    #[test]
    fn yaml_errors_name_the_files_line_only() {
        // Regression: the overlay said `:4` and then "line 3 column 1" (the YAML's own count).
        assert_eq!(
            without_position(
                "did not find expected key at line 3 column 1, while parsing a block mapping at line 1 column 1"
            ),
            "did not find expected key, while parsing a block mapping"
        );
        let error = split("---\ntitle: a\n  bad: [\n---\n# x\n").unwrap_err();
        assert!(!error.message.contains(" at line "), "{}", error.message);
        assert!(error.korean.contains("YAML"), "{}", error.korean);
    }

    #[test]
    fn broken_yaml_names_the_line() {
        let error = split("---\ntitle: ok\ndate: [2025\n---\n").unwrap_err();
        assert!(error.line >= 3, "{error:?}");
        assert!(error.message.contains("YAML"));
    }

    #[test]
    fn no_front_matter_and_unclosed_dashes() {
        assert_eq!(split("# 제목\n").unwrap().0, None);
        assert_eq!(split("---\n본문만 있음\n").unwrap().0, None);
        assert_eq!(split("---\n\n# 제목\n").unwrap().0, None);
    }

    #[test]
    fn front_matter_with_no_closing_line_is_an_error() {
        for text in [
            "---\ntitle: x\n\n# 본문\n",
            "+++\ntitle = \"x\"\n",
            "---\ntags: [a]",
        ] {
            let error = split(text).unwrap_err();
            assert_eq!(error.line, 1, "{text:?}");
            assert!(error.message.contains("never closed"), "{}", error.message);
        }
    }
}
