//! `haru serve` for real: the server on an ephemeral loopback port, the real watcher on a
//! temporary journal, requests written byte by byte over TCP (so attack paths reach the server
//! exactly as sent) and the live-reload events read from the event stream.

use super::*;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use haru::serve::{ServeOptions, Server};

/// How long a save may take to show; far above the tens of milliseconds it takes.
const PATIENCE: Duration = Duration::from_secs(15);

pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: String,
    pub(crate) body: Vec<u8>,
}

impl Response {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
}

/// One GET with the request target exactly as given.
pub(crate) fn get(address: SocketAddr, target: &str) -> Response {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&raw)));
    let headers = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = headers
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = unchunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

pub(crate) fn unchunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&raw[..line_end]).unwrap().trim(), 16)
            .unwrap();
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&raw[line_end + 2..line_end + 2 + size]);
        raw = &raw[line_end + 2 + size + 2..];
    }
}

/// The live-reload event stream, as a page's script reads it.
pub(crate) struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    pub(crate) fn connect(address: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(address).unwrap();
        write!(
            stream,
            "GET /__haru/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        // Skip the response head.
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
        }
        Events { reader }
    }

    /// The next `state` event's data, or None if none comes within `wait`.
    pub(crate) fn next(&mut self, wait: Duration) -> Option<serde_json::Value> {
        let deadline = Instant::now() + wait;
        let mut line = String::new();
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            self.reader
                .get_ref()
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .unwrap();
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(_) => return None,
            }
            // Chunk sizes and blank lines come between; only `data:` lines matter.
            if let Some(data) = line.trim_end().strip_prefix("data: ") {
                return Some(serde_json::from_str(data).unwrap());
            }
        }
    }

    /// Waits for a state unlike `generation` (a rebuild) or with errors.
    pub(crate) fn next_change(&mut self, generation: &str) -> serde_json::Value {
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            if let Some(state) = self.next(left)
                && (state["generation"] != generation
                    || !state["errors"].as_array().unwrap().is_empty())
            {
                return state;
            }
        }
        panic!("no rebuild within {PATIENCE:?}");
    }
}

pub(crate) fn generation(state: &serde_json::Value) -> String {
    state["generation"].as_str().unwrap().to_string()
}

/// The journal at `root`, served on a free port.
pub(crate) fn serve_root(root: &Path) -> Server {
    Server::start(&ServeOptions {
        build: BuildOptions {
            root: root.to_path_buf(),
            no_cache: true,
            ..BuildOptions::default()
        },
        port: 0,
        ..ServeOptions::default()
    })
    .unwrap_or_else(|error| panic!("{error}"))
}

/// The sample journal copied into a temporary root, served on a free port.
pub(crate) fn serve_sample(config: Option<&str>) -> (tempfile::TempDir, PathBuf, Server) {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("journal");
    incremental::copy_tree(&repository().join("content"), &root.join("content"));
    if let Some(config) = config {
        fs::write(root.join("haru.toml"), config).unwrap();
    }
    let server = serve_root(&root);
    (temp, root, server)
}

const ENTRY: &str = "content/2026-03/2026-03-04.md";
const ENTRY_PAGE: &str = "/2026-03/2026-03-04/";

