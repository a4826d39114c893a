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
