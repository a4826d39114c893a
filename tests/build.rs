//! End-to-end: `haru::build` over fixture journals, the sample journal in `content/`, and
//! (when it is there) the real corpus in `../shared/corpus`. Asserts on the files written.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use haru::{BuildOptions, build};

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    repository().join("tests/fixtures").join(name)
}

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path.as_ref())
        .unwrap_or_else(|error| panic!("{}: {error}", path.as_ref().display()))
}

/// Builds `content` (with no config) into a fresh temporary output.
fn build_fixture(content: &Path, base_url: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let output = temp.path().join("public");
    let options = BuildOptions {
        root: temp.path().to_path_buf(),
        content: Some(content.to_path_buf()),
        output: Some(output.clone()),
        base_url: base_url.map(str::to_string),
        drafts: false,
        no_cache: true,
    };
    if let Err(diagnostics) = build(&options) {
        panic!("build failed:\n{diagnostics}");
    }
    (temp, output)
}

fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string();
            (relative, fs::read(entry.path()).unwrap())
        })
        .collect()
}

/// Builds the repository's sample journal (`content/`) into a temporary folder.
fn build_sample(base_url: Option<&str>) -> (tempfile::TempDir, PathBuf, haru::BuildReport) {
    let temp = tempfile::tempdir().unwrap();
    let output = temp.path().join("public");
    let report = build(&BuildOptions {
        root: repository(),
        output: Some(output.clone()),
        base_url: base_url.map(str::to_string),
        no_cache: true,
        ..BuildOptions::default()
    })
    .unwrap_or_else(|d| panic!("{d}"));
    (temp, output, report)
}

/// A small journal written into a temporary folder: `files` are (relative path, text).
fn journal(files: &[(&str, &str)]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let target = temp.path().join("content").join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, text).unwrap();
    }
    temp
}

/// Builds the journal at `root`. Its temporary folder is new every run, so nothing of it is
/// kept in the cache folder (a file per journal would pile up there).
fn build_root(root: &Path) -> Result<haru::BuildReport, haru::diagnostic::Diagnostics> {
    build(&BuildOptions {
        root: root.to_path_buf(),
        no_cache: true,
        ..BuildOptions::default()
    })
}

#[test]
fn sample_journal_builds_every_page() {
    let (_temp, output, report) = build_sample(None);
    assert!(
        report.entries >= 7,
        "the sample journal has at least 7 entries, got {}",
        report.entries
    );
    for page in [
        "index.html",
        "404.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "static/style.css",
        "static/syntax.css",
        "archive/index.html",
        "archive/2026/03/index.html",
        "notes/index.html",
        "about/index.html",
        "2026-03/2026-03-02/index.html",
        "deep-dive/2026-03-07/index.html",
        "deep-dive/cidr-cheatsheet/index.html",
    ] {
        assert!(output.join(page).is_file(), "missing {page}");
    }
    let home = read(output.join("index.html"));
    assert!(home.contains("<html lang=\"ko\">"));
    assert!(
        home.contains("2026년 3월 9일 (월)"),
        "Korean dates on the home page"
    );
    assert!(home.contains("읽는 시간"));
    let entry = read(output.join("2026-03/2026-03-04/index.html"));
    assert!(entry.contains("class=\"kpt\""), "KPT as three columns");
    assert!(entry.contains("class=\"hl-"), "highlighted code");
    assert!(entry.contains("type=\"checkbox\""), "task-list goals");
    assert!(read(output.join("2026-03/2026-03-02/index.html")).contains("<table>"));
    assert!(entry.contains("rel=\"prev\""));
    assert!(entry.contains("rel=\"next\""));
    // The challenge section of 2026-03-03 holds only `X`: it is left out.
    let empty_challenge = read(output.join("2026-03/2026-03-03/index.html"));
    assert!(!empty_challenge.contains("section-challenge"));
    let feed = read(output.join("atom.xml"));
    assert!(feed.contains("<entry>"));
    assert!(read(output.join("robots.txt")).contains("sitemap.xml"));
}

#[test]
fn sample_journal_pages_snapshot() {
    let (_temp, output, _) = build_sample(None);
    insta::assert_snapshot!(
        "sample_entry_2026_03_05",
        read(output.join("2026-03/2026-03-05/index.html"))
    );
    insta::assert_snapshot!("sample_home", read(output.join("index.html")));
    insta::assert_snapshot!(
        "sample_note",
        read(output.join("deep-dive/cidr-cheatsheet/index.html"))
    );
}

#[test]
fn english_ui_is_switchable() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] VPC\n\n본문\n")]);
    fs::write(
        temp.path().join("haru.toml"),
        "language = \"en\"\ntitle = \"Journal\"\n",
    )
    .unwrap();
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let home = read(temp.path().join("public/index.html"));
    assert!(home.contains("<html lang=\"en\">"));
    assert!(home.contains("Recent entries"));
    assert!(home.contains("Fri, January 30, 2026"));
}

#[test]
fn adopted_repository_dates_titles_and_kinds() {
    let (_temp, output) = build_fixture(&fixture("adopted"), None);
    let files = files_under(&output);
    let names: Vec<&String> = files.keys().collect();
    // Dated entries in every layout.
    for page in [
        "TIL/AWS/2026.01.30/index.html",
        "TIL/AWS/2026.01.29/index.html",
        "2025/11월/2025-11-18/index.html",
        "2025/10_October/nginx-502/index.html",
        "Spring-Framework/Web-Base/20250710_Java-Web_TIL/index.html",
        "2025-12/2025-12-22/index.html",
        "til/2025-08/2025-08-22-spring-cache/index.html",
        "2050825_react_0_TIL/index.html",
        "about/index.html",
        "Python_코드흐름이해/index.html",
        "TIL/AWS/img/diagram.png",
    ] {
        assert!(files.contains_key(page), "missing {page} in {names:?}");
    }
    // Drafts stay out unless asked for.
    assert!(
        !names.iter().any(|name| name.contains("_drafts")),
        "{names:?}"
    );
    let archive = read(output.join("archive/index.html"));
    assert!(
        archive.contains("2026년 1월 28일 (수)"),
        "the heading date wins over the file name"
    );
    assert!(
        archive.contains("2025년 8월 25일 (월)"),
        "the 7-digit typo reads as 2025-08-25"
    );
    assert!(archive.contains("2025년 10월"), "a folder gives the month");
    let notes = read(output.join("notes/index.html"));
    assert!(notes.contains("파이썬 코드 흐름"));
    assert!(
        notes.contains("TIL 2025년 8월"),
        "a Jekyll index page is a note, not an entry"
    );
    let cache = read(output.join("til/2025-08/2025-08-22-spring-cache/index.html"));
    assert!(
        cache.contains("<h1>Spring Cache 적용</h1>"),
        "front matter title without its date"
    );
    assert!(
        cache.contains("{% for post in site.posts %}{{ post.title }}{% endfor %}"),
        "Liquid shown, not run"
    );
    let python = read(output.join("Python_코드흐름이해/index.html"));
    assert!(python.contains("(__init__)"));
    let servlet = read(output.join("Spring-Framework/Web-Base/20250710_Java-Web_TIL/index.html"));
    assert!(servlet.contains("List&lt;String&gt;"));
    let seed_like = read(output.join("TIL/AWS/2026.01.30/index.html"));
    assert!(
        seed_like.contains("\"</strong>와"),
        "emphasis next to Hangul"
    );
    assert!(
        seed_like.contains("<strong>\"<a class=\"tag-link\" href=\"/tags/s3/\""),
        "the first S3 links to its tag page"
    );
    assert!(
        seed_like.contains("리전~리전 간 OK / 계정~계정"),
        "single tildes stay"
    );
    assert!(
        seed_like.contains("src=\"/TIL/AWS/img/diagram.png\""),
        "relative image resolves beside the page"
    );
    assert!(
        seed_like.contains("href=\"/TIL/AWS/2026.01.29/#vpc\""),
        "link to another entry's markdown file"
    );
    assert!(
        !seed_like.contains("section-challenge"),
        "an all-X challenge is hidden"
    );
    let pasted = read(output.join("2025/10_October/nginx-502/index.html"));
    assert!(
        pasted.contains("<h1>nginx 502</h1>"),
        "a note without H1 is titled by its file name's words"
    );
    assert!(
        pasted.contains(">1. 문제 상황</h2>"),
        "its first heading stays where it was"
    );
    let sm = read(output.join("2025/11월/2025-11-18/index.html"));
    assert!(sm.contains("<h1>오늘 배운 것</h1>"));
    assert!(
        sm.contains("재밌었다"),
        "the # 후기 retrospective keeps its text"
    );
    let about = read(output.join("about/index.html"));
    assert!(
        about.contains("href=\"/TIL/AWS/2026.01.30/\""),
        "README links to entries resolve"
    );
}

