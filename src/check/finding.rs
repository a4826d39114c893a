//! A finding, the rule it comes from, and how it is placed: file, line, column in characters,
//! and the snippet of its line a report shows under it.

use crate::diagnostic::Korean;
use crate::diagnostic::{Diagnostic, Severity};
use crate::language::Language;
use crate::parse::Parsed;
use pulldown_cmark::{Event, Options, Parser};
use serde::Serialize;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// What a finding is about; its kebab-case name is what reports print and `--format json`
/// gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    BlankEntry,
    Build,
    BrokenAnchor,
    BrokenExternalLink,
    BrokenLink,
    DateMismatch,
    DateOutlier,
    DuplicateEntry,
    EmptySection,
    GithubBracketLink,
    GithubDunderBold,
    GithubLiteralEmphasis,
    GithubSwallowedHtml,
    GithubTildeStrikethrough,
    GithubUrlParticle,
    IndentedCode,
    IndentedFence,
    IndentedQuote,
    LeftOutFile,
    ListIndent,
    MissingImage,
    NoDate,
    OverIndentedBullet,
    TemplateLeftover,
    TooManyFindings,
    UnclosedFence,
}

/// How much a finding matters, the order a report lists them in.
///
/// An error is what a reader of the published site hits (a link or image that leads nowhere,
/// a fence that swallows the rest of the page, a file the build rejects): `haru check` exits 1.
/// A warning is what the author would want to fix (dates that disagree, a copied entry,
/// template text). A note is what haru already shows as meant and GitHub would not, or a
/// detail of style: hidden unless asked for (`--all`), since on a real journal hundreds of them
/// buried the few findings that matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }

    /// The level as a report in `language` calls it.
    pub fn word(self, language: Language) -> &'static str {
        match (language, self) {
            (Language::En, _) => self.name(),
            (Language::Ko, Level::Error) => "오류",
            (Language::Ko, Level::Warning) => "경고",
            (Language::Ko, Level::Note) => "참고",
        }
    }
}

impl Rule {
    /// Every rule, for `--rule`/`--skip` and `[check] skip` to be checked against.
    pub const ALL: [Rule; 26] = [
        Rule::BlankEntry,
        Rule::Build,
        Rule::BrokenAnchor,
        Rule::BrokenExternalLink,
        Rule::BrokenLink,
        Rule::DateMismatch,
        Rule::DateOutlier,
        Rule::DuplicateEntry,
        Rule::EmptySection,
        Rule::GithubBracketLink,
        Rule::GithubDunderBold,
        Rule::GithubLiteralEmphasis,
        Rule::GithubSwallowedHtml,
        Rule::GithubTildeStrikethrough,
        Rule::GithubUrlParticle,
        Rule::IndentedCode,
        Rule::IndentedFence,
        Rule::IndentedQuote,
        Rule::LeftOutFile,
        Rule::ListIndent,
        Rule::MissingImage,
        Rule::NoDate,
        Rule::OverIndentedBullet,
        Rule::TemplateLeftover,
        Rule::TooManyFindings,
        Rule::UnclosedFence,
    ];

