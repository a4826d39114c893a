//! `haru check` over a small journal with one case per rule: the rule, the exact line and
//! column, and the exit status of the real binary.

use super::*;

use haru::check::{CheckOptions, Finding, check};

fn findings(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<Finding>) {
    let temp = journal(files);
    let found = check(&CheckOptions {
        root: temp.path(),
        paths: &[],
        external: None,
        selection: haru::check::Selection {
            notes: true,
            ..Default::default()
        },
    })
    .unwrap_or_else(|d| panic!("{d}"))
    .findings;
    (temp, found)
}

/// (rule, path, line, column) of each finding.
fn places(found: &[Finding]) -> Vec<(&str, String, usize, usize)> {
    found
        .iter()
        .map(|f| {
            (
                f.rule.name(),
                f.path.display().to_string(),
                f.line,
                f.column,
            )
        })
        .collect()
}

#[test]
fn check_finds_each_rule_at_its_line_and_column() {
    let (_temp, found) = findings(&[
        ("2026-03-02.md", "# [2026-03-03] 날짜가 다른 제목\n\n본문\n"),
        (
            "2026-03-04.md",
            "# [2026-03-04] 제목을 적어주세요\n\n\
             - **\"버킷\"**에 올린다\n\
             - 리전~리전 복제, 1~2초\n\
             - `List<String>` 말고 List<PlaylistTrack> 반환\n\
             - [계산표](notes/없는-파일.md), [앵커](#없는-제목), [있는 앵커](#사용법)\n\
             - ![그림](images/없음.png)\n\n\
             ## 사용법\n\n\
             ## 🔗 참고 자료 (References)\n\n\
             - [링크 제목](https://www.google.com/search?q=URL)\n",
        ),
        ("copy/2026-03-05.md", "# [2026-03-05] 같은 글\n\n하나\n"),
        ("2026-03-05.md", "# [2026-03-05] 같은 글\n\n둘\n"),
        ("날짜를 잊은 글.md", "# 날짜를 잊은 글\n\n본문\n"),
        (
            "2026-03-06.md",
            "# [2026-03-06] 비어 있음\n\n## 💭 오늘의 회고 (Retrospective)\n\n\
             - **Keep (좋았던 점)**: \n- **Problem (아쉬웠던 점)**:\n\n\
             ## 🔥 도전 과제 & 해결 (Challenge & Solution)\n\n- **과제/문제**: X\n",
        ),
    ]);
    let found = places(&found);
    for expected in [
        ("date-mismatch", "content/2026-03-02.md", 1, 4),
        ("template-leftover", "content/2026-03-04.md", 1, 16),
        ("github-literal-emphasis", "content/2026-03-04.md", 3, 3),
        ("github-tilde-strikethrough", "content/2026-03-04.md", 4, 5),
        ("github-swallowed-html", "content/2026-03-04.md", 5, 25),
        ("broken-link", "content/2026-03-04.md", 6, 3),
        ("broken-anchor", "content/2026-03-04.md", 6, 26),
        ("missing-image", "content/2026-03-04.md", 7, 3),
        ("template-leftover", "content/2026-03-04.md", 13, 3),
        ("template-leftover", "content/2026-03-04.md", 13, 11),
        ("empty-section", "content/2026-03-06.md", 3, 1),
    ] {
        let expected = (expected.0, expected.1.to_string(), expected.2, expected.3);
        assert!(found.contains(&expected), "{expected:?} not in {found:#?}");
    }
    // `X` says "nothing today" on purpose: not an untouched section.
    assert!(
        !found.contains(&("empty-section", "content/2026-03-06.md".to_string(), 8, 1)),
        "{found:#?}"
    );
    let duplicate = found
        .iter()
        .find(|(rule, ..)| *rule == "duplicate-entry")
        .expect("the copied entry is found");
    assert!(duplicate.1.ends_with("2026-03-05.md"));
    assert!(found.contains(&("no-date", "content/날짜를 잊은 글.md".to_string(), 0, 0)));
    // `#사용법` is there; `List<String>` in backticks and `~~` are fine on GitHub too.
    assert!(
        !found
            .iter()
            .any(|(rule, _, line, column)| *rule == "broken-anchor" && (*line, *column) != (6, 26)),
        "{found:#?}"
    );
    assert_eq!(
        found
            .iter()
            .filter(|(rule, ..)| *rule == "github-swallowed-html")
            .count(),
        1,
        "{found:#?}"
    );
}

