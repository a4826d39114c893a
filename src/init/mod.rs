//! `haru init`: a new journal, or a `haru.toml` fitted to a TIL repository that already exists.
//!
//! In an empty (or missing) folder it writes a whole journal: `haru.toml`, `content/` with
//! today's entry from the cohort template, and a `.gitignore` for the output. In a folder that
//! already holds markdown notes it writes `haru.toml` alone and touches nothing else: the
//! content folder is the one subfolder that holds every note, else the repository itself; the
//! title comes from the README's heading; the base URL from the `origin` remote on GitHub.
//! Either way `haru build` works right after, and the GitHub Pages workflow
//! (`.github/workflows/pages.yml`) publishes it on every push. Run again in a journal
//! without that workflow, `init` writes the workflow alone.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;
use serde::Deserialize;

mod workflow;

pub use workflow::{HaruInstall, WORKFLOW_PATH, workflow};

/// The `base_url` written when no GitHub remote gives the site's address.
pub const WITHOUT_REMOTE: &str = "/";

pub struct InitOptions<'a> {
    /// The journal's folder (created when missing).
    pub dir: &'a Path,
    /// What "today" is (the caller's clock), for the first entry.
    pub today: Date,
    /// Where the Pages workflow installs haru from.
    pub install: HaruInstall<'a>,
}

/// What `init` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Initialized {
    /// A new journal: the files written, and the Pages workflow.
    New {
        written: Vec<PathBuf>,
        base_url: String,
        workflow: Workflow,
    },
    /// An existing repository: the `haru.toml` written and what it says.
    Adopted {
        config: PathBuf,
        content_dir: String,
        title: String,
        base_url: String,
        /// Markdown files found (dated or not).
        notes: usize,
        /// Of those, files whose name or folder carries a date.
        dated: usize,
        workflow: Workflow,
    },
    /// A journal set up already, but for its Pages workflow: that alone was written.
    WorkflowAdded { workflow: PathBuf },
}

/// What became of the Pages workflow: `init` never overwrites one.
#[derive(Debug, PartialEq, Eq)]
pub enum Workflow {
    Written(PathBuf),
    /// A workflow of that name was there already (a Jekyll blog's, say) and is left alone.
    Kept(PathBuf),
}

/// Folders never searched for notes: the output, dependencies, build products.
const SKIPPED_FOLDERS: [&str; 5] = ["public", "node_modules", "target", "templates", "static"];

pub fn init(options: &InitOptions) -> Result<Initialized, Diagnostic> {
    let dir = options.dir;
    let config_path = dir.join(config::CONFIG_FILE);
    if config_path.exists() {
        // Run again, `init` adds what is missing: the way to swap in haru's workflow.
        return match write_workflow(dir, options.install)? {
            Workflow::Written(workflow) => Ok(Initialized::WorkflowAdded { workflow }),
            Workflow::Kept(_) => Err(Diagnostic::error(
                config_path,
                "this folder is a haru journal already, with a Pages workflow",
            )
            .ko("이 폴더는 이미 Pages 워크플로까지 갖춘 haru 일지입니다")
            .with_hint(
                "run haru build or haru serve here; delete haru.toml to start over, or the \
                 workflow to get haru's",
            )
            .ko_hint(
                "여기서 haru build나 haru serve를 실행하세요. 처음부터 하려면 haru.toml을, haru의 워크플로를 받으려면 워크플로를 지우세요",
            )),
        };
    }
    let notes = markdown_files(dir);
    if notes.is_empty() {
        new_journal(options)
    } else {
        adopt(dir, &notes, options.install)
    }
}

/// Writes the Pages workflow unless one is there.
fn write_workflow(dir: &Path, install: HaruInstall) -> Result<Workflow, Diagnostic> {
    let path = dir.join(WORKFLOW_PATH);
    if path.exists() {
        return Ok(Workflow::Kept(path));
    }
    crate::new::write_new(&path, &workflow(install))?;
    Ok(Workflow::Written(path))
}

