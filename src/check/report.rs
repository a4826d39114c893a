use crate::check::finding::Finding;
use crate::diagnostic::Severity;

/// Findings as a compiler prints them: `path:line:col: warning[rule]: message`, the source line
/// with a marker under the column, and the hint.
pub fn render(findings: &[Finding], colour: bool) -> String {
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    for finding in findings {
        let (label, code) = match finding.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
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
            out.push_str(&format!("  = hint: {hint}\n"));
        }
    }
    out
}

pub(in crate::check) fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF)
}

/// Findings as JSON, one object each, for editors and scripts.
pub fn json(findings: &[Finding]) -> String {
    serde_json::to_string_pretty(findings).expect("findings serialise")
}