#[test]
fn a_clean_journal_has_no_findings_and_check_exits_by_severity() {
    let (temp, found) = findings(&[(
        "2026-03-02.md",
        "# [2026-03-02] 깨끗한 글\n\n- **버킷** 을 만든다\n- [아래](#정리)\n\n## 정리\n\n끝\n",
    )]);
    assert!(found.is_empty(), "{found:#?}");
    let haru = env!("CARGO_BIN_EXE_haru");
    let run = |args: &[&str]| {
        std::process::Command::new(haru)
            .args(args)
            .arg("--root")
            .arg(temp.path())
            .output()
            .unwrap()
    };
    assert!(run(&["check"]).status.success());
    // A warning: exit 0, unless warnings are denied.
    fs::write(
        temp.path().join("content/2026-03-03.md"),
        "# [2026-03-03] 제목을 적어주세요\n\nS3 버킷 정책을 읽었다.\n",
    )
    .unwrap();
    let warned = run(&["check"]);
    assert!(warned.status.success());
    let printed = String::from_utf8(warned.stdout).unwrap();
    assert!(
        printed.contains("content/2026-03-03.md:1:16: 경고[template-leftover]"),
        "{printed}"
    );
    assert!(
        printed.contains("1 | # [2026-03-03] 제목을 적어주세요"),
        "{printed}"
    );
    assert!(!run(&["check", "--deny", "warnings"]).status.success());
    // Named paths: only their findings.
    let clean = temp.path().join("content/2026-03-02.md");
    let only = run(&["check", clean.to_str().unwrap(), "--deny", "warnings"]);
    assert!(
        only.status.success(),
        "{}",
        String::from_utf8_lossy(&only.stdout)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["check", "--format", "json"]).stdout).unwrap();
    assert_eq!(json[0]["rule"], "template-leftover");
    assert_eq!(json[0]["line"], 1);
    // An error (an impossible date): exit 1.
    fs::write(
        temp.path().join("content/notes.md"),
        "# [2026-13-45] 없는 날\n",
    )
    .unwrap();
    assert!(!run(&["check"]).status.success());
}

#[test]
fn check_finds_the_lines_haru_repairs_and_github_does_not() {
    let (_temp, found) = findings(&[(
        "2026-03-07.md",
        "# [2026-03-07] 고칠 것들\n\n\
         1. 첫 항목\n  - 두 칸만 들여쓴 항목\n\n\
         문단 한 줄\n      - 너무 들여쓴 항목\n\n\
         \x20   ```bash\n    echo hi\n    ```\n\n\
         \x20   들여쓴 한국어 문장이 코드가 된다\n\n\
         파이썬의 (__init__) 메서드\n\n\
         ```python\nprint(\"닫히지 않음\")\n",
    )]);
    let found = places(&found);
    let file = "content/2026-03-07.md".to_string();
    for expected in [
        ("list-indent", 4, 3),
        ("over-indented-bullet", 7, 7),
        ("indented-fence", 9, 5),
        ("indented-code", 13, 5),
        ("github-dunder-bold", 15, 7),
        ("unclosed-fence", 17, 1),
    ] {
        let expected = (expected.0, file.clone(), expected.1, expected.2);
        assert!(found.contains(&expected), "{expected:?} not in {found:#?}");
    }
    // The fence's own lines moved with it: one finding, not three.
    assert_eq!(
        found.iter().filter(|f| f.2 == 10 || f.2 == 11).count(),
        0,
        "{found:#?}"
    );
}

/// A server on loopback that answers by path, and counts how many requests it holds at once.
struct LinkServer {
    address: std::net::SocketAddr,
    most_at_once: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl LinkServer {
    fn start() -> LinkServer {
        use std::io::{BufRead, BufReader, Write};
        use std::sync::atomic::{AtomicUsize, Ordering};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let now = std::sync::Arc::new(AtomicUsize::new(0));
        let most = std::sync::Arc::new(AtomicUsize::new(0));
        let most_at_once = most.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(200) {
                let Ok(mut stream) = stream else { continue };
                let now = now.clone();
                let most = most.clone();
                std::thread::spawn(move || {
                    let mut request = String::new();
                    BufReader::new(&stream).read_line(&mut request).unwrap_or(0);
                    let mut parts = request.split_whitespace();
                    let method = parts.next().unwrap_or("");
                    let path = parts.next().unwrap_or("");
                    // The stalled request is given up by the client at its timeout but held
                    // here on: it does not count towards requests at once.
                    let counted = !path.starts_with("/slow");
                    if counted {
                        let at_once = now.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(at_once, Ordering::SeqCst);
                    }
                    // Held a moment, so requests to one host could overlap if allowed to.
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    let status = match (method, path.split('?').next().unwrap_or("")) {
                        (_, "/missing") => "404 Not Found",
                        ("HEAD", "/no-head") => "405 Method Not Allowed",
                        (_, "/slow") => {
                            std::thread::sleep(std::time::Duration::from_secs(6));
                            "200 OK"
                        }
                        _ => "200 OK",
                    };
                    // Done before answering: the client may open its next request as soon as it
                    // has the answer.
                    if counted {
                        now.fetch_sub(1, Ordering::SeqCst);
                    }
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                });
            }
        });
        LinkServer {
            address,
            most_at_once,
        }
    }
}

