//! How findings are shown: like a compiler's messages for people, with a summary at the end,
//! or as JSON for editors and scripts.

use crate::check::CheckReport;
use crate::check::finding::{Finding, Level};
use crate::language::Language;
use std::collections::BTreeMap;
use std::path::Path;

/// At most this many files are listed in the summary, those with most findings first.
const SUMMARY_FILES: usize = 20;

/// Findings as a compiler prints them: `path:line:col: warning[rule]: message`, the source line
/// with a marker under the column, and the hint.
pub fn render(findings: &[Finding], language: Language, colour: bool) -> String {
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    for finding in findings {
        let (label, code) = (finding.level.word(language), colour_code(finding.level));
        let place = match (finding.line, finding.column) {
            (0, _) => finding.path.display().to_string(),
            (line, 0) => format!("{}:{line}", finding.path.display()),
            (line, column) => format!("{}:{line}:{column}", finding.path.display()),
        };
        out.push_str(&format!(
            "{}: {}: {}\n",
            paint("1", &place),
            paint(code, &format!("{label}[{}]", finding.rule)),
            finding.message
        ));
        if !finding.source.is_empty() && finding.column > 0 {
            let number = finding.line.to_string();
            let gutter = " ".repeat(number.len());
            out.push_str(&format!("{} |\n", paint("34", &gutter)));
            out.push_str(&format!("{} | {}\n", paint("34", &number), finding.source));
            // The marker sits under the column, Hangul counting two cells.
            let before: usize = finding
                .source
                .chars()
                .take(finding.marker)
                .map(|c| if is_wide(c) { 2 } else { 1 })
                .sum();
            out.push_str(&format!(
                "{} | {}{}\n",
                paint("34", &gutter),
                " ".repeat(before),
                paint(code, "^")
            ));
        }
        if let Some(hint) = &finding.hint
            && !hint.is_empty()
        {
            let label = match language {
                Language::Ko => "도움말",
                Language::En => "hint",
            };
            out.push_str(&format!("  = {label}: {hint}\n"));
        }
    }
    out
}

fn colour_code(level: Level) -> &'static str {
    match level {
        Level::Error => "1;31",
        Level::Warning => "1;33",
        Level::Note => "1;36",
    }
}

/// The end of a report: findings by rule and by file, and the totals, saying what was hidden.
pub fn summary(report: &CheckReport) -> String {
    let findings = &report.findings;
    let language = report.language;
    let korean = language == Language::Ko;
    let mut out = String::new();
    if !findings.is_empty() {
        let mut by_rule: BTreeMap<(Level, &str), usize> = BTreeMap::new();
        for finding in findings {
            *by_rule
                .entry((finding.level, finding.rule.name()))
                .or_default() += 1;
        }
        let width = by_rule
            .keys()
            .map(|(_, name)| name.len())
            .max()
            .unwrap_or(0);
        out.push_str(if korean {
            "\n규칙별:\n"
        } else {
            "\nby rule:\n"
        });
        for ((level, name), count) in &by_rule {
            // Hangul takes two cells: the column is padded to the same width either way.
            let word = level.word(language);
            let pad =
                7usize.saturating_sub(word.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum());
            out.push_str(&format!(
                "  {word}{}  {name:<width$}  {count}\n",
                " ".repeat(pad)
            ));
        }
        out.push_str(&by_file(findings, language));
    }
    let levels: Vec<Level> = findings.iter().map(|finding| finding.level).collect();
    out.push_str(&format!("\n{}", counted(&levels, true, language)));
    if report.hidden_notes > 0 {
        let hidden = report.hidden_notes;
        out.push_str(&if korean {
            format!(" (참고 {hidden}개 숨김: --all로 봅니다)")
        } else {
            format!(
                " ({hidden} note{} hidden: --all shows them)",
                plural(hidden)
            )
        });
    }
    out.push('\n');
    out
}

/// Files with findings, most first: `content/a.md  1 error, 3 warnings`.
fn by_file(findings: &[Finding], language: Language) -> String {
    let korean = language == Language::Ko;
    let mut files: BTreeMap<&Path, Vec<&Finding>> = BTreeMap::new();
    for finding in findings {
        files
            .entry(finding.path.as_path())
            .or_default()
            .push(finding);
    }
    let mut files: Vec<(&Path, Vec<&Finding>)> = files.into_iter().collect();
    files.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let width = files
        .iter()
        .take(SUMMARY_FILES)
        .map(|(path, _)| path.display().to_string().chars().count())
        .max()
        .unwrap_or(0);
    let mut out = if korean {
        format!("\n파일별 ({}개):\n", files.len())
    } else {
        format!("\nby file ({}):\n", files.len())
    };
    for (path, found) in files.iter().take(SUMMARY_FILES) {
        let levels: Vec<Level> = found.iter().map(|finding| finding.level).collect();
        out.push_str(&format!(
            "  {:<width$}  {}\n",
            path.display().to_string(),
            counted(&levels, false, language)
        ));
    }
    if files.len() > SUMMARY_FILES {
        let more = files.len() - SUMMARY_FILES;
        out.push_str(&if korean {
            format!("  … 그리고 파일 {more}개 더\n")
        } else {
            format!("  … and {more} more files\n")
        });
    }
    out
}

/// `1 error, 2 warnings, 0 notes` (`오류 1개, 경고 2개, 참고 0개`); without `zeros`,
/// `1 error, 2 warnings`.
fn counted(levels: &[Level], zeros: bool, language: Language) -> String {
    let count = |level: Level| levels.iter().filter(|&&found| found == level).count();
    [Level::Error, Level::Warning, Level::Note]
        .into_iter()
        .map(|level| (level, count(level)))
        .filter(|&(_, n)| zeros || n > 0)
        .map(|(level, n)| match language {
            Language::Ko => format!("{} {n}개", level.word(language)),
            Language::En => format!("{n} {}{}", level.name(), plural(n)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

pub(in crate::check) fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF)
}

/// Findings as JSON, one object each, for editors and scripts.
pub fn json(findings: &[Finding]) -> String {
    serde_json::to_string_pretty(findings).expect("findings serialise")
}
