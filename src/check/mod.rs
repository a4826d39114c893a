//! `haru check`: what a journal's reader would trip over, found before it is published.
//!
//! Every file is read and parsed exactly as `haru build` does (its errors and warnings are
//! findings too), then each rule looks at the source: dates that disagree or repeat, template
//! text never filled in, links, anchors and images that lead nowhere, and markdown that GitHub
//! renders unlike what its author meant (emphasis next to Hangul left as `**`, `~` ranges struck
//! through, `<word>` placeholders swallowed as HTML). A finding has a rule name, a place
//! (file:line:column) and a hint; `render` prints them like a compiler, `json` for tools.

mod finding;
mod report;
mod rules;
mod selection;

use crate::check::finding::{
    Checked, ExternalLink, MOST_PER_FILE, build_level, cap, from_diagnostic, line_starts,
};
use crate::check::rules::dates::{dates, duplicates, outliers, undated};
use crate::check::rules::external::check_external;
use crate::check::rules::github::github_surprises;
use crate::check::rules::leftovers::leftovers;
use crate::check::rules::links::links;
use crate::check::rules::repairs::repairs;
use crate::diagnostic::{Diagnostics, display_path};
use crate::engine;
use crate::journal::Journal;
use crate::load::{self, LoadOptions};
use crate::parse::Parsed;
use crate::site;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub use finding::{Finding, Level, Rule};
pub use report::{json, render, summary};
pub use rules::external::External;
pub use selection::{Selection, rule_named};

pub struct CheckOptions<'a> {
    /// The journal's root (where `haru.toml` is).
    pub root: &'a Path,
    /// Files or folders to report on; empty: the whole journal. Links are checked against the
    /// whole journal either way.
    pub paths: &'a [PathBuf],
    /// Also ask every `http(s)://` link's server whether the page is there.
    pub external: Option<External>,
    /// Which rules and levels to report.
    pub selection: Selection,
}

/// What a run found.
#[derive(Debug)]
pub struct CheckReport {
    /// Errors first, then warnings, then notes; by file and place within each level.
    pub findings: Vec<Finding>,
    /// Notes found but not reported, for want of `--all`.
    pub hidden_notes: usize,
    /// The journal's language: findings and the summary are written in it.
    pub language: crate::config::Language,
}

/// Runs every rule over the journal. Errors that stop the journal from being read at all
/// (a broken `haru.toml`, an unknown rule in its `[check] skip`) come back as `Err`.
pub fn check(options: &CheckOptions) -> Result<CheckReport, Diagnostics> {
    let journal = Journal::open(&crate::journal::BuildOptions {
        root: options.root.to_path_buf(),
        ..Default::default()
    })
    .map_err(|diagnostic| {
        // The configuration could not be read: the default language, Korean.
        let mut diagnostics = Diagnostics(vec![diagnostic]);
        diagnostics.localize(crate::config::Language::default());
        diagnostics
    })?;
    let config_text = std::fs::read_to_string(journal.root.join(crate::config::CONFIG_FILE)).ok();
    let skipped_by_journal =
        selection::journal_skips(&journal.config.check.skip, config_text.as_deref()).map_err(
            |diagnostic| {
                let mut diagnostics = Diagnostics(vec![diagnostic]);
                diagnostics.localize(journal.config.language);
                diagnostics
            },
        )?;
    let (loaded, load_problems) = load::load(&LoadOptions {
        content: &journal.content,
        output: &journal.output,
        drafts: true,
        reserved: journal.reserved,
        display_base: &journal.root,
    });
    let files = engine::parse_sources(&journal, &loaded.sources, &loaded.assets);

    let mut findings: Vec<Finding> = load_problems.iter().map(from_diagnostic).collect();
    let mut checked = Vec::new();
    for result in &files {
        match result {
            Ok((file, parsed)) => checked.push(checked_file(file, parsed, &journal.display_prefix)),
            Err(diagnostic) => findings.push(from_diagnostic(diagnostic)),
        }
    }
    findings.extend(build_findings(&checked));
    findings.extend(site_findings(&checked, &journal));
    let known_files: HashSet<String> = loaded.sources.iter().map(|s| s.relative.clone()).collect();
    let (per_file, external_links) = rule_findings(&checked, &journal, &known_files);
    findings.extend(per_file);
    if let Some(external) = options.external {
        findings.extend(check_external(external_links, external));
    }
    findings.extend(duplicates(&checked));
    findings.extend(undated(&checked));
    findings.extend(outliers(&checked));
    findings.extend(left_out_files(&checked, &loaded.assets, &journal));

    if !options.paths.is_empty() {
        keep_wanted(&mut findings, options);
    }
    let hidden_notes = options.selection.apply(&mut findings, &skipped_by_journal);
    findings.sort_by(|a, b| {
        (a.level, &a.path, a.line, a.column, a.rule.name()).cmp(&(
            b.level,
            &b.path,
            b.line,
            b.column,
            b.rule.name(),
        ))
    });
    findings.dedup();
    let language = journal.config.language;
    for finding in &mut findings {
        finding.localize(language);
    }
    Ok(CheckReport {
        findings,
        hidden_notes,
        language,
    })
}