#[test]
fn drafts_are_built_on_request() {
    let temp = tempfile::tempdir().unwrap();
    let output = temp.path().join("public");
    build(&BuildOptions {
        root: temp.path().to_path_buf(),
        content: Some(fixture("adopted")),
        output: Some(output.clone()),
        base_url: None,
        drafts: true,
        no_cache: true,
    })
    .unwrap_or_else(|d| panic!("{d}"));
    assert!(output.join("_drafts/2026-02-01/index.html").is_file());
}

/// Every internal link of a site published under `/til/` resolves to a built file.
#[test]
fn project_site_base_url_has_no_broken_links() {
    let (_temp, output) = build_fixture(&fixture("adopted"), Some("https://user.github.io/til/"));
    let broken = broken_links(&output, "/til/");
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    let home = read(output.join("index.html"));
    assert!(home.contains("href=\"/til/static/style.css\""));
    let sitemap = read(output.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://user.github.io/til/TIL/AWS/2026.01.30/</loc>"));
}

/// A link pasted into KakaoTalk, Slack or Discord shows a title and a summary: the sharing
/// tags, with whole addresses under a project site's base URL.
#[test]
fn entry_pages_share_well_with_absolute_urls_under_a_project_site() {
    let (_temp, output, _) = build_sample(Some("https://user.github.io/til/"));
    let page = read(output.join("2026-03/2026-03-05/index.html"));
    let head = &page[..page.find("</head>").unwrap()];
    let meta = |property: &str| -> Vec<String> {
        head.match_indices(&format!("property=\"{property}\" content=\""))
            .chain(head.match_indices(&format!("name=\"{property}\" content=\"")))
            .map(|(at, found)| {
                let value = &head[at + found.len()..];
                value[..value.find('"').unwrap()].to_string()
            })
            .collect()
    };
    let url = "https://user.github.io/til/2026-03/2026-03-05/";
    assert_eq!(meta("og:url"), [url]);
    assert!(head.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")));
    assert_eq!(meta("og:type"), ["article"]);
    assert_eq!(meta("og:title"), ["메시징: SQS와 SNS"]);
    assert_eq!(meta("og:locale"), ["ko_KR"]);
    assert_eq!(meta("twitter:card"), ["summary"]);
    assert_eq!(meta("article:published_time"), ["2026-03-05"]);
    assert!(
        meta("article:tag").contains(&"SQS".to_string()),
        "{:?}",
        meta("article:tag")
    );
    let description = meta("description");
    assert_eq!(description.len(), 1);
    assert_eq!(meta("og:description"), description);
    let summary = &description[0];
    assert!(
        (40..=160).contains(&summary.chars().count())
            && !summary.contains('<')
            && !summary.contains("**"),
        "a plain-text summary of the entry's first sentences: {summary}"
    );
    assert!(!meta("og:site_name")[0].is_empty());
    let home = read(output.join("index.html"));
    assert!(home.contains("<meta property=\"og:type\" content=\"website\">"));
    assert!(home.contains("<meta property=\"og:url\" content=\"https://user.github.io/til/\">"));
    let robots = read(output.join("robots.txt"));
    assert!(
        robots.contains("Sitemap: https://user.github.io/til/sitemap.xml\n"),
        "{robots}"
    );
    let sitemap = read(output.join("sitemap.xml"));
    let locations: Vec<&str> = sitemap.split("<loc>").skip(1).collect();
    assert!(locations.len() > 10);
    assert!(
        locations
            .iter()
            .all(|loc| loc.starts_with("https://user.github.io/til/")),
        "{sitemap}"
    );
    assert!(sitemap.contains(&format!("<loc>{url}</loc>")));
    let feed = read(output.join("atom.xml"));
    assert!(feed.contains(&format!("<id>{url}</id>")), "{feed}");
    assert!(feed.contains("<id>https://user.github.io/til/atom.xml</id>"));
    assert!(
        feed.contains("rel=\"alternate\" type=\"text/html\" href=\"https://user.github.io/til/\"")
    );
}

#[test]
fn every_page_has_an_icon_and_a_journal_s_own_replaces_it() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n\nVPC를 만들었다.\n")]);
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let output = temp.path().join("public");
    for page in ["index.html", "404.html", "2026-01-30/index.html"] {
        let html = read(output.join(page));
        assert!(
            html.contains(
                "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
            ) && html.contains("<link rel=\"icon\" href=\"/static/favicon.ico\""),
            "{page}"
        );
    }
    assert!(read(output.join("static/favicon.svg")).starts_with("<svg"));
    let ico = fs::read(output.join("static/favicon.ico")).unwrap();
    assert_eq!(&ico[..4], [0, 0, 1, 0], "an ICO file");
    fs::create_dir_all(temp.path().join("static")).unwrap();
    let own = "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"9\"/></svg>";
    fs::write(temp.path().join("static/favicon.svg"), own).unwrap();
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(read(output.join("static/favicon.svg")), own);
}

#[test]
fn pages_leave_og_url_out_while_the_base_url_names_no_host() {
    let (_temp, output, _) = build_sample(None);
    let page = read(output.join("2026-03/2026-03-05/index.html"));
    // Open Graph and canonical links need a whole address: a root-relative one would be
    // shared as broken, and search engines (and Lighthouse) call it invalid.
    assert!(!page.contains("og:url"));
    assert!(!page.contains("rel=\"canonical\""));
    assert!(page.contains("<meta property=\"og:title\" content=\"메시징: SQS와 SNS\">"));
}

#[test]
fn sample_journal_under_a_sub_path_has_no_broken_links() {
    let (_temp, output, _) = build_sample(Some("https://user.github.io/til/"));
    let broken = broken_links(&output, "/til/");
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

/// Crawls every HTML file: each `href`/`src` that is root-relative must start with `prefix`
/// and name a file (or a folder with `index.html`) in the output; `#anchors` must exist.
fn broken_links(output: &Path, prefix: &str) -> Vec<String> {
    let mut broken = Vec::new();
    let pages = files_under(output);
    for (page, bytes) in &pages {
        if !page.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for attribute in ["href=\"", "src=\""] {
            for (index, _) in html.match_indices(attribute) {
                let start = index + attribute.len();
                let Some(length) = html[start..].find('"') else {
                    continue;
                };
                let link = &html[start..start + length];
                if link.starts_with("http") || link.starts_with("mailto:") || link.is_empty() {
                    continue;
                }
                if let Some(anchor) = link.strip_prefix('#') {
                    if !html.contains(&format!("id=\"{anchor}\"")) {
                        broken.push(format!("{page}: {link}"));
                    }
                    continue;
                }
                let Some(path) = link.strip_prefix(prefix) else {
                    broken.push(format!("{page}: {link} (outside {prefix})"));
                    continue;
                };
                let path = path.split('#').next().unwrap();
                let decoded = percent_decode(path);
                let exists = if decoded.is_empty() || decoded.ends_with('/') {
                    pages.contains_key(&format!("{decoded}index.html"))
                } else {
                    pages.contains_key(&decoded)
                };
                if !exists {
                    broken.push(format!("{page}: {link}"));
                }
            }
        }
    }
    broken
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            out.push(u8::from_str_radix(&text[index + 1..index + 3], 16).unwrap());
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn output_is_byte_identical_between_runs() {
    let (_first_temp, first) = build_fixture(&fixture("adopted"), None);
    let (_second_temp, second) = build_fixture(&fixture("adopted"), None);
    let first_files = files_under(&first);
    let second_files = files_under(&second);
    assert_eq!(
        first_files.keys().collect::<Vec<_>>(),
        second_files.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first_files {
        assert!(bytes == &second_files[path], "{path} differs between runs");
    }
}

#[test]
fn all_errors_of_a_run_are_reported_with_file_and_line() {
    let temp = journal(&[
        ("good.md", "# [2026-01-30] 좋은 기록\n"),
        ("bad-date.md", "# [2026-13-45] 잘못된 날짜\n"),
        ("bad-front.md", "---\ntitle: ok\ndate: [2025\n---\n본문\n"),
    ]);
    let diagnostics = build_root(temp.path()).unwrap_err();
    let text = diagnostics.to_string();
    assert!(text.contains("content/bad-date.md:1:"), "{text}");
    assert!(text.contains("2026-13-45"), "{text}");
    assert!(text.contains("content/bad-front.md:"), "{text}");
    assert!(
        text.contains("오류: content/bad-date.md:1:"),
        "in Korean by default: {text}"
    );
    assert!(text.contains("있을 수 없는 날짜"), "{text}");
    assert!(text.contains("도움말:"), "{text}");
    assert!(
        !text.contains(" at line "),
        "one line number, the file's, not the YAML parser's own: {text}"
    );
    assert_eq!(diagnostics.errors().count(), 2, "{text}");
}

#[test]
fn heading_typo_with_a_dated_file_name_is_a_warning() {
    let temp = journal(&[("2025-12-28.md", "# [202-12-28] TIL\n\n본문\n")]);
    let report = build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let warnings = report.warnings.to_string();
    assert!(warnings.contains("content/2025-12-28.md:1:"), "{warnings}");
    assert!(warnings.contains("202-12-28"), "{warnings}");
    assert!(temp.path().join("public/2025-12-28/index.html").is_file());
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 첫 기록\n")]);
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let before = files_under(&temp.path().join("public"));
    fs::write(
        temp.path().join("content/broken.md"),
        "# [2026-02-31] 없는 날\n",
    )
    .unwrap();
    fs::write(
        temp.path().join("content/2026-01-30.md"),
        "# [2026-01-30] 바뀐 기록\n",
    )
    .unwrap();
    assert!(build_root(temp.path()).is_err());
    assert_eq!(files_under(&temp.path().join("public")), before);
    let leftovers: Vec<_> = fs::read_dir(temp.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert!(
        !leftovers
            .iter()
            .any(|name| name.to_string_lossy().contains("haru-staging")),
        "the staging folder is cleaned up: {leftovers:?}"
    );
}

#[test]
fn template_error_fails_and_keeps_output() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let before = files_under(&temp.path().join("public"));
    fs::create_dir_all(temp.path().join("templates")).unwrap();
    fs::write(temp.path().join("templates/entry.html"), "{% extends \"base.html\" %}\n{% block content %}\n{{ entry.title \n{% endblock content %}\n").unwrap();
    let diagnostics = build_root(temp.path()).unwrap_err();
    let text = diagnostics.to_string();
    assert!(text.contains("templates/entry.html"), "{text}");
    assert!(
        diagnostics.0[0].line.is_some(),
        "a template error names its line: {text}"
    );
    assert_eq!(files_under(&temp.path().join("public")), before);
}

#[test]
fn journal_template_overrides_one_file() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    fs::create_dir_all(temp.path().join("templates")).unwrap();
    fs::write(
        temp.path().join("templates/entry.html"),
        "<p>custom {{ entry.title }}</p>",
    )
    .unwrap();
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        read(temp.path().join("public/2026-01-30/index.html")),
        "<p>custom 기록</p>"
    );
    assert!(
        read(temp.path().join("public/index.html")).contains("<html lang=\"ko\">"),
        "other templates stay the default"
    );
}

#[test]
fn unknown_config_key_is_named_with_its_line() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    fs::write(
        temp.path().join("haru.toml"),
        "title = \"t\"\nthme = \"x\"\n",
    )
    .unwrap();
    let text = build_root(temp.path()).unwrap_err().to_string();
    assert!(text.contains("haru.toml:2:"), "{text}");
    assert!(text.contains("thme"), "{text}");
}

#[test]
fn output_that_would_swallow_the_journal_is_refused() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    for output in [
        temp.path().to_path_buf(),
        temp.path().join("content"),
        temp.path().join("content/.."),
    ] {
        let result = build(&BuildOptions {
            root: temp.path().to_path_buf(),
            output: Some(output.clone()),
            no_cache: true,
            ..BuildOptions::default()
        });
        assert!(result.is_err(), "{} was accepted", output.display());
    }
    assert!(
        temp.path().join("content/2026-01-30.md").is_file(),
        "nothing was deleted"
    );
}