#[test]
fn serve_shows_vim_and_vscode_saves_and_sends_a_reload() {
    let (_temp, root, server) = serve_sample(None);
    let address = server.address();
    let mut events = Events::connect(address);
    let first = events.next(PATIENCE).expect("the state on connecting");
    let mut current = generation(&first);
    let file = root.join(ENTRY);
    let page = get(address, ENTRY_PAGE);
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains(&format!("window.__haruGeneration = \"{current}\""))
    );

    // vim (`backupcopy=auto`): probe file, original renamed to a backup, new file written,
    // backup removed; a swap file changes all along.
    let mut text = fs::read_to_string(&file).unwrap();
    text.push_str("\n- 빔으로 저장한 문장\n");
    let probe = file.with_file_name("4913");
    fs::write(&probe, "").unwrap();
    fs::remove_file(&probe).unwrap();
    fs::write(file.with_file_name(".2026-03-04.md.swp"), "swap").unwrap();
    let backup = file.with_file_name("2026-03-04.md~");
    fs::rename(&file, &backup).unwrap();
    fs::write(&file, &text).unwrap();
    fs::remove_file(&backup).unwrap();
    let state = events.next_change(&current);
    assert!(state["errors"].as_array().unwrap().is_empty(), "{state}");
    current = generation(&state);
    assert!(
        get(address, ENTRY_PAGE)
            .text()
            .contains("빔으로 저장한 문장")
    );

    // VS Code: the file truncated and written in place.
    text.push_str("\n- 코드로 저장한 문장\n");
    fs::write(&file, &text).unwrap();
    let state = events.next_change(&current);
    current = generation(&state);
    let served = get(address, ENTRY_PAGE);
    assert!(served.text().contains("코드로 저장한 문장"));
    assert!(
        served
            .text()
            .contains(&format!("window.__haruGeneration = \"{current}\""))
    );

    // A new file, then its folder renamed: pages appear and move.
    fs::write(
        root.join("content/deep-dive/2026-03-08.md"),
        "# [2026-03-08] 새로 쓴 글\n\n본문\n",
    )
    .unwrap();
    current = generation(&events.next_change(&current));
    assert_eq!(get(address, "/deep-dive/2026-03-08/").status, 200);
    fs::rename(root.join("content/deep-dive"), root.join("content/심화")).unwrap();
    events.next_change(&current);
    // A burst may end in two builds; wait until the last one has landed.
    let deadline = Instant::now() + PATIENCE;
    while get(address, "/%EC%8B%AC%ED%99%94/2026-03-08/").status != 200 {
        assert!(
            Instant::now() < deadline,
            "the renamed folder's page never appeared"
        );
        events.next(Duration::from_millis(200));
    }
    assert_eq!(get(address, "/deep-dive/2026-03-08/").status, 404);
    // The files on disk are what `haru build` writes: no script.
    let on_disk = read(server.output().join("2026-03/2026-03-04/index.html"));
    assert!(!on_disk.contains("__haruGeneration"));
    server.stop();
}

#[test]
fn serve_overlays_a_build_error_and_clears_it_when_fixed() {
    let (_temp, root, server) = serve_sample(None);
    let address = server.address();
    let mut events = Events::connect(address);
    let current = generation(&events.next(PATIENCE).unwrap());
    let file = root.join(ENTRY);
    let good = fs::read_to_string(&file).unwrap();
    fs::write(&file, format!("---\ntitle: [닫히지 않음\n---\n{good}")).unwrap();
    let state = events.next_change(&current);
    let errors = state["errors"].as_array().unwrap();
    assert!(!errors.is_empty(), "{state}");
    let place = errors[0]["place"].as_str().unwrap();
    assert!(
        place.starts_with("content/2026-03/2026-03-04.md:"),
        "the overlay names file and line: {state}"
    );
    assert_eq!(state["generation"], current.as_str(), "no new site");
    // The last good site is still served, whole.
    let page = get(address, ENTRY_PAGE);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("</html>"));

    fs::write(&file, &good).unwrap();
    let state = events.next_change(&current);
    assert!(state["errors"].as_array().unwrap().is_empty(), "{state}");
    assert_ne!(
        generation(&state),
        current,
        "a fixed build reloads the page"
    );
    server.stop();
}

#[test]
fn serve_never_serves_a_path_outside_the_output() {
    let (temp, _root, server) = serve_sample(None);
    let address = server.address();
    let secret = temp.path().join("secret.txt");
    fs::write(&secret, "SECRET-TEXT").unwrap();
    // A symlink planted in the output that points out of it.
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, server.output().join("leak.txt")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(temp.path(), server.output().join("up")).unwrap();
    let output_name = server
        .output()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    for attack in [
        "/../secret.txt".to_string(),
        "/../../secret.txt".to_string(),
        "/%2e%2e/secret.txt".to_string(),
        "/%2E%2E%2Fsecret.txt".to_string(),
        "/..%2fsecret.txt".to_string(),
        "/..%5csecret.txt".to_string(),
        "/static/..%2f..%2fsecret.txt".to_string(),
        format!("/../{output_name}/../secret.txt"),
        "//secret.txt".to_string(),
        format!("/{}", secret.display()),
        "/leak.txt".to_string(),
        "/up/secret.txt".to_string(),
        "/%00/secret.txt".to_string(),
        "/index.html%00.txt".to_string(),
    ] {
        let response = get(address, &attack);
        assert_ne!(response.status, 200, "{attack} was served");
        assert!(
            !response.text().contains("SECRET-TEXT"),
            "{attack} leaked the file"
        );
    }
    assert_eq!(get(address, "/").status, 200, "the server still answers");
    server.stop();
}