    /// The rule of a kebab-case name, as reports print it.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.name() == name)
    }

    /// How much this rule's findings matter. `build` findings take the build's own level.
    pub fn level(self) -> Level {
        match self {
            Rule::Build | Rule::BrokenLink | Rule::MissingImage | Rule::UnclosedFence => {
                Level::Error
            }
            Rule::BlankEntry
            | Rule::BrokenAnchor
            | Rule::BrokenExternalLink
            | Rule::DateMismatch
            | Rule::DateOutlier
            | Rule::DuplicateEntry
            | Rule::GithubBracketLink
            | Rule::GithubUrlParticle
            | Rule::IndentedCode
            | Rule::LeftOutFile
            | Rule::NoDate
            | Rule::TemplateLeftover
            | Rule::TooManyFindings => Level::Warning,
            // haru renders these as meant (and says so), or they are matters of style.
            Rule::EmptySection
            | Rule::GithubDunderBold
            | Rule::GithubLiteralEmphasis
            | Rule::GithubSwallowedHtml
            | Rule::GithubTildeStrikethrough
            | Rule::IndentedFence
            | Rule::IndentedQuote
            | Rule::ListIndent
            | Rule::OverIndentedBullet => Level::Note,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Rule::BlankEntry => "blank-entry",
            Rule::Build => "build",
            Rule::BrokenAnchor => "broken-anchor",
            Rule::BrokenExternalLink => "broken-external-link",
            Rule::BrokenLink => "broken-link",
            Rule::DateMismatch => "date-mismatch",
            Rule::DateOutlier => "date-outlier",
            Rule::DuplicateEntry => "duplicate-entry",
            Rule::EmptySection => "empty-section",
            Rule::GithubBracketLink => "github-bracket-link",
            Rule::GithubDunderBold => "github-dunder-bold",
            Rule::GithubLiteralEmphasis => "github-literal-emphasis",
            Rule::GithubSwallowedHtml => "github-swallowed-html",
            Rule::GithubTildeStrikethrough => "github-tilde-strikethrough",
            Rule::GithubUrlParticle => "github-url-particle",
            Rule::IndentedCode => "indented-code",
            Rule::IndentedFence => "indented-fence",
            Rule::IndentedQuote => "indented-quote",
            Rule::LeftOutFile => "left-out-file",
            Rule::ListIndent => "list-indent",
            Rule::MissingImage => "missing-image",
            Rule::NoDate => "no-date",
            Rule::OverIndentedBullet => "over-indented-bullet",
            Rule::TemplateLeftover => "template-leftover",
            Rule::TooManyFindings => "too-many-findings",
            Rule::UnclosedFence => "unclosed-fence",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str(self.name())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's name, e.g. `date-mismatch`.
    pub rule: Rule,
    pub level: Level,
    /// As shown to the user (relative to the root).
    pub path: PathBuf,
    /// 1-based; 0 when the finding is about the whole file.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The message and hint in Korean, shown when the journal's language is Korean.
    #[serde(skip)]
    pub korean: Option<Box<Korean>>,
    /// The source line, or a window of it around the column on a long line, for the marker.
    #[serde(skip)]
    pub source: String,
    /// Where the marker goes in `source`, in characters.
    #[serde(skip)]
    pub marker: usize,
}

impl Finding {
    /// A finding about a whole file (line 0), at its rule's level.
    pub(in crate::check) fn about_file(
        rule: Rule,
        path: PathBuf,
        message: String,
        hint: &str,
    ) -> Finding {
        Finding {
            rule,
            level: rule.level(),
            path,
            line: 0,
            column: 0,
            message,
            hint: Some(hint.to_string()),
            korean: None,
            source: String::new(),
            marker: 0,
        }
    }

    /// The message and hint in Korean.
    pub(in crate::check) fn ko(mut self, message: impl Into<String>, hint: &str) -> Finding {
        self.korean = Some(Box::new(Korean {
            message: message.into(),
            hint: (!hint.is_empty()).then(|| hint.to_string()),
        }));
        self
    }

    /// Written in `language`: in Korean, the Korean message and hint where there are some.
    pub(in crate::check) fn localize(&mut self, language: Language) {
        if language != Language::Ko {
            return;
        }
        if let Some(korean) = self.korean.take().map(|korean| *korean) {
            self.message = korean.message;
            if korean.hint.is_some() {
                self.hint = korean.hint;
            }
        }
    }
}

/// A build problem's level in a report: the build's errors are errors, its warnings warnings.
pub(in crate::check) fn build_level(severity: Severity) -> Level {
    match severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    }
}

/// At most this many findings are listed for one line, and for one file: a 5 MB line of
/// broken links must give a readable report, not gigabytes.
pub(in crate::check) const MOST_PER_LINE: usize = 10;
pub(in crate::check) const MOST_PER_FILE: usize = 200;

/// How many characters of a long source line are shown on each side of the column.
pub(in crate::check) const SNIPPET_SIDE: usize = 60;

/// An `http(s)` URL and the finding it becomes where it is linked, if its server fails.
pub(in crate::check) type ExternalLink = (String, Finding);

/// One file as the rules see it.
pub(in crate::check) struct Checked<'a> {
    pub(in crate::check) relative: &'a str,
    pub(in crate::check) shown: PathBuf,
    pub(in crate::check) text: &'a str,
    /// Byte offsets of the text's line starts: a finding's line is a binary search away.
    pub(in crate::check) line_starts: Vec<usize>,
    /// The last column counted, as (offset, characters since its line's start): rules place
    /// findings in text order, so counting goes on from there instead of from the line's start
    /// (on one 5 MB line, counting from the start for each finding never ends).
    pub(in crate::check) last_column: std::sync::Mutex<(usize, usize)>,
    /// Where the markdown body starts in `text` (after front matter).
    pub(in crate::check) body_start: usize,
    pub(in crate::check) parsed: &'a Parsed,
}