#[test]
fn output_inside_the_content_folder_is_left_out_of_the_walk() {
    let temp = journal(&[
        (
            "2026-01-30.md",
            "# [2026-01-30] 기록\n\n![구성도](img/a.png)\n",
        ),
        ("img/a.png", "png"),
    ]);
    let content = temp.path().join("content");
    let output = content.join("public");
    let options = BuildOptions {
        root: temp.path().to_path_buf(),
        content: Some(content.clone()),
        output: Some(output.clone()),
        no_cache: true,
        ..BuildOptions::default()
    };
    build(&options).unwrap_or_else(|d| panic!("{d}"));
    build(&options).unwrap_or_else(|d| panic!("{d}"));
    assert!(
        !output.join("public").exists(),
        "the previous output was not copied into the new one"
    );
    assert!(output.join("img/a.png").is_file());
}

#[test]
fn non_utf8_file_is_an_error_naming_the_encoding() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    // "한글" in EUC-KR.
    fs::write(
        temp.path().join("content/euckr.md"),
        [0x23, 0x20, 0xC7, 0xD1, 0xB1, 0xDB, 0x0A],
    )
    .unwrap();
    let text = build_root(temp.path()).unwrap_err().to_string();
    assert!(text.contains("content/euckr.md:1:"), "{text}");
    assert!(text.contains("UTF-8") && text.contains("EUC-KR"), "{text}");
}

#[test]
fn empty_file_is_a_warning_and_skipped() {
    let temp = journal(&[
        ("2026-01-30.md", "# [2026-01-30] 기록\n"),
        ("2026-01-06.md", "\n"),
    ]);
    let report = build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(report.warnings.to_string().contains("2026-01-06.md"));
    assert_eq!(report.entries, 1);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_an_error_and_links_outside_are_skipped() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.md"), "# [2026-01-01] 비밀\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        temp.path().join("content/secret.md"),
    )
    .unwrap();
    let report = build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(
        report
            .warnings
            .to_string()
            .contains("콘텐츠 폴더 밖을 가리키는 심볼릭 링크"),
        "{}",
        report.warnings
    );
    assert!(!temp.path().join("public/secret").exists());
    std::os::unix::fs::symlink(
        temp.path().join("content"),
        temp.path().join("content/loop"),
    )
    .unwrap();
    let text = build_root(temp.path()).unwrap_err().to_string();
    assert!(text.contains("심볼릭 링크가 맴돕니다"), "{text}");
}

#[test]
fn seed_outline_nests_as_typed() {
    let Some(seed) = shared_corpus().map(|corpus| corpus.join("seed")) else {
        return;
    };
    let (_temp, output) = build_fixture(&seed, None);
    let page = read(output.join("2026-01-30/index.html"));
    // Seed lines 24-25: the 2-space bullets belong to item 2, and item 2 stays in the same list.
    let peering = page.find("VPC 피어링").expect("item 2");
    let next_item = page[peering..].find("<li>").unwrap();
    let child_list = page[peering..].find("<ul>").unwrap();
    assert!(
        child_list < next_item,
        "the bullets under `2. VPC 피어링` are its children"
    );
    assert!(
        !page.contains("<ol start=\"2\">"),
        "the numbered list is not split"
    );
    // Seed line 18: the over-indented bullet is a list item, not `- ` text.
    assert!(
        page.contains("<li><em><strong><a class=\"tag-link\" href=\"/tags/internet-gateway/\" title=\"Internet Gateway\">IGW</a>, NAT, Public IP"),
        "line 18 is a list item"
    );
    assert!(!page.contains("- <em><strong>IGW"));
}

/// The reference corpus, read in place. Tests that need it say so and pass when it is absent.
fn shared_corpus() -> Option<PathBuf> {
    let corpus = repository().join("../shared/corpus");
    if corpus.is_dir() {
        Some(corpus.canonicalize().unwrap())
    } else {
        eprintln!("SKIPPED: ../shared/corpus is not there; the corpus tests ran nothing");
        None
    }
}

