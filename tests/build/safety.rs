//! A cloned journal is untrusted input: its names, front matter, links and folder links must
//! never write, replace or publish anything outside the output folder, and odd files must not
//! hang the build. Each test is named after the hole it closes (issue "Safety first").

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use haru::{BuildOptions, build};

use super::{build_root, files_under, journal};

/// Every file and folder under `dir` but those under `skip`, with the files' bytes: what a
/// build may not change.
fn tree_without(dir: &Path, skip: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|entry| !entry.path().starts_with(skip))
        .filter_map(Result::ok)
        .map(|entry| {
            let bytes = entry
                .file_type()
                .is_file()
                .then(|| fs::read(entry.path()).unwrap());
            (entry.path().to_path_buf(), bytes)
        })
        .collect()
}

/// Runs `work` on another thread, failing the test instead of hanging it.
fn within<T: Send + 'static>(seconds: u64, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    receiver
        .recv_timeout(Duration::from_secs(seconds))
        .unwrap_or_else(|_| panic!("still running after {seconds} s"))
}

const HOSTILE_NAMES: [&str; 12] = [
    "../../../../../../x",
    "../../../../../../../../../../../../tmp/haru-escape-tag",
    "..",
    ".",
    "/",
    "\\\\..\\\\..\\\\x",
    "%2e%2e/%2e%2e/x",
    "a\\u0000b",
    "/tmp/haru-escape-absolute",
    "./.././../x",
    "",
    "tags",
];

#[test]
fn hostile_tag_series_folder_and_file_names_write_nothing_outside_the_output() {
    let sandbox = tempfile::tempdir().unwrap();
    let root = sandbox.path().join("a/b/c/d/e/journal");
    let tags = HOSTILE_NAMES
        .iter()
        .map(|name| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let files = [
        (
            "2026-03-01.md".to_string(),
            format!("---\ntags: [{tags}]\n---\n# [2026-03-01] 태그 시험\n\n본문\n"),
        ),
        (
            "2026-03-02.md".to_string(),
            "# [2026-03-02] ../../../../../../x 3일차\n\n본문\n".to_string(),
        ),
        (
            "2026-03-03.md".to_string(),
            "# [2026-03-03] /tmp/haru-escape-series 1일차\n\n본문\n".to_string(),
        ),
        (
            "..%2e/%2e%2e/2026-03-04.md".to_string(),
            "# [2026-03-04] 폴더 이름\n".to_string(),
        ),
        (
            "-..-/..md.md".to_string(),
            "# [2026-03-05] 파일 이름\n".to_string(),
        ),
        ("index.md".to_string(), "# 홈을 덮으려는 노트\n".to_string()),
        (
            "tags.md".to_string(),
            "# 태그 목록을 덮으려는 노트\n".to_string(),
        ),
    ];
    for (path, text) in &files {
        let target = root.join("content").join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, text).unwrap();
    }
    let output = root.join("public");
    let before = tree_without(sandbox.path(), &output);
    build_root(&root).unwrap_or_else(|d| panic!("{d}"));
    // Built twice: the second build replaces the first's output in place.
    build_root(&root).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        tree_without(sandbox.path(), &output),
        before,
        "files outside the output changed"
    );
    for escaped in [
        "/tmp/haru-escape-tag",
        "/tmp/haru-escape-absolute",
        "/tmp/haru-escape-series",
    ] {
        assert!(!Path::new(escaped).exists(), "{escaped} was written");
    }
    let site = files_under(&output);
    let home = String::from_utf8_lossy(&site["index.html"]).to_string();
    assert!(
        !home.contains("홈을 덮으려는"),
        "a note replaced the home page"
    );
    let tags_index = String::from_utf8_lossy(&site["tags/index.html"]).to_string();
    assert!(
        !tags_index.contains("태그 목록을 덮으려는"),
        "a tag or note replaced the tags index"
    );
    for path in site.keys() {
        assert!(
            path.split('/')
                .all(|segment| !segment.is_empty() && segment != "." && segment != ".."),
            "{path}"
        );
    }
}

