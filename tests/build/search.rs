//! Search over a built fixture journal: the index files, and the search box and page in a real
//! headless Chromium (see `browser.rs`), typed into as a reader would.

use super::*;

use std::time::Duration;

use haru::serve::Server;
use serde_json::Value;

use crate::browser::Browser;

/// A small journal written for these tests: a word with particles, a near miss made of the
/// same bigrams, a service written by its full name only, a word only in code.
const FIXTURE: [(&str, &str); 7] = [
    (
        "2026-03-02.md",
        "# [2026-03-02] 서버리스 입문\n\n## ☀️ 오늘의 목표 (Scrum)\n\n- [x] 함수 하나 배포하기\n\n\
         ## 📝 배운 내용 (Today I Learned)\n\n### 람다를 고른 이유\n\n운영할 장비가 없다는 점이 좋았다.\n\n\
         ### 서버리스를 쓸 때 주의할 점\n\n콜드 스타트가 생기면 첫 요청이 느려진다. 함수 크기를 작게 유지한다.\n",
    ),
    (
        "2026-03-03.md",
        "# [2026-03-03] 메시지 대기열\n\n## 📝 배운 내용 (Today I Learned)\n\n### 표준 대기열\n\n\
         SQS에서 표준 대기열을 만들고 가시성 제한 시간을 30초로 두었다.\n",
    ),
    (
        "2026-03-04.md",
        "# [2026-03-04] 공식 문서 읽기\n\n## 📝 배운 내용 (Today I Learned)\n\n\
         Amazon Simple Queue Service 개발자 안내서의 첫 장을 읽었다.\n",
    ),
    (
        "2026-03-05.md",
        "# [2026-03-05] 배포 되돌리기\n\n## 📝 배운 내용 (Today I Learned)\n\n\
         배포가 잘못되면 이전 버전으로 돌린다.\n\n```sh\nkubectl rollout undo deployment/web\n```\n",
    ),
    (
        "2026-03-06.md",
        "# [2026-03-06] 서버 점검 메모\n\n## 📝 배운 내용 (Today I Learned)\n\n\
         서버 리스트를 정리했다. 쓰지 않는 장비는 버리기로 했다.\n\n\
         VPC에서 게이트웨이 엔드포인트는 요금이 없다. 람다 함수는 이번에 건드리지 않았다.\n",
    ),
    (
        "2026-03-07.md",
        "# [2026-03-07] 캐시 앞단\n\n## 📝 배운 내용 (Today I Learned)\n\n\
         CloudFront 배포의 캐시 정책을 바꿨다.\n",
    ),
    (
        "2026-03-08.md",
        "# [2026-03-08] 쉬는 날\n\n오늘은 쉬었다.\n",
    ),
];

fn fixture(config: &str) -> tempfile::TempDir {
    let temp = journal(&FIXTURE);
    fs::write(temp.path().join("haru.toml"), config).unwrap();
    temp
}

