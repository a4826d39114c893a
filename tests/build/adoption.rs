//! Repositories haru has never seen, built unchanged: one fixture a style (written for these
//! tests), each rule of issue #18 asserted on the built site.

use super::{build_fixture, files_under, fixture, read};

/// `haru check` over a copy of a fixture: as the journal's content folder, or (`at_root`) as
/// the whole repository with `content_dir = "."`.
fn check_fixture(name: &str, at_root: bool) -> Vec<haru::check::Finding> {
    let temp = tempfile::tempdir().unwrap();
    if at_root {
        super::incremental::copy_tree(&fixture(name), temp.path());
        std::fs::write(temp.path().join("haru.toml"), "content_dir = \".\"\n").unwrap();
    } else {
        super::incremental::copy_tree(&fixture(name), &temp.path().join("content"));
    }
    haru::check::check(&haru::check::CheckOptions {
        root: temp.path(),
        paths: &[],
        external: None,
        selection: haru::check::Selection {
            notes: true,
            ..Default::default()
        },
    })
    .unwrap_or_else(|d| panic!("{d:?}"))
    .findings
}

/// A Jekyll blog: `index.html`, `robots.txt`, `_config.yml`, scripts, `_posts/`.
#[test]
fn jekyll_blog_keeps_harus_pages_and_publishes_only_linked_files() {
    let content = fixture("jekyll-blog");
    let temp = tempfile::tempdir().unwrap();
    let output = temp.path().join("public");
    let report = haru::build(&haru::BuildOptions {
        root: temp.path().to_path_buf(),
        content: Some(content),
        output: Some(output.clone()),
        no_cache: true,
        ..haru::BuildOptions::default()
    })
    .unwrap_or_else(|d| panic!("{d}"));
    let home = read(output.join("index.html"));
    assert!(
        home.contains("<html lang=\"ko\""),
        "haru's home page, not the blog's"
    );
    assert!(!home.contains("{% for post"));
    assert!(read(output.join("robots.txt")).contains("Sitemap:"));
    let warnings = report.warnings.to_string();
    for left_out in ["index.html", "robots.txt"] {
        assert!(
            warnings.contains(&format!(
                "jekyll-blog/{left_out}: 사이트에서 뺐습니다: haru가 그 자리(`{left_out}`)에 자기 페이지를 씁니다"
            )),
            "{warnings}"
        );
    }
    let files = files_under(&output);
    assert!(
        files.contains_key("assets/img/flow.png"),
        "a linked image is published"
    );
    for private in ["assets/img/unused.png", "scripts/tool.py", "_config.yml"] {
        assert!(
            !files.contains_key(private),
            "{private} is not linked and must stay private"
        );
    }
}

#[test]
fn jekyll_posts_keep_their_addresses_headings_and_code() {
    let (_temp, output) =
        build_fixture(&fixture("jekyll-blog"), Some("https://me.github.io/blog/"));
    let post = read(output.join("2025/09/03/generic-views/index.html"));
    // The H1 after a paragraph is a heading of the post, not its title.
    assert!(
        post.contains("<h1>generic views</h1>"),
        "titled by the file name's words"
    );
    assert!(
        post.contains("<h1 id=\"-제네릭뷰\">🧩 제네릭뷰</h1>"),
        "no heading lost"
    );
    assert!(
        post.contains("href=\"#-제네릭뷰\""),
        "and it is in the table of contents"
    );
    // Bare URLs as GitHub links them.
    assert!(post.contains("<a href=\"https://docs.djangoproject.com/ko/5.0/\">https://docs.djangoproject.com/ko/5.0/</a> 에"));
    assert!(
        post.contains("(<a href=\"http://www.djangoproject.com\">www.djangoproject.com</a> 참고)")
    );
    assert!(post.contains("💡 ListView"), "emoji shortcodes");
    assert!(
        post.contains("<strong>ACID</strong> :"),
        "bold as GitHub shows it"
    );
    assert!(
        post.contains("</a>의 __init__ 과"),
        "a Python name stays a name"
    );
    // Liquid: raw markers gone, the site address resolved, under the project site's path.
    assert!(!post.contains("{% raw %}") && !post.contains("endraw"));
    assert!(
        post.contains("{{ object.title }}"),
        "the code Jekyll was told to leave alone"
    );
    assert!(post.contains(
        "<a class=\"image-link\" href=\"/blog/assets/img/flow.png\"><img src=\"/blog/assets/img/flow.png\" alt=\"흐름도\""
    ));
    assert!(
        post.contains("<img alt=\"\" src=\"/blog/assets/img/flow.png\" width=\"300\">"),
        "raw HTML too"
    );
    let cache = read(output.join("2025/09/04/cache/index.html"));
    assert!(cache.contains("<h1>스프링 캐시 적용기</h1>"));
    assert_eq!(
        cache.matches("스프링 캐시 적용기</h1>").count(),
        1,
        "the H1 repeating the front matter's title is that title"
    );
}

