//! Rendering whole snippets: what the page shows for what the author wrote.

use super::*;
use std::borrow::Cow;
use std::collections::HashMap;

use super::links::resolve_link;
use super::sanitize::HTML_ELEMENTS;
use crate::model::Goal;

const PASSAGES: BodyOptions = BodyOptions {
    passages: true,
    front_title: None,
    language: crate::config::Language::Ko,
};

fn plain_links(pages: &HashMap<String, String>) -> Links<'_> {
    Links {
        base_path: "/",
        source_dir: "",
        pages,
        tags: None,
        looked_up: None,
        names: None,
        images: None,
    }
}

fn html_of(markdown: &str) -> String {
    let pages = HashMap::new();
    let links = plain_links(&pages);
    let document = render(markdown, &links, &Highlighter::new(), PASSAGES);
    document
        .sections
        .iter()
        .map(|section| section.html.as_str())
        .collect()
}

#[test]
fn emphasis_next_to_hangul_renders() {
    assert!(html_of("**\"버킷\"**에 저장").contains("<strong>\"버킷\"</strong>에"));
    assert!(
        html_of("*지연 시간(Latency Time)*이 짧다").contains("<em>지연 시간(Latency Time)</em>이")
    );
    assert!(
        html_of("**도커라이징(Dockerizing)**이란")
            .contains("<strong>도커라이징(Dockerizing)</strong>이란")
    );
    // The cases CommonMark already handles keep working.
    assert!(html_of("**강조**는 된다").contains("<strong>강조</strong>는"));
    assert!(html_of("***VPC 바깥***에 있는").contains("<em><strong>VPC 바깥</strong></em>에"));
}

#[test]
fn two_space_bullets_nest_under_ordered_items() {
    let html = html_of(
        "1. VPC 피어링\n  - 두 VPC를 연결\n  - 전이적 라우팅 불가\n\n2. Transit Gateway\n  - 허브\n",
    );
    assert_eq!(html.matches("<ol").count(), 1, "{html}");
    assert!(
        html.contains("VPC 피어링\n<ul>")
            || html.contains("VPC 피어링</p>\n<ul>")
            || html.contains("VPC 피어링<ul>"),
        "{html}"
    );
    assert!(!html.contains("start=\"2\""), "{html}");
}

#[test]
fn over_indented_bullet_after_paragraph_is_a_list_item() {
    let html = html_of("  (1) 인터페이스 엔드포인트 설명\n     - ***IGW 없이도 가능***\n");
    assert!(html.contains("<li>"), "{html}");
    assert!(!html.contains("- <em>"), "{html}");
}

#[test]
fn unclosed_style_or_script_is_text_and_swallows_nothing() {
    for (markdown, kept) in [
        (
            "CSS는 <style> 태그 안에 쓴다.\n\n- 목록 하나\n- 목록 둘\n",
            vec!["&lt;style&gt; 태그 안에 쓴다", "목록 하나", "목록 둘"],
        ),
        (
            "스크립트는 <script> 로 쓴다. 이어지는 말.\n\n끝 문단\n",
            vec!["&lt;script&gt; 로 쓴다. 이어지는 말.", "끝 문단"],
        ),
        (
            "<textarea> 와 <title> 과 <b>굵게\n\n다음\n",
            vec![
                "&lt;textarea&gt; 와 &lt;title&gt; 과 &lt;b&gt;굵게",
                "<p>다음</p>",
            ],
        ),
        ("# 제목 <select>\n\n본문\n", vec!["본문"]),
        (
            "| a | b |\n|---|---|\n| <iframe> | 칸 |\n\n뒤\n",
            vec!["칸", "뒤"],
        ),
        (
            "<div>\n<style>\n</div>\n\n뒤 문단\n",
            vec!["&lt;style&gt;", "뒤 문단"],
        ),
    ] {
        let html = html_of(markdown);
        for text in kept {
            assert!(html.contains(text), "{markdown:?} lost {text:?}: {html}");
        }
    }
    // Closed tags keep their meaning; script content is still never on the page.
    let html = html_of("<kbd>Ctrl</kbd> 키와 <b>굵게</b>, <script>alert(1)</script> 끝\n");
    assert!(
        html.contains("<kbd>Ctrl</kbd>") && html.contains("<b>굵게</b>"),
        "{html}"
    );
    assert!(!html.contains("alert"), "{html}");
    assert!(html.contains("끝"), "{html}");
}