impl Checked<'_> {
    pub(in crate::check) fn at(
        &self,
        rule: Rule,
        offset: usize,
        message: String,
        hint: &str,
    ) -> Finding {
        let offset = floor_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let line_end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        let column = {
            let mut last = self.last_column.lock().expect("no rule panicked");
            let (from, counted) = if last.0 >= line_start && last.0 <= offset {
                *last
            } else {
                (line_start, 0)
            };
            let characters = counted + count_characters(&self.text[from..offset]);
            *last = (offset, characters);
            characters + 1
        };
        let (source, marker) = snippet(&self.text[line_start..line_end], offset - line_start);
        Finding {
            rule,
            level: rule.level(),
            path: self.shown.clone(),
            line,
            column,
            message,
            hint: Some(hint.to_string()),
            korean: None,
            source,
            marker,
        }
    }

    pub(in crate::check) fn at_line(
        &self,
        rule: Rule,
        line: usize,
        message: String,
        hint: &str,
    ) -> Finding {
        let offset = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        self.at(rule, offset, message, hint)
    }
}

/// Byte offsets of every line's start.
pub(in crate::check) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(index, _)| index + 1))
        .collect()
}

/// The nearest character boundary at or before `offset`.
pub(in crate::check) fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Characters in valid UTF-8, counted by their lead bytes (no decoding).
pub(in crate::check) fn count_characters(text: &str) -> usize {
    text.bytes().filter(|&byte| (byte & 0xC0) != 0x80).count()
}

/// The line as it is shown under a finding, and where its marker goes (in characters): the
/// whole line when it is short, else `SNIPPET_SIDE` characters each side of the column, so a
/// finding costs the same on a line of 5 MB as on one of 50 bytes.
pub(in crate::check) fn snippet(line: &str, column_byte: usize) -> (String, usize) {
    let before = &line[..column_byte];
    let after = &line[column_byte..];
    let start = before
        .char_indices()
        .rev()
        .nth(SNIPPET_SIDE - 1)
        .map_or(0, |(index, _)| index);
    let end = after
        .char_indices()
        .nth(SNIPPET_SIDE)
        .map_or(after.len(), |(index, _)| index);
    let mut shown = String::with_capacity(start.abs_diff(column_byte) + end + 8);
    let mut marker = count_characters(&before[start..]);
    if start > 0 {
        shown.push('…');
        marker += 1;
    }
    shown.push_str(&before[start..]);
    shown.push_str(&after[..end]);
    if end < after.len() {
        shown.push('…');
    }
    (shown, marker)
}

/// A file's findings with at most `MOST_PER_LINE` a line and `MOST_PER_FILE` in all, the rest
/// counted in one last finding.
pub(in crate::check) fn cap(mut found: Vec<Finding>, shown: &Path) -> Vec<Finding> {
    found.sort_by(|a, b| (a.line, a.column, a.rule.name()).cmp(&(b.line, b.column, b.rule.name())));
    let total = found.len();
    let mut kept: Vec<Finding> = Vec::with_capacity(total.min(MOST_PER_FILE + 1));
    let mut on_line = 0;
    for finding in found {
        if kept.last().is_none_or(|last| last.line != finding.line) {
            on_line = 0;
        }
        on_line += 1;
        if on_line <= MOST_PER_LINE && kept.len() < MOST_PER_FILE {
            kept.push(finding);
        }
    }
    if kept.len() < total {
        let more = total - kept.len();
        kept.push(Finding::about_file(
            Rule::TooManyFindings,
            shown.to_path_buf(),
            format!(
                "{more} more findings in this file are not listed (at most {MOST_PER_LINE} a line, {MOST_PER_FILE} a file)"
            ),
            "fix the ones listed and run haru check again",
        )
.ko(format!("이 파일에 찾은 것이 {more}개 더 있지만 적지 않았습니다(한 줄에 {MOST_PER_LINE}개, 한 파일에 {MOST_PER_FILE}개까지)"), "적힌 것을 고치고 haru check를 다시 실행하세요"));
    }
    kept
}

pub(in crate::check) fn from_diagnostic(diagnostic: &Diagnostic) -> Finding {
    Finding {
        rule: Rule::Build,
        level: build_level(diagnostic.severity),
        path: diagnostic.path.clone().unwrap_or_default(),
        line: diagnostic.line.unwrap_or(0),
        column: usize::from(diagnostic.line.is_some()),
        message: diagnostic.message.clone(),
        hint: diagnostic.hint.clone(),
        korean: diagnostic.korean.clone(),
        source: String::new(),
        marker: 0,
    }
}

/// The body's events with offsets into the whole file.
pub(in crate::check) fn events(
    file: &Checked,
    options: Options,
) -> Vec<(Event<'static>, Range<usize>)> {
    let body = &file.text[file.body_start..];
    Parser::new_ext(body, options)
        .into_offset_iter()
        .map(|(event, range)| {
            (
                event.into_static(),
                range.start + file.body_start..range.end + file.body_start,
            )
        })
        .collect()
}
