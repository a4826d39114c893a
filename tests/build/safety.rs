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
        text.contains("haru replaces only a folder it made"),
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
        warnings.contains("content/ext") && warnings.contains("outside the content folder"),
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
            text.contains("outside the journal root"),
            "{setting}: {text}"
        );
        assert!(!temp.path().join("public").exists());
    }
    // A content folder that is a link out of the journal is the same thing.
    let temp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), temp.path().join("content")).unwrap();
    let text = build_root(temp.path()).unwrap_err().to_string();
    assert!(text.contains("outside the journal root"), "{text}");
    // So is a `static` folder linked out of it.
    let temp = journal(&[("2026-01-30.md", "# [2026-01-30] 기록\n")]);
    std::os::unix::fs::symlink(elsewhere.path(), temp.path().join("static")).unwrap();
    let text = build_root(temp.path()).unwrap_err().to_string();
    assert!(
        text.contains("static") && text.contains("outside"),
        "{text}"
    );
    // Given on the command line, a folder anywhere is taken on purpose.
    let temp = tempfile::tempdir().unwrap();
    build(&BuildOptions {
        root: temp.path().to_path_buf(),
        content: Some(elsewhere.path().to_path_buf()),
        output: Some(temp.path().join("public")),
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
        warnings.contains("2026-01-31.md") && warnings.contains("not a regular file"),
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
    assert!(text.contains("never closed"), "{text}");
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