fn new_journal(options: &InitOptions) -> Result<Initialized, Diagnostic> {
    let dir = options.dir;
    let name = folder_name(dir);
    let config_path = dir.join(config::CONFIG_FILE);
    let base_url = github_pages_url(dir).unwrap_or_else(|| WITHOUT_REMOTE.to_string());
    let config = format!(
        "# haru's settings: every key is optional.\n\
         title = \"{}\"\n\
         description = \"\"\n\
         # Where the site is published, e.g. https://user.github.io/til/\n\
         base_url = \"{}\"\n\
         language = \"ko\"\n\
         content_dir = \"content\"\n",
        toml_text(&format!("{name} 학습 일지")),
        toml_text(&base_url),
    );
    crate::new::write_new(&config_path, &config)?;
    let mut written = vec![config_path];
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        crate::new::write_new(&gitignore, "/public\n")?;
        written.push(gitignore);
    }
    std::fs::create_dir_all(dir.join("content")).map_err(|error| {
        Diagnostic::error(
            dir.join("content"),
            format!("cannot create the folder: {error}"),
        )
        .ko(format!("폴더를 만들 수 없습니다: {error}"))
    })?;
    let entry = crate::new::new_entry(&crate::new::NewOptions {
        root: dir,
        date: "today",
        topic: None,
        today: options.today,
    })?;
    written.push(entry);
    Ok(Initialized::New {
        written,
        base_url,
        workflow: write_workflow(dir, options.install)?,
    })
}

fn adopt(dir: &Path, notes: &[String], install: HaruInstall) -> Result<Initialized, Diagnostic> {
    // A Jekyll blog's posts link to its `assets/`: the whole repository is the journal.
    let content_dir = if dir.join("_config.yml").is_file() {
        ".".to_string()
    } else {
        content_dir(notes)
    };
    let readme = ["README.md", "readme.md", "Readme.md"]
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file());
    let jekyll = JekyllSite::read(dir);
    let title = jekyll
        .title
        .clone()
        .or_else(|| {
            readme
                .and_then(|path| std::fs::read_to_string(path).ok())
                .and_then(|text| first_heading(&text))
        })
        .unwrap_or_else(|| folder_name(dir));
    let base_url = github_pages_url(dir).unwrap_or_else(|| WITHOUT_REMOTE.to_string());
    let optional = |key: &str, value: &Option<String>| match value {
        Some(value) => format!("{key} = \"{}\"\n", toml_text(value)),
        None => String::new(),
    };
    let settings = format!(
        "title = \"{}\"\n{}{}base_url = \"{}\"\nlanguage = \"ko\"\ncontent_dir = \"{}\"\n",
        toml_text(&title),
        optional("description", &jekyll.description),
        optional("author", &jekyll.author),
        toml_text(&base_url),
        toml_text(&content_dir),
    );
    // What is written must load: a broken haru.toml is worse than none.
    Config::parse(&settings, Path::new(config::CONFIG_FILE))?;
    let config_path = dir.join(config::CONFIG_FILE);
    crate::new::write_new(&config_path, &settings)?;
    // Counted by the build's own steps, so the figure is what `haru build` will publish.
    let dated = crate::engine::daily_entries(dir);
    let config = format!(
        "# haru's settings, written by `haru init` for the notes already here: {} markdown files,\n\
         # {dated} of them dated entries. Every key is optional.\n{settings}",
        notes.len(),
    );
    std::fs::write(&config_path, &config).map_err(|error| {
        Diagnostic::error(config_path.clone(), format!("cannot write: {error}"))
            .ko(format!("쓸 수 없습니다: {error}"))
    })?;
    Ok(Initialized::Adopted {
        workflow: write_workflow(dir, install)?,
        config: config_path,
        content_dir,
        title,
        base_url,
        notes: notes.len(),
        dated,
    })
}

/// What a Jekyll blog's `_config.yml` says of the site.
#[derive(Default, serde::Deserialize)]
struct JekyllSite {
    title: Option<String>,
    description: Option<String>,
    #[serde(deserialize_with = "author_name", default)]
    author: Option<String>,
}

impl JekyllSite {
    /// An unreadable or odd `_config.yml` gives nothing: `haru init` falls back to the README.
    fn read(dir: &Path) -> JekyllSite {
        std::fs::read_to_string(dir.join("_config.yml"))
            .ok()
            .and_then(|text| serde_norway::from_str::<JekyllSite>(&text).ok())
            .map(|site| JekyllSite {
                title: site.title.filter(|title| !title.trim().is_empty()),
                description: site.description.filter(|text| !text.trim().is_empty()),
                author: site.author.filter(|name| !name.trim().is_empty()),
            })
            .unwrap_or_default()
    }
}

/// `author: 김하루` or `author: { name: 김하루, email: … }`.
fn author_name<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Author {
        Name(String),
        Person { name: Option<String> },
        Other(serde::de::IgnoredAny),
    }
    Ok(match Option::<Author>::deserialize(deserializer)? {
        Some(Author::Name(name)) => Some(name),
        Some(Author::Person { name }) => name,
        _ => None,
    })
}

