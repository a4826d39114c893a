//! The served site in a real headless Chromium, driven over WebDriver (Debian's `chromium` and
//! `chromium-driver`; `.ci/run` installs them). Where a page's behaviour is the point (live
//! reload, the error overlay) it is checked in the browser, not by reading HTML.
//!
//! Without the browser these tests say so and pass, except under CI (`CI` set), where a
//! missing browser is a failure.

use super::*;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use haru::serve::{ServeOptions, Server};
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub(crate) struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

/// One WebDriver call; the `value` of its answer.
fn call(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    // chromedriver may keep the connection open: read the head, then Content-Length bytes.
    let mut raw = Vec::new();
    let mut buffer = [0u8; 65536];
    let split = loop {
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break split;
        }
        let read = stream.read(&mut buffer).map_err(|e| e.to_string())?;
        if read == 0 {
            return Err("connection closed before the response head".into());
        }
        raw.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let length: Option<usize> = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok());
    let mut payload = raw[split + 4..].to_vec();
    match length {
        Some(length) => {
            while payload.len() < length {
                let read = stream.read(&mut buffer).map_err(|e| e.to_string())?;
                if read == 0 {
                    break;
                }
                payload.extend_from_slice(&buffer[..read]);
            }
        }
        None => {
            stream
                .read_to_end(&mut payload)
                .map_err(|e| e.to_string())?;
            if head.contains("transfer-encoding: chunked") {
                payload = serve::unchunk(&payload);
            }
        }
    }
    let answer: Value = serde_json::from_slice(&payload).map_err(|e| e.to_string())?;
    if answer["value"]["error"].is_string() {
        return Err(answer["value"].to_string());
    }
    Ok(answer["value"].clone())
}