#[test]
fn serve_uses_the_base_path_like_github_pages() {
    let (_temp, _root, server) = serve_sample(Some("base_url = \"https://user.github.io/til/\"\n"));
    let address = server.address();
    assert!(server.url().ends_with("/til/"));
    let root = get(address, "/");
    assert_eq!(root.status, 302);
    assert!(root.headers.contains("location: /til/"), "{}", root.headers);
    assert_eq!(get(address, "/til").status, 302);
    let home = get(address, "/til/");
    assert_eq!(home.status, 200);
    assert!(home.headers.contains("text/html; charset=utf-8"));
    assert!(home.text().contains("href=\"/til/static/style.css"));
    let folder = get(address, "/til/2026-03/2026-03-04");
    assert_eq!(
        folder.status, 302,
        "a folder without its slash is redirected"
    );
    assert!(
        folder
            .headers
            .contains("location: /til/2026-03/2026-03-04/")
    );
    let missing = get(address, "/til/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("__haruGeneration"),
        "the 404 page reloads too"
    );
    assert_eq!(get(address, "/2026-03/2026-03-04/").status, 404);
    let css = get(address, "/til/static/style.css");
    assert_eq!(css.status, 200);
    assert!(css.headers.contains("text/css"));
    server.stop();
}

#[test]
fn serve_answers_every_request_whole_during_repeated_rebuilds() {
    let (_temp, root, server) = serve_sample(None);
    let address = server.address();
    let file = root.join(ENTRY);
    let original = fs::read_to_string(&file).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let editor = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut edits = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && edits < 400 {
                // Each edit changes the entry and the pages listing it (title and summary).
                // Saved the way vim and JetBrains do (a whole new file renamed over the old):
                // an editor that truncates and rewrites in place has a moment where the file is
                // empty, and a build that reads it then rightly drops the entry.
                let text =
                    original.replacen("# [2026-03-04]", &format!("# [2026-03-04] {edits}"), 1);
                let temporary = file.with_file_name(".2026-03-04.md.swp");
                fs::write(&temporary, format!("{text}\n- 편집 {edits}\n")).unwrap();
                fs::rename(&temporary, &file).unwrap();
                edits += 1;
                std::thread::sleep(Duration::from_millis(15));
            }
            edits
        })
    };
    const THREADS: usize = 4;
    const REQUESTS: usize = 10_000;
    let pages = [ENTRY_PAGE, "/", "/archive/2026/03/", "/atom.xml", "/tags/"];
    let clients: Vec<_> = (0..THREADS)
        .map(|thread| {
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for request in 0..REQUESTS / THREADS {
                    let page = pages[(thread + request) % pages.len()];
                    let response = get(address, page);
                    let text = response.text();
                    let whole = if page.ends_with(".xml") {
                        text.trim_end().ends_with("</feed>")
                    } else {
                        text.trim_end().ends_with("</html>")
                    };
                    if response.status != 200 || !whole {
                        failures.push(format!(
                            "{page}: {} ({} bytes)",
                            response.status,
                            text.len()
                        ));
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = clients
        .into_iter()
        .flat_map(|client| client.join().unwrap())
        .collect();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let edits = editor.join().unwrap();
    assert!(
        edits > 5,
        "the journal was edited while serving ({edits} edits)"
    );
    assert!(
        failures.is_empty(),
        "{} of {REQUESTS} requests failed, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    server.stop();
}

#[test]
fn serve_rebuilds_once_for_a_burst_of_saves() {
    let (_temp, root, server) = serve_sample(None);
    let address = server.address();
    let mut events = Events::connect(address);
    let current = generation(&events.next(PATIENCE).unwrap());
    // `git checkout` of several files: all written within a few milliseconds.
    for name in [
        "2026-03-02",
        "2026-03-03",
        "2026-03-04",
        "2026-03-05",
        "2026-03-06",
    ] {
        let file = root.join(format!("content/2026-03/{name}.md"));
        let mut text = fs::read_to_string(&file).unwrap();
        text.push_str("\n- 한꺼번에 바뀐 줄\n");
        fs::write(&file, text).unwrap();
    }
    events.next_change(&current);
    let mut more = 0;
    while events.next(Duration::from_millis(1500)).is_some() {
        more += 1;
    }
    // One rebuild; a second only if the writing thread was held up past the debounce between
    // two of its writes (a loaded CI machine): never one per file.
    assert!(more <= 1, "one burst of saves, {} rebuilds", more + 1);
    for name in ["2026-03-02", "2026-03-06"] {
        assert!(
            get(address, &format!("/2026-03/{name}/"))
                .text()
                .contains("한꺼번에 바뀐 줄")
        );
    }
    server.stop();
}

/// Waits until the entry page shows `text`, following the builds as they are announced; the
/// generation of the last one seen.
fn wait_for_page(
    address: SocketAddr,
    events: &mut Events,
    text: &str,
    mut current: String,
) -> String {
    let deadline = Instant::now() + PATIENCE;
    while !get(address, ENTRY_PAGE).text().contains(text) {
        assert!(Instant::now() < deadline, "the page never showed {text}");
        if let Some(state) = events.next(Duration::from_millis(200)) {
            current = generation(&state);
        }
    }
    current
}

#[test]
fn serve_sees_templates_static_files_config_and_deletions() {
    let (_temp, root, server) = serve_sample(None);
    let address = server.address();
    let mut events = Events::connect(address);
    let mut current = generation(&events.next(PATIENCE).unwrap());

    // A journal's own template, created while serving (its folder did not exist).
    let templates = root.join("templates");
    fs::create_dir_all(&templates).unwrap();
    let default = read(repository().join("templates/entry.html"));
    fs::write(
        templates.join("entry.html"),
        default.replace("</article>", "<p>내 템플릿</p></article>"),
    )
    .unwrap();
    current = wait_for_page(address, &mut events, "내 템플릿", current);
    // An edit of that template, now that its folder is watched.
    fs::write(
        templates.join("entry.html"),
        default.replace("</article>", "<p>고친 템플릿</p></article>"),
    )
    .unwrap();
    // A rebuild for the folder's creation may still be on its way: wait for the edit's.
    current = wait_for_page(address, &mut events, "고친 템플릿", current);
    // Let any rebuild still in flight finish, so the next step's change is its own.
    while let Some(state) = events.next(Duration::from_millis(700)) {
        current = generation(&state);
    }

    // A static file.
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/extra.css"), "body { color: red }").unwrap();
    current = generation(&events.next_change(&current));
    assert_eq!(
        get(address, "/static/extra.css").text(),
        "body { color: red }"
    );

    // haru.toml: the site's title.
    fs::write(root.join("haru.toml"), "title = \"바뀐 제목\"\n").unwrap();
    current = generation(&events.next_change(&current));
    assert!(get(address, "/").text().contains("바뀐 제목"));

    // A deleted entry's page is gone.
    fs::remove_file(root.join(ENTRY)).unwrap();
    events.next_change(&current);
    assert_eq!(get(address, ENTRY_PAGE).status, 404);
    server.stop();
}

#[test]
fn serve_takes_a_free_port_only_when_none_was_asked_for() {
    let (_temp, root, first) = serve_sample(None);
    let taken = first.address().port();
    let options = |any_port_if_busy| ServeOptions {
        build: BuildOptions {
            root: root.clone(),
            output: Some(root.join("second-site")),
            no_cache: true,
            ..BuildOptions::default()
        },
        port: taken,
        any_port_if_busy,
        ..ServeOptions::default()
    };
    let error = Server::start(&options(false))
        .err()
        .expect("the port is taken");
    assert!(error.to_string().contains("cannot listen"), "{error}");
    let second = Server::start(&options(true)).unwrap_or_else(|error| panic!("{error}"));
    assert_ne!(second.address().port(), taken);
    assert_eq!(get(second.address(), "/").status, 200);
    second.stop();
    first.stop();
}