#[test]
fn external_links_are_asked_with_a_timeout_and_a_per_host_limit() {
    let server = LinkServer::start();
    let base = format!("http://{}", server.address);
    let mut lines = vec![format!("# [2026-03-08] 바깥 링크\n")];
    for page in ["/missing", "/no-head", "/slow"] {
        lines.push(format!("- [페이지]({base}{page})\n"));
    }
    for n in 0..8 {
        lines.push(format!("- [좋은 페이지 {n}]({base}/ok?n={n})\n"));
    }
    let text = lines.concat();
    let temp = journal(&[("2026-03-08.md", &text)]);
    let found = check(&CheckOptions {
        root: temp.path(),
        paths: &[],
        external: Some(haru::check::External {
            timeout: std::time::Duration::from_secs(2),
            per_host: 2,
        }),
        selection: haru::check::Selection {
            notes: true,
            ..Default::default()
        },
    })
    .unwrap_or_else(|d| panic!("{d}"))
    .findings;
    let external: Vec<(usize, usize, &str)> = found
        .iter()
        .filter(|f| f.rule.name() == "broken-external-link")
        .map(|f| (f.line, f.column, f.message.as_str()))
        .collect();
    assert_eq!(external.len(), 2, "{external:#?}");
    assert_eq!((external[0].0, external[0].1), (2, 3));
    assert!(
        external[0].2.ends_with("/missing: the server answers 404"),
        "{external:#?}"
    );
    assert_eq!((external[1].0, external[1].1), (4, 3));
    assert!(
        external[1].2.contains("/slow: no answer within 2 s"),
        "{external:#?}"
    );
    let most = server
        .most_at_once
        .load(std::sync::atomic::Ordering::SeqCst);
    assert!(most <= 2, "{most} requests to one host at once");
    // Without --external nothing is asked.
    let quiet = check(&CheckOptions {
        root: temp.path(),
        paths: &[],
        external: None,
        selection: haru::check::Selection {
            notes: true,
            ..Default::default()
        },
    })
    .unwrap()
    .findings;
    assert!(
        !quiet
            .iter()
            .any(|f| f.rule.name() == "broken-external-link")
    );
}

#[test]
fn check_memory_stays_bounded_on_a_line_of_thousands_of_findings() {
    // One 200 KB line of 16,000 broken links once took 3.7 GB and aborted; a finding copied
    // the whole line. Now at most 10 a line and 200 a file are listed, each with a window of
    // its line, and the rest are counted.
    let line = "[x](nope.md) ".repeat(16_000);
    let long_emphasis = "**\"버킷\"**에 리전~리전 List<T> ".repeat(20_000);
    let (_temp, found) = findings(&[
        ("2026-03-01.md", &format!("# [2026-03-01] 링크\n\n{line}\n")),
        (
            "2026-03-02.md",
            &format!("# [2026-03-02] 강조\n\n{long_emphasis}\n\n{line}\n"),
        ),
    ]);
    for file in ["content/2026-03-01.md", "content/2026-03-02.md"] {
        let of_file: Vec<&Finding> = found
            .iter()
            .filter(|f| f.path.display().to_string() == file)
            .collect();
        assert!(of_file.len() <= 201, "{file}: {}", of_file.len());
        let summary = of_file
            .iter()
            .find(|f| f.rule.name() == "too-many-findings")
            .unwrap_or_else(|| panic!("{file}: no count of the findings left out"));
        assert!(
            summary.message.contains("적지 않았습니다"),
            "{}",
            summary.message
        );
        let mut per_line: std::collections::HashMap<usize, usize> = Default::default();
        for finding in &of_file {
            *per_line.entry(finding.line).or_default() += 1;
            assert!(
                finding.source.chars().count() <= 122,
                "{}",
                finding.source.len()
            );
        }
        assert!(
            per_line
                .iter()
                .all(|(&line, &count)| line == 0 || count <= 10),
            "{per_line:?}"
        );
    }
    // The column is still the real one, far along the line.
    let last_link = found
        .iter()
        .filter(|f| f.rule.name() == "broken-link" && f.path.ends_with("2026-03-01.md"))
        .map(|f| f.column)
        .max()
        .unwrap();
    assert_eq!(last_link, 9 * 13 + 1);
    let printed = haru::check::render(&found, haru::Language::Ko, false);
    assert!(printed.len() < 200_000, "{} bytes printed", printed.len());
}

/// A journal with one error (a broken link), one warning (dates that disagree) and one note
/// (a bullet indented 2 spaces under `1.`).
fn three_levels() -> tempfile::TempDir {
    journal(&[
        (
            "2026-03-02.md",
            "# [2026-03-02] 링크\n\n[계산표](없는-파일.md)를 본다.\n",
        ),
        ("2026-03-04.md", "# [2026-03-03] 날짜가 다른 글\n\n본문\n"),
        (
            "2026-03-05.md",
            "# [2026-03-05] 목록\n\n1. VPC\n  - 서브넷\n",
        ),
    ])
}