#[test]
fn output_flag_never_replaces_a_folder_haru_did_not_make() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    let build_into = |output: &Path| {
        build(&BuildOptions {
            root: temp.path().to_path_buf(),
            output: Some(output.to_path_buf()),
            no_cache: true,
            ..BuildOptions::default()
        })
    };
    // `--output docs` once deleted docs/design.md; `--output ~` a home folder.
    let docs = temp.path().join("docs");
    fs::create_dir_all(docs.join("notes")).unwrap();
    fs::write(docs.join("design.md"), "설계 문서").unwrap();
    fs::write(docs.join("notes/a.txt"), "a").unwrap();
    let before = files_under(&docs);
    let text = build_into(&docs).unwrap_err().to_string();
    assert!(
        text.contains("haru는 자기가 만든 폴더만 바꿉니다"),
        "{text}"
    );
    assert!(
        text.contains("docs"),
        "the message names the folder: {text}"
    );
    assert_eq!(files_under(&docs), before, "docs/ was changed");
    // A file where the folder would go is refused too.
    let file = temp.path().join("site.txt");
    fs::write(&file, "x").unwrap();
    assert!(build_into(&file).is_err());
    assert_eq!(fs::read(&file).unwrap(), b"x");

    // An empty folder may be filled, and a folder haru made replaced.
    let empty = temp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    build_into(&empty).unwrap_or_else(|d| panic!("{d}"));
    assert!(empty.join("index.html").is_file());
    assert!(empty.join(".haru-output").is_file());
    build_into(&empty).unwrap_or_else(|d| panic!("{d}"));
    // A site an older haru wrote (no marker, but its generator line) is replaced as well.
    fs::remove_file(empty.join(".haru-output")).unwrap();
    build_into(&empty).unwrap_or_else(|d| panic!("{d}"));
    assert!(empty.join(".haru-output").is_file());
}

#[test]
fn killed_builds_leave_no_staging_or_previous_folders_behind() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    // What a build killed with -9 leaves: its process is gone (no such pid).
    for leftover in [
        ".public.haru-staging-4000001",
        ".public.haru-previous-4000002",
    ] {
        let dir = temp.path().join(leftover);
        fs::create_dir_all(dir.join("tags")).unwrap();
        fs::write(dir.join("tags/index.html"), "old").unwrap();
    }
    // A folder of another tool with a similar name is no leftover of haru's.
    fs::create_dir(temp.path().join(".public.haru-staging-notes")).unwrap();
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let names: Vec<String> = fs::read_dir(temp.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        !names
            .iter()
            .any(|name| name.contains("haru-staging-4") || name.contains("haru-previous")),
        "{names:?}"
    );
    assert!(names.contains(&".public.haru-staging-notes".to_string()));

    // Killed between moving the old site aside and moving the new one in: the old site is
    // put back, then replaced by the new build.
    let output = temp.path().join("public");
    fs::rename(&output, temp.path().join(".public.haru-previous-4000003")).unwrap();
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(output.join("index.html").is_file());
    assert!(!temp.path().join(".public.haru-previous-4000003").exists());
}

#[test]
fn symlinked_folder_pointing_outside_content_is_not_published() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("secret.txt"), "비밀").unwrap();
    fs::write(
        elsewhere.path().join("2026-01-31.md"),
        "# [2026-01-31] 남의 글\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), temp.path().join("content/ext")).unwrap();
    // A link to a folder inside the content folder is still followed.
    fs::create_dir_all(temp.path().join("content/real")).unwrap();
    fs::write(temp.path().join("content/real/note.md"), "# 노트\n").unwrap();
    std::os::unix::fs::symlink(
        temp.path().join("content/real"),
        temp.path().join("content/alias"),
    )
    .unwrap();
    let report = build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let warnings = report.warnings.to_string();
    assert!(
        warnings.contains("content/ext") && warnings.contains("콘텐츠 폴더 밖의 폴더"),
        "{warnings}"
    );
    let site = files_under(&temp.path().join("public"));
    assert!(
        !site.keys().any(|path| path.starts_with("ext")),
        "{:?}",
        site.keys()
    );
    assert!(
        site.values()
            .all(|bytes| !String::from_utf8_lossy(bytes).contains("남의 글"))
    );
    assert!(
        site.contains_key("alias/note/index.html"),
        "{:?}",
        site.keys()
    );
}