#[test]
fn search_index_files_are_written_and_left_out_when_search_is_off() {
    let temp = fixture("title = \"검색 시험\"\n");
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let public = temp.path().join("public");
    let meta: Value = serde_json::from_str(&read(public.join("search/meta.json"))).unwrap();
    assert_eq!(meta["documents"], 7);
    let chunks = meta["chunks"].as_array().unwrap();
    assert!(!chunks.is_empty());
    for chunk in chunks {
        assert!(
            public
                .join(format!("search/index/{}.bin", chunk[1].as_str().unwrap()))
                .is_file()
        );
    }
    for number in 0..7 {
        assert!(
            public
                .join(format!("search/doc/{number}.json.gz"))
                .is_file()
        );
    }
    // Entries are numbered oldest first: today's new entry is the next number.
    let newest = fs::read(public.join("search/doc/6.json.gz")).unwrap();
    let newest: Value = serde_json::from_reader(flate2::read::GzDecoder::new(&newest[..])).unwrap();
    assert_eq!(newest["title"], "쉬는 날");
    assert!(read(public.join("search/index.html")).contains("data-haru-search-page"));
    assert!(read(public.join("2026-03-05/index.html")).contains("data-haru-search=\"/\""));

    let english = fixture("language = \"en\"\n");
    build_root(english.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = read(english.path().join("public/search/index.html"));
    assert!(
        page.contains("<h1 class=\"page-heading\">Search</h1>"),
        "{page}"
    );
    assert!(page.contains("placeholder=\"Search (/)\""));

    let off = fixture("search = false\n");
    build_root(off.path()).unwrap_or_else(|d| panic!("{d}"));
    let public = off.path().join("public");
    assert!(!public.join("search").exists());
    assert!(!read(public.join("index.html")).contains("data-haru-search"));
    assert!(!public.join("static/search.js").exists());
}

/// What the search box or page shows for `query`: (title, heading, link) of each result, or
/// the status line when there are none.
fn results(
    browser: &Browser,
    input: &str,
    list: &str,
    query: &str,
) -> Vec<(String, String, String)> {
    browser.run(&format!(
        "const input = document.querySelector('{input}'); input.value = ''; input.focus(); return true;"
    ));
    browser.type_into(input, query);
    let quoted = serde_json::to_string(query).unwrap();
    browser.wait_for(
        &format!("return document.querySelector('{list}').dataset.query === {quoted}"),
        Duration::from_secs(20),
        &format!("results for {query}"),
    );
    let found = browser.run(&format!(
        "return Array.from(document.querySelectorAll('{list} li a')).map(a => [\
           a.querySelector('.search-title').textContent, \
           (a.querySelector('.search-heading') || {{textContent: ''}}).textContent, \
           a.getAttribute('href')])"
    ));
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row[0].as_str().unwrap().to_string(),
                row[1].as_str().unwrap().to_string(),
                row[2].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn titles(found: &[(String, String, String)]) -> Vec<&str> {
    found.iter().map(|(title, ..)| title.as_str()).collect()
}

fn sorted(mut titles: Vec<&str>) -> Vec<&str> {
    titles.sort();
    titles
}

fn serve_fixture() -> (tempfile::TempDir, Server) {
    let temp = fixture("title = \"검색 시험\"\nbase_url = \"https://example.github.io/til/\"\n");
    let server = crate::serve::serve_root(temp.path());
    (temp, server)
}

#[test]
fn search_page_finds_korean_words_initials_aliases_and_code_in_the_browser() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_temp, server) = serve_fixture();
    browser.goto(&format!("{}search/", server.url()));
    let (input, list) = ("#search-page", ".search-list");
    let search = |query: &str| results(&browser, input, list, query);

    // Across particles; `서버 리스트 … 버리기` holds every bigram of 서버리스 but not the word.
    let found = search("서버리스");
    assert_eq!(titles(&found), ["서버리스 입문"], "{found:?}");
    assert_eq!(
        found[0].1, "서버리스를 쓸 때 주의할 점",
        "the result names its heading"
    );
    assert_eq!(
        found[0].2,
        "/til/2026-03-02/#%EC%84%9C%EB%B2%84%EB%A6%AC%EC%8A%A4%EB%A5%BC-%EC%93%B8-%EB%95%8C-%EC%A3%BC%EC%9D%98%ED%95%A0-%EC%A0%90"
    );
    assert_eq!(titles(&search("엔드포인트")), ["서버 점검 메모"]);
    // Decomposed jamo (what macOS file names and some input methods give) are composed first.
    browser.run(
        "const input = document.querySelector('#search-page'); \
         input.value = '서버리스'.normalize('NFD'); input.dispatchEvent(new Event('input')); return true;",
    );
    browser.wait_for(
        "return document.querySelector('.search-list').dataset.query === '서버리스'.normalize('NFD')",
        Duration::from_secs(20),
        "results for a decomposed query",
    );
    assert_eq!(
        browser.run("return Array.from(document.querySelectorAll('.search-list .search-title')).map(t => t.textContent)"),
        serde_json::json!(["서버리스 입문"])
    );
    assert_eq!(titles(&search("VPC")), ["서버 점검 메모"]);
    assert_eq!(titles(&search("cloudf")), ["캐시 앞단"]);
    // A particle after an ASCII word is not a word of its own.
    assert_eq!(titles(&search("CloudFront의")), ["캐시 앞단"]);
    // 초성, alone and after whole syllables.
    assert_eq!(titles(&search("ㅅㅂㄹㅅ")), ["서버리스 입문"]);
    assert_eq!(titles(&search("서버ㄹ")), ["서버리스 입문"]);
    // A service by its short name or its full name: written either way, or tagged with it.
    let both = ["공식 문서 읽기", "메시지 대기열"];
    assert_eq!(sorted(titles(&search("sqs"))), both);
    assert_eq!(sorted(titles(&search("Simple Queue"))), both);
    // A word only in a code block, quoted with the word marked.
    assert_eq!(titles(&search("rollout")), ["배포 되돌리기"]);
    assert_eq!(
        browser.run("return document.querySelector('.search-list mark').textContent"),
        "rollout"
    );
    // A heading above a passing mention in the body.
    assert_eq!(titles(&search("람다")), ["서버리스 입문", "서버 점검 메모"]);
    // Nothing: a clear message naming the query.
    assert!(search("없는낱말").is_empty());
    let status = browser.run("return document.querySelector('.search-page-status').textContent");
    assert!(status.as_str().unwrap().contains("‘없는낱말’"), "{status}");

    // Clicking a result lands on its heading.
    search("서버리스");
    browser.run("document.querySelector('.search-list li a').click(); return true;");
    browser.wait_for(
        "return location.pathname === '/til/2026-03-02/' && location.hash !== ''",
        Duration::from_secs(10),
        "the result's page opens at a heading",
    );
    let landed = browser.run(
        "const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));\
         const bottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;\
         return target ? [target.tagName, target.textContent.trim(), Math.round(target.getBoundingClientRect().top), \
           document.querySelector(':target') === target, bottom] : null;",
    );
    assert_eq!(landed[0], "H3", "{landed}");
    assert!(
        landed[1]
            .as_str()
            .unwrap()
            .contains("서버리스를 쓸 때 주의할 점")
    );
    assert_eq!(landed[3], true, "the heading is the page's target");
    // Scrolled to it: at the top of the window, unless the page ends before it can be.
    let top = landed[2].as_i64().unwrap();
    assert!(
        (0..120).contains(&top) || landed[4] == true,
        "the heading is in view at the top: {landed}"
    );

    // A linkable query.
    browser.goto(&format!(
        "{}search/?q=%E3%85%85%E3%85%82%E3%84%B9%E3%85%85",
        server.url()
    ));
    browser.wait_for(
        "return document.querySelector('.search-list').dataset.query === 'ㅅㅂㄹㅅ'",
        Duration::from_secs(20),
        "?q= runs the search",
    );
    assert_eq!(
        browser.run("return document.querySelector('#search-page').value"),
        "ㅅㅂㄹㅅ"
    );
}