#[test]
fn unclosed_comment_hides_nothing_after_it() {
    // Found by the fuzz harness: `<!--` with no `-->` made the rest of the file a comment.
    let html = html_of("앞 문단\n\n<!--<script>alert(1)</script> 메모\n\n## 뒤 제목\n\n뒤 문단\n");
    assert!(
        html.contains("뒤 제목") && html.contains("뒤 문단"),
        "{html}"
    );
    assert!(html.contains("&lt;!--"), "{html}");
    assert!(!html.contains("<script>"), "{html}");
    // A closed comment is still a comment.
    let html = html_of("<!-- 숨긴 메모 -->\n\n본문\n");
    assert!(
        html.contains("<!-- 숨긴 메모 -->") && html.contains("본문"),
        "{html}"
    );
}

#[test]
fn unclosed_tags_are_found_in_one_pass() {
    // 20,000 open tags in one paragraph, each found open once.
    let markdown = "<b>가 ".repeat(20_000);
    let html = html_of(&markdown);
    assert_eq!(html.matches("&lt;b&gt;가").count(), 20_000);
}

#[test]
fn placeholders_are_text_and_tags_pass() {
    let html = html_of("`List`는 List<PlaylistTrack> 형태, git checkout <commit-hash> 명령\n");
    assert!(html.contains("List&lt;PlaylistTrack&gt;"), "{html}");
    assert!(html.contains("&lt;commit-hash&gt;"), "{html}");
    let html = html_of("줄<br>바꿈 <img src=\"a.png\" alt=\"그림\">\n");
    assert!(html.contains("<br>") && html.contains("<img"), "{html}");
}