#[test]
fn content_dir_or_static_outside_the_journal_root_is_an_error() {
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(
        elsewhere.path().join("2026-01-31.md"),
        "# [2026-01-31] 남의 글\n",
    )
    .unwrap();
    for setting in [
        "content_dir = \"../..\"".to_string(),
        format!("content_dir = \"{}\"", elsewhere.path().display()),
    ] {
        let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
        fs::write(temp.path().join("haru.toml"), format!("{setting}\n")).unwrap();
        let text = build_root(temp.path()).unwrap_err().to_string();
        assert!(
            text.contains("일지 폴더 밖에 있습니다"),
            "{setting}: {text}"
        );
        assert!(!temp.path().join("public").exists());
    }
    // A content folder that is a link out of the journal is the same thing.
    let temp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), temp.path().join("content")).unwrap();
    let text = build_root(temp.path()).unwrap_err().to_string();
    assert!(text.contains("일지 폴더 밖에 있습니다"), "{text}");
    // So is a `static` folder linked out of it.
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    std::os::unix::fs::symlink(elsewhere.path(), temp.path().join("static")).unwrap();
    let text = build_root(temp.path()).unwrap_err().to_string();
    assert!(
        text.contains("static") && text.contains("일지 폴더 밖"),
        "{text}"
    );
    // Given on the command line, a folder anywhere is taken on purpose.
    let temp = tempfile::tempdir().unwrap();
    build(&BuildOptions {
        root: temp.path().to_path_buf(),
        content: Some(elsewhere.path().to_path_buf()),
        output: Some(temp.path().join("public")),
        no_cache: true,
        ..BuildOptions::default()
    })
    .unwrap_or_else(|d| panic!("{d}"));
    assert!(temp.path().join("public/2026-01-31/index.html").is_file());
}

#[test]
fn fifo_named_md_does_not_block_the_build() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    let fifo = temp.path().join("content/2026-01-31.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("SKIPPED: mkfifo is not available");
        return;
    }
    let root = temp.path().to_path_buf();
    let report = within(60, move || build_root(&root)).unwrap_or_else(|d| panic!("{d}"));
    let warnings = report.warnings.to_string();
    assert!(
        warnings.contains("2026-01-31.md") && warnings.contains("일반 파일이 아니"),
        "{warnings}"
    );
    assert_eq!(report.entries, 1);
}

#[test]
fn javascript_base_url_is_refused_in_config_and_on_the_command_line() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    fs::write(
        temp.path().join("haru.toml"),
        "title = \"t\"\nbase_url = \"javascript:alert(1)//\"\n",
    )
    .unwrap();
    let text = build_root(temp.path()).unwrap_err().to_string();
    assert!(text.contains("haru.toml:2"), "{text}");
    assert!(text.contains("http(s)"), "{text}");
    fs::write(temp.path().join("haru.toml"), "title = \"t\"\n").unwrap();
    let result = build(&BuildOptions {
        root: temp.path().to_path_buf(),
        base_url: Some("javascript:alert(1)".into()),
        no_cache: true,
        ..BuildOptions::default()
    });
    let text = result.unwrap_err().to_string();
    assert!(text.contains("--base-url"), "{text}");
    assert!(!temp.path().join("public").exists());
}