impl Browser {
    /// A headless Chromium, or `None` (with a note) where it is not installed.
    pub(crate) fn start() -> Option<Browser> {
        if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must have {CHROMIUM} and {CHROMEDRIVER} (.ci/run installs them)"
            );
            eprintln!(
                "SKIPPED: browser test needs Debian's chromium and chromium-driver \
                 (apt-get install chromium chromium-driver)"
            );
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while call(port, "GET", "/status", None).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not answer");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1024,700",
                    "--lang=ko-KR",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }}});
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let session = call(port, "POST", "/session", Some(&capabilities))
            .unwrap_or_else(|error| panic!("no browser session: {error}"));
        browser.session = session["sessionId"].as_str().unwrap().to_string();
        Some(browser)
    }

    pub(crate) fn goto(&self, url: &str) {
        call(
            self.port,
            "POST",
            &format!("/session/{}/url", self.session),
            Some(&json!({ "url": url })),
        )
        .unwrap_or_else(|error| panic!("{url}: {error}"));
    }

    /// Runs `script` (a function body) in the page and returns its result.
    pub(crate) fn run(&self, script: &str) -> Value {
        call(
            self.port,
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(&json!({ "script": script, "args": [] })),
        )
        .unwrap_or_else(|error| panic!("{script}: {error}"))
    }

    /// The WebDriver id of the first element matching `css`.
    pub(crate) fn find(&self, css: &str) -> String {
        let found = call(
            self.port,
            "POST",
            &format!("/session/{}/element", self.session),
            Some(&json!({ "using": "css selector", "value": css })),
        )
        .unwrap_or_else(|error| panic!("{css}: {error}"));
        found
            .as_object()
            .and_then(|object| object.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{css}: no element id in {found}"))
            .to_string()
    }

    /// Clicks the element matching `css`, as a user would (WebDriver scrolls it into view).
    pub(crate) fn click(&self, css: &str) {
        let element = self.find(css);
        call(
            self.port,
            "POST",
            &format!("/session/{}/element/{element}/click", self.session),
            Some(&json!({})),
        )
        .unwrap_or_else(|error| panic!("clicking {css}: {error}"));
    }

    /// Types `text` into the element matching `css`, as a user would, key by key.
    pub(crate) fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        call(
            self.port,
            "POST",
            &format!("/session/{}/element/{element}/value", self.session),
            Some(&json!({ "text": text })),
        )
        .unwrap_or_else(|error| panic!("typing into {css}: {error}"));
    }

    /// Sets the window's outer size, as a reader resizing it or turning a phone.
    pub(crate) fn resize(&self, width: u32, height: u32) {
        call(
            self.port,
            "POST",
            &format!("/session/{}/window/rect", self.session),
            Some(&json!({ "width": width, "height": height })),
        )
        .unwrap_or_else(|error| panic!("resizing to {width}×{height}: {error}"));
    }

    /// Presses and releases each key in `keys` wherever the focus is (WebDriver key codes:
    /// `\u{E015}` arrow down, `\u{E007}` Enter).
    pub(crate) fn press(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|key| {
                [
                    json!({"type": "keyDown", "value": key.to_string()}),
                    json!({"type": "keyUp", "value": key.to_string()}),
                ]
            })
            .collect();
        call(
            self.port,
            "POST",
            &format!("/session/{}/actions", self.session),
            Some(&json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        )
        .unwrap_or_else(|error| panic!("pressing {keys:?}: {error}"));
    }

    /// Waits until `script` returns true; panics with `what` after `wait`.
    pub(crate) fn wait_for(&self, script: &str, wait: Duration, what: &str) {
        let deadline = Instant::now() + wait;
        loop {
            // A reload in progress can fail a call; the next one sees the new page.
            let done = call(
                self.port,
                "POST",
                &format!("/session/{}/execute/sync", self.session),
                Some(&json!({ "script": script, "args": [] })),
            );
            if done == Ok(Value::Bool(true)) {
                return;
            }
            assert!(Instant::now() < deadline, "{what} (after {wait:?})");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = call(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[test]
fn browser_reloads_the_open_page_on_save_and_shows_build_errors() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_temp, root, server) = serve::serve_sample(None);
    let page = format!("{}2026-03/2026-03-04/", server.url());
    browser.goto(&page);
    browser.wait_for(
        "return document.readyState === 'complete'",
        Duration::from_secs(15),
        "the page loads",
    );
    // Wait until the page's live-reload stream is open before saving.
    std::thread::sleep(Duration::from_millis(500));
    browser.run("window.__untouched = true; window.scrollTo(0, 300); return window.scrollY;");
    let scrolled = browser.run("return window.scrollY").as_f64().unwrap();
    assert!(scrolled > 0.0, "the entry page is long enough to scroll");

    let file = root.join("content/2026-03/2026-03-04.md");
    let good = fs::read_to_string(&file).unwrap();
    fs::write(&file, format!("{good}\n- 브라우저가 저절로 보여 준 문장\n")).unwrap();
    browser.wait_for(
        "return document.body.innerText.includes('브라우저가 저절로 보여 준 문장')",
        Duration::from_secs(15),
        "the saved sentence appears without a manual reload",
    );
    assert_eq!(
        browser.run("return window.__untouched === undefined"),
        Value::Bool(true),
        "the page was reloaded by its script"
    );
    browser.wait_for(
        &format!("return Math.abs(window.scrollY - {scrolled}) < 2"),
        Duration::from_secs(5),
        "the reload keeps the scroll position",
    );

    // A broken front matter: an overlay with file and line over the last good page.
    std::thread::sleep(Duration::from_millis(300));
    fs::write(&file, format!("---\ntitle: [닫히지 않음\n---\n{good}")).unwrap();
    browser.wait_for(
        "const o = document.getElementById('haru-error-overlay'); \
         return !!o && o.innerText.includes('content/2026-03/2026-03-04.md:') \
         && o.innerText.includes('빌드 실패')",
        Duration::from_secs(15),
        "the error overlay names the file and line",
    );
    // Regression: the overlay said `:4`, then "line 3 column 1" in English (the YAML's own
    // count). One line number now, and the message in Korean like the title.
    let text = browser
        .run("return document.getElementById('haru-error-overlay').innerText")
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains("프런트 매터가 올바른 YAML이 아닙니다"),
        "{text}"
    );
    assert!(text.contains("도움말: "), "{text}");
    assert!(
        !text.contains(" at line ") && !text.contains("column"),
        "{text}"
    );
    assert_eq!(
        browser.run("return document.body.innerText.includes('브라우저가 저절로 보여 준 문장')"),
        Value::Bool(true),
        "the last good page stays under the overlay"
    );
    fs::write(&file, &good).unwrap();
    browser.wait_for(
        "return !document.getElementById('haru-error-overlay') \
         && !document.body.innerText.includes('브라우저가 저절로 보여 준 문장')",
        Duration::from_secs(15),
        "fixing the file clears the overlay and shows the fixed page",
    );

    // The server restarts on the same port: the page reconnects by itself and reloads.
    let port = server.address().port();
    server.stop();
    browser.run("window.__untouched = true; return true;");
    let restarted = Server::start(&ServeOptions {
        build: BuildOptions {
            root: root.clone(),
            no_cache: true,
            ..BuildOptions::default()
        },
        port,
        ..ServeOptions::default()
    })
    .unwrap_or_else(|error| panic!("{error}"));
    browser.wait_for(
        "return window.__untouched === undefined && document.readyState === 'complete'",
        Duration::from_secs(15),
        "the page reconnects to the restarted server and reloads",
    );
    restarted.stop();
}

