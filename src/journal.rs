//! The journal as one run finds it: its root, its configuration (with the command line's
//! overrides), its content and output folders, the folders at the root that are not content,
//! how messages name the content folder, and its tag catalogue. Resolved once, here; the build,
//! `haru check` and `haru inspect` all start from a `Journal`, so none of them sets the journal
//! up its own way.

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::diagnostic::{Diagnostic, display_path};
use crate::model::fingerprint as hash;
use crate::tags;
use crate::write;

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
    /// Neither reuse nor keep work in the cache folder (highlighted code, picture copies):
    /// everything is made afresh, as on a machine that never built the journal.
    pub no_cache: bool,
}

/// The journal's own theme folders at its root.
pub(crate) const TEMPLATES_DIR: &str = "templates";
pub(crate) const STATIC_DIR: &str = "static";
/// Where `haru build` writes the site unless told otherwise.
pub(crate) const DEFAULT_OUTPUT: &str = "public";

/// Top-level folders that are no content when the content folder is the root itself.
const NOT_CONTENT_AT_ROOT: [&str; 3] = [TEMPLATES_DIR, STATIC_DIR, DEFAULT_OUTPUT];

pub(crate) struct Journal {
    pub(crate) config: Config,
    pub(crate) root: PathBuf,
    pub(crate) content: PathBuf,
    pub(crate) output: PathBuf,
    pub(crate) catalogue: tags::Catalogue,
    /// How messages name the content folder: `content/`, or `""` when it is the root.
    pub(crate) display_prefix: String,
    /// Top-level folders of the content folder the walk leaves out.
    pub(crate) reserved: &'static [&'static str],
    /// The configuration's own text (with command-line overrides), for the global key.
    pub(crate) config_key: u64,
}

/// The root (`.` when none is given) and the output folder (`ROOT/public` by default).
pub(crate) fn root_and_output(options: &BuildOptions) -> (PathBuf, PathBuf) {
    let root = if options.root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        options.root.clone()
    };
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join(DEFAULT_OUTPUT));
    (root, output)
}

impl Journal {
    /// Reads `haru.toml` and the tag catalogue and resolves the folders, refusing any the
    /// journal's own files name outside its root.
    pub(crate) fn open(options: &BuildOptions) -> Result<Journal, Diagnostic> {
        let (root, output) = root_and_output(options);
        let mut config = Config::load(&root)?;
        // `title = ":books: 수업 노트"`: the site title is plain text too.
        config.title = crate::emoji::replace_shortcodes(&config.title).into_owned();
        let base_url = options.base_url.as_deref();
        if let Some(base_url) = base_url {
            config::check_base_url(base_url).map_err(|message| {
                Diagnostic::error(None, format!("--base-url: {message}"))
                    .ko(format!("--base-url: {message}"))
                    .ko_hint(
                        "--base-url https://USER.github.io/REPO/ 처럼 쓰거나, / 같은 경로를 주세요",
                    )
                    .with_hint("pass --base-url https://USER.github.io/REPO/, or a path such as /")
            })?;
            config.base_url = base_url.to_string();
        }
        let content = match &options.content {
            // Given on the command line on purpose: it may lie anywhere.
            Some(content) => content.clone(),
            None => {
                let content = root.join(&config.content_dir);
                stays_inside(&root, &content, "content_dir")?;
                content
            }
        };
        for folder in [TEMPLATES_DIR, STATIC_DIR] {
            stays_inside(&root, &root.join(folder), folder)?;
        }
        if let Some(catalogue) = &config.tags.catalogue {
            stays_inside(&root, &root.join(catalogue), "[tags] catalogue")?;
        }
        let (catalogue, catalogue_text) = load_catalogue(&config, &root)?;
        let config_text =
            std::fs::read_to_string(root.join(config::CONFIG_FILE)).unwrap_or_default();
        let reserved: &'static [&'static str] = if same_path(&content, &root) {
            &NOT_CONTENT_AT_ROOT
        } else {
            &[]
        };
        Ok(Journal {
            config_key: hash(&(config_text, base_url, &content, catalogue_text)),
            display_prefix: display_prefix(&content, &root),
            config,
            content,
            output,
            root,
            catalogue,
            reserved,
        })
    }

    pub(crate) fn templates_dir(&self) -> PathBuf {
        self.root.join(TEMPLATES_DIR)
    }

    pub(crate) fn static_dir(&self) -> PathBuf {
        self.root.join(STATIC_DIR)
    }

    /// Refuses to build when the content folder is missing or the output folder is not one
    /// haru may replace.
    pub(crate) fn check_output_and_content(&self) -> Result<(), Diagnostic> {
        if !self.content.is_dir() {
            return Err(Diagnostic::error(
                self.content.clone(),
                "the content folder does not exist",
            )
.ko("콘텐츠 폴더가 없습니다")
            .with_hint(
                "create it, or point at your notes with --content DIR (or content_dir in haru.toml)",
            )
            .ko_hint("폴더를 만들거나, --content DIR(또는 haru.toml의 content_dir)로 노트가 있는 곳을 알려 주세요"));
        }
        write::check_output(&self.output, &self.root, &self.content)
            .and_then(|()| write::check_replaceable(&self.output))
            .map_err(|mut diagnostic| {
                diagnostic.path = Some(display_path(&self.output, &self.root));
                diagnostic
            })
    }
}