#[test]
fn scripts_handlers_and_javascript_urls_never_reach_the_page() {
    let html = html_of(
        "<script>alert(1)</script>\n\n<img src=x onerror=\"alert(1)\">\n\n[클릭](javascript:alert(1))\n\n<a href=\"javascript:alert(2)\">a</a>\n",
    );
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("onerror"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
}

#[test]
fn raw_html_relative_urls_resolve_from_the_entry_folder() {
    let pages = HashMap::new();
    let links = Links {
        base_path: "/til/",
        source_dir: "TIL/AWS",
        pages: &pages,
        tags: None,
        looked_up: None,
        names: None,
        images: None,
    };
    let document = render(
        "<img src=\"img/a.png\" width=\"300\">\n\n![b](img/b.png)\n",
        &links,
        &Highlighter::new(),
        PASSAGES,
    );
    let html = &document.sections[0].html;
    assert!(html.contains("src=\"/til/TIL/AWS/img/a.png\""), "{html}");
    assert!(html.contains("src=\"/til/TIL/AWS/img/b.png\""), "{html}");
}

#[test]
fn an_image_no_browser_can_load_shows_its_alt_text() {
    let html = html_of("![화면 캡처](attachment:213c57b4:image.png) 그리고 <br>\n");
    assert!(html.contains("<span class=\"image-unavailable\" title=\"attachment:213c57b4:image.png\">화면 캡처</span>"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html_of("![a](img/a.png)").contains("<img src=\"/img/a.png\" alt=\"a\""));
}

#[test]
fn single_tilde_stays_literal_and_double_strikes() {
    let html = html_of("리전~리전 간 OK / 계정~계정 간 OK\n\n~~취소~~\n");
    assert!(html.contains("리전~리전 간 OK / 계정~계정"), "{html}");
    assert!(html.contains("<del>취소</del>"), "{html}");
}

#[test]
fn dunder_names_stay_literal() {
    let html = html_of("생성자(__init__)와 `__name__`\n");
    assert!(html.contains("(__init__)"), "{html}");
    assert!(html.contains("<code>__name__</code>"), "{html}");
}

#[test]
fn liquid_is_shown_not_evaluated() {
    let html = html_of("{% for post in site.posts %}{{ post.title }}{% endfor %} {{DATE}}\n");
    assert!(
        html.contains("{% for post in site.posts %}{{ post.title }}{% endfor %} {{DATE}}"),
        "{html}"
    );
}

#[test]
fn indented_fence_after_blank_is_a_fence() {
    let html = html_of("설명\n\n    ```python\n    print(1)\n    ```\n");
    assert!(
        html.contains("<pre class=\"code\" data-lang=\"python\">"),
        "{html}"
    );
    assert!(!html.contains("```"), "{html}");
}

/// Each section's HTML was once given room for half the whole entry, and kept it until
/// the site was written: 400 MB of spare room at 10,000 entries.
#[test]
fn sections_keep_their_html_without_spare_room() {
    let pages = HashMap::new();
    let links = plain_links(&pages);
    let long = "VPC 서브넷과 라우팅 테이블을 정리했다.\n".repeat(400);
    let source = format!(
        "# [2026-01-30]\n\n## ☀️ 오늘의 목표\n\n- [ ] 복습\n\n## 📝 배운 내용\n\n{long}\n## 💭 오늘의 회고\n\n- Keep: 정리\n\n## 🔗 참고 자료\n\n- 문서\n"
    );
    let document = render(&source, &links, &Highlighter::new(), BodyOptions::default());
    assert_eq!(document.sections.len(), 4);
    for section in &document.sections {
        assert_eq!(
            section.html.capacity(),
            section.html.len(),
            "{:?} section",
            section.kind
        );
    }
}

#[test]
fn sections_are_split_by_template_headings_with_topics_inside_til() {
    let pages = HashMap::new();
    let links = plain_links(&pages);
    let document = render(
        "# [2026-01-30]\n\n## ☀️ 오늘의 목표 (Scrum)\n\n- [x] VPC 복습\n- [ ]  Lambda 실습\n\n## 📝 배운 내용 (Today I Learned)\n\n## Architecting On AWS\n\n### 네트워킹 Part.2\n본문\n\n## 🔥 도전 과제 & 해결 (Challenge & Solution)/\n\n- **과제/문제**: X\n- **시도 및 해결**: X\n\n## 💭 오늘의 회고 (Retrospective)\n\n- **Keep (좋았던 점)**: 꾸준히 정리\n- **Problem (아쉬웠던 점)**: X\n- **Try (시도할 점)**:\n  - 실습 복습\n  - 문서 읽기\n\n## 🔗 참고 자료 (References)\n",
        &links,
        &Highlighter::new(),
        PASSAGES,
    );
    let kinds: Vec<SectionKind> = document.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Goals,
            SectionKind::Learned,
            SectionKind::Challenge,
            SectionKind::Retrospective,
            SectionKind::References
        ]
    );
    assert_eq!(document.title_heading, Some(("[2026-01-30]".into(), 1)));
    let learned = &document.sections[1];
    assert!(
        learned.html.contains("id=\"네트워킹-part2\""),
        "{}",
        learned.html
    );
    assert!(learned.html.contains("Architecting On AWS"));
    assert!(document.sections[2].is_empty);
    assert!(document.sections[4].is_empty);
    assert_eq!(
        document.goals,
        [
            Goal {
                text: "VPC 복습".into(),
                done: Some(true)
            },
            Goal {
                text: "Lambda 실습".into(),
                done: Some(false)
            }
        ]
    );
    assert_eq!(document.kpt.keep, ["꾸준히 정리"]);
    assert!(document.kpt.problem.is_empty());
    assert_eq!(document.kpt.try_next, ["실습 복습", "문서 읽기"]);
    assert!(
        !document.sections[3].html.contains("Keep"),
        "{}",
        document.sections[3].html
    );
    assert_eq!(
        document.sections[0].anchor.as_deref(),
        Some("-오늘의-목표-scrum")
    );
    assert_eq!(
        document
            .toc
            .iter()
            .map(|h| h.text.as_str())
            .collect::<Vec<_>>(),
        ["Architecting On AWS", "네트워킹 Part.2"]
    );
}

#[test]
fn kpt_as_subheadings_and_table() {
    let pages = HashMap::new();
    let links = plain_links(&pages);
    let headings = render(
        "## 회고\n\n### Keep\n- 복습\n\n### Problem\n없음\n\n### Try\n- 실습\n",
        &links,
        &Highlighter::new(),
        PASSAGES,
    );
    assert_eq!(headings.kpt.keep, ["복습"]);
    assert!(headings.kpt.problem.is_empty());
    assert_eq!(headings.kpt.try_next, ["실습"]);
    let table = render(
        "## KPT\n\n| Keep | Problem | Try |\n|---|---|---|\n| 복습 | 지각 | 일찍 자기 |\n",
        &links,
        &Highlighter::new(),
        PASSAGES,
    );
    assert_eq!(table.kpt.keep, ["복습"]);
    assert_eq!(table.kpt.problem, ["지각"]);
    assert_eq!(table.kpt.try_next, ["일찍 자기"]);
}