#[test]
fn theme_toggle_keeps_the_readers_choice_across_pages_with_no_flash() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_temp, _root, server) = serve::serve_sample(None);
    let loaded = |what: &str| {
        browser.wait_for(
            "return document.readyState === 'complete' && !document.querySelector('.theme-toggle').hidden",
            Duration::from_secs(15),
            what,
        )
    };
    let background = "return getComputedStyle(document.body).backgroundColor";
    let keyword = "const k = document.querySelector('pre.code .hl-keyword, pre.code .hl-storage'); \
                   return k ? getComputedStyle(k).color : null";
    browser.goto(&server.url());
    loaded("the home page loads");
    // The headless system setting is light: the page is, and the toggle says dark is off.
    assert_eq!(browser.run(background), "rgb(255, 255, 255)");
    assert_eq!(
        browser.run("return document.querySelector('.theme-toggle').getAttribute('aria-pressed')"),
        "false"
    );
    assert_eq!(
        browser.run("return document.querySelector('.theme-toggle').getAttribute('aria-label')"),
        "어두운 테마"
    );
    browser.click(".theme-toggle");
    assert_eq!(browser.run(background), "rgb(13, 17, 23)");
    assert_eq!(
        browser.run("return document.documentElement.dataset.theme"),
        "dark"
    );
    assert_eq!(
        browser.run("return document.querySelector('.theme-toggle').getAttribute('aria-pressed')"),
        "true"
    );

    // Another page: dark from its first paint, code colours too.
    let entry = format!("{}2026-03/2026-03-04/", server.url());
    browser.goto(&entry);
    loaded("the entry loads");
    assert_eq!(
        browser.run(
            "const head = document.head.innerHTML; \
             return head.indexOf('haru-theme') < head.indexOf('rel=\"stylesheet\"')"
        ),
        true,
        "the choice is set before any style applies, so the page never shows the other theme"
    );
    assert_eq!(browser.run(background), "rgb(13, 17, 23)");
    let dark_keyword = browser.run(keyword);
    assert!(
        dark_keyword.is_string(),
        "the sample entry has highlighted code"
    );

    // Back to light, kept as well: the code colours follow.
    browser.click(".theme-toggle");
    browser.goto(&entry);
    loaded("the entry loads again");
    assert_eq!(
        browser.run("return document.documentElement.dataset.theme"),
        "light"
    );
    assert_eq!(browser.run(background), "rgb(255, 255, 255)");
    assert_ne!(browser.run(keyword), dark_keyword, "light syntax colours");
}

#[test]
fn code_blocks_have_a_language_label_and_a_copy_button_from_the_keyboard() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_temp, _root, server) = serve::serve_sample(None);
    browser.goto(&format!("{}2026-03/2026-03-04/", server.url()));
    browser.wait_for(
        "return document.readyState === 'complete' && document.querySelector('.code-copy') !== null",
        Duration::from_secs(15),
        "the entry loads with its copy buttons",
    );
    let blocks = browser.run("return document.querySelectorAll('pre.code').length");
    assert!(blocks.as_u64().unwrap() > 0);
    assert_eq!(
        browser.run("return document.querySelectorAll('.code-bar .code-copy').length"),
        blocks,
        "one button a block"
    );
    let first = browser.run(
        "const pre = document.querySelector('pre.code[data-lang]'); \
         const bar = pre.previousElementSibling; \
         return [bar.querySelector('.code-lang').textContent, pre.dataset.lang, bar.querySelector('.code-copy').textContent]",
    );
    assert_eq!(first[0], first[1], "the bar names the block's language");
    assert_eq!(first[2], "복사");
    // The clipboard as the page sees it (headless Chromium grants no real one).
    browser.run(
        "window.__copied = []; \
         navigator.clipboard.writeText = text => { window.__copied.push(text); return Promise.resolve(); }; \
         return true;",
    );
    browser.run(
        "document.querySelector('pre.code[data-lang]').previousElementSibling.querySelector('.code-copy').focus(); return true;",
    );
    browser.press("\u{E007}");
    browser.wait_for(
        "return document.querySelector('.code-status').textContent === '복사됨'",
        Duration::from_secs(5),
        "Enter on the button copies and says so to screen readers",
    );
    assert_eq!(
        browser.run(
            "return window.__copied[0] === document.querySelector('pre.code[data-lang] code').innerText"
        ),
        true,
        "the block's text, exactly"
    );
    assert_eq!(
        browser.run("return document.activeElement.textContent"),
        "복사됨",
        "the button says it too, and keeps the focus"
    );
    assert_eq!(
        browser.run("return document.querySelector('.code-status').getAttribute('aria-live')"),
        "polite"
    );
}

