//! haru (하루): a static site generator for Korean TIL study journals.
//!
//! The pipeline, one module a stage: `load` (find and read files) → `parse` (one file → one
//! entry, via `markdown`, `date`, `frontmatter`) → `site` (assemble the `model`) → `render`
//! (Tera pages) → `write` (staging folder swapped into place). `build` and `inspect` below are
//! the whole public surface the binary uses.

pub mod config;
pub mod date;
pub mod diagnostic;
pub mod frontmatter;
pub mod highlight;
pub mod i18n;
pub mod load;
pub mod markdown;
pub mod model;
pub mod new;
pub mod parse;
pub mod render;
pub mod site;
pub mod slug;
pub mod study;
pub mod tags;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, display_path};
use crate::highlight::Highlighter;
use crate::load::{LoadOptions, SourcePath};
use crate::parse::ParseContext;
use crate::render::{RenderOptions, Theme};
use crate::write::Staging;

/// What `haru build` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The journal's root (where `haru.toml` is). Default `.`.
    pub root: PathBuf,
    /// Overrides `content_dir` from the config.
    pub content: Option<PathBuf>,
    /// Default `ROOT/public`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from the config.
    pub base_url: Option<String>,
    /// Include drafts (`draft = true`, `_drafts/`).
    pub drafts: bool,
}

#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub entries: usize,
    pub notes: usize,
    pub assets: usize,
    pub warnings: Diagnostics,
    pub elapsed: Duration,
}

struct Journal {
    config: Config,
    content: PathBuf,
    root: PathBuf,
    catalogue: tags::Catalogue,
}

/// The built-in AWS catalogue, extended or replaced by the journal's own file.
fn load_catalogue(config: &Config, root: &Path) -> Result<tags::Catalogue, Diagnostic> {
    let builtin = tags::Catalogue::builtin();
    let Some(file) = &config.tags.catalogue else {
        return Ok(builtin);
    };
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).map_err(|error| {
        Diagnostic::error(
            file.clone(),
            format!("cannot read the tag catalogue: {error}"),
        )
    })?;
    let own = tags::Catalogue::parse(&text, file)?;
    Ok(if config.tags.replace {
        own
    } else {
        builtin.extended(own)
    })
}

fn open_journal(
    root: &Path,
    content: Option<&Path>,
    base_url: Option<&str>,
) -> Result<Journal, Diagnostic> {
    let mut config = Config::load(root)?;
    if let Some(base_url) = base_url {
        config.base_url = base_url.to_string();
    }
    let content = match content {
        Some(content) => content.to_path_buf(),
        None => root.join(&config.content_dir),
    };
    let catalogue = load_catalogue(&config, root)?;
    Ok(Journal {
        config,
        content,
        root: root.to_path_buf(),
        catalogue,
    })
}

/// Builds the site. On failure every problem found is returned and the previous output is
/// left as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let root = if options.root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        options.root.clone()
    };
    let mut diagnostics = Diagnostics::default();
    let journal = open_journal(
        &root,
        options.content.as_deref(),
        options.base_url.as_deref(),
    )
    .map_err(|d| Diagnostics(vec![d]))?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join("public"));
    check_output_and_content(&output, &journal, &root).map_err(|d| Diagnostics(vec![d]))?;

    let theme = match Theme::load(Some(&root.join("templates")), &root) {
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
            diagnostics.push(Diagnostic::error(
                PathBuf::from(config::CONFIG_FILE),
                message,
            ));
            String::new()
        }
    };

    let same_folder = same_path(&journal.content, &root);
    let reserved: &[&str] = if same_folder {
        &["templates", "static", "public"]
    } else {
        &[]
    };
    let (loaded, load_diagnostics) = load::load(&LoadOptions {
        content: &journal.content,
        output: &output,
        drafts: options.drafts,
        reserved,
        display_base: &root,
    });
    diagnostics.extend(load_diagnostics);
    let load::Loaded { sources, assets } = loaded;

    let (site, bodies) = parse_all(&sources, &journal, &root, options.drafts, &mut diagnostics);
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let theme = theme.expect("no theme errors");

    let staging = Staging::create(&output).map_err(|error| {
        Diagnostics(vec![Diagnostic::error(
            output.clone(),
            format!("cannot create the output folder: {error}"),
        )])
    })?;
    let render_options = RenderOptions {
        config: &journal.config,
        theme: &theme,
        syntax_css: &syntax_css,
    };
    let mut problems = render::render_site(&site, &bodies, &render_options, &staging);
    let asset_problems: Vec<Diagnostic> = assets
        .par_iter()
        .filter_map(|asset| {
            staging
                .copy(&asset.relative, &asset.absolute)
                .err()
                .map(|error| {
                    Diagnostic::error(
                        display_path(&asset.absolute, &root),
                        format!("cannot copy: {error}"),
                    )
                })
        })
        .collect();
    problems.extend(asset_problems);
    problems.extend(copy_static(&root.join("static"), &staging, &root));
    if !problems.is_empty() {
        diagnostics.extend(problems);
        diagnostics.sort();
        return Err(diagnostics);
    }
    staging.publish().map_err(|error| {
        Diagnostics(vec![Diagnostic::error(
            output.clone(),
            format!("cannot move the new site into place: {error}"),
        )])
    })?;
    Ok(BuildReport {
        output,
        entries: site.daily().count(),
        notes: site.notes().count() + usize::from(site.about().is_some()),
        assets: assets.len(),
        warnings: diagnostics,
        elapsed: started.elapsed(),
    })
}

