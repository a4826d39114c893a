//! Code highlighting with syntect, as CSS classes so one page serves light and dark themes.
//!
//! The syntax set (bat's, via two-face: it has JSX, TypeScript, TOML, Dockerfile, HCL that
//! syntect's defaults lack) is loaded once per build and shared read-only by every thread.
//! What it highlights is kept for the next build (`cache`).

mod cache;

use std::path::PathBuf;

use cache::CodeCache;

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::color_scheme::Rgb;
use crate::text::escape_html;
use syntect::highlighting::{Color, Theme};

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

pub struct Highlighter {
    syntaxes: SyntaxSet,
    cache: CodeCache,
}

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter::new()
    }
}

impl Highlighter {
    pub fn new() -> Self {
        Highlighter {
            syntaxes: two_face::syntax::extra_newlines(),
            cache: CodeCache::default(),
        }
    }

    /// A highlighter that reuses the blocks kept in `file` and keeps what it makes there
    /// (see `save_cache`).
    pub(crate) fn with_cache(file: PathBuf) -> Self {
        Highlighter {
            cache: CodeCache::open(file),
            ..Highlighter::new()
        }
    }

    /// Keeps the blocks this build highlighted or reused for the next build; the others are
    /// dropped from the cache. Call it after a build that read every file. The blocks are
    /// then let go (tens of MB at 10,000 entries, held no longer than the parse): what a
    /// `serve` rebuild reads again is one file's few blocks, highlighted afresh.
    pub(crate) fn save_cache(&mut self) {
        self.cache.save();
        self.cache = CodeCache::default();
    }

    /// The fence label as it names a language: `yml` → `yaml`, `js` → `javascript`…
    pub fn canonical_language(label: &str) -> String {
        let label = label.trim().to_lowercase();
        let alias = match label.as_str() {
            "yml" => "yaml",
            "js" | "node" | "mjs" | "cjs" => "javascript",
            "ts" => "typescript",
            "sh" | "shell" | "zsh" | "console" | "shellscript" => "bash",
            "py" | "python3" => "python",
            "rb" => "ruby",
            "rs" => "rust",
            "kt" => "kotlin",
            "tf" | "terraform" => "hcl",
            "docker" => "dockerfile",
            "md" => "markdown",
            "ps" | "ps1" | "pwsh" => "powershell",
            "c++" => "cpp",
            "cs" | "c#" => "csharp",
            "plaintext" | "txt" | "plain" => "text",
            other => other,
        };
        alias.to_string()
    }

    fn syntax_for(&self, language: &str) -> Option<&SyntaxReference> {
        let token = match language {
            "javascript" => "js",
            "typescript" => "ts",
            "jsx" => "jsx",
            "dockerfile" => "Dockerfile",
            "gradle" => "groovy",
            "jsp" => "jsp",
            "properties" => "properties",
            "gitignore" => "gitignore",
            "hcl" => "hcl",
            "csharp" => "cs",
            "text" => return None,
            other => other,
        };
        self.syntaxes
            .find_syntax_by_token(token)
            .or_else(|| self.syntaxes.find_syntax_by_token(language))
    }

    /// A whole code block. Unlabeled or unknown languages come out plain, escaped.
    pub fn block(&self, code: &str, label: Option<&str>) -> String {
        let language = label
            .and_then(|label| label.split([' ', ',', '{']).next())
            .filter(|label| !label.is_empty())
            .map(Highlighter::canonical_language);
        let mut html = String::with_capacity(code.len() * 2 + 64);
        match &language {
            Some(language) => {
                html.push_str("<pre class=\"code\" data-lang=\"");
                html.push_str(&escape_html(language));
                html.push_str("\"><code class=\"language-");
                html.push_str(&escape_html(language));
                html.push_str("\">");
            }
            None => html.push_str("<pre class=\"code\"><code>"),
        }
        match language
            .as_deref()
            .and_then(|language| self.syntax_for(language))
        {
            Some(syntax) => html.push_str(
                &self
                    .cache
                    .get_or_make(&syntax.name, code, || self.classed(code, syntax)),
            ),
            None => html.push_str(&escape_html(code)),
        }
        html.push_str("</code></pre>\n");
        html
    }

    fn classed(&self, code: &str, syntax: &SyntaxReference) -> String {
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            if generator
                .parse_html_for_line_which_includes_newline(line)
                .is_err()
            {
                // A grammar that fails on this input: show the code plain rather than fail the build.
                return escape_html(code);
            }
        }
        generator.finalize()
    }
}

/// The code block backgrounds of the default theme (`--code-background` in static/style.css,
/// light and dark; a test holds the two files to the same values).
pub(crate) const LIGHT_CODE_BACKGROUND: Rgb = Rgb(0xf6, 0xf8, 0xfa);
pub(crate) const DARK_CODE_BACKGROUND: Rgb = Rgb(0x15, 0x1b, 0x23);

/// `theme` with every token colour made readable on `background` (see `Rgb::readable_on`).
fn readable(theme: &Theme, background: Rgb) -> Theme {
    let mut theme = theme.clone();
    for item in &mut theme.scopes {
        // A token with a background of its own (diff lines) is read on that, as the
        // stylesheet writes it: opaque.
        let own = item
            .style
            .background
            .map(|colour| Rgb(colour.r, colour.g, colour.b));
        if let Some(colour) = item.style.foreground.as_mut() {
            let under = own.unwrap_or(background);
            // The stylesheet writes colours opaque, whatever their alpha.
            let shown = Rgb(colour.r, colour.g, colour.b);
            let Rgb(r, g, b) = shown.readable_on(under);
            *colour = Color { r, g, b, a: 255 };
        }
    }
    theme
}

