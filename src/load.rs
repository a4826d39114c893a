//! Finding and reading the journal's files: walkdir over the content folder.
//!
//! Owns what counts as a journal file (markdown, including the extensionless dated files the
//! cohort template ships), what is skipped (dotfiles, editor temp files, `_drafts`, the output
//! folder), what is copied as an asset, and the safety rules: symlinks must stay inside the
//! content folder, loops are errors, and text must be UTF-8 (EUC-KR exists in Korean repos).

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, display_path};

pub struct LoadOptions<'a> {
    pub content: &'a Path,
    /// Left out of the walk when it lies inside the content folder.
    pub output: &'a Path,
    pub drafts: bool,
    /// Folders at the content root that belong to haru, not the journal (when the content
    /// folder is the repository root: `templates`, `static`).
    pub reserved: &'a [&'a str],
    /// For messages: paths are shown relative to this.
    pub display_base: &'a Path,
}

#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Relative to the content folder, `/`-separated.
    pub relative: String,
    pub absolute: PathBuf,
    /// NFC-normalised, `\n` line endings, no BOM.
    pub text: String,
    /// Under a `_drafts` folder.
    pub in_drafts: bool,
}

#[derive(Clone, Debug)]
pub struct Asset {
    pub relative: String,
    pub absolute: PathBuf,
}

#[derive(Default)]
pub struct Loaded {
    pub sources: Vec<SourceFile>,
    pub assets: Vec<Asset>,
}

pub fn is_markdown_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return true;
    }
    // The cohort template ships `2025-12/2025-12-22` without an extension.
    !name.contains('.') && !matches!(crate::date::in_file_stem(name), crate::date::Found::Nothing)
}

fn is_skipped_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name == "node_modules"
        || name == "Thumbs.db"
        || name == "desktop.ini"
}

pub fn load(options: &LoadOptions) -> (Loaded, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut loaded = Loaded::default();
    let content_root = match options.content.canonicalize() {
        Ok(root) => root,
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(
                    display_path(options.content, options.display_base),
                    format!("cannot open the content folder: {error}"),
                )
                .with_hint("point --content at the folder holding your markdown files"),
            );
            return (loaded, diagnostics);
        }
    };
    let output_canonical = options.output.canonicalize().ok();
    let mut markdown_paths: Vec<(String, PathBuf, bool)> = Vec::new();
    let walker = WalkDir::new(&content_root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            let name = entry.file_name().to_string_lossy();
            if is_skipped_name(&name) {
                return false;
            }
            if entry.depth() == 1
                && entry.file_type().is_dir()
                && options.reserved.contains(&name.as_ref())
            {
                return false;
            }
            if let Some(output) = &output_canonical {
                if entry.path() == output.as_path() {
                    return false;
                }
            }
            true
        });
    for item in walker {
        let entry = match item {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().map(|p| display_path(p, options.display_base));
                let message = if error.loop_ancestor().is_some() {
                    "symbolic link loop: this link points back at a folder above it".to_string()
                } else {
                    format!(
                        "cannot read: {}",
                        error
                            .io_error()
                            .map_or_else(|| error.to_string(), |e| e.to_string())
                    )
                };
                diagnostics
                    .push(Diagnostic::error(path, message).with_hint("remove or fix the link"));
                continue;
            }
        };
        if entry.depth() == 0 || entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(&content_root) => {}
                Ok(_) => {
                    diagnostics.push(
                        Diagnostic::warning(
                            display_path(path, options.display_base),
                            "symbolic link points outside the content folder; skipped",
                        )
                        .with_hint("copy the file into the journal instead of linking to it"),
                    );
                    continue;
                }
                Err(error) => {
                    diagnostics.push(Diagnostic::warning(
                        display_path(path, options.display_base),
                        format!("broken symbolic link; skipped ({error})"),
                    ));
                    continue;
                }
            }
        }
        let Ok(relative) = path.strip_prefix(&content_root) else {
            continue;
        };
        let relative_text = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let in_drafts = relative.components().any(|c| c.as_os_str() == "_drafts");
        if in_drafts && !options.drafts {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if is_markdown_name(&name) {
            markdown_paths.push((relative_text, path.to_path_buf(), in_drafts));
        } else {
            loaded.assets.push(Asset {
                relative: relative_text,
                absolute: path.to_path_buf(),
            });
        }
    }
    let results: Vec<Result<Option<SourceFile>, Diagnostic>> = markdown_paths
        .into_par_iter()
        .map(|(relative, absolute, in_drafts)| {
            read_source(relative, absolute, in_drafts, options.display_base)
        })
        .collect();
    for result in results {
        match result {
            Ok(Some(source)) => loaded.sources.push(source),
            Ok(None) => {}
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    (loaded, diagnostics)
}

fn read_source(
    relative: String,
    absolute: PathBuf,
    in_drafts: bool,
    display_base: &Path,
) -> Result<Option<SourceFile>, Diagnostic> {
    let shown = display_path(&absolute, display_base);
    let bytes = std::fs::read(&absolute)
        .map_err(|error| Diagnostic::error(shown.clone(), format!("cannot read: {error}")))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            let line = error.as_bytes()[..valid_up_to]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            return Err(
                Diagnostic::error(shown, "not UTF-8 text (EUC-KR or CP949, perhaps)")
                    .at_line(line)
                    .with_hint(
                        "convert it: iconv -f cp949 -t utf-8 FILE > FILE.utf8 && mv FILE.utf8 FILE",
                    ),
            );
        }
    };
    if text.trim().is_empty() {
        return Err(Diagnostic::warning(shown, "empty file; skipped")
            .with_hint("write the entry or delete the file"));
    }
    Ok(Some(SourceFile {
        relative,
        absolute,
        text: normalize_text(text),
        in_drafts,
    }))
}

/// NFC, `\n` line endings, no BOM: what every later stage assumes.
pub fn normalize_text(text: String) -> String {
    let mut text = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    if is_nfc_quick(text.chars()) != IsNormalized::Yes {
        text = text.nfc().collect();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_hangul_becomes_nfc() {
        let decomposed: String = "서버리스".nfd().collect();
        assert_ne!(decomposed, "서버리스");
        assert_eq!(normalize_text(decomposed), "서버리스");
    }

    #[test]
    fn crlf_and_bom_are_normalised() {
        assert_eq!(normalize_text("\u{FEFF}a\r\nb\r\n".into()), "a\nb\n");
    }

    #[test]
    fn markdown_names() {
        assert!(is_markdown_name("2026.01.30.md"));
        assert!(is_markdown_name("README.MD"));
        assert!(is_markdown_name("2025-12-22"));
        assert!(!is_markdown_name("LICENSE"));
        assert!(!is_markdown_name("image.png"));
    }

    #[test]
    fn temp_files_are_skipped() {
        for name in [
            ".git",
            ".2026-01-30.md.swp",
            "2026-01-30.md~",
            "#2026-01-30.md#",
            "4913",
            ".DS_Store",
        ] {
            assert!(is_skipped_name(name), "{name}");
        }
        assert!(!is_skipped_name("2026-01-30.md"));
    }
}