#[test]
fn whole_corpus_builds_and_every_dated_entry_gets_its_authors_date() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        root: temp.path().to_path_buf(),
        content: Some(corpus.clone()),
        output: Some(temp.path().join("public")),
        base_url: None,
        drafts: true,
        no_cache: true,
    };
    let report = build(&options).unwrap_or_else(|d| panic!("the corpus must build:\n{d}"));
    assert!(report.entries > 300, "{} entries", report.entries);

    // An independent reading of the date each author wrote: the first heading's date, else
    // the file name's, else the folder's month. Compared with what `haru inspect` reports.
    let mut checked = 0;
    let mut mismatches = Vec::new();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                || p.file_name().is_some_and(|n| n == "2025-12-22")
        })
        .collect();
    let values = haru::inspect(temp.path(), &files).unwrap_or_else(|d| panic!("{d}"));
    let mut unpublished = Vec::new();
    for value in values {
        let source = value["source"].as_str().unwrap().to_string();
        let path = files
            .iter()
            .find(|f| f.ends_with(&source) || f.to_string_lossy().ends_with(&source))
            .unwrap();
        if value["published"] == false {
            unpublished.push(source);
            continue;
        }
        let Some(expected) = expected_date(path) else {
            continue;
        };
        checked += 1;
        let got = value["date"].as_str().unwrap_or("");
        if got != expected {
            mismatches.push(format!(
                "{}: expected {expected}, got {got:?}",
                path.display()
            ));
        }
    }
    assert!(checked > 300, "only {checked} dated corpus entries checked");
    // Left out: the two untouched copies of the cohort template and one file of a newline.
    unpublished.sort();
    let left_out = [
        "no-easy-days__aws13th-JimmyKim-til/2025-12/2025-12-22",
        "no-easy-days__aws13th-sungwoo-til/2025-12/2025-12-22.md",
        "no-easy-days__aws13th-sungwoo-til/2026-01/2026-01-06.md",
    ];
    assert!(
        unpublished.len() == left_out.len()
            && unpublished
                .iter()
                .zip(left_out)
                .all(|(source, end)| source.ends_with(end)),
        "{unpublished:?}"
    );
    assert!(
        mismatches.is_empty(),
        "{} wrong dates:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// The date an author wrote, read the simple way (a second implementation to check the first).
fn expected_date(path: &Path) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    let name = path.file_name()?.to_string_lossy().to_string();
    if name.eq_ignore_ascii_case("README.md") || name == "index.md" {
        return None;
    }
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    // Front matter `date:`.
    if let Some(rest) = text.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---") {
            for line in rest[..end].lines() {
                if let Some(value) = line.strip_prefix("date:") {
                    let value = value.trim().trim_matches('"');
                    if value.len() >= 10 && digits(&value[..4]) {
                        return Some(value[..10].to_string());
                    }
                }
            }
        }
    }
    // The first H1 with an ISO date in it.
    if let Some(h1) = text.lines().find(|l| l.starts_with("# ")) {
        let bytes = h1.as_bytes();
        let is_digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
        for start in 0..bytes.len().saturating_sub(9) {
            let shaped = (0..4).all(|i| is_digit(start + i))
                && bytes[start + 4] == b'-'
                && is_digit(start + 5)
                && is_digit(start + 6)
                && bytes[start + 7] == b'-'
                && is_digit(start + 8)
                && is_digit(start + 9)
                && (start == 0 || !bytes[start - 1].is_ascii_digit());
            if shaped {
                let c = &h1[start..start + 10];
                let month: u32 = c[5..7].parse().ok()?;
                let day: u32 = c[8..10].parse().ok()?;
                if (1..=12).contains(&month) && (1..=31).contains(&day) {
                    return Some(c.to_string());
                }
            }
        }
    }
    // The file name.
    let stem: String = name.chars().take(10).collect();
    if stem.len() == 10
        && digits(&stem[..4])
        && digits(&stem[5..7])
        && digits(&stem[8..10])
        && matches!(&stem[4..5], "-" | "." | "_")
    {
        return Some(format!("{}-{}-{}", &stem[..4], &stem[5..7], &stem[8..10]));
    }
    let run: String = name.chars().take_while(|c| c.is_ascii_digit()).collect();
    if run.len() == 8 {
        return Some(format!("{}-{}-{}", &run[..4], &run[4..6], &run[6..8]));
    }
    if run.len() == 7 && run.starts_with("205") {
        // `2050825`: 2025-08-25 with the second 2 dropped.
        return Some(format!("2025-{}-{}", &run[3..5], &run[5..7]));
    }
    // The folder: `YYYY-MM/`, `YYYY/MM_Month/`, `YYYY/M월/`.
    let parent = path.parent()?;
    let folder = parent.file_name()?.to_string_lossy().to_string();
    let grand = parent.parent()?.file_name()?.to_string_lossy().to_string();
    if folder.len() == 7 && digits(&folder[..4]) && &folder[4..5] == "-" && digits(&folder[5..7]) {
        return Some(format!("{folder}-01"));
    }
    if grand.len() == 4 && digits(&grand) {
        let month: String = folder.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !month.is_empty() && month.len() <= 2 {
            return Some(format!("{grand}-{:02}-01", month.parse::<u32>().ok()?));
        }
    }
    None
}

/// Lines (outside code) whose rendering keeps a literal `*` that is not a `\*` escape.
fn literal_asterisk_lines(
    text: &str,
    options: pulldown_cmark::Options,
) -> (std::collections::BTreeSet<usize>, usize) {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut lines = std::collections::BTreeSet::new();
    let mut emphasis = 0;
    let mut in_code = false;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_code = false,
            // `__init__` bold is CommonMark's mistake, not the author's emphasis.
            Event::Start(Tag::Strong) if is_dunder(&text[range.clone()]) => {}
            Event::Start(Tag::Emphasis) | Event::Start(Tag::Strong) => emphasis += 1,
            Event::Text(value)
                if !in_code
                    && value.contains('*')
                    && !text.as_bytes()[range.start.saturating_sub(1)..range.end]
                        .starts_with(b"\\") =>
            {
                lines.insert(text[..range.start].matches('\n').count() + 1);
            }
            _ => {}
        }
    }
    (lines, emphasis)
}

fn is_dunder(span: &str) -> bool {
    span.len() > 4
        && span.starts_with("__")
        && span.ends_with("__")
        && span[2..span.len() - 2]
            .chars()
            .all(|c| c.is_ascii_alphanumeric())
}

/// The corpus lines CommonMark leaves with literal `**` render as emphasis in haru, and no
/// file loses an emphasis CommonMark already rendered.
#[test]
fn corpus_emphasis_next_to_hangul_renders() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    use pulldown_cmark::Options;
    let commonmark = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let (mut before, mut after, mut files) = (0, 0, 0);
    let mut regressions = Vec::new();
    let mut left = Vec::new();
    for entry in walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = haru::load::normalize_text(read(entry.path()));
        let (plain_lines, plain_emphasis) = literal_asterisk_lines(&text, commonmark);
        let prepared = haru::markdown::prepare(&text);
        let (haru_lines, haru_emphasis) =
            literal_asterisk_lines(&prepared, haru::markdown::parser_options());
        files += 1;
        before += plain_lines.len();
        after += haru_lines.len();
        if haru_emphasis < plain_emphasis {
            regressions.push(format!(
                "{}: {plain_emphasis} → {haru_emphasis}",
                entry.path().display()
            ));
        }
        for line in haru_lines {
            left.push(format!(
                "{}:{line}",
                entry.path().strip_prefix(&corpus).unwrap().display()
            ));
        }
    }
    eprintln!(
        "corpus emphasis: {files} files; lines with literal `*`: CommonMark {before}, haru {after}"
    );
    for place in &left {
        eprintln!("  still literal: {place}");
    }
    assert!(
        regressions.is_empty(),
        "emphasis lost:\n{}",
        regressions.join("\n")
    );
    assert!(
        before >= 100,
        "the corpus should show the CommonMark problem ({before} lines)"
    );
    // What remains is mostly meant literally (`*args`, globs, `4 * 2`) or unbalanced (`**a***`).
    assert!(
        after * 4 <= before,
        "haru leaves {after} of {before} lines with literal asterisks"
    );
}

/// What the labelled corpus entries say (tests/fixtures/tag-labels.toml), as slug sets.
#[derive(serde::Deserialize)]
struct Labels {
    entries: Vec<LabelledEntry>,
}

#[derive(serde::Deserialize)]
struct LabelledEntry {
    path: String,
    mentioned: Vec<String>,
    primary: Vec<String>,
}

