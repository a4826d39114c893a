//! What a build reads once and keeps until its own files change: the journal (configuration,
//! folders, catalogue), the theme and the syntax stylesheet.

use std::path::{Path, PathBuf};

use crate::config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::highlight;
use crate::journal::BuildOptions;
use crate::journal::Journal;
use crate::model::fingerprint as hash;
use crate::render::Theme;

pub(super) struct Setup {
    pub(super) journal: Journal,
    pub(super) theme: Theme,
    pub(super) syntax_css: String,
    /// The journal's templates and the stylesheet, for the global key.
    pub(super) theme_key: u64,
}

impl Setup {
    pub(super) fn load(options: &BuildOptions) -> Result<Setup, Diagnostics> {
        let journal = Journal::open(options).map_err(|d| Diagnostics(vec![d]))?;
        journal
            .check_output_and_content()
            .map_err(|d| Diagnostics(vec![d]))?;
        let mut diagnostics = Diagnostics::default();
        let templates = journal.templates_dir();
        let theme = match Theme::load(Some(&templates), &journal.root) {
            Ok(theme) => Some(theme),
            Err(errors) => {
                diagnostics.extend(errors);
                None
            }
        };
        let syntax_css = match highlight::theme_css(
            &journal.config.highlight.light_theme,
            &journal.config.highlight.dark_theme,
        ) {
            Ok(css) => css,
            Err(message) => {
                diagnostics.push(
                    Diagnostic::error(PathBuf::from(config::CONFIG_FILE), message.clone())
                        .ko(format!("문법 강조 테마: {message}")),
                );
                String::new()
            }
        };
        if diagnostics.has_errors() {
            diagnostics.sort();
            return Err(diagnostics);
        }
        Ok(Setup {
            theme_key: hash(&(template_sources(&templates), &syntax_css)),
            journal,
            theme: theme.expect("no theme errors"),
            syntax_css,
        })
    }
}

/// The journal's own templates, as (name, text), for the theme's key.
fn template_sources(dir: &Path) -> Vec<(String, String)> {
    let mut sources: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .map(|entry| {
                    (
                        entry.file_name().to_string_lossy().to_string(),
                        std::fs::read_to_string(entry.path()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    sources.sort();
    sources
}