#[test]
fn a_goals_section_ends_at_the_next_heading_of_its_level() {
    let pages = HashMap::new();
    let links = plain_links(&pages);
    let document = render(
        "## 오늘 목표\n\n- 이미지 겹치기\n\n## 오늘 결과\n\n- 겹치기는 했다\n",
        &links,
        &Highlighter::new(),
        PASSAGES,
    );
    let kinds: Vec<SectionKind> = document.sections.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [SectionKind::Goals, SectionKind::Body]);
    assert_eq!(
        document.goals,
        [Goal {
            text: "이미지 겹치기".into(),
            done: None
        }]
    );
    assert!(
        document.sections[1]
            .html
            .contains("<h2 id=\"오늘-결과\">오늘 결과</h2>"),
        "{}",
        document.sections[1].html
    );
}

#[test]
fn file_without_template_is_one_body() {
    let pages = HashMap::new();
    let links = plain_links(&pages);
    let document = render(
        "# 오늘 배운 것\n\n## 쿠키\n세션과 쿠키\n",
        &links,
        &Highlighter::new(),
        PASSAGES,
    );
    assert_eq!(document.sections.len(), 1);
    assert_eq!(document.sections[0].kind, SectionKind::Body);
    assert!(document.sections[0].html.contains("세션과 쿠키"));
}

#[test]
fn relative_links_resolve_from_the_entry_folder() {
    let mut pages = HashMap::new();
    pages.insert(
        "TIL/Network/2026.02.11.md".to_string(),
        "TIL/Network/2026.02.11/".to_string(),
    );
    let links = Links {
        base_path: "/til/",
        source_dir: "TIL/AWS",
        pages: &pages,
        tags: None,
        looked_up: None,
        names: None,
        images: None,
    };
    assert_eq!(
        resolve_link("../Network/2026.02.11.md#vpc", &links).unwrap(),
        "/til/TIL/Network/2026.02.11/#vpc"
    );
    assert_eq!(
        resolve_link("img/그림 1.png", &links).unwrap(),
        "/til/TIL/AWS/img/%EA%B7%B8%EB%A6%BC%201.png"
    );
    assert_eq!(
        resolve_link("https://aws.amazon.com", &links).unwrap(),
        "https://aws.amazon.com"
    );
    assert!(resolve_link("javascript:alert(1)", &links).is_none());
    assert_eq!(resolve_link("#section", &links).unwrap(), "#section");
}

#[test]
fn html_element_list_is_sorted_for_binary_search() {
    assert!(HTML_ELEMENTS.windows(2).all(|pair| pair[0] < pair[1]));
}

#[test]
fn prepare_keeps_line_count() {
    let source = "1. a\n  - b\n  - c\n2. d\n\n    ```\n    x\n    ```\n";
    let prepared = prepare(source);
    assert_eq!(prepared.lines().count(), source.lines().count());
    assert_eq!(prepare("plain\n"), Cow::Borrowed("plain\n"));
}

#[test]
fn raw_images_without_alt_get_an_empty_one_and_written_alts_stay() {
    let html = html_of(
        "<img src=\"banner.png\" width=\"600\">\n\n\
         <img title=\"x alt=y\" src=\"b.png\">\n\n\
         <img src=\"c.png\" alt=\"구성도\">\n",
    );
    assert!(html.contains("<img alt=\"\" src="), "{html}");
    assert_eq!(
        html.matches("alt=\"\"").count(),
        2,
        "`alt=` inside a title is no alt: {html}"
    );
    assert!(html.contains("alt=\"구성도\""), "{html}");
    assert_eq!(html.matches("<img").count(), 3);
}

#[test]
fn dollar_math_renders_as_mathml_inline_and_as_a_block() {
    let html = html_of(
        "시간 복잡도는 $O(n \\log n)$ 이다.\n\n$$\n\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}\n$$\n",
    );
    assert!(html.contains("<math display=\"inline\">"), "{html}");
    assert!(html.contains("<math display=\"block\">"), "{html}");
    assert!(html.contains("<mfrac>"), "{html}");
    assert!(!html.contains("haru-math"), "{html}");
}