#[test]
fn search_box_works_from_the_keyboard_in_the_browser() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_temp, server) = serve_fixture();
    browser.goto(&server.url());
    browser.wait_for(
        "return document.readyState === 'complete'",
        Duration::from_secs(15),
        "the home page loads",
    );
    // Nothing of the index is fetched before the reader types.
    let fetched = browser.run(
        "return performance.getEntriesByType('resource').filter(r => r.name.includes('/search/')).length",
    );
    assert_eq!(fetched, 0);
    browser.press("/");
    assert_eq!(
        browser.run("return document.activeElement.id"),
        "search-box",
        "`/` focuses the search box"
    );
    browser.type_into("#search-box", "sqs");
    browser.wait_for(
        "return document.querySelector('.search-results').dataset.query === 'sqs'",
        Duration::from_secs(20),
        "the dropdown shows results",
    );
    assert_eq!(
        browser.run("return document.querySelectorAll('.search-results li').length"),
        2
    );
    // Down twice wraps to the second result; up goes back to the first; Enter opens it.
    browser.press("\u{E015}\u{E015}");
    assert_eq!(
        browser.run("return document.querySelectorAll('.search-results li.active').length"),
        1
    );
    browser.press("\u{E013}\u{E007}");
    browser.wait_for(
        "return location.pathname !== '/til/'",
        Duration::from_secs(10),
        "Enter opens the chosen result",
    );
    let opened = browser
        .run("return location.pathname")
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        opened == "/til/2026-03-04/" || opened == "/til/2026-03-03/",
        "opened {opened}"
    );
}