/// The stylesheet for a pair of bat themes: light by default, dark under
/// `prefers-color-scheme: dark` or when the reader chose dark. Unknown theme names are an error naming the choices.
pub fn theme_css(light: &str, dark: &str) -> Result<String, String> {
    let themes = two_face::theme::extra();
    let find = |name: &str| {
        two_face::theme::EmbeddedLazyThemeSet::theme_names()
            .iter()
            .find(|theme| theme.as_name().eq_ignore_ascii_case(name))
            .map(|theme| themes.get(*theme))
            .ok_or_else(|| {
                let names: Vec<&str> = two_face::theme::EmbeddedLazyThemeSet::theme_names()
                    .iter()
                    .map(|theme| theme.as_name())
                    .collect();
                format!(
                    "unknown highlight theme \"{name}\"; choose one of: {}",
                    names.join(", ")
                )
            })
    };
    let light_css =
        css_for_theme_with_class_style(&readable(find(light)?, LIGHT_CODE_BACKGROUND), CLASS_STYLE)
            .map_err(|e| e.to_string())?;
    let dark_css =
        css_for_theme_with_class_style(&readable(find(dark)?, DARK_CODE_BACKGROUND), CLASS_STYLE)
            .map_err(|e| e.to_string())?;
    Ok(crate::color_scheme::follow_choice(&format!(
        "/* light: {light} */\n{light_css}\n/* dark: {dark} */\n@media (prefers-color-scheme: dark) {{\n{dark_css}\n}}\n"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `color` of a stylesheet part with the background it is read on.
    fn colours(css: &str, background: Rgb) -> Vec<(String, Rgb, Rgb)> {
        let hex = |value: &str| {
            let value = value.trim().trim_start_matches('#');
            let byte = |at: usize| u8::from_str_radix(&value[at..at + 2], 16).unwrap();
            Rgb(byte(0), byte(2), byte(4))
        };
        css.split('}')
            .filter_map(|rule| {
                let (selector, declarations) = rule.split_once('{')?;
                let value = |name: &str| {
                    declarations.split(';').find_map(|declaration| {
                        let (key, value) = declaration.split_once(':')?;
                        (key.trim() == name).then(|| hex(value))
                    })
                };
                let colour = value("color")?;
                let under = value("background-color").unwrap_or(background);
                Some((selector.trim().to_string(), colour, under))
            })
            // `.hl-code` is the theme's page colours, which haru's own theme replaces.
            .filter(|(selector, ..)| !selector.ends_with(".hl-code"))
            .collect()
    }

    #[test]
    fn every_token_of_every_theme_reads_on_the_code_background_light_and_dark() {
        let names: Vec<&str> = two_face::theme::EmbeddedLazyThemeSet::theme_names()
            .iter()
            .map(|theme| theme.as_name())
            .collect();
        assert!(names.len() > 10);
        for name in names {
            let css = theme_css(name, name).unwrap();
            let (light, dark) = css.split_once("/* dark:").unwrap();
            for (part, background) in [(light, LIGHT_CODE_BACKGROUND), (dark, DARK_CODE_BACKGROUND)]
            {
                let found = colours(part, background);
                assert!(!found.is_empty(), "{name}");
                for (selector, colour, under) in found {
                    let ratio = colour.contrast(under);
                    assert!(
                        ratio >= crate::color_scheme::READABLE,
                        "{name}: `{selector}` {colour:?} on {under:?} is {ratio:.2}:1"
                    );
                }
            }
        }
    }

    #[test]
    fn the_code_backgrounds_are_the_theme_s() {
        let css = include_str!("../../static/style.css");
        let hex = |Rgb(r, g, b): Rgb| format!("--code-background: #{r:02x}{g:02x}{b:02x};");
        assert!(css.contains(&hex(LIGHT_CODE_BACKGROUND)));
        assert!(css.contains(&hex(DARK_CODE_BACKGROUND)));
    }

    #[test]
    fn aliases_normalise() {
        assert_eq!(Highlighter::canonical_language("yml"), "yaml");
        assert_eq!(Highlighter::canonical_language("JS"), "javascript");
        assert_eq!(Highlighter::canonical_language("sh"), "bash");
    }

    #[test]
    fn known_languages_get_classes_and_unlabeled_stay_plain() {
        let highlighter = Highlighter::new();
        for label in [
            "yaml",
            "yml",
            "js",
            "jsx",
            "java",
            "sql",
            "bash",
            "sh",
            "dockerfile",
            "hcl",
            "toml",
            "typescript",
            "python",
            "json",
            "html",
            "css",
        ] {
            let html = highlighter.block("a = 1\n", Some(label));
            assert!(
                html.contains("class=\"hl-"),
                "{label} not highlighted: {html}"
            );
        }
        let plain = highlighter.block("<b>x</b>\n", None);
        assert_eq!(
            plain,
            "<pre class=\"code\"><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn theme_css_for_defaults_and_unknown_name() {
        let css = theme_css("GitHub", "OneHalfDark").unwrap();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(
            theme_css("nope", "OneHalfDark")
                .unwrap_err()
                .contains("GitHub")
        );
    }
}