#[test]
fn utf16_files_are_read_or_named_as_utf16() {
    let text = "# [2026-01-30] 유니코드 기록\n\n본문 한 줄\n";
    let mut little: Vec<u8> = vec![0xFF, 0xFE];
    little.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut big: Vec<u8> = vec![0xFE, 0xFF];
    big.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    let temp = journal(&[]);
    fs::create_dir_all(temp.path().join("content")).unwrap();
    fs::write(temp.path().join("content/2026-01-30.md"), &little).unwrap();
    fs::write(temp.path().join("content/2026-01-31.md"), &big).unwrap();
    let report = build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(report.entries, 2);
    let page = fs::read_to_string(temp.path().join("public/2026-01-30/index.html")).unwrap();
    assert!(page.contains("본문 한 줄"), "UTF-16 text is on the page");

    let temp = journal(&[]);
    fs::create_dir_all(temp.path().join("content")).unwrap();
    let without_mark: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    fs::write(temp.path().join("content/2026-01-30.md"), without_mark).unwrap();
    let message = build_root(temp.path()).unwrap_err().to_string();
    assert!(message.contains("UTF-16"), "{message}");
    assert!(!message.contains("cp949"), "{message}");
}

#[test]
fn unreadable_folder_is_named_with_a_permission_hint() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    let locked = temp.path().join("content/locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("a.md"), "# a\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read_dir(&locked).is_ok() {
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("SKIPPED: running as root, who reads any folder");
        return;
    }
    let text = build_root(temp.path()).unwrap_err().to_string();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(text.contains("content/locked"), "{text}");
    assert!(
        text.contains("permission denied") && text.contains("chmod"),
        "{text}"
    );
    assert!(!text.contains("fix the link"), "{text}");
}

#[test]
fn front_matter_with_no_closing_line_is_an_error_not_a_title() {
    let temp = journal(&[(
        "2026-01-30.md",
        "---\ntitle: x\ntags: [s3]\n\n# [2026-01-30] 기록\n\n본문\n",
    )]);
    let text = build_root(temp.path()).unwrap_err().to_string();
    assert!(text.contains("content/2026-01-30.md:1:"), "{text}");
    assert!(text.contains("닫히지 않았습니다"), "{text}");
}

#[test]
fn file_over_the_size_limit_is_an_error_naming_its_size() {
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    fs::write(temp.path().join("haru.toml"), "max_file_mb = 1\n").unwrap();
    let big = format!("# [2026-01-31] 큰 기록\n\n{}", "가나다라 ".repeat(200_000));
    fs::write(temp.path().join("content/2026-01-31.md"), big).unwrap();
    let text = build_root(temp.path()).unwrap_err().to_string();
    assert!(text.contains("content/2026-01-31.md"), "{text}");
    assert!(text.contains("2.5 MB") && text.contains("1 MB"), "{text}");
    assert!(text.contains("max_file_mb"), "{text}");
}