/// Markdown files under `dir`, relative, `/`-separated; dotfolders and tool folders left out.
fn markdown_files(dir: &Path) -> Vec<String> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            !(name.starts_with('.')
                || entry.depth() == 1
                    && entry.file_type().is_dir()
                    && SKIPPED_FOLDERS.contains(&name.as_ref()))
        })
        .filter_map(Result::ok)
        .filter(|entry| {
            entry.file_type().is_file()
                && crate::load::is_markdown_name(&entry.file_name().to_string_lossy())
        })
        .filter_map(|entry| {
            entry
                .path()
                .strip_prefix(dir)
                .ok()
                .map(|relative| relative.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    files.sort();
    files
}

/// The one top-level folder that holds every note, or `.` (never leave a note out).
/// Files at the root that every template repository has (README, GUIDE) do not count.
fn content_dir(notes: &[String]) -> String {
    let mut folders = notes
        .iter()
        .filter(|note| {
            let lower = note.to_lowercase();
            !matches!(lower.as_str(), "readme.md" | "guide.md" | "license.md")
        })
        .map(|note| note.split_once('/').map(|(folder, _)| folder));
    match folders.next() {
        Some(Some(first)) if folders.all(|folder| folder == Some(first)) => first.to_string(),
        _ => ".".to_string(),
    }
}

fn folder_name(dir: &Path) -> String {
    dir.canonicalize()
        .unwrap_or_else(|_| dir.to_path_buf())
        .file_name()
        .map(|name| name.to_string_lossy().to_string())
        .unwrap_or_else(|| "TIL".to_string())
}

/// The text of a README's first `# ` heading, without markdown marks.
fn first_heading(text: &str) -> Option<String> {
    let line = text.lines().find(|line| line.starts_with("# "))?;
    let title: String = line[2..]
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`' | '[' | ']'))
        .collect();
    let title = crate::emoji::replace_shortcodes(title.trim());
    (!title.is_empty()).then(|| title.into_owned())
}

/// `https://OWNER.github.io/REPO/` from the `origin` remote in `.git/config`, if it is GitHub.
fn github_pages_url(dir: &Path) -> Option<String> {
    let config = std::fs::read_to_string(dir.join(".git/config")).ok()?;
    let mut in_origin = false;
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_origin = line == "[remote \"origin\"]";
            continue;
        }
        if !in_origin {
            continue;
        }
        let Some(url) = line
            .strip_prefix("url")
            .map(str::trim_start)
            .and_then(|rest| rest.strip_prefix('='))
        else {
            continue;
        };
        return pages_url_of_remote(url.trim());
    }
    None
}

/// `git@github.com:owner/repo.git` or `https://github.com/owner/repo` → the Pages URL.
fn pages_url_of_remote(url: &str) -> Option<String> {
    let path = url
        .strip_prefix("git@github.com:")
        .or_else(|| url.strip_prefix("https://github.com/"))
        .or_else(|| url.strip_prefix("ssh://git@github.com/"))?;
    let path = path.trim_end_matches('/').trim_end_matches(".git");
    let (owner, repo) = path.split_once('/')?;
    let owner = owner.to_lowercase();
    if repo.eq_ignore_ascii_case(&format!("{owner}.github.io")) {
        Some(format!("https://{owner}.github.io/"))
    } else {
        Some(format!("https://{owner}.github.io/{repo}/"))
    }
}

/// Text inside a TOML basic string.
fn toml_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_folder_holding_every_note_is_the_content() {
        let notes = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            content_dir(&notes(&["README.md", "til/2025-08/a.md", "til/b.md"])),
            "til"
        );
        assert_eq!(
            content_dir(&notes(&["README.md", "til/a.md", "projects/b.md"])),
            "."
        );
        assert_eq!(content_dir(&notes(&["2026-01-30.md", "README.md"])), ".");
        assert_eq!(content_dir(&notes(&["README.md"])), ".");
    }

    #[test]
    fn github_remotes_give_the_pages_url() {
        assert_eq!(
            pages_url_of_remote("git@github.com:Kim/til.git").as_deref(),
            Some("https://kim.github.io/til/")
        );
        assert_eq!(
            pages_url_of_remote("https://github.com/kim/kim.github.io").as_deref(),
            Some("https://kim.github.io/")
        );
        assert_eq!(pages_url_of_remote("https://gitlab.com/kim/til.git"), None);
    }

    #[test]
    fn readme_headings_lose_their_marks() {
        assert_eq!(
            first_heading("intro\n# **나의** `TIL`\n").as_deref(),
            Some("나의 TIL")
        );
        assert_eq!(first_heading("## not a title\n"), None);
    }
}
