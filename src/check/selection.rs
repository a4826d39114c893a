//! Which findings a run reports: the rules asked for (`--rule`), less those skipped
//! (`--skip`, and `[check] skip` in haru.toml), and notes only when asked (`--all`, or a
//! note's rule named with `--rule`). What is left out is counted, so the report can say so.

use crate::check::finding::{Finding, Level, Rule};
use crate::diagnostic::Diagnostic;
use std::path::Path;

/// What the command line asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Only these rules; empty: every rule.
    pub only: Vec<Rule>,
    /// Never these rules.
    pub skip: Vec<Rule>,
    /// Notes too (`--all`).
    pub notes: bool,
}

impl Selection {
    /// Whether a finding is reported, given the journal's own skipped rules.
    fn keeps(&self, finding: &Finding, skipped_by_journal: &[Rule]) -> bool {
        let named = self.only.contains(&finding.rule);
        (self.only.is_empty() || named)
            && !self.skip.contains(&finding.rule)
            && !skipped_by_journal.contains(&finding.rule)
            && (finding.level != Level::Note || self.notes || named)
    }

    /// Keeps the findings asked for; gives how many notes were left out for want of `--all`
    /// (not those skipped by name).
    pub(in crate::check) fn apply(
        &self,
        findings: &mut Vec<Finding>,
        skipped_by_journal: &[Rule],
    ) -> usize {
        let with_notes = Selection {
            notes: true,
            ..self.clone()
        };
        let mut hidden = 0;
        findings.retain(|finding| {
            let kept = self.keeps(finding, skipped_by_journal);
            hidden += usize::from(!kept && with_notes.keeps(finding, skipped_by_journal));
            kept
        });
        hidden
    }
}

/// A rule from its name, or why not, listing the names there are.
pub fn rule_named(name: &str) -> Result<Rule, String> {
    Rule::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Rule::ALL.iter().map(|rule| rule.name()).collect();
        format!("no rule named `{name}`; the rules are {}", names.join(", "))
    })
}

/// The rules `[check] skip` names, or an error at the line naming one that does not exist.
pub(in crate::check) fn journal_skips(
    names: &[String],
    config_text: Option<&str>,
) -> Result<Vec<Rule>, Diagnostic> {
    names
        .iter()
        .map(|name| {
            rule_named(name).map_err(|why| {
                let line = config_text.and_then(|text| {
                    text.lines()
                        .position(|line| line.contains(&format!("\"{name}\"")))
                        .map(|index| index + 1)
                });
                let diagnostic = Diagnostic::error(
                    Path::new(crate::config::CONFIG_FILE).to_path_buf(),
                    format!("[check] skip: {why}"),
                )
                .ko(format!("[check] skip: {why}"))
                .ko_hint(
                    "haru check가 대괄호 안에 보여 주는 규칙 이름을 쓰세요: warning[list-indent]",
                )
                .with_hint(
                    "write the rule names haru check prints in brackets: warning[list-indent]",
                );
                match line {
                    Some(line) => diagnostic.at_line(line),
                    None => diagnostic,
                }
            })
        })
        .collect()
}
