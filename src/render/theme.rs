use std::path::{Path, PathBuf};

use tera::{Context, Tera};

use crate::diagnostic::Diagnostic;

/// The embedded default theme: (template name, source).
pub const TEMPLATES: [(&str, &str); 15] = [
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("entry.html", include_str!("../../templates/entry.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("month.html", include_str!("../../templates/month.html")),
    ("notes.html", include_str!("../../templates/notes.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("series.html", include_str!("../../templates/series.html")),
    ("retro.html", include_str!("../../templates/retro.html")),
    ("search.html", include_str!("../../templates/search.html")),
];

/// The embedded static files: (path in the site, contents).
pub const STATIC_FILES: [(&str, &[u8]); 7] = [
    ("static/style.css", include_bytes!("../../static/style.css")),
    ("static/search.js", include_bytes!("../../static/search.js")),
    ("static/theme.js", include_bytes!("../../static/theme.js")),
    ("static/code.js", include_bytes!("../../static/code.js")),
    (
        "static/headings.js",
        include_bytes!("../../static/headings.js"),
    ),
    // The icon tabs and bookmarks show; a journal's own `static/favicon.*` replaces it.
    (
        "static/favicon.svg",
        include_bytes!("../../static/favicon.svg"),
    ),
    (
        "static/favicon.ico",
        include_bytes!("../../static/favicon.ico"),
    ),
];

pub struct Theme {
    pub(super) tera: Tera,
}

impl Theme {
    /// The default theme with any of `templates_dir`'s files in place of the embedded ones.
    pub fn load(
        templates_dir: Option<&Path>,
        display_base: &Path,
    ) -> Result<Theme, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let mut sources: Vec<(String, String)> = TEMPLATES
            .iter()
            .map(|(name, source)| (name.to_string(), source.to_string()))
            .collect();
        let mut diagnostics = Vec::new();
        if let Some(dir) = templates_dir.filter(|dir| dir.is_dir()) {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            files.sort();
            for path in files {
                let Some(name) = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .map(str::to_string)
                else {
                    continue;
                };
                if !(name.ends_with(".html") || name.ends_with(".xml")) {
                    continue;
                }
                match std::fs::read_to_string(&path) {
                    Ok(text) => match sources.iter_mut().find(|(existing, _)| *existing == name) {
                        Some(slot) => slot.1 = text,
                        None => sources.push((name, text)),
                    },
                    Err(error) => diagnostics.push(
                        Diagnostic::error(
                            crate::diagnostic::display_path(&path, display_base),
                            format!("cannot read the template: {error}"),
                        )
                        .ko(format!("템플릿을 읽을 수 없습니다: {error}")),
                    ),
                }
            }
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let display_dir =
            templates_dir.map(|dir| crate::diagnostic::display_path(dir, display_base));
        for (name, source) in &sources {
            if let Err(error) = tera.add_raw_template(name, source) {
                diagnostics.push(template_error(display_dir.as_deref(), name, &error));
            }
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        Ok(Theme { tera })
    }

    /// Renders straight into bytes: `Tera::render` would validate each page as UTF-8 again.
    pub(super) fn render(&self, name: &str, context: &Context) -> Result<Vec<u8>, Diagnostic> {
        let mut page = Vec::with_capacity(32 * 1024);
        self.tera
            .render_to(name, context, &mut page)
            .map_err(|error| template_error(None, name, &error))?;
        Ok(page)
    }
}

pub(super) fn template_error(dir: Option<&Path>, name: &str, error: &tera::Error) -> Diagnostic {
    let report = error.to_string();
    let mut full = report.clone();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        full.push_str(&format!("\n  caused by: {cause}"));
        source = cause.source();
    }
    let path = match dir {
        Some(dir) => dir.join(name),
        None => PathBuf::from(format!("templates/{name}")),
    };
    let mut diagnostic = Diagnostic::error(path, format!("template error: {full}"))
        .ko(format!("템플릿 오류: {full}"))
        .ko_hint("템플릿을 고치세요. `haru inspect FILE`이 템플릿이 받는 데이터를 보여 줍니다")
        .with_hint("fix the template; `haru inspect FILE` shows the data it receives");
    if let Some(line) = report_line(&report) {
        diagnostic = diagnostic.at_line(line);
    }
    diagnostic
}

/// The line number out of a Tera report (`--> name:12:5`).
pub(super) fn report_line(report: &str) -> Option<usize> {
    let arrow = report.find("-->")?;
    let rest = &report[arrow + 3..];
    let rest = rest.lines().next()?.trim();
    let mut parts = rest.rsplitn(3, ':');
    let _column = parts.next()?;
    parts.next()?.trim().parse().ok()
}