/// The entry's AWS service tags (the labels and these tests are about AWS; the rest of the
/// stack has its own tests).
fn tag_slugs(value: &serde_json::Value, primary_only: bool) -> std::collections::BTreeSet<String> {
    value["all_tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|tag| tag["aws"] == true)
        .filter(|tag| !primary_only || tag["primary"].as_bool().unwrap())
        .map(|tag| tag["slug"].as_str().unwrap().to_string())
        .collect()
}

/// Precision and recall of both tag tiers on 20 hand-labelled corpus entries.
#[test]
fn tag_detection_precision_and_recall_on_labelled_entries() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    let labels: Labels = toml::from_str(&read(fixture("tag-labels.toml"))).unwrap();
    assert!(labels.entries.len() >= 20);
    let files: Vec<PathBuf> = labels
        .entries
        .iter()
        .map(|entry| corpus.join(&entry.path))
        .collect();
    let temp = tempfile::tempdir().unwrap();
    let values = haru::inspect(temp.path(), &files).unwrap_or_else(|d| panic!("{d}"));
    let mut counts = [[0usize; 3]; 2]; // [tier][true positive, false positive, false negative]
    for (entry, value) in labels.entries.iter().zip(&values) {
        for (tier, (got, want)) in [
            (tag_slugs(value, false), &entry.mentioned),
            (tag_slugs(value, true), &entry.primary),
        ]
        .into_iter()
        .enumerate()
        {
            let want: std::collections::BTreeSet<String> = want.iter().cloned().collect();
            counts[tier][0] += got.intersection(&want).count();
            counts[tier][1] += got.difference(&want).count();
            counts[tier][2] += want.difference(&got).count();
        }
    }
    let score =
        |[tp, fp, fall]: [usize; 3]| (tp as f64 / (tp + fp) as f64, tp as f64 / (tp + fall) as f64);
    let (mentioned_precision, mentioned_recall) = score(counts[0]);
    let (primary_precision, primary_recall) = score(counts[1]);
    eprintln!(
        "tags on {} labelled entries: mentioned precision {mentioned_precision:.3} recall {mentioned_recall:.3}; primary precision {primary_precision:.3} recall {primary_recall:.3}",
        labels.entries.len()
    );
    assert!(
        mentioned_precision >= 0.97 && mentioned_recall >= 0.94,
        "mentioned {:?}",
        counts[0]
    );
    assert!(
        primary_precision >= 0.80 && primary_recall >= 0.92,
        "primary {:?}",
        counts[1]
    );
}

/// The issue's check on the seed entry: every service it names, nothing it does not.
#[test]
fn seed_tags_are_the_services_it_names() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let value = haru::inspect(temp.path(), &[corpus.join("seed/2026-01-30.md")])
        .unwrap_or_else(|d| panic!("{d}"));
    let value = &value[0];
    let expected = [
        "vpc",
        "transit-gateway",
        "direct-connect",
        "site-to-site-vpn",
        "api-gateway",
        "sqs",
        "sns",
        "kinesis",
        "step-functions",
        "lambda",
        "cloudformation",
        "elastic-beanstalk",
        "cdk",
        "systems-manager",
        "route-53",
        "cloudfront",
        "shield",
        "waf",
        "firewall-manager",
        "outposts",
        "backup",
        "rds",
        "dynamodb",
        "ecs",
        "eks",
        "ecr",
        "fargate",
        "ec2",
        "s3",
    ];
    // Also written in the seed, checked by reading it: `Kinesis Data Firehose`, `Kinesis Video Stream`,
    // `Amazon Q`, `Q Developer`, `Network Firewall`, `NACL`, `IGW`, `ELB`, `AMI`, `Auto Scaling`, `엣지 로케이션`.
    let also_written = [
        "firehose",
        "kinesis-video-streams",
        "amazon-q",
        "codewhisperer",
        "network-firewall",
        "network-acl",
        "internet-gateway",
        "elb",
        "ami",
        "ec2-auto-scaling",
        "global-infrastructure",
    ];
    let mentioned = tag_slugs(value, false);
    for slug in expected {
        assert!(
            mentioned.contains(slug),
            "{slug} not found; found {mentioned:?}"
        );
    }
    for slug in &mentioned {
        assert!(
            expected.contains(&slug.as_str()) || also_written.contains(&slug.as_str()),
            "{slug} is not in the seed"
        );
    }
    let primary = tag_slugs(value, true);
    for slug in [
        "transit-gateway",
        "sqs",
        "sns",
        "kinesis",
        "step-functions",
        "cloudformation",
        "route-53",
        "cloudfront",
        "shield",
        "waf",
        "backup",
    ] {
        assert!(
            primary.contains(slug),
            "{slug} should be primary; primary: {primary:?}"
        );
    }
    assert_eq!(value["series"]["name"], "Architecting on AWS");
    assert_eq!(value["series"]["day"], 3);
}