/// A parsed file with what the rules need to place a finding: its shown path, line starts and
/// where its body begins after the front matter.
fn checked_file<'a>(file: &'a load::SourceFile, parsed: &'a Parsed, prefix: &str) -> Checked<'a> {
    let body_start = match crate::frontmatter::split(&file.text) {
        Ok((_, body)) if file.text.ends_with(body.as_str()) => file.text.len() - body.len(),
        _ => 0,
    };
    Checked {
        relative: &file.relative,
        shown: PathBuf::from(format!("{prefix}{}", file.relative)),
        text: &file.text,
        line_starts: line_starts(&file.text),
        last_column: Default::default(),
        body_start,
        parsed,
    }
}

/// What the build would report of each file: its parse errors and warnings.
fn build_findings(checked: &[Checked]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for file in checked {
        let mut reported = Vec::new();
        for diagnostic in &file.parsed.diagnostics {
            reported.push(match diagnostic.line {
                Some(line) => Finding {
                    level: build_level(diagnostic.severity),
                    korean: diagnostic.korean.clone(),
                    ..file.at_line(
                        Rule::Build,
                        line,
                        diagnostic.message.clone(),
                        diagnostic.hint.as_deref().unwrap_or(""),
                    )
                },
                None => from_diagnostic(diagnostic),
            });
        }
        findings.extend(cap(reported, &file.shown));
    }
    findings
}

/// What assembling the whole site reports (e.g. the 7-digit date), less what the files' own
/// parse diagnostics already said.
fn site_findings(checked: &[Checked], journal: &Journal) -> Vec<Finding> {
    let ordered: Vec<&Parsed> = checked.iter().map(|file| file.parsed).collect();
    let mut site_problems = Vec::new();
    site::assemble(
        &ordered,
        true,
        &journal.display_prefix,
        &journal.catalogue,
        &mut site_problems,
    );
    let parse_messages: HashSet<(Option<PathBuf>, String)> = checked
        .iter()
        .flat_map(|file| file.parsed.diagnostics.iter())
        .map(|d| (d.path.clone(), d.message.clone()))
        .collect();
    site_problems
        .iter()
        .filter(|d| !parse_messages.contains(&(d.path.clone(), d.message.clone())))
        .map(from_diagnostic)
        .collect()
}

/// A journal's file where haru writes a page of its own (a Jekyll `index.html`): the build
/// leaves it out and says so; `check` says it before.
fn left_out_files(checked: &[Checked], assets: &[load::Asset], journal: &Journal) -> Vec<Finding> {
    let pages: HashSet<&str> = checked
        .iter()
        .map(|file| file.parsed.entry.path.as_str())
        .collect();
    assets
        .iter()
        .filter(|asset| crate::routes::is_taken(&asset.relative, &pages))
        .map(|asset| {
            Finding::about_file(
                Rule::LeftOutFile,
                PathBuf::from(format!("{}{}", journal.display_prefix, asset.relative)),
                format!(
                    "not published: haru writes its own `{}` there",
                    asset.relative
                ),
                "rename or move the file if a page should link to it",
            )
            .ko(
                format!(
                    "싣지 않습니다: haru가 그 자리(`{}`)에 자기 페이지를 씁니다",
                    asset.relative
                ),
                "페이지가 이 파일에 링크해야 한다면 이름을 바꾸거나 옮기세요",
            )
        })
        .collect()
}

/// Every rule that looks at one file at a time, run in parallel; also the external links
/// found, for the optional pass that asks their servers.
fn rule_findings(
    checked: &[Checked],
    journal: &Journal,
    known_files: &HashSet<String>,
) -> (Vec<Finding>, Vec<ExternalLink>) {
    let anchors: HashMap<&str, HashSet<&str>> = checked
        .iter()
        .map(|file| {
            let headings = &file.parsed.entry.headings;
            let anchors = headings.iter().map(|heading| heading.anchor.as_str());
            (file.relative, anchors.collect())
        })
        .collect();
    let per_file: Vec<(Vec<Finding>, Vec<ExternalLink>)> = checked
        .par_iter()
        .map(|file| {
            let mut found = Vec::new();
            let mut external = Vec::new();
            dates(file, &mut found);
            leftovers(file, &mut found);
            let content = &journal.content;
            links(
                file,
                content,
                known_files,
                &anchors,
                &mut found,
                &mut external,
            );
            github_surprises(file, &mut found);
            repairs(file, &mut found);
            external.truncate(MOST_PER_FILE);
            (cap(found, &file.shown), external)
        })
        .collect();
    let mut findings = Vec::new();
    let mut external_links = Vec::new();
    for (found, external) in per_file {
        findings.extend(found);
        external_links.extend(external);
    }
    (findings, external_links)
}

/// Keeps the findings under the files or folders asked for.
fn keep_wanted(findings: &mut Vec<Finding>, options: &CheckOptions) {
    let wanted: Vec<PathBuf> = options
        .paths
        .iter()
        .map(|path| display_path(&path.canonicalize().unwrap_or(path.clone()), options.root))
        .collect();
    findings.retain(|finding| wanted.iter().any(|path| finding.path.starts_with(path)));
}