/// The built-in AWS catalogue, extended or replaced by the journal's own file.
fn load_catalogue(config: &Config, root: &Path) -> Result<(tags::Catalogue, String), Diagnostic> {
    let builtin = tags::Catalogue::builtin();
    let Some(file) = &config.tags.catalogue else {
        return Ok((builtin, String::new()));
    };
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).map_err(|error| {
        Diagnostic::error(
            file.clone(),
            format!("cannot read the tag catalogue: {error}"),
        )
        .ko(format!("태그 목록을 읽을 수 없습니다: {error}"))
    })?;
    let own = tags::Catalogue::parse(&text, file)?;
    let catalogue = if config.tags.replace {
        own
    } else {
        builtin.extended(own)
    };
    Ok((catalogue, text))
}

/// Refuses a folder or file the journal's own files name (`content_dir`, a `static` link)
/// that resolves outside the journal root: a cloned repository must not publish
/// `content_dir = "../.."` or `static -> /home/me`.
fn stays_inside(root: &Path, path: &Path, what: &str) -> Result<(), Diagnostic> {
    let lexical_escape = path.strip_prefix(root).map_or(true, |rest| {
        let mut depth = 0i32;
        rest.components().any(|component| {
            match component {
                std::path::Component::ParentDir => depth -= 1,
                std::path::Component::Normal(_) => depth += 1,
                std::path::Component::CurDir => {}
                _ => return true,
            }
            depth < 0
        })
    });
    let resolved_escape = match (path.canonicalize(), root.canonicalize()) {
        (Ok(resolved), Ok(root)) => !resolved.starts_with(root),
        _ => false,
    };
    if lexical_escape || resolved_escape {
        // A setting is named where it is written; a folder (a link) by itself.
        let shown = if what == "templates" || what == "static" {
            PathBuf::from(what)
        } else {
            PathBuf::from(config::CONFIG_FILE)
        };
        return Err(Diagnostic::error(
            shown,
            format!(
                "{what} ({}) lies outside the journal root; haru reads only the journal's own files",
                path.display()
            ),
        )
.ko(format!("{what}({})가 일지 폴더 밖에 있습니다. haru는 일지 안의 파일만 읽습니다", path.display()))
        .with_hint("move it into the journal, or name a folder outside on purpose with --content DIR")
        .ko_hint("일지 안으로 옮기거나, 일부러 바깥 폴더를 쓰려면 --content DIR로 주세요"));
    }
    Ok(())
}

fn display_prefix(content: &Path, root: &Path) -> String {
    let content_shown = display_path(content, root);
    match content_shown.to_string_lossy().as_ref() {
        "" | "." => String::new(),
        shown => format!("{}/", shown.trim_end_matches('/')),
    }
}

pub(crate) fn same_path(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