#[test]
fn tags_skip_code_urls_and_link_targets_and_need_aws_for_ordinary_words() {
    let temp = journal(&[
        (
            "2026-01-30.md",
            "# [2026-01-30] 코드 속 이름\n\n```\naws sqs send-message\n```\n\n`SNS` 명령과 https://aws.amazon.com/kinesis/ 링크, [문서](https://aws.amazon.com/cloudfront/)\n\n[CloudFront 문서](https://example.com)\n",
        ),
        (
            "2026-01-31.md",
            "# [2026-01-31] 자바 람다\n\nJava Lambda 표현식과 Shield 패턴\n",
        ),
    ]);
    let content = temp.path().join("content");
    let values = haru::inspect(
        temp.path(),
        &[content.join("2026-01-30.md"), content.join("2026-01-31.md")],
    )
    .unwrap();
    assert_eq!(
        tag_slugs(&values[0], false).into_iter().collect::<Vec<_>>(),
        ["cloudfront"],
        "only the link text names a service"
    );
    assert!(
        tag_slugs(&values[1], false).is_empty(),
        "no AWS here: Lambda and Shield are ordinary words"
    );
    let stack: Vec<&str> = values[1]["all_tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tag| tag["slug"].as_str().unwrap())
        .collect();
    assert_eq!(
        stack,
        ["java"],
        "Java is the rest of the stack, and says nothing of AWS"
    );
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = read(temp.path().join("public/2026-01-30/index.html"));
    assert!(
        !page.contains("tag-link"),
        "no tag link inside an existing link"
    );
}

#[test]
fn sample_journal_tag_pages_series_and_related() {
    let (_temp, output, _) = build_sample(None);
    let index = read(output.join("tags/index.html"));
    assert!(
        index.contains("애플리케이션 통합"),
        "tags grouped by AWS category"
    );
    assert!(index.contains("href=\"/tags/sqs/\""));
    let sqs = read(output.join("tags/sqs/index.html"));
    assert!(
        sqs.contains("완전 관리형 메시지 대기열 서비스"),
        "the catalogue's description"
    );
    let primary_part = &sqs[sqs.find("이 서비스를 다룬 기록").expect("primary entries")..];
    assert!(primary_part.contains("메시징: SQS와 SNS"));
    assert!(
        primary_part.contains("href=\"/2026-03/2026-03-05/#sqs\""),
        "the excerpt links to the heading naming it"
    );
    assert!(
        sqs.contains("함께 나온 서비스") && sqs.contains("href=\"/tags/sns/\""),
        "co-occurring tags"
    );
    let feed = read(output.join("tags/sqs/atom.xml"));
    assert!(feed.contains("<title>SQS · 하루 샘플 학습 일지</title>") && feed.contains("<entry>"));
    let entry = read(output.join("2026-03/2026-03-05/index.html"));
    assert!(
        entry.contains("class=\"tag\" href=\"/tags/sqs/\""),
        "entry lists its tags"
    );
    assert_eq!(
        entry
            .matches("class=\"tag-link\" href=\"/tags/sqs/\"")
            .count(),
        1,
        "SQS is linked once in the TIL section (headings stay plain)"
    );
    let vpc_day = read(output.join("2026-03/2026-03-02/index.html"));
    let related = &vpc_day[vpc_day.find("관련 기록").expect("related entries")..];
    assert!(
        related.contains("주말 복습: VPC 연결 방법 비교"),
        "the other VPC entry is related"
    );
    assert!(entry.contains("href=\"/series/architecting-on-aws/\""));
    assert!(
        entry.contains("href=\"/2026-03/2026-03-04/\">← 3일차</a>"),
        "the previous day of the series"
    );
    let series = read(output.join("series/architecting-on-aws/index.html"));
    assert!(series.contains("3일차") && series.contains("4일차"));
    assert!(read(output.join("sitemap.xml")).contains("/tags/sqs/"));
}

#[test]
fn journal_catalogue_extends_the_built_in_one() {
    let temp = journal(&[(
        "2026-01-30.md",
        "# [2026-01-30] 쿠버네티스\n\n## K8s 파드\n\nK8s와 EKS를 비교했다.\n",
    )]);
    fs::write(
        temp.path().join("haru.toml"),
        "[tags]\ncatalogue = \"k8s.toml\"\n",
    )
    .unwrap();
    fs::write(
        temp.path().join("k8s.toml"),
        "[categories]\nk8s = \"쿠버네티스\"\n\n[[services]]\nslug = \"kubernetes\"\nname = \"Kubernetes\"\nshort = \"K8s\"\ncategory = \"k8s\"\ndescription = \"컨테이너 오케스트레이션\"\n",
    )
    .unwrap();
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(
        read(temp.path().join("public/tags/kubernetes/index.html"))
            .contains("컨테이너 오케스트레이션")
    );
    assert!(
        temp.path().join("public/tags/eks/index.html").is_file(),
        "the built-in services stay"
    );
    fs::write(temp.path().join("k8s.toml"), "[[services]]\nslug = \"x\"\n").unwrap();
    let text = build_root(temp.path()).unwrap_err().to_string();
    assert!(text.contains("k8s.toml"), "{text}");
}

#[test]
fn home_shows_the_years_heatmap_and_the_weekly_streak() {
    let (_temp, output, _) = build_sample(None);
    let home = read(output.join("index.html"));
    assert!(
        home.contains("<svg class=\"heatmap\""),
        "an inline SVG heatmap, no script"
    );
    let heatmap = &home[home.find("<svg class=\"heatmap\"").unwrap()..];
    let heatmap = &heatmap[..heatmap.find("</svg>").unwrap()];
    assert_eq!(
        heatmap.matches("<rect ").count(),
        52 * 7 + 1,
        "53 weeks up to the newest entry (a Monday)"
    );
    let legend = &home[home.find("<p class=\"heatmap-legend\"").expect("a legend")..];
    let legend = &legend[..legend.find("</p>").unwrap()];
    assert!(legend.starts_with("<p class=\"heatmap-legend\" aria-hidden=\"true\">적음 "));
    assert!(legend.ends_with("많음"), "{legend}");
    for level in 0..5 {
        assert!(legend.contains(&format!("class=\"l{level}\"")), "{legend}");
    }
    assert!(
        home.contains("가장 최근 기록인 <time datetime=\"2026-03-09\">2026년 3월 9일 (월)</time>까지 센 숫자입니다."),
        "the figures say what day they run to"
    );
    let stats = &home[home.find("<dl class=\"study-stats\">").unwrap()..];
    assert!(
        stats.find("전체 기록").unwrap() < stats.find("연속 학습").unwrap(),
        "the streak is not the first figure a reader sees"
    );
    assert!(
        home.contains("<a href=\"/2026-03/2026-03-05/\"><rect class=\"l"),
        "a written day links to its entry"
    );
    assert!(
        home.contains("<title>2026년 3월 5일 (목): 메시징: SQS와 SNS</title>"),
        "the tooltip names the day and entry"
    );
    assert!(
        home.contains("<title>2026년 3월 8일 (일)</title>"),
        "a day off has its date only"
    );
    // 2026-03-02..07 is a study week (6 days); the week of 03-09 has begun with one day.
    assert!(home.contains("<dt>연속 학습</dt><dd>1주</dd>"));
    assert!(home.contains("<dt>이번 주</dt><dd>1일</dd>"));
    assert!(home.contains("<dt>전체 기록</dt><dd>7</dd>"));
    assert!(
        home.contains("한 주에 3일 이상 기록한 주가 이어지면 연속 학습입니다"),
        "the rule in one line"
    );
    // On this day: 2026-03-02 is a week before the newest entry (2026-03-09).
    let on_this_day = &home[home.find("이날의 기록").expect("on this day")..];
    assert!(on_this_day.contains(
        "1주 전 · 2026년 3월 2일 (월)</span> <a href=\"/2026-03/2026-03-02/\">VPC 설계 첫날</a>"
    ));
    let month = read(output.join("archive/2026/03/index.html"));
    assert!(month.contains("<td class=\"day written\"><a href=\"/2026-03/2026-03-05/\" title=\"메시징: SQS와 SNS\">5</a></td>"), "calendar links a written day");
    assert!(
        month.contains("<td class=\"day weekend\">8</td>"),
        "an unwritten weekend day"
    );
    let vpc = read(output.join("tags/vpc/index.html"));
    let strip = &vpc[vpc.find("<svg class=\"heatmap strip\"").unwrap()..];
    let strip = &strip[..strip.find("</svg>").unwrap()];
    assert!(
        vpc.contains("<p class=\"heatmap-legend\""),
        "the strip has a legend too"
    );
    assert_eq!(
        strip.matches("<rect class=\"l").count(),
        53,
        "the tag's weeks"
    );
    assert!(
        vpc.contains("<title>2026년 3월 2일 (월) 주: 3개의 기록</title>"),
        "VPC on 03-02, 03-06 and 03-07"
    );
}

#[test]
fn retro_page_lists_kpt_by_week_and_follows_tries_up() {
    let (_temp, output, _) = build_sample(None);
    let retro = read(output.join("retro/index.html"));
    // 2026-03-02's Try comes back as 2026-03-03's first goal.
    assert!(
        retro.contains("내일 아침에 CIDR 문제 10개 풀기 <span class=\"meta\">· <a href=\"/2026-03/2026-03-02/\">2026년 3월 2일 (월)</a> → 해 봄: <a href=\"/2026-03/2026-03-03/\">"),
        "a Try picked up by a later goal links to it"
    );
    let not_yet = &retro[retro.find("아직 안 해 본 것").expect("not yet tried")
        ..retro.find("체크하지 않은 목표").expect("unchecked goals")];
    assert!(not_yet.contains("Session Manager로 접속해 보기"));
    assert!(!not_yet.contains("CIDR 문제 10개 풀기"));
    assert!(
        retro.contains("2026년 3월 2일 (월) 주 <small>체크한 목표 13 / 15</small>"),
        "goals checked that week"
    );
    assert!(
        retro.contains("<span class=\"kpt-label\">K</span> 그림을 그려 가며 라우팅을 이해했다.")
    );
    let unchecked = &retro[retro.find("체크하지 않은 목표").unwrap()..];
    assert!(unchecked.contains("CIDR 계산 연습 문제 풀기"));
    assert!(
        read(output.join("index.html")).contains("href=\"/retro/\""),
        "the retro page is in the navigation"
    );
}

#[test]
fn retro_has_a_page_a_year() {
    let kpt = |keep: &str| {
        format!(
            "## 💭 오늘의 회고 (Retrospective)\n\n- **Keep (좋았던 점)**: {keep}\n- **Try (시도할 점)**: X\n"
        )
    };
    let old = format!("# [2025-12-30] 작년\n\n{}", kpt("작년의 Keep"));
    let new = format!("# [2026-01-02] 올해\n\n{}", kpt("올해의 Keep"));
    let temp = journal(&[
        ("2025-12-30.md", old.as_str()),
        ("2026-01-02.md", new.as_str()),
    ]);
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let newest = read(temp.path().join("public/retro/index.html"));
    assert!(newest.contains("올해의 Keep") && !newest.contains("작년의 Keep"));
    assert!(
        newest.contains("<a href=\"/retro/2025/\">2025</a>"),
        "links to the other year"
    );
    let twice = journal(&[
        (
            "2026-01-05.md",
            "# [2026-01-05] 월\n\n## 회고\n\n- **Try**: CCNA 강의 저녁에 계속 듣기\n",
        ),
        (
            "2026-01-06.md",
            "# [2026-01-06] 화\n\n## 회고\n\n- **Try**: CCNA 강의 저녁에 계속 듣기\n",
        ),
    ]);
    build_root(twice.path()).unwrap_or_else(|d| panic!("{d}"));
    let retro = read(twice.path().join("public/retro/index.html"));
    let not_yet = &retro[retro.find("아직 안 해 본 것").unwrap()..];
    assert_eq!(
        not_yet
            .matches("CCNA 강의 저녁에 계속 듣기 <small>×2</small>")
            .count(),
        1,
        "a standing intention is listed once"
    );
    let last_year = read(temp.path().join("public/retro/2025/index.html"));
    assert!(
        last_year.contains("작년의 Keep") && last_year.contains("<a href=\"/retro/\">2026</a>")
    );
}

/// `vim $(haru new)`: the command prints the new file's path and nothing else on stdout.
#[test]
fn haru_new_prints_only_the_path() {
    let temp = journal(&[("2026-03/2026-03-09.md", "# [2026-03-09] 기록\n")]);
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_haru"))
            .args(["new", "2026-03-10", "--root"])
            .arg(temp.path())
            .output()
            .unwrap()
    };
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let printed = String::from_utf8(first.stdout).unwrap();
    let expected = temp.path().join("content/2026-03/2026-03-10.md");
    assert_eq!(printed, format!("{}\n", expected.display()));
    assert!(read(&expected).starts_with("# [2026-03-10]"));
    let second = run();
    assert!(!second.status.success(), "a second run must not overwrite");
    assert!(second.stdout.is_empty());
}

