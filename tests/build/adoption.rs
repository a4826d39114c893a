//! Repositories haru has never seen, built unchanged: one fixture a style (written for these
//! tests), each rule of issue #18 asserted on the built site.

use super::{build_fixture, files_under, fixture, read};

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
                "jekyll-blog/{left_out}: left out of the site: haru writes its own `{left_out}`"
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
        post.contains("파이썬의 __init__ 과"),
        "a Python name stays a name"
    );
    // Liquid: raw markers gone, the site address resolved, under the project site's path.
    assert!(!post.contains("{% raw %}") && !post.contains("endraw"));
    assert!(
        post.contains("{{ object.title }}"),
        "the code Jekyll was told to leave alone"
    );
    assert!(post.contains("<img src=\"/blog/assets/img/flow.png\" alt=\"흐름도\">"));
    assert!(
        post.contains("<img src=\"/blog/assets/img/flow.png\" width=\"300\">"),
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