#[test]
fn check_lists_errors_first_and_hides_notes_unless_asked() {
    let temp = three_levels();
    let haru = env!("CARGO_BIN_EXE_haru");
    let run = |args: &[&str]| {
        let output = std::process::Command::new(haru)
            .arg("check")
            .args(args)
            .arg("--root")
            .arg(temp.path())
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (status, printed, _) = run(&[]);
    assert_eq!(status, Some(1), "a broken link is an error: {printed}");
    let error = printed.find("오류[broken-link]").expect("the error");
    let warning = printed.find("경고[date-mismatch]").expect("the warning");
    assert!(error < warning, "errors come first: {printed}");
    assert!(!printed.contains("[list-indent]"), "{printed}");
    assert!(printed.contains("  = 도움말: "), "{printed}");
    let summary = &printed[printed.find("\n규칙별:\n").expect("a summary")..];
    assert!(
        summary.contains("  오류     broken-link    1\n"),
        "{summary}"
    );
    assert!(
        summary.contains("  경고     date-mismatch  1\n"),
        "{summary}"
    );
    assert!(summary.contains("파일별 (2개):\n"), "{summary}");
    assert!(
        summary.contains("content/2026-03-02.md  오류 1개\n"),
        "{summary}"
    );
    assert!(
        summary.ends_with("\n오류 1개, 경고 1개, 참고 0개 (참고 1개 숨김: --all로 봅니다)\n"),
        "{summary}"
    );

    let (_, all, _) = run(&["--all"]);
    let note = all.find("참고[list-indent]").expect("--all shows notes");
    assert!(note > all.find("경고[date-mismatch]").unwrap(), "{all}");
    assert!(all.ends_with("\n오류 1개, 경고 1개, 참고 1개\n"), "{all}");

    let (status, only, _) = run(&["--rule", "list-indent"]);
    assert_eq!(status, Some(0));
    assert!(
        only.contains("참고[list-indent]") && !only.contains("[broken-link]"),
        "{only}"
    );

    let (status, skipped, _) = run(&["--skip", "broken-link", "--deny", "warnings"]);
    assert_eq!(status, Some(1), "the warning is denied");
    assert!(!skipped.contains("[broken-link]"), "{skipped}");
    let (status, _, _) = run(&["--skip", "broken-link"]);
    assert_eq!(status, Some(0), "a warning alone passes");

    let (status, _, complaint) = run(&["--rule", "list-indnet"]);
    assert_eq!(status, Some(2), "clap refuses an unknown rule");
    assert!(
        complaint.contains("no rule named `list-indnet`; the rules are blank-entry, build,"),
        "{complaint}"
    );

    // The journal's own skips, for every run; a journal in English gets its report in English.
    fs::write(
        temp.path().join("haru.toml"),
        "title = \"t\"\nlanguage = \"en\"\n\n[check]\nskip = [\"broken-link\", \"date-mismatch\"]\n",
    )
    .unwrap();
    let (status, quiet, _) = run(&[]);
    assert_eq!(status, Some(0), "{quiet}");
    assert!(
        quiet.ends_with("\n0 errors, 0 warnings, 0 notes (1 note hidden: --all shows them)\n"),
        "{quiet}"
    );
    fs::write(
        temp.path().join("haru.toml"),
        "title = \"t\"\nlanguage = \"en\"\n\n[check]\nskip = [\"list-indnet\"]\n",
    )
    .unwrap();
    let (status, _, complaint) = run(&[]);
    assert_eq!(status, Some(1));
    assert!(
        complaint.contains("error: haru.toml:5")
            && complaint.contains("no rule named `list-indnet`"),
        "{complaint}"
    );
}

#[test]
fn the_documented_level_of_every_rule_is_its_level() {
    let docs = read(repository().join("docs/check.md"));
    for rule in haru::check::Rule::ALL {
        if matches!(rule, haru::check::Rule::TooManyFindings) {
            continue;
        }
        let row = docs
            .lines()
            .find(|line| {
                line.starts_with('|')
                    && line.split('|').nth(1).is_some_and(|names| {
                        names
                            .split(',')
                            .any(|name| name.trim() == format!("`{}`", rule.name()))
                    })
            })
            .unwrap_or_else(|| panic!("docs/check.md has no row for {rule}"));
        let documented = row.trim_end_matches('|').rsplit('|').next().unwrap().trim();
        let level = if rule == haru::check::Rule::Build {
            "as the build"
        } else {
            rule.level().name()
        };
        assert_eq!(documented, level, "{rule}");
    }
}