#[path = "build/incremental.rs"]
mod incremental;

#[path = "build/serve.rs"]
mod serve;

#[path = "build/browser.rs"]
mod browser;

#[path = "build/init.rs"]
mod init;

#[path = "build/check.rs"]
mod check;

#[path = "build/search.rs"]
mod search;

#[path = "build/safety.rs"]
mod safety;

#[path = "build/fuzz.rs"]
mod fuzz;

#[path = "build/adoption.rs"]
mod adoption;

#[path = "build/parity.rs"]
mod parity;

#[path = "build/release.rs"]
mod release;

#[path = "build/validity.rs"]
mod validity;

#[test]
fn giscus_comments_appear_only_when_configured_with_a_stable_ascii_thread_name() {
    let temp = journal(&[
        (
            "2026-03-05/메시징.md",
            "# [2026-03-05] 메시징\n\nSQS를 썼다.\n",
        ),
        ("2026-03-06.md", "# [2026-03-06] 다음 날\n\nSNS를 썼다.\n"),
    ]);
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let output = temp.path().join("public");
    for page in paths_with(&output, "index.html") {
        assert!(!read(&page).contains("giscus"), "{}", page.display());
    }
    fs::write(
        temp.path().join("haru.toml"),
        "[comments]\ngiscus = { repo = \"kim/til\", repo_id = \"R_kgDOabc\", category = \"Comments\", category_id = \"DIC_kwDOabc4\" }\n",
    )
    .unwrap();
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let term = |page: &str| {
        let html = read(output.join(page));
        assert!(html.contains("<script src=\"https://giscus.app/client.js\" data-repo=\"kim/til\" data-repo-id=\"R_kgDOabc\" data-category=\"Comments\" data-category-id=\"DIC_kwDOabc4\" data-mapping=\"specific\""), "{html}");
        assert!(html.contains("data-strict=\"1\"") && html.contains("data-lang=\"ko\""));
        let at = html.find("data-term=\"").unwrap() + "data-term=\"".len();
        html[at..at + html[at..].find('"').unwrap()].to_string()
    };
    let first = term("2026-03-05/메시징/index.html");
    let second = term("2026-03-06/index.html");
    for name in [&first, &second] {
        assert!(
            name.is_ascii() && name.len() == "2026-03-05-".len() + 8,
            "{name}"
        );
    }
    assert!(first.starts_with("2026-03-05-") && second.starts_with("2026-03-06-"));
    // The name is the address's: a new title keeps the thread.
    fs::write(
        temp.path().join("content/2026-03-05/메시징.md"),
        "# [2026-03-05] 메시징 다시 정리\n\nSQS를 썼다.\n",
    )
    .unwrap();
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(term("2026-03-05/메시징/index.html"), first);
    assert!(
        !read(output.join("index.html")).contains("giscus"),
        "entries only"
    );

    fs::write(
        temp.path().join("haru.toml"),
        "[comments]\ngiscus = { repo = \"not a repo\", repo_id = \"R_1\", category = \"C\", category_id = \"DIC_1\" }\n",
    )
    .unwrap();
    let error = build_root(temp.path()).unwrap_err().to_string();
    assert!(
        error.contains("haru.toml:2") && error.contains("is not owner/name"),
        "{error}"
    );
}

/// Every file named `name` below `dir`.
fn paths_with(dir: &Path, name: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name() == name)
        .map(|entry| entry.path().to_path_buf())
        .collect()
}

#[test]
fn the_404_page_offers_search_and_the_newest_entries() {
    let (_temp, output, _) = build_sample(Some("https://user.github.io/til/"));
    let page = read(output.join("404.html"));
    assert!(
        page.contains("<form class=\"search-page\" role=\"search\" action=\"/til/search/\">"),
        "{page}"
    );
    assert!(page.contains("name=\"q\""));
    let links: Vec<&str> = page
        .split("<ul class=\"entry-list\">")
        .nth(1)
        .expect("the newest entries")
        .split("</ul>")
        .next()
        .unwrap()
        .matches("<li>")
        .collect();
    assert_eq!(links.len(), 5);
    let newest = page
        .find("/til/2026-03/2026-03-09/")
        .expect("the newest entry first");
    assert!(newest < page.find("/til/2026-03/2026-03-05/").unwrap_or(usize::MAX));
}

#[test]
fn goals_show_clear_boxes_a_progress_bar_and_their_state_in_words() {
    let temp = journal(&[(
        "2026-03-02.md",
        "# [2026-03-02] 목표\n\n## ☀️ 오늘의 목표 (Scrum)\n- [x] VPC 복습\n- [ ] NAT 실습\n- [x] <b>서브넷</b> 정리\n\n## 📝 배운 내용 (Today I Learned)\n\nVPC를 만들었다.\n",
    )]);
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = read(temp.path().join("public/2026-03-02/index.html"));
    assert!(
        page.contains("<progress value=\"2\" max=\"3\" aria-label=\"오늘의 목표\"></progress> <span>2 / 3</span>"),
        "{page}"
    );
    // The box is drawn, the state said: a disabled checkbox has no label to read. (A page
    // with raw HTML goes through ammonia, which writes `disabled=""`.)
    let boxes = page
        .matches("<input type=\"checkbox\" class=\"task\" disabled")
        .count();
    let hidden = page
        .matches("aria-hidden=\"true\"><span class=\"sr-only\">")
        .count();
    assert_eq!((boxes, hidden), (3, 3), "{page}");
    assert_eq!(
        page.matches("<span class=\"sr-only\">완료: </span>")
            .count(),
        2
    );
    assert_eq!(
        page.matches("<span class=\"sr-only\">할 일: </span>")
            .count(),
        1
    );
    assert!(
        !page.contains("<input disabled"),
        "no bare pulldown-cmark boxes: {page}"
    );
}

#[test]
fn an_entry_about_many_services_shows_six_chips_and_folds_the_rest_behind_a_count() {
    let temp = journal(&[(
        "2026-05-01.md",
        "# [2026-05-01] 한 주 정리\n\n## 📝 배운 내용 (Today I Learned)\n\n\
         ### S3\n\n버킷.\n\n### EC2\n\n인스턴스.\n\n### IAM\n\n역할.\n\n### VPC\n\n서브넷.\n\n\
         ### RDS\n\n스냅샷.\n\n### Lambda\n\n함수.\n\n### SQS\n\n대기열.\n\n### SNS\n\n주제.\n",
    )]);
    build_root(temp.path()).unwrap_or_else(|error| panic!("{error}"));
    let page = read(temp.path().join("public/2026-05-01/index.html"));
    let header = &page[page.find("<header class=\"entry-header\">").unwrap()..];
    let header = &header[..header.find("</header>").unwrap()];
    let (shown, folded) = header
        .split_once("<details class=\"tags-more\">")
        .expect("a fold");
    assert_eq!(shown.matches("class=\"tag\" href=").count(), 6, "{header}");
    assert!(folded.contains(">+2</summary>"), "{header}");
    assert_eq!(folded.matches("class=\"tag\" href=").count(), 2, "{header}");
    for service in ["s3", "ec2", "iam", "vpc", "rds", "lambda", "sqs", "sns"] {
        assert!(
            header.contains(&format!("href=\"/tags/{service}/\"")),
            "{service}: {header}"
        );
    }
}