#[test]
fn math_survives_sanitising_beside_raw_html() {
    let html = html_of("<b>굵게</b> 그리고 $a^2 + b^2 = c^2$ 공식");
    assert!(html.contains("<b>굵게</b>"), "{html}");
    assert!(html.contains("<msup>"), "{html}");
}

#[test]
fn prices_and_shell_prompts_are_not_math() {
    let html = html_of("커피는 $5, 케이크는 $10 이었다.\n\n```\n$ ls -al\n```\n");
    assert!(!html.contains("<math"), "{html}");
    assert!(html.contains("$5, 케이크는 $10"), "{html}");
}

#[test]
fn unreadable_math_keeps_its_source_and_says_why() {
    let pages = HashMap::new();
    let links = plain_links(&pages);
    let document = render(
        "식: $\\nosuchcommand{a}$ 끝",
        &links,
        &Highlighter::new(),
        PASSAGES,
    );
    let html: String = document
        .sections
        .iter()
        .map(|section| section.html.as_str())
        .collect();
    assert!(html.contains("<code>$\\nosuchcommand{a}$</code>"), "{html}");
    assert!(
        document
            .notes
            .iter()
            .any(|note| note.message.contains("math")),
        "{:?}",
        document.notes
    );
}

#[test]
fn a_typed_math_marker_is_not_a_formula() {
    let html = html_of("앞 <!--haru-math:7--> 그리고 $x$");
    assert!(html.contains("<!--haru-math:7-->"), "{html}");
    assert_eq!(html.matches("<math").count(), 1, "{html}");
}

fn html_with_images(markdown: &str) -> String {
    let pages = HashMap::new();
    let mut sizes = crate::images::Pictures::new();
    sizes.insert(
        "TIL/img/console.png".to_string(),
        crate::images::Picture {
            size: crate::images::Size {
                width: 1600,
                height: 900,
            },
            variants: vec![crate::images::Variant {
                width: 720,
                hash: 0xabc,
                file: std::path::PathBuf::from("unused"),
            }],
        },
    );
    let links = Links {
        base_path: "/",
        source_dir: "TIL",
        pages: &pages,
        tags: None,
        looked_up: None,
        names: None,
        images: Some(&sizes),
    };
    let document = render(markdown, &links, &Highlighter::new(), PASSAGES);
    document
        .sections
        .iter()
        .map(|section| section.html.as_str())
        .collect()
}

#[test]
fn journal_images_keep_their_place_load_lazily_and_open_full_size() {
    let html = html_with_images("![콘솔 *화면*](img/console.png \"실행 결과\")");
    assert!(
        html.contains(
            "<a class=\"image-link\" href=\"/TIL/img/console.png\"><picture><source type=\"image/webp\" srcset=\"/static/images/0000000000000abc-720.webp 720w\" sizes=\"(min-width: 46rem) 43.5rem, calc(100vw - 2.5rem)\"><img src=\"/TIL/img/console.png\" alt=\"콘솔 화면\" title=\"실행 결과\" width=\"1600\" height=\"900\" loading=\"lazy\" decoding=\"async\"></picture></a>"
        ),
        "{html}"
    );
}

#[test]
fn an_image_inside_a_link_keeps_the_link_and_unknown_sizes_are_left_out() {
    let html = html_with_images("[![배지](https://example.com/badge.svg)](https://example.com)");
    assert_eq!(html.matches("<a ").count(), 1, "{html}");
    assert!(html.contains("href=\"https://example.com\""), "{html}");
    assert!(!html.contains("width="), "{html}");
    assert!(html.contains("loading=\"lazy\""), "{html}");
}

#[test]
fn image_alt_and_address_cannot_break_out_of_the_tag() {
    let html =
        html_with_images("![\"><script>x</script>](img/a\"b.png) ![a ![b](x.png) c](y.png) 끝");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("a\"b"), "{html}");
    assert_eq!(html.matches("<img").count(), 2, "{html}");
    assert!(html.contains("alt=\"a b c\""), "{html}");
    assert!(html.contains("끝"), "{html}");
}

#[test]
fn image_attributes_survive_sanitising_beside_raw_html() {
    let html = html_with_images("<b>굵게</b> ![콘솔](img/console.png)");
    assert!(html.contains("decoding=\"async\""), "{html}");
    assert!(html.contains("width=\"1600\""), "{html}");
    assert!(html.contains("class=\"image-link\""), "{html}");
}