/// An Obsidian vault: callouts, wikilinks by file name, embeds, notes titled by file name.
#[test]
fn obsidian_vault_links_by_name_embeds_and_shows_callouts() {
    let (_temp, output) = build_fixture(&fixture("obsidian-vault"), None);
    let files = files_under(&output);
    assert!(
        files.contains_key("첨부/구조도.png"),
        "an embedded image is published"
    );
    assert!(!files.keys().any(|path| path.contains(".obsidian")));
    let note = read(output.join("딥러닝/Attention/index.html"));
    assert!(
        note.contains("<h1>Attention</h1>"),
        "a note is titled by its file name"
    );
    assert!(
        note.contains(">들어가기 전에</h2>"),
        "and its first heading stays a heading"
    );
    let transformer = "/%EB%94%A5%EB%9F%AC%EB%8B%9D/%ED%8A%B8%EB%9E%9C%EC%8A%A4%ED%8F%AC%EB%A8%B8/";
    assert!(
        note.contains(&format!("<a href=\"{transformer}#%EC%85%80%ED%94%84-%EC%96%B4%ED%85%90%EC%85%98\">셀프 어텐션 정리</a>")),
        "[[note#heading|alias]] links to the heading under the alias"
    );
    assert!(note.contains(&format!("<a href=\"{transformer}\">트랜스포머</a>")));
    assert!(
        note.contains("[[아직 안 쓴 노트]]"),
        "an unresolved wikilink stays as written"
    );
    assert!(
        note.contains("alt=\"구조도.png\" width=\"320\">"),
        "![[image|320]] embeds at that width"
    );
    assert!(
        note.contains("<div class=\"callout callout-note\">\n<p class=\"callout-title\">핵심</p>")
    );
    assert!(note.contains("<details class=\"callout callout-tip\">\n<summary class=\"callout-title\">외우는 법</summary>"));
    assert!(
        note.contains(
            "<div class=\"callout callout-warning\">\n<p class=\"callout-title\">경고</p>"
        ),
        "a GitHub alert with its Korean label"
    );
    assert!(!note.contains("[!"), "no marker is left on the page");
    let notes = read(output.join("notes/index.html"));
    assert!(!notes.contains("[!note]"), "nor in a summary");
    let back = read(output.join("딥러닝/트랜스포머/index.html"));
    assert!(back.contains("href=\"/%EB%94%A5%EB%9F%AC%EB%8B%9D/Attention/\""));
}

/// A cohort journal: the untouched template, month-day names, day folders, a year typo.
#[test]
fn cohort_journal_skips_the_blank_template_and_reads_every_date() {
    let (_temp, output) = build_fixture(&fixture("cohort"), None);
    let files = files_under(&output);
    assert!(
        !files.contains_key("2025-12/2025-12-22/index.html"),
        "the untouched template is not an entry"
    );
    let home = read(output.join("index.html"));
    assert!(!home.contains("제목을 적어주세요") && !home.contains("목표 1"));
    let archive = read(output.join("archive/index.html"));
    for (day, page) in [
        ("2025년 12월 31일", "2025-12/12-31-Deepdive/"),
        ("2026년 1월 9일", "2026-01/0109-deepDive_/"),
        ("2025년 12월 16일", "20251216/README/"),
        ("2025년 12월 17일", "2025.12.17/note/"),
    ] {
        let at = archive
            .find(page)
            .unwrap_or_else(|| panic!("{page} listed"));
        let row = &archive[archive[..at].rfind("<li").unwrap()..];
        let row = &row[..row.find("</li>").unwrap()];
        assert!(row.contains(day), "{page} is dated {day}: {row}");
    }
    let filled = read(output.join("2025-12/12-31-Deepdive/index.html"));
    assert!(
        filled.contains("<h1>Deepdive</h1>"),
        "a kept placeholder title gives way to the file name"
    );
    assert!(filled.contains("평가 순서 정리</li>"));
    assert!(
        filled.contains("max=\"1\" aria-label=\"오늘의 목표\"></progress> <span>1 / 1</span>"),
        "placeholder and instruction lines are never goals"
    );
}