/// `haru build` of the journal at `root` with its cache folder at `cache`, as a process.
fn build_with_cache(root: &Path, cache: &Path, extra: &[&str]) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_haru"))
        .args(["build", "--root"])
        .arg(root)
        .args(extra)
        .env("HARU_CACHE_DIR", cache)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn big_screenshots_get_smaller_webp_copies_made_once_into_the_cache() {
    let temp = tempfile::tempdir().unwrap();
    incremental::copy_tree(&fixture("reading"), &temp.path().join("content"));
    let cache = temp.path().join("cache");
    let build = || build_with_cache(temp.path(), &cache, &[]);
    build();
    let page = read(temp.path().join("public/2026-04-01/index.html"));
    let start = page.find("<picture>").expect("the screenshot has copies");
    let picture = &page[start..start + page[start..].find("</picture>").unwrap()];
    let copies: Vec<&str> = picture
        .split("srcset=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .split(", ")
        .collect();
    assert_eq!(copies.len(), 2, "{picture}");
    for (copy, width) in copies.iter().zip([720u32, 1440]) {
        let (address, descriptor) = copy.split_once(' ').unwrap();
        assert_eq!(descriptor, format!("{width}w"));
        let file = temp
            .path()
            .join("public")
            .join(address.trim_start_matches('/'));
        let bytes = fs::read(&file).unwrap_or_else(|error| panic!("{address}: {error}"));
        assert_eq!(&bytes[..4], b"RIFF");
        assert_eq!(&bytes[8..12], b"WEBP");
        assert!(
            bytes.len() < fs::metadata(fixture("reading/console.png")).unwrap().len() as usize,
            "a copy is smaller than the picture"
        );
    }
    assert!(
        picture.contains("<img src=\"/console.png\""),
        "the original stays: {picture}"
    );
    let small = &page[page.find("alt=\"작은 그림\"").unwrap() - 200..];
    assert!(
        !small[..200].contains("<picture>"),
        "a small picture has no copies"
    );

    // The second build takes the copies from the cache instead of making them again.
    let cached: Vec<(PathBuf, std::time::SystemTime)> = fs::read_dir(cache.join("images"))
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (entry.path(), entry.metadata().unwrap().modified().unwrap())
        })
        .collect();
    assert_eq!(cached.len(), 2, "{cached:?}");
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::remove_dir_all(temp.path().join("public")).unwrap();
    build();
    for (path, modified) in &cached {
        assert_eq!(
            &fs::metadata(path).unwrap().modified().unwrap(),
            modified,
            "{path:?}"
        );
    }
    assert_eq!(read(temp.path().join("public/2026-04-01/index.html")), page);
}

#[test]
fn pages_of_a_journal_without_a_description_still_describe_themselves() {
    // Lighthouse SEO 92 on such a journal's home: "Document does not have a meta description".
    let temp = journal(&[("2026-04-01.md", "# [2026-04-01] 기록\n\n본문\n")]);
    build_root(temp.path()).unwrap_or_else(|error| panic!("{error}"));
    let home = read(temp.path().join("public/index.html"));
    assert!(
        home.contains(
            "<meta name=\"description\" content=\"학습 일지: 날마다 배운 것을 적은 TIL 기록\">"
        ),
        "{home}"
    );
    let entry = read(temp.path().join("public/2026-04-01/index.html"));
    assert_eq!(entry.matches("<meta name=\"description\"").count(), 1);
}

#[test]
fn highlighted_code_is_taken_from_the_cache_on_the_next_build_and_no_cache_makes_it_afresh() {
    let temp = journal(&[(
        "2026-04-01.md",
        "# [2026-04-01] 기록\n\n```python\ndef 인사(이름):\n    return f\"안녕 {이름}\"\n```\n\n```yaml\n키: 값\n```\n",
    )]);
    let cache = temp.path().join("cache");
    let build = |extra: &[&str]| {
        build_with_cache(temp.path(), &cache, extra);
        read(temp.path().join("public/2026-04-01/index.html"))
    };
    let fresh = build(&[]);
    assert!(fresh.contains("hl-source hl-python"), "{fresh}");
    let files: Vec<PathBuf> = fs::read_dir(cache.join("highlight"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one file for the journal: {files:?}");
    let kept = fs::read(&files[0]).unwrap();
    assert_eq!(build(&[]), fresh, "a warm build writes the same page");

    // A warm build takes its HTML from the file: marked there (same length), it shows.
    let marked = String::from_utf8(kept.clone())
        .unwrap()
        .replace("hl-source hl-python", "hl-source hl-PYTHON");
    fs::write(&files[0], &marked).unwrap();
    assert!(build(&[]).contains("hl-source hl-PYTHON"));
    // --no-cache neither reads the file nor writes it.
    assert_eq!(build(&["--no-cache"]), fresh);
    assert_eq!(fs::read_to_string(&files[0]).unwrap(), marked);

    // Changed code is highlighted afresh, and the file then keeps only what the journal has.
    fs::write(
        temp.path().join("content/2026-04-01.md"),
        "# [2026-04-01] 기록\n\n```python\nprint(1)\n```\n",
    )
    .unwrap();
    let changed = build(&[]);
    assert!(changed.contains("hl-source hl-python"), "{changed}");
    let now = fs::read_to_string(&files[0]).unwrap();
    assert!(now.contains("print(1)") && !now.contains("키: 값"), "{now}");
}

#[test]
fn a_tag_with_more_entries_than_tag_page_size_is_listed_over_pages() {
    let entry = |day: u32, about: bool| {
        let body = if about {
            "### SQS\n\n대기열에 메시지를 넣고 꺼내 보았다.\n"
        } else {
            "### 기타\n\n오늘은 SQS를 잠깐 언급만 했다.\n"
        };
        (
            format!("2026-04-{day:02}.md"),
            format!("# [2026-04-{day:02}] 기록 {day}\n\n## 📝 배운 내용\n\n{body}"),
        )
    };
    let files: Vec<(String, String)> = (1..=5).map(|day| entry(day, day <= 3)).collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let temp = journal(&borrowed);
    fs::write(temp.path().join("haru.toml"), "tag_page_size = 2\n").unwrap();
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let public = temp.path().join("public/tags/sqs");
    let first = read(public.join("index.html"));
    let second = read(public.join("page/2/index.html"));
    let third = read(public.join("page/3/index.html"));
    assert!(!public.join("page/4").exists() && !public.join("page/1").exists());
    // Newest first: the three entries about SQS, then the two that mention it.
    let listed = |page: &str| -> Vec<u32> {
        (1..=5)
            .filter(|day| page.contains(&format!("기록 {day}<")))
            .collect()
    };
    assert_eq!(listed(&first), [2, 3], "{first}");
    assert_eq!(listed(&second), [1, 5]);
    assert_eq!(listed(&third), [4]);
    // Each list's heading counts the whole tag, whichever page shows it.
    assert!(first.contains("<small>3</small>") && second.contains("<small>2</small>"));
    assert!(
        first.contains("rel=\"next\" href=\"/tags/sqs/page/2/\"")
            && !first.contains("rel=\"prev\"")
    );
    assert!(
        second.contains("rel=\"prev\" href=\"/tags/sqs/\"")
            && second.contains("rel=\"next\" href=\"/tags/sqs/page/3/\"")
    );
    assert!(
        third.contains("rel=\"prev\" href=\"/tags/sqs/page/2/\"")
            && !third.contains("rel=\"next\"")
    );
    assert!(first.contains("1 / 3") && third.contains("3 / 3"));
    assert!(second.contains("<title>SQS · 2쪽"), "{second}");
    // The tag's weeks are on its first page only.
    assert!(first.contains("heatmap strip") && !second.contains("heatmap strip"));

    // Fewer entries: the pages they no longer fill are gone; a bad size is an error.
    fs::write(temp.path().join("haru.toml"), "tag_page_size = 50\n").unwrap();
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(!public.join("page").exists());
    assert!(!read(public.join("index.html")).contains("tag-pager"));
    fs::write(temp.path().join("haru.toml"), "tag_page_size = 0\n").unwrap();
    let error = build_root(temp.path()).unwrap_err().to_string();
    assert!(error.contains("tag_page_size"), "{error}");
}