fn same_path(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn check_output_and_content(
    output: &Path,
    journal: &Journal,
    root: &Path,
) -> Result<(), Diagnostic> {
    if !journal.content.is_dir() {
        return Err(Diagnostic::error(
            journal.content.clone(),
            "the content folder does not exist",
        )
        .with_hint(
            "create it, or point at your notes with --content DIR (or content_dir in haru.toml)",
        ));
    }
    write::check_output(output, &journal.root, &journal.content).map_err(|mut diagnostic| {
        diagnostic.path = Some(display_path(output, root));
        diagnostic
    })
}

/// Parses every source in parallel and assembles the site.
fn parse_all(
    sources: &[SourcePath],
    journal: &Journal,
    root: &Path,
    drafts: bool,
    diagnostics: &mut Diagnostics,
) -> (model::Site, Vec<parse::Body>) {
    let relative: Vec<String> = sources
        .iter()
        .map(|source| source.relative.clone())
        .collect();
    let pages: HashMap<String, String> = site::page_paths(&relative);
    let highlighter = Highlighter::new();
    let base_path = journal.config.base_path();
    let content_shown = display_path(&journal.content, root);
    let prefix = match content_shown.to_string_lossy().as_ref() {
        "" | "." => String::new(),
        shown => format!("{}/", shown.trim_end_matches('/')),
    };
    let context = ParseContext {
        base_path: &base_path,
        pages: &pages,
        highlighter: &highlighter,
        display_prefix: &prefix,
        tags: &journal.catalogue,
    };
    let results: Vec<Result<parse::Parsed, Diagnostic>> = sources
        .par_iter()
        .map(|source| {
            let file = load::read(source, root)?;
            Ok(parse::parse(&file, &pages[&source.relative], &context))
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(entry) => parsed.push(entry),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    let mut problems = Vec::new();
    let assembled = site::assemble(parsed, drafts, &prefix, &journal.catalogue, &mut problems);
    diagnostics.extend(problems);
    (assembled.site, assembled.bodies)
}

fn copy_static(dir: &Path, staging: &Staging, root: &Path) -> Vec<Diagnostic> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        if let Err(error) = staging.copy(&format!("static/{relative}"), entry.path()) {
            problems.push(Diagnostic::error(
                display_path(entry.path(), root),
                format!("cannot copy: {error}"),
            ));
        }
    }
    problems
}

/// `haru inspect`: each file parsed exactly as the build parses it, as the JSON templates get.
pub fn inspect(root: &Path, files: &[PathBuf]) -> Result<Vec<serde_json::Value>, Diagnostics> {
    let journal = open_journal(root, None, None).map_err(|d| Diagnostics(vec![d]))?;
    let content = journal.content.canonicalize().ok();
    let mut diagnostics = Diagnostics::default();
    let mut sources = Vec::new();
    for file in files {
        let absolute = file.canonicalize().unwrap_or_else(|_| file.clone());
        let relative = match content
            .as_ref()
            .and_then(|content| absolute.strip_prefix(content).ok())
        {
            Some(relative) => relative.to_string_lossy().replace('\\', "/"),
            // Outside the content folder the path as given still carries its folders' dates.
            None => file
                .components()
                .filter_map(|c| match c {
                    std::path::Component::Normal(part) => Some(part.to_string_lossy().to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("/"),
        };
        sources.push(SourcePath {
            relative,
            absolute,
            in_drafts: false,
        });
    }
    let (site, bodies) = parse_all(&sources, &journal, root, true, &mut diagnostics);
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    // Keep the order the files were named in.
    let mut values = Vec::new();
    for source in &sources {
        if let Some(entry) = site
            .entries
            .iter()
            .find(|entry| entry.source == source.relative)
        {
            values.push(render::entry_json(entry, &site, &bodies, &journal.config));
        }
    }
    Ok(values)
}