#[test]
fn cohort_journal_check_names_the_blank_template_and_the_year_typo() {
    let findings = check_fixture("cohort", false);
    let named = |rule: &str, path: &str| {
        findings
            .iter()
            .any(|finding| finding.rule.name() == rule && finding.path.ends_with(path))
    };
    assert!(named("blank-entry", "2025-12/2025-12-22"));
    assert!(named("date-outlier", "2026-01/2016-01-13.md"));
    assert!(!named("date-outlier", "2026-01/2026-01-12.md"));
}

/// A class-notes repository: emoji codes, bare URLs and e-mail addresses, topic folders.
#[test]
fn class_notes_show_emoji_and_link_bare_addresses() {
    let (_temp, output) = build_fixture(&fixture("class-notes"), None);
    let venv = read(output.join("01_python/01_가상환경/index.html"));
    assert!(
        venv.contains("<h1>🐍 가상환경 만들기</h1>"),
        "emoji in the title"
    );
    assert!(
        venv.contains("<title>🐍 가상환경 만들기"),
        "and in the page's title"
    );
    assert!(venv.contains("✔\u{fe0f} <code>"));
    assert!(
        venv.contains("<code>:bulb:</code>"),
        "code keeps its colons"
    );
    assert!(
        venv.contains("<a href=\"https://pypi.org\">https://pypi.org</a>에서"),
        "Hangul after the host is the sentence"
    );
    assert!(venv.contains("src=\"/01_python/images/venv.png\""));
    let rights = read(output.join("02_linux/01_권한/index.html"));
    assert!(rights.contains("<a href=\"http://www.gnu.org/software/coreutils\">www.gnu.org/software/coreutils</a> (공식 문서)"));
    assert!(rights.contains("<a href=\"mailto:teacher@example.com\">teacher@example.com</a>"));
    let about = read(output.join("about/index.html"));
    assert!(about.contains("📚 부트캠프 수업 노트"));
    assert!(
        venv.contains("패턴의 &lt;int:pk&gt; 는"),
        "a placeholder in brackets is text"
    );
}

/// Where haru shows an address otherwise than GitHub, `check` says so.
#[test]
fn class_notes_check_names_what_github_links_otherwise() {
    let findings = check_fixture("class-notes", false);
    let at = |rule: &str| -> Vec<(usize, usize)> {
        findings
            .iter()
            .filter(|finding| finding.rule.name() == rule)
            .map(|finding| (finding.line, finding.column))
            .collect()
    };
    assert_eq!(
        at("github-url-particle"),
        [(5, 25)],
        "`https://pypi.org에서`"
    );
    assert_eq!(at("github-bracket-link"), [(11, 12)], "`<int:pk>`");
}

/// `haru inspect … | head` closed the pipe early and haru panicked writing the rest.
#[test]
fn inspect_piped_into_head_ends_quietly() {
    use std::io::Read;
    let entry =
        "# [2026-01-30] 파이프\n\nS3와 EC2와 VPC를 정리했다. 한 줄을 길게 써서 출력을 키운다.\n"
            .repeat(40);
    let files: Vec<(String, String)> = (1..=28)
        .map(|day| {
            (
                format!("2026-02-{day:02}.md"),
                entry.replace("2026-01-30", &format!("2026-02-{day:02}")),
            )
        })
        .collect();
    let named: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let temp = super::journal(&named);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_haru"))
        .args(["inspect", "--root"])
        .arg(temp.path())
        .args(
            files
                .iter()
                .map(|(name, _)| temp.path().join("content").join(name)),
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The reader is gone, as `head` is after its lines.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.success(), "{stderr}");
    assert_eq!(&first[..1], b"[", "always a list");
}

#[test]
fn check_names_the_blog_files_haru_leaves_out() {
    let findings = check_fixture("jekyll-blog", true);
    let left_out: Vec<String> = findings
        .iter()
        .filter(|finding| finding.rule.name() == "left-out-file")
        .map(|finding| finding.path.display().to_string())
        .collect();
    assert_eq!(left_out, ["index.html", "robots.txt"]);
    assert!(
        findings
            .iter()
            .any(|finding| finding.rule.name() == "blank-entry"
                && finding.path.ends_with("_posts/2025-09-05-draft-note.md")),
        "a post that is one HTML comment is named"
    );
}