#[test]
fn control_characters_never_reach_the_feed_or_the_pages() {
    let temp = journal(&[(
        "2026-01-30.md",
        "---\ntags: [\"s3\\u001b[31m\"]\n---\n# [2026-01-30] 제어\u{0}문자 \u{1b}[1m굵게\n\n본문에 백스페이스\u{8} 와 \u{c} 폼피드\n",
    )]);
    fs::write(
        temp.path().join("haru.toml"),
        "title = \"일지\\u001b[0m\"\nbase_url = \"https://user.github.io/til/\"\n",
    )
    .unwrap();
    let report = build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let warnings = report.warnings.to_string();
    assert!(warnings.contains("content/2026-01-30.md:4:"), "{warnings}");
    assert!(warnings.contains("제어 문자"), "{warnings}");
    for (path, bytes) in files_under(&temp.path().join("public")) {
        if !(path.ends_with(".html") || path.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| {
                (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
            })
            .collect();
        assert!(bad.is_empty(), "{path} holds {bad:?}");
    }
    let feed = fs::read_to_string(temp.path().join("public/atom.xml")).unwrap();
    assert!(
        feed.contains("제어문자"),
        "the text around them stays: {feed}"
    );
}

#[test]
fn unclosed_style_tag_swallows_no_text_and_is_named() {
    let temp = journal(&[(
        "2026-01-30.md",
        "# [2026-01-30] 스타일\n\nCSS는 <style> 태그 안에 쓰고 다음 줄로 간다.\n\n- 목록 하나\n- 목록 둘\n\n<script>\n\n끝 문단\n",
    )]);
    let report = build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let page = fs::read_to_string(temp.path().join("public/2026-01-30/index.html")).unwrap();
    for text in [
        "&lt;style&gt; 태그 안에 쓰고",
        "목록 하나",
        "목록 둘",
        "&lt;script&gt;",
        "끝 문단",
    ] {
        assert!(page.contains(text), "lost {text:?}");
    }
    assert!(
        !page.contains("<style>") && !page.contains("<script>\n"),
        "{page}"
    );
    let warnings = report.warnings.to_string();
    assert!(
        warnings.contains("content/2026-01-30.md:3:") && warnings.contains("<style>"),
        "{warnings}"
    );
}

#[test]
fn thousands_of_headings_naming_services_build_in_linear_time() {
    // 54,000 headings that each named a service took 31 s (each mention searched every place
    // the service was seen); this many takes ~1 s in a release build. No clock is asserted:
    // a quadratic regression shows as a test that takes minutes.
    let body: String = (0..20_000)
        .map(|i| format!("### EC2 {i} Lambda\n- S3 VPC\n"))
        .collect();
    let temp = journal(&[("2026-01-30.md", &format!("# [2026-01-30] 제목\n\n{body}"))]);
    let root = temp.path().to_path_buf();
    let report = within(300, move || build_root(&root)).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(report.entries, 1);
    let page = fs::read_to_string(temp.path().join("public/2026-01-30/index.html")).unwrap();
    assert!(page.contains("EC2 19999 Lambda"));
}

/// One request with the given extra header lines; (status, headers).
fn request_with(address: std::net::SocketAddr, target: &str, headers: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    // The event stream never ends: the status line and headers are enough.
    let mut raw = Vec::new();
    let mut buffer = [0u8; 4096];
    while !raw.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => raw.extend_from_slice(&buffer[..read]),
        }
    }
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, text.to_ascii_lowercase())
}

#[test]
fn serve_refuses_other_hosts_and_origins_against_dns_rebinding() {
    let (_temp, _root, server) = super::serve::serve_sample(None);
    let address = server.address();
    let port = address.port();
    for target in ["/", "/__haru/events", "/atom.xml"] {
        let (status, headers) = request_with(address, target, "Host: evil.example\r\n");
        assert_eq!(status, 421, "{target} for evil.example");
        assert!(
            headers.contains("x-content-type-options: nosniff"),
            "{headers}"
        );
        let (status, _) = request_with(address, target, &format!("Host: evil.example:{port}\r\n"));
        assert_eq!(status, 421, "{target}");
        let (status, _) = request_with(
            address,
            target,
            &format!("Host: 127.0.0.1:{port}\r\nOrigin: http://evil.example\r\n"),
        );
        assert_eq!(status, 403, "{target} from another site's page");
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let (status, headers) = request_with(address, "/", &format!("Host: {host}\r\n"));
        assert_eq!(status, 200, "{host}");
        assert!(
            headers.contains("x-content-type-options: nosniff"),
            "{headers}"
        );
        let (status, _) = request_with(
            address,
            "/__haru/events",
            &format!("Host: {host}\r\nOrigin: http://{host}\r\n"),
        );
        assert_eq!(status, 200, "the page's own event stream from {host}");
    }
    // Redirects and refusals carry the header too.
    let (status, headers) = request_with(address, "/..%2f", &format!("Host: localhost:{port}\r\n"));
    assert_eq!(status, 400);
    assert!(
        headers.contains("x-content-type-options: nosniff"),
        "{headers}"
    );
}

