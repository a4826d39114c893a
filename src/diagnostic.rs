//! Problems found in a journal, reported all together at the end of a run.
//!
//! Every stage pushes `Diagnostic`s instead of returning on the first problem, so one
//! `haru build` tells the learner everything that needs fixing. A diagnostic names the file
//! and line, says what is wrong and what to do; the binary prints them once.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::language::Language;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file the problem is in, as the user named it (relative to the journal root when
    /// possible); `None` for problems of the run itself.
    pub path: Option<PathBuf>,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    pub message: String,
    /// One line saying what to do about it.
    pub hint: Option<String>,
    /// The same in Korean, shown when the journal's language is Korean (see `localize`).
    #[serde(skip)]
    pub korean: Option<Box<Korean>>,
    /// The language the labels are written in.
    #[serde(skip)]
    pub language: Language,
}

/// A message and its hint in Korean, written beside the English where the problem is found.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Korean {
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<Option<PathBuf>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            message: message.into(),
            hint: None,
            korean: None,
            language: Language::En,
        }
    }

    pub fn warning(path: impl Into<Option<PathBuf>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The message in Korean.
    pub fn ko(mut self, message: impl Into<String>) -> Self {
        self.korean.get_or_insert_with(Box::default).message = message.into();
        self
    }

    /// The hint in Korean.
    pub fn ko_hint(mut self, hint: impl Into<String>) -> Self {
        self.korean.get_or_insert_with(Box::default).hint = Some(hint.into());
        self
    }

    /// Written in `language`: in Korean, the Korean message and hint where there are some.
    pub fn localize(&mut self, language: Language) {
        self.language = language;
        if language != Language::Ko {
            return;
        }
        if let Some(korean) = self.korean.take().map(|korean| *korean) {
            if !korean.message.is_empty() {
                self.message = korean.message;
            }
            if korean.hint.is_some() {
                self.hint = korean.hint;
            }
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let korean = self.language == Language::Ko;
        let label = match (self.severity, korean) {
            (Severity::Error, false) => "error",
            (Severity::Warning, false) => "warning",
            (Severity::Error, true) => "오류",
            (Severity::Warning, true) => "경고",
        };
        match (&self.path, self.line) {
            (Some(path), Some(line)) => write!(f, "{label}: {}:{line}: ", path.display())?,
            (Some(path), None) => write!(f, "{label}: {}: ", path.display())?,
            _ => write!(f, "{label}: ")?,
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            let label = if korean { "도움말" } else { "hint" };
            write!(f, "\n  {label}: {hint}")?;
        }
        Ok(())
    }
}

/// All problems of a run, in a stable order (by file, then line).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The language the problems are written in (Korean when there are none).
    pub fn language(&self) -> Language {
        self.0
            .first()
            .map_or_else(Language::default, |diagnostic| diagnostic.language)
    }

    /// Every problem written in `language` (see `Diagnostic::localize`).
    pub fn localize(&mut self, language: Language) {
        for diagnostic in &mut self.0 {
            diagnostic.localize(language);
        }
    }

    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, b.severity, &a.message)
                .cmp(&(&b.path, b.line, a.severity, &b.message))
        });
        self.0.dedup();
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// The path to show for a file: relative to `base` when it is inside it.
pub fn display_path(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// 1-based line number of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index just past the `)` closing the `(` at `open`, skipping string literals.
    fn after_closing(text: &[u8], open: usize) -> usize {
        let mut depth = 0;
        let mut at = open;
        while at < text.len() {
            match text[at] {
                b'"' => {
                    at += 1;
                    while text[at] != b'"' {
                        at += if text[at] == b'\\' { 2 } else { 1 };
                    }
                }
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return at + 1;
                    }
                }
                _ => {}
            }
            at += 1;
        }
        text.len()
    }

    /// The methods chained onto the call whose `(` is at `open`: `.at_line(…).ko(…)` → at_line, ko.
    fn chained(text: &str, open: usize) -> Vec<String> {
        let bytes = text.as_bytes();
        let mut at = after_closing(bytes, open);
        let mut methods = Vec::new();
        loop {
            let rest = text[at..].trim_start();
            let Some(call) = rest.strip_prefix('.') else {
                break;
            };
            let name: String = call
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !call[name.len()..].starts_with('(') {
                break;
            }
            let open = text.len() - rest.len() + 1 + name.len();
            methods.push(name);
            at = after_closing(bytes, open);
        }
        methods
    }

    #[test]
    fn every_message_haru_writes_has_its_korean() {
        // A place whose text is replaced before it is shown: external.rs writes its message.
        const FILLED_IN_LATER: &str = "String::new(), \"\")";
        let mut missing = Vec::new();
        let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for file in walkdir::WalkDir::new(&source)
            .into_iter()
            .filter_map(Result::ok)
        {
            let path = file.path();
            let name = path.to_string_lossy();
            if path.extension().is_none_or(|extension| extension != "rs")
                || name.ends_with("tests.rs")
                || name.ends_with("diagnostic.rs")
            {
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            for call in [
                "Diagnostic::error(",
                "Diagnostic::warning(",
                "file.at(",
                "file.at_line(",
                "Finding::about_file(",
            ] {
                for (start, _) in code.match_indices(call) {
                    let open = start + call.len() - 1;
                    let end = after_closing(code.as_bytes(), open);
                    let struct_update = code[..start].trim_end().ends_with("..");
                    if code[..end].ends_with(FILLED_IN_LATER) || struct_update {
                        continue;
                    }
                    let methods = chained(code, open);
                    let has = |name: &str| methods.iter().any(|method| method == name);
                    // A finding's `.ko` takes its hint along; a diagnostic's hint needs its own.
                    let hinted = has("with_hint") && call.starts_with("Diagnostic");
                    if !has("ko") || (hinted && !has("ko_hint")) {
                        let line = code[..start].matches('\n').count() + 1;
                        missing.push(format!("{}:{line}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "messages without .ko(…): {missing:#?}");
    }

    #[test]
    fn korean_replaces_the_english_only_in_korean() {
        let diagnostic = Diagnostic::error(PathBuf::from("a.md"), "broken")
            .at_line(3)
            .with_hint("fix it")
            .ko("깨졌습니다")
            .ko_hint("고치세요");
        let mut korean = diagnostic.clone();
        korean.localize(Language::Ko);
        assert_eq!(
            korean.to_string(),
            "오류: a.md:3: 깨졌습니다\n  도움말: 고치세요"
        );
        let mut english = diagnostic;
        english.localize(Language::En);
        assert_eq!(english.to_string(), "error: a.md:3: broken\n  hint: fix it");
    }
}
