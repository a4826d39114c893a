//! `haru.toml`: the journal's settings, strict so that a typo is an error, not a silent default.
//!
//! No config file at all is a valid journal: every field has a default. Unknown keys are
//! rejected with the key's name and line, like mdBook's `book.toml`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, line_of};

pub use crate::language::Language;

pub const CONFIG_FILE: &str = "haru.toml";

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub title: String,
    pub author: Option<String>,
    pub description: Option<String>,
    /// Where the site is published, e.g. `https://user.github.io/til/`. Its path is the
    /// prefix of every internal link.
    pub base_url: String,
    pub language: Language,
    /// The folder holding the journal, relative to the root.
    pub content_dir: PathBuf,
    pub highlight: HighlightConfig,
    /// How many recent entries the home page lists.
    pub home_entries: usize,
    /// How many entries a tag page lists; a tag with more has pages `tags/TAG/page/2/`….
    pub tag_page_size: usize,
    pub tags: TagsConfig,
    pub new: NewConfig,
    pub check: CheckConfig,
    pub comments: CommentsConfig,
    /// A custom domain for GitHub Pages (`til.example.com`): written to the site as `CNAME`.
    pub cname: Option<String>,
    /// Write the search index and show the search box (`search = false` leaves both out).
    pub search: bool,
    /// The largest journal file read, in megabytes; a larger one is an error naming its size
    /// (a 100 MB paste must not stall the build).
    pub max_file_mb: u64,
}

/// How `haru new` writes today's entry.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct NewConfig {
    /// Where, relative to the content folder: `{yyyy}/{m}월/{date}.md`. Default: the layout of
    /// the newest entry.
    pub path: Option<String>,
    /// The entry template file, relative to the root; `{date}` is filled in. Default: the
    /// cohort's five sections.
    pub template: Option<PathBuf>,
}

/// Comments under entries: none unless configured.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CommentsConfig {
    pub giscus: Option<GiscusConfig>,
}

/// giscus (GitHub Discussions as comments): the four values giscus.app gives for a repository.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GiscusConfig {
    /// `owner/name`.
    pub repo: String,
    pub repo_id: String,
    pub category: String,
    pub category_id: String,
    /// Reactions on the entry itself (giscus's `data-reactions-enabled`).
    #[serde(default = "yes")]
    pub reactions: bool,
}

fn yes() -> bool {
    true
}

impl GiscusConfig {
    /// Why the values cannot be what giscus.app gave, if they cannot.
    fn problem(&self) -> Option<String> {
        let name_part = |part: &str| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        let id = |value: &str| {
            !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '='))
        };
        match self.repo.split_once('/') {
            Some((owner, name)) if name_part(owner) && name_part(name) => {}
            _ => return Some(format!("repo {:?} is not owner/name", self.repo)),
        }
        if !id(&self.repo_id) || !id(&self.category_id) {
            return Some("repo_id and category_id are giscus's ids (R_…, DIC_…)".into());
        }
        if self.category.trim().is_empty() || self.category.chars().any(char::is_control) {
            return Some("category names the discussion category".into());
        }
        None
    }
}

/// What `haru check` leaves out for this journal.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CheckConfig {
    /// Rule names (`list-indent`) never reported; `haru check` says which names exist.
    pub skip: Vec<String>,
}

/// The services haru tags entries with: the built-in AWS catalogue, plus (or instead of) a
/// journal's own file in the same format (`catalogue/aws.toml` in haru's repository).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TagsConfig {
    /// A TOML catalogue file, relative to the root.
    pub catalogue: Option<PathBuf>,
    /// Use only that file, not the built-in AWS catalogue.
    pub replace: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct HighlightConfig {
    /// Theme for light mode (a name from bat's theme set, e.g. "GitHub").
    pub light_theme: String,
    /// Theme for dark mode (e.g. "OneHalfDark").
    pub dark_theme: String,
}