#[test]
fn an_edit_rewrites_the_entrys_text_and_a_few_index_chunks_not_the_whole_index() {
    // A journal big enough for an index of many chunks: 400 entries, each with words of its
    // own and words every entry shares.
    let files: Vec<(String, String)> = (0..400)
        .map(|day| {
            let date = jiff::civil::date(2025, 1, 1) + jiff::Span::new().days(day);
            (
                format!("{date}.md"),
                format!(
                    "# [{date}] 공부 기록 {day}\n\n## 📝 배운 내용 (Today I Learned)\n\n\
                     오늘은 주제{day}번과 항목{}번을 정리했다. keyword{day} topic{} 서브넷과 \
                     라우팅을 다시 봤다. 실습 환경은 매일 같다.\n\n{}\n",
                    day % 37,
                    day % 11,
                    (0..30)
                        .map(|word| format!("note{day}x{word}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let temp = journal(&borrowed);
    let root = temp.path().to_path_buf();
    let mut engine = haru::engine::Engine::new(&BuildOptions {
        root: root.clone(),
        no_cache: true,
        ..BuildOptions::default()
    });
    engine.build().unwrap_or_else(|d| panic!("{d}"));
    let public = root.join("public");
    let index_files = || -> BTreeMap<String, Vec<u8>> {
        files_under(&public.join("search"))
            .into_iter()
            .filter(|(path, _)| path.starts_with("index/") || path == "meta.json")
            .collect()
    };
    let before = index_files();
    assert!(before.len() > 15, "{} chunks", before.len());

    let file = root.join("content/2025-06-01.md");
    let mut text = fs::read_to_string(&file).unwrap();
    text.push_str("\n새로 배운 낱말: abacus, 가시성타임아웃.\n");
    fs::write(&file, text).unwrap();
    engine.note_change(&file);
    engine.build().unwrap_or_else(|d| panic!("{d}"));
    let after = index_files();
    let changed: Vec<&String> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    // The meta file (it names the build) and the chunks of the new words' terms.
    assert!(
        changed.len() <= 8,
        "{} of {} index files changed: {changed:?}",
        changed.len(),
        after.len()
    );
    assert_eq!(
        files_under(&public),
        crate::incremental::fresh_build(&root).unwrap(),
        "the updated index equals a fresh build's"
    );
}

#[test]
fn turning_search_off_and_on_while_serving_equals_a_fresh_build() {
    let temp = fixture("title = \"검색 시험\"\n");
    let root = temp.path().to_path_buf();
    let mut engine = haru::engine::Engine::new(&BuildOptions {
        root: root.clone(),
        no_cache: true,
        ..BuildOptions::default()
    });
    engine.build().unwrap_or_else(|d| panic!("{d}"));
    let config = root.join("haru.toml");
    for text in [
        "title = \"검색 시험\"\nsearch = false\n",
        "title = \"검색 시험\"\nsearch = true\n",
    ] {
        fs::write(&config, text).unwrap();
        engine.note_change(&config);
        engine.build().unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(
            files_under(&root.join("public")),
            crate::incremental::fresh_build(&root).unwrap(),
            "after {text:?}"
        );
    }
    assert!(root.join("public/search/meta.json").is_file());
}

/// Fourteen entries that all hold the same word: more than either box shows at once.
fn many_matches() -> tempfile::TempDir {
    let files: Vec<(String, String)> = (1..=14)
        .map(|day| {
            (
                format!("2026-05-{day:02}.md"),
                format!(
                    "# [2026-05-{day:02}] 복습 {day}일차\n\n## 📝 배운 내용 (Today I Learned)\n\n오늘도 네트워크 복습을 했다. {day}번째 정리.\n"
                ),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    journal(&borrowed)
}

#[test]
fn search_counts_every_match_and_its_panel_lines_up_with_the_box() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let temp = many_matches();
    let server = crate::serve::serve_root(temp.path());

    // The search page shows ten, and says fourteen.
    browser.resize(1280, 800);
    browser.goto(&format!("{}search/?q=복습", server.url()));
    browser.wait_for(
        "return document.querySelector('.search-page-status').textContent === '14개의 기록'",
        Duration::from_secs(20),
        "the search page counts all fourteen matches",
    );
    assert_eq!(
        browser.run("return document.querySelectorAll('.search-list li').length"),
        10
    );

    // The header's dropdown at 1280 px: under its box, starting where the box starts.
    browser.goto(&server.url());
    browser.wait_for(
        "return document.readyState === 'complete'",
        Duration::from_secs(15),
        "the home page loads",
    );
    let panel = |width: u32| {
        browser.resize(width, 800);
        browser.run("document.querySelector('#search-box').value = ''; return true;");
        browser.click("#search-box");
        browser.type_into("#search-box", "복습");
        browser.wait_for(
            "return document.querySelector('.search-status').textContent === '14개의 기록'",
            Duration::from_secs(20),
            "the dropdown counts all fourteen matches",
        );
        browser.run(
            "const box = document.querySelector('#search-box').getBoundingClientRect(); \
             const panel = document.querySelector('.search-panel').getBoundingClientRect(); \
             return [box.left, panel.left, box.width, panel.width, panel.right, innerWidth, panel.top - box.bottom]",
        )
    };
    let wide = panel(1280);
    let number = |value: &Value| value.as_f64().unwrap();
    assert!(
        (number(&wide[0]) - number(&wide[1])).abs() < 1.0,
        "the panel starts where the box starts: {wide}"
    );
    assert!(
        number(&wide[3]) >= number(&wide[2]),
        "at least as wide as the box: {wide}"
    );
    assert!(
        number(&wide[4]) <= number(&wide[5]),
        "inside the window: {wide}"
    );
    assert!(
        (0.0..10.0).contains(&number(&wide[6])),
        "just below the box: {wide}"
    );
    assert_eq!(
        browser.run("return document.querySelectorAll('.search-results li').length"),
        6
    );

    // A phone: the page's width between its margins.
    let narrow = panel(360);
    assert!(number(&narrow[1]) >= 0.0, "{narrow}");
    assert!(number(&narrow[4]) <= number(&narrow[5]), "{narrow}");
    assert!(
        number(&narrow[3]) >= number(&narrow[5]) - 45.0,
        "it uses the width: {narrow}"
    );
}