#[test]
fn serve_never_builds_a_half_saved_or_truncated_entry() {
    use std::io::Write;
    let (_temp, root, server) = super::serve::serve_sample(None);
    let address = server.address();
    let file = root.join("content/2026-03/2026-03-04.md");
    let original = fs::read_to_string(&file).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // An editor that truncates the file, then writes it in two pieces, 12 ms apart (longer than the watcher's 10 ms debounce).
    let editor = {
        let stop = stop.clone();
        let file = file.clone();
        std::thread::spawn(move || {
            let mut saves = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && saves < 30 {
                let text = format!("{original}\n- 저장 {saves} 끝까지 쓴 줄\n");
                let (first, second) = text.split_at(text.len() / 2);
                let mut handle = fs::File::create(&file).unwrap();
                std::thread::sleep(Duration::from_millis(12));
                handle.write_all(first.as_bytes()).unwrap();
                handle.flush().unwrap();
                std::thread::sleep(Duration::from_millis(12));
                handle.write_all(second.as_bytes()).unwrap();
                drop(handle);
                saves += 1;
                std::thread::sleep(Duration::from_millis(60));
            }
            saves
        })
    };
    let mut failures = Vec::new();
    let mut requests = 0;
    let mut saved_once = false;
    while !editor.is_finished() {
        let response = super::serve::get(address, "/2026-03/2026-03-04/");
        requests += 1;
        let text = response.text();
        // Once a save was served, every page is made from a whole save: all of them end with
        // the line that half a save lacks.
        let whole = text.contains("끝까지 쓴 줄");
        if response.status != 200 {
            failures.push(format!("status {}", response.status));
        } else if saved_once && !whole {
            failures.push("a page built from half the text".to_string());
        }
        saved_once |= whole;
        std::thread::sleep(Duration::from_millis(3));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let saves = editor.join().unwrap();
    assert!(
        saves >= 10 && requests > 50,
        "{saves} saves, {requests} requests"
    );
    assert!(
        failures.is_empty(),
        "{} of {requests} requests saw a broken page: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    server.stop();
}

#[test]
fn note_named_retro_or_series_does_not_collide_with_the_sites_own_pages() {
    // Regression: `content/retro.md` failed the build ("another page of the site was already
    // written here") while `haru check` reported nothing.
    let temp = journal(&[
        (
            "2026-01-30.md",
            "# [2026-01-30] 기록\n\n## 💭 오늘의 회고 (Retrospective)\n- **Keep (좋았던 점)**: 꾸준히\n- **Problem (아쉬웠던 점)**: 늦잠\n- **Try (시도할 점)**: 일찍 자기\n",
        ),
        ("retro.md", "# 회고 노트\n\n내 회고\n"),
        ("series.md", "# 시리즈 노트\n\n내 시리즈\n"),
    ]);
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let site = files_under(&temp.path().join("public"));
    let retro_note = String::from_utf8_lossy(&site["retro-2/index.html"]).to_string();
    assert!(retro_note.contains("내 회고"));
    assert!(String::from_utf8_lossy(&site["series-2/index.html"]).contains("내 시리즈"));
    assert!(
        site.contains_key("retro/index.html"),
        "the site's retro page is still there"
    );
}

#[test]
fn a_note_named_after_any_folder_the_site_writes_builds() {
    // Every top-level folder of the sample's site (tags, series, archive, retro, search …) as a
    // note's name: each gets an address of its own, none fails the build.
    let (_temp, output, _) = super::build_sample(None);
    let folders: Vec<String> = fs::read_dir(&output)
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().unwrap().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().to_string())
        .collect();
    assert!(folders.len() >= 6, "{folders:?}");
    let sample = super::repository().join("content");
    let temp = tempfile::tempdir().unwrap();
    super::incremental::copy_tree(&sample, &temp.path().join("content"));
    for folder in &folders {
        fs::write(
            temp.path().join(format!("content/{folder}.md")),
            format!("# {folder} 노트\n\n{folder}라는 이름의 노트\n"),
        )
        .unwrap();
    }
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    let site = files_under(&temp.path().join("public"));
    for folder in &folders {
        let note = format!("{folder}라는 이름의 노트");
        assert!(
            site.values()
                .any(|bytes| String::from_utf8_lossy(bytes).contains(&note)),
            "the note {folder}.md has no page"
        );
    }
}