impl Default for HighlightConfig {
    fn default() -> Self {
        HighlightConfig {
            light_theme: "GitHub".to_string(),
            dark_theme: "OneHalfDark".to_string(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            author: None,
            description: None,
            base_url: "/".to_string(),
            language: Language::Ko,
            content_dir: PathBuf::from("content"),
            highlight: HighlightConfig::default(),
            home_entries: 20,
            tag_page_size: 50,
            tags: TagsConfig::default(),
            new: NewConfig::default(),
            check: CheckConfig::default(),
            comments: CommentsConfig::default(),
            cname: None,
            search: true,
            max_file_mb: 10,
        }
    }
}

impl Config {
    /// Reads `root/haru.toml`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, Path::new(CONFIG_FILE)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(error) => Err(
                Diagnostic::error(path, format!("cannot read the config: {error}"))
                    .ko(format!("설정 파일을 읽을 수 없습니다: {error}")),
            ),
        }
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, Diagnostic> {
        let config: Config = toml::from_str(text).map_err(|error| {
            let mut diagnostic = Diagnostic::error(
                path.to_path_buf(),
                error.message().trim_end().to_string(),
            )
.ko(format!("haru.toml: {}", error.message().trim_end()))
.ko_hint("쓸 수 있는 키: title, author, description, base_url, language (\"ko\" 또는 \"en\"), content_dir, home_entries, tag_page_size, cname, search, max_file_mb, [highlight] light_theme / dark_theme, [tags] catalogue / replace, [new] path / template, [check] skip, [comments] giscus")
            .with_hint(
                "allowed keys: title, author, description, base_url, language (\"ko\" or \"en\"), \
                 content_dir, home_entries, tag_page_size, cname, search, max_file_mb, [highlight] light_theme / dark_theme, [tags] catalogue / replace, [new] path / template, [check] skip, [comments] giscus",
            );
            if let Some(span) = error.span() {
                diagnostic = diagnostic.at_line(line_of(text, span.start));
            }
            diagnostic
        })?;
        if config.home_entries == 0 {
            return Err(
                Diagnostic::error(path.to_path_buf(), "home_entries must be at least 1")
                    .ko("home_entries는 1 이상이어야 합니다"),
            );
        }
        if config.tag_page_size == 0 {
            return Err(
                Diagnostic::error(path.to_path_buf(), "tag_page_size must be at least 1")
                    .ko("tag_page_size는 1 이상이어야 합니다"),
            );
        }
        if config.max_file_mb == 0 {
            return Err(
                Diagnostic::error(path.to_path_buf(), "max_file_mb must be at least 1")
                    .ko("max_file_mb는 1 이상이어야 합니다"),
            );
        }
        if let Some(problem) = config
            .comments
            .giscus
            .as_ref()
            .and_then(GiscusConfig::problem)
        {
            let line = text
                .find("giscus")
                .map_or(1, |offset| line_of(text, offset));
            return Err(Diagnostic::error(
                path.to_path_buf(),
                format!("[comments] giscus: {problem}"),
            )
            .ko(format!("[comments] giscus: {problem}"))
            .ko_hint(
                "https://giscus.app 에서 repo, repo_id, category, category_id를 복사해 넣으세요",
            )
            .at_line(line)
            .with_hint("copy repo, repo_id, category and category_id from https://giscus.app"));
        }
        check_base_url(&config.base_url).map_err(|message| {
            let line = text
                .find("base_url")
                .map_or(1, |offset| line_of(text, offset));
            Diagnostic::error(path.to_path_buf(), message)
                .at_line(line)
                .with_hint(
                    "write base_url = \"https://USER.github.io/REPO/\", or a path such as \"/\"",
                )
                .ko(format!(
                    "base_url `{}`은(는) http(s) 주소도, /로 시작하는 경로도 아닙니다",
                    config.base_url
                ))
                .ko_hint("base_url = \"https://USER.github.io/REPO/\" 처럼 쓰거나, \"/\" 같은 경로를 쓰세요")
        })?;
        Ok(config)
    }

    /// The largest journal file read, in bytes.
    pub fn max_file_bytes(&self) -> u64 {
        self.max_file_mb.saturating_mul(1024 * 1024)
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }

    /// Whether `base_url` names a host, so that pages can carry whole addresses (it is then an
    /// http(s) address: `check_base_url` allows nothing else with a host).
    pub fn names_host(&self) -> bool {
        self.base_url.starts_with("http")
    }

    /// `base_url` without its trailing slash, for absolute links in feeds and the sitemap.
    pub fn absolute_root(&self) -> String {
        self.base_url.trim_end_matches('/').to_string()
    }
}

/// A base URL goes into every link, the feed, the sitemap and `robots.txt`: only an http(s)
/// address with a host, or a path from the site's root (`/`, `/til/`), is one.
pub fn check_base_url(base_url: &str) -> Result<(), String> {
    let unsafe_character = base_url.chars().find(|c| {
        c.is_control() || c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')
    });
    if let Some(character) = unsafe_character {
        return Err(format!(
            "base_url may not hold {:?}; it must be an http(s) address or a path starting with /",
            character
        ));
    }
    let lower = base_url.to_ascii_lowercase();
    let host = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
    let valid = match host {
        Some(host) => !host.is_empty(),
        None => base_url.starts_with('/') && !base_url.starts_with("//"),
    };
    if valid {
        Ok(())
    } else {
        Err(format!(
            "base_url `{base_url}` is not an http(s) address or a path starting with /"
        ))
    }
}

/// `https://user.github.io/til` → `/til/`; `/` → `/`.
pub fn base_path_of(base_url: &str) -> String {
    let without_scheme = match base_url.find("://") {
        Some(index) => {
            let rest = &base_url[index + 3..];
            match rest.find('/') {
                Some(slash) => &rest[slash..],
                None => "/",
            }
        }
        None => base_url,
    };
    let trimmed = without_scheme.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_keys_gives_defaults() {
        let config = Config::parse("", Path::new("haru.toml")).unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.language, Language::Ko);
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let error = Config::parse(
            "title = \"x\"\n\nbase_urll = \"/\"\n",
            Path::new("haru.toml"),
        )
        .unwrap_err();
        assert_eq!(error.line, Some(3));
        assert!(error.message.contains("base_urll"), "{}", error.message);
    }

    #[test]
    fn unknown_language_is_an_error() {
        let error = Config::parse("language = \"jp\"", Path::new("haru.toml")).unwrap_err();
        assert!(error.message.contains("jp"), "{}", error.message);
    }

    #[test]
    fn base_url_must_be_http_or_a_path() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)//",
            "data:text/html,x",
            "//evil.example/",
            "https://",
            "til/",
            "https://a.example/\"><script>",
            "https://a.example/ x",
            "",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad:?} was accepted");
            let text = format!("title = \"t\"\nbase_url = {bad:?}\n");
            let error = Config::parse(&text, Path::new("haru.toml")).unwrap_err();
            assert_eq!(error.line, Some(2), "{bad:?}");
        }
        for good in [
            "/",
            "/til/",
            "https://user.github.io/til/",
            "http://127.0.0.1:1111/",
        ] {
            assert!(check_base_url(good).is_ok(), "{good:?} was refused");
        }
    }

    #[test]
    fn base_path_of_project_site() {
        assert_eq!(base_path_of("https://user.github.io/til/"), "/til/");
        assert_eq!(base_path_of("https://user.github.io/til"), "/til/");
        assert_eq!(base_path_of("https://user.github.io"), "/");
        assert_eq!(base_path_of("/"), "/");
        assert_eq!(base_path_of("/blog"), "/blog/");
    }
}