/// `tests/fixtures/<name>` as a journal's content folder, served on a free port.
fn serve_fixture(name: &str) -> (tempfile::TempDir, Server) {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("journal");
    incremental::copy_tree(&fixture(name), &root.join("content"));
    let server = serve::serve_root(&root);
    (temp, server)
}

/// The reading fixture's entry at 1280 px, loaded.
fn open_reading_entry(browser: &Browser, server: &Server) {
    browser.resize(1280, 800);
    browser.goto(&format!("{}2026-04-01/", server.url()));
    browser.wait_for(
        "return document.readyState === 'complete' && document.querySelector('.heading-anchor') !== null",
        Duration::from_secs(15),
        "the entry loads with its heading links",
    );
}

#[test]
fn contents_stay_in_the_margin_and_mark_the_heading_being_read() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_temp, server) = serve_fixture("reading");
    open_reading_entry(&browser, &server);
    let beside = "const toc = document.querySelector('.toc details').getBoundingClientRect(); \
                  const text = document.querySelector('.section-learned').getBoundingClientRect(); \
                  return toc.left >= text.right && toc.top >= 0 && toc.bottom <= innerHeight";
    assert_eq!(
        browser.run(beside),
        true,
        "the contents sit in the margin, in view"
    );
    let current = "const link = document.querySelector('.toc a[aria-current]'); \
                   return link ? decodeURIComponent(link.getAttribute('href')) : null";
    assert_eq!(
        browser.run(current),
        "#이진-탐색",
        "at the top, the first heading"
    );

    // Down to the second heading: it is marked, and the contents are still in view.
    browser.run(
        "const heading = [...document.querySelectorAll('h3')].find(h => h.textContent.startsWith('병합 정렬')); \
         scrollTo(0, heading.getBoundingClientRect().top + scrollY - 20); return true;",
    );
    browser.wait_for(
        "const link = document.querySelector('.toc a[aria-current]'); \
         return link !== null && decodeURIComponent(link.getAttribute('href')) === '#병합-정렬'",
        Duration::from_secs(5),
        "the heading scrolled to is marked in the contents",
    );
    assert_eq!(
        browser.run(beside),
        true,
        "the contents followed the scroll"
    );
    assert_eq!(
        browser.run("return document.querySelectorAll('.toc a[aria-current]').length"),
        1
    );

    // Each heading's link names it and points at its Hangul anchor.
    let anchors = browser.run(
        "return [...document.querySelectorAll('h3 .heading-anchor')].map(a => \
         [decodeURIComponent(a.getAttribute('href')), a.getAttribute('aria-label')])",
    );
    assert_eq!(anchors[0][0], "#이진-탐색");
    assert_eq!(anchors[0][1], "이 제목의 링크: 이진 탐색");

    // A phone: the contents are the box above the text again.
    browser.resize(360, 740);
    assert_eq!(
        browser.run(
            "const toc = document.querySelector('.toc').getBoundingClientRect(); \
             const text = document.querySelector('.section-learned').getBoundingClientRect(); \
             return toc.bottom <= text.top && toc.width > 250"
        ),
        true,
        "inline contents above the text on a narrow screen"
    );
}

#[test]
fn math_is_drawn_as_mathml_and_images_keep_their_place_before_loading() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_temp, server) = serve_fixture("reading");
    open_reading_entry(&browser, &server);
    // MathML laid out as math: the fraction's numerator above its denominator.
    assert_eq!(
        browser.run(
            "const frac = document.querySelector('math[display=block] mfrac'); \
             if (!frac) return 'no fraction'; \
             const [top, bottom] = [...frac.children].map(c => c.getBoundingClientRect()); \
             return top.bottom <= bottom.top + 1 && top.height > 0"
        ),
        true
    );
    assert_eq!(
        browser.run("return document.querySelectorAll('math[display=inline]').length"),
        1
    );
    assert_eq!(
        browser.run("return document.querySelector('script[src*=katex], script[src*=mathjax]')"),
        Value::Null,
        "no script draws the math"
    );

    // The screenshot: its box has its shape whether or not it has loaded, and fits the column.
    let image = browser.run(
        "const img = document.querySelector('img[alt=\"콘솔 실행 화면\"]'); \
         const box = img.getBoundingClientRect(); \
         return [img.getAttribute('width'), img.getAttribute('height'), img.loading, img.decoding, \
                 getComputedStyle(img).aspectRatio, box.height / box.width, \
                 box.width <= document.querySelector('.section-learned').getBoundingClientRect().width, \
                 img.closest('a').getAttribute('href')]",
    );
    assert_eq!(image[0], "1600");
    assert_eq!(image[1], "900");
    assert_eq!(image[2], "lazy");
    assert_eq!(image[3], "async");
    assert_eq!(
        image[4], "auto 1600 / 900",
        "the browser reserves the picture's shape from its attributes, before it loads"
    );
    let ratio = image[5].as_f64().unwrap();
    assert!(
        (ratio - 0.5625).abs() < 0.01,
        "the box keeps 16:9 before loading: {ratio}"
    );
    assert_eq!(image[6], true, "it fits the column");
    assert_eq!(
        image[7], "/console.png",
        "a click opens the full picture, not its copy"
    );
    // At 1280 px and 1×, the browser takes the 720-pixel WebP copy once it loads the picture.
    browser.run(
        "document.querySelector('img[alt=\"콘솔 실행 화면\"]').scrollIntoView(); return true;",
    );
    browser.wait_for(
        "const img = document.querySelector('img[alt=\"콘솔 실행 화면\"]'); \
         return img.complete && img.naturalWidth > 0",
        Duration::from_secs(10),
        "the screenshot loads once in view",
    );
    let chosen = browser.run(
        "const img = document.querySelector('img[alt=\"콘솔 실행 화면\"]'); return [img.currentSrc]",
    );
    assert!(
        chosen[0].as_str().unwrap().ends_with("-720.webp"),
        "the copy for the column: {chosen}"
    );
}

#[test]
fn giscus_is_on_entry_pages_only_when_configured() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let comments = "const s = document.querySelector('script[src=\"https://giscus.app/client.js\"]'); \
                    return s ? [s.dataset.mapping, s.dataset.term, s.dataset.repo, \
                    document.querySelectorAll('section.comments').length] : null";
    let loaded = |what: &str| {
        browser.wait_for(
            "return document.readyState === 'complete'",
            Duration::from_secs(15),
            what,
        )
    };
    {
        let (_temp, _root, server) = serve::serve_sample(None);
        browser.goto(&format!("{}2026-03/2026-03-04/", server.url()));
        loaded("the entry loads");
        assert_eq!(
            browser.run(comments),
            Value::Null,
            "no comments unless configured"
        );
    }
    let (_temp, _root, server) = serve::serve_sample(Some(
        "title = \"샘플\"\n[comments]\ngiscus = { repo = \"kim/til\", repo_id = \"R_kgDOabc\", category = \"Comments\", category_id = \"DIC_kwDOabc4\" }\n",
    ));
    browser.goto(&format!("{}2026-03/2026-03-04/", server.url()));
    loaded("the entry loads with comments");
    let found = browser.run(comments);
    assert_eq!(found[0], "specific");
    let term = found[1].as_str().unwrap();
    assert!(
        term.starts_with("2026-03-04-") && term.is_ascii(),
        "a stable ASCII thread name: {term}"
    );
    assert_eq!(found[2], "kim/til");
    assert_eq!(found[3], 1);
    browser.goto(&server.url());
    loaded("the home page loads");
    assert_eq!(browser.run(comments), Value::Null, "entries only");
}
