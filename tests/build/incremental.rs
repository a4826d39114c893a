//! The engine's rebuilds against fresh builds: after every edit of a random sequence, the
//! output a kept `Engine` brings up to date must equal, byte for byte, a new build of the same
//! files. Seeds are fixed so a failure repeats; the failing sequence is printed.

use super::*;

use haru::engine::Engine;

/// SplitMix64: a seeded sequence, so that a failing case can be run again.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Markdown files under `content/`, relative to the root, sorted.
fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.path().to_path_buf())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    files
}

const LINES: &[&str] = &[
    "- 복습: 보안 그룹 규칙을 다시 정리했다.",
    "- **\"버킷\"**에 버전 관리를 켰다: S3를 다시 봤다.",
    "- SQS 대기열과 Simple Notification Service를 비교했다.",
    "- CloudFront 배포를 만들고 캐시 정책을 살펴봤다.",
    "\n### 새로 알게 된 것\n\nRoute 53 레코드를 추가했다.",
    "\n```yaml\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n```",
    "- [ ] 내일 CIDR 문제 풀기",
    // Links to other files: their pages move when those files are moved, renamed or deleted.
    "- 다시 볼 것: [계산표](../deep-dive/cidr-cheatsheet.md), [전날](2026-03-03.md)",
    "- [7일 차 정리](../deep-dive/2026-03-07.md)",
];

/// One random edit, the way a person (or `git checkout`) changes a journal. Returns a
/// description and every path touched, as a watcher would report them.
fn edit(root: &Path, random: &mut Random, step: usize) -> (String, Vec<PathBuf>) {
    let files = markdown_files(root);
    let file = random.pick(&files).clone();
    let shown = file.strip_prefix(root).unwrap().display().to_string();
    match random.below(12) {
        0..=2 => {
            // Append a line, vim-style: write a temporary file, rename it over.
            let mut text = fs::read_to_string(&file).unwrap();
            let line = random.pick(LINES);
            text.push_str(&format!("\n{line}\n"));
            let temporary = file.with_file_name(format!(
                ".{}.swp",
                file.file_name().unwrap().to_string_lossy()
            ));
            fs::write(&temporary, text).unwrap();
            fs::rename(&temporary, &file).unwrap();
            (format!("append `{line}` to {shown}"), vec![temporary, file])
        }
        3 => {
            // Retitle: the first heading's words change, its date stays.
            let text = fs::read_to_string(&file).unwrap();
            let retitled = match text.split_once('\n') {
                Some((first, rest)) if first.starts_with("# ") => {
                    format!("{first} (고침 {step})\n{rest}")
                }
                _ => format!("# 고친 제목 {step}\n\n{text}"),
            };
            fs::write(&file, retitled).unwrap();
            (format!("retitle {shown}"), vec![file])
        }
        4 => {
            // Move the entry to another day in the heading.
            let text = fs::read_to_string(&file).unwrap();
            let day = 10 + random.below(18);
            let moved = match text.split_once('\n') {
                Some((first, rest)) if first.starts_with("# [") => {
                    let title = first.split_once(']').map(|(_, t)| t).unwrap_or("");
                    format!("# [2026-03-{day:02}]{title}\n{rest}")
                }
                _ => text.clone(),
            };
            fs::write(&file, moved).unwrap();
            (format!("redate {shown} to day {day}"), vec![file])
        }
        5 => {
            let day = 10 + random.below(18);
            let path = root.join(format!("content/2026-03/new-{step}.md"));
            fs::write(
                &path,
                format!(
                    "# [2026-03-{day:02}] 새 항목 {step}\n\n## 📝 배운 내용 (Today I Learned)\n\n\
                     - VPC 엔드포인트를 공부했다.\n\n## 💭 오늘의 회고 (Retrospective)\n\n\
                     - **Keep**: 매일 쓰기\n- **Problem**: X\n- **Try**: 실습 {step}\n"
                ),
            )
            .unwrap();
            (format!("add {}", path.display()), vec![path])
        }
        6 if files.len() > 3 => {
            fs::remove_file(&file).unwrap();
            (format!("delete {shown}"), vec![file])
        }
        7 => {
            let folder = root.join("content/moved");
            fs::create_dir_all(&folder).unwrap();
            let to = folder.join(file.file_name().unwrap());
            if to.exists() {
                return (format!("nothing (would move {shown} onto itself)"), vec![]);
            }
            fs::rename(&file, &to).unwrap();
            (format!("move {shown} to moved/"), vec![file, to])
        }
        8 => {
            // A broken front matter: the build fails; a later step may fix it.
            let text = fs::read_to_string(&file).unwrap();
            fs::write(&file, format!("---\ntitle: [고장\n---\n{text}")).unwrap();
            (format!("break the front matter of {shown}"), vec![file])
        }
        9 => {
            let path = root.join("templates/entry.html");
            let default = fs::read_to_string(repository().join("templates/entry.html")).unwrap();
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, format!("{default}\n<!-- edit {step} -->\n")).unwrap();
            (format!("edit the template ({step})"), vec![path])
        }
        10 => {
            let path = root.join("static/extra.css");
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, format!("/* edit {step} */\n")).unwrap();
            let image = root.join("content/2026-03/diagram.png");
            fs::write(&image, [step as u8; 16]).unwrap();
            (
                format!("write a static file and an image ({step})"),
                vec![path, image],
            )
        }
        _ => {
            let path = root.join("haru.toml");
            fs::write(
                &path,
                format!("title = \"편집 {step}\"\nbase_url = \"/til/\"\n"),
            )
            .unwrap();
            (format!("edit haru.toml ({step})"), vec![path])
        }
    }
}

/// Repairs every broken front matter, so a sequence does not stay failed for good.
fn fix_front_matter(root: &Path) -> Vec<PathBuf> {
    let mut fixed = Vec::new();
    for file in markdown_files(root) {
        let text = fs::read_to_string(&file).unwrap();
        if let Some(rest) = text.strip_prefix("---\ntitle: [고장\n---\n") {
            fs::write(&file, rest).unwrap();
            fixed.push(file);
        }
    }
    fixed
}

pub(crate) fn fresh_build(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let temp = tempfile::tempdir().unwrap();
    let output = temp.path().join("public");
    build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.clone()),
        no_cache: true,
        ..BuildOptions::default()
    })
    .map(|_| files_under(&output))
    .map_err(|diagnostics| diagnostics.to_string())
}

pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn incremental_rebuilds_equal_fresh_builds_over_random_edit_sequences() {
    const SEEDS: u64 = 6;
    const STEPS: usize = 8;
    for seed in 0..SEEDS {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("journal");
        copy_tree(&repository().join("content"), &root.join("content"));
        fs::copy(repository().join("haru.toml"), root.join("haru.toml")).unwrap();
        let output = temp.path().join("site");
        let mut engine = Engine::new(&BuildOptions {
            root: root.clone(),
            output: Some(output.clone()),
            no_cache: true,
            ..BuildOptions::default()
        });
        engine
            .build()
            .unwrap_or_else(|d| panic!("first build: {d}"));
        let mut random = Random(seed);
        let mut done: Vec<String> = Vec::new();
        for step in 0..STEPS {
            let (what, mut touched) = edit(&root, &mut random, step);
            done.push(what);
            if step % 3 == 2 {
                touched.extend(fix_front_matter(&root));
                done.push("fix every broken front matter".into());
            }
            for path in &touched {
                engine.note_change(path);
            }
            let kept = engine.build();
            let fresh = fresh_build(&root);
            let history = || format!("seed {seed}, edits:\n  {}", done.join("\n  "));
            match (kept, fresh) {
                (Ok(_), Ok(fresh)) => {
                    let kept = files_under(&output);
                    let kept_paths: Vec<&String> = kept.keys().collect();
                    let fresh_paths: Vec<&String> = fresh.keys().collect();
                    assert_eq!(kept_paths, fresh_paths, "same files, {}", history());
                    for (path, bytes) in &fresh {
                        assert!(
                            kept[path] == *bytes,
                            "{path} differs from a fresh build, {}",
                            history()
                        );
                    }
                }
                (Err(_), Err(_)) => {}
                (kept, fresh) => panic!(
                    "rebuild {} but a fresh build {}, {}",
                    if kept.is_ok() { "succeeded" } else { "failed" },
                    if fresh.is_ok() { "succeeded" } else { "failed" },
                    history()
                ),
            }
        }
    }
}

/// The sample journal copied into a temporary folder, and an engine that builds it into
/// `public/` there.
fn sample_engine() -> (tempfile::TempDir, PathBuf, Engine) {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("journal");
    copy_tree(&repository().join("content"), &root.join("content"));
    let engine = Engine::new(&BuildOptions {
        root: root.clone(),
        no_cache: true,
        ..BuildOptions::default()
    });
    (temp, root, engine)
}

#[test]
fn rebuild_after_a_body_edit_writes_only_the_pages_that_show_it() {
    let (_temp, root, mut engine) = sample_engine();
    let first = engine.build().unwrap_or_else(|d| panic!("{d}"));
    let file = root.join("content/2026-03/2026-03-04.md");
    let mut text = fs::read_to_string(&file).unwrap();
    text.push_str("\n본문 끝에 한 문장을 더했다.\n");
    fs::write(&file, text).unwrap();
    assert!(engine.note_change(&file));
    let second = engine.build().unwrap_or_else(|d| panic!("{d}"));
    // Its own page, and the home page (which counts characters); nothing else shows the body.
    // Search: the entry's text, the one chunk the sample's small index has, the meta file.
    assert!(
        second.written >= 1 && second.written <= 3 + 3,
        "a body edit rewrote {} of {} files",
        second.written,
        first.written
    );
    let page = read(root.join("public/2026-03/2026-03-04/index.html"));
    assert!(page.contains("본문 끝에 한 문장을 더했다."));
    // Nothing changed: nothing written.
    assert!(engine.note_change(&file));
    let third = engine.build().unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(third.written, 0);
}

#[test]
fn swap_and_temporary_files_are_not_changes() {
    let (_temp, root, mut engine) = sample_engine();
    engine.build().unwrap_or_else(|d| panic!("{d}"));
    let content = root.join("content/2026-03");
    // vim's swap and probe files, backups, Emacs locks, JetBrains safe-write files.
    for name in [
        ".2026-03-04.md.swp",
        "2026-03-04.md~",
        "4913",
        ".#2026-03-04.md",
        "2026-03-04.md___jb_tmp___",
        "2026-03-04.md___jb_old___",
    ] {
        assert!(
            !engine.note_change(&content.join(name)),
            "{name} must not count as a change"
        );
    }
    assert!(!engine.note_change(&root.join("public/index.html")));
    assert!(engine.note_change(&content.join("2026-03-04.md")));
}

#[test]
fn a_link_follows_its_target_when_the_target_moves() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("journal");
    copy_tree(&repository().join("content"), &root.join("content"));
    let linking = root.join("content/2026-03/2026-03-04.md");
    let mut text = fs::read_to_string(&linking).unwrap();
    text.push_str("\n- [계산표](../deep-dive/cidr-cheatsheet.md)\n");
    fs::write(&linking, text).unwrap();
    let output = temp.path().join("site");
    let mut engine = Engine::new(&BuildOptions {
        root: root.clone(),
        output: Some(output.clone()),
        no_cache: true,
        ..BuildOptions::default()
    });
    engine.build().unwrap_or_else(|d| panic!("{d}"));
    let page = || read(output.join("2026-03/2026-03-04/index.html"));
    assert!(page().contains("href=\"/deep-dive/cidr-cheatsheet/\""));

    // The linked note moves to another folder: the untouched entry's link must follow.
    let from = root.join("content/deep-dive/cidr-cheatsheet.md");
    let to = root.join("content/notes/cidr-cheatsheet.md");
    fs::create_dir_all(to.parent().unwrap()).unwrap();
    fs::rename(&from, &to).unwrap();
    engine.note_change(&from);
    engine.note_change(&to);
    engine.build().unwrap_or_else(|d| panic!("{d}"));
    assert!(
        !page().contains("href=\"/deep-dive/cidr-cheatsheet/\""),
        "the link still leads to the old page"
    );
    assert_eq!(
        files_under(&output),
        fresh_build(&root).unwrap(),
        "a rebuild after the move equals a fresh build"
    );
}

#[test]
fn an_own_tag_renamed_in_one_entry_is_renamed_on_every_page() {
    // A journal's own tag is shown as the newest entry spells it, on every entry that has it.
    let temp = journal(&[
        (
            "2026-03-10.md",
            "---\ntags: [Study Group]\n---\n# [2026-03-10] 새 글\n\n본문\n",
        ),
        (
            "2026-03-01.md",
            "---\ntags: [study-group]\n---\n# [2026-03-01] 옛 글\n\n본문\n",
        ),
    ]);
    let root = temp.path().to_path_buf();
    let mut engine = Engine::new(&BuildOptions {
        root: root.clone(),
        no_cache: true,
        ..BuildOptions::default()
    });
    engine.build().unwrap_or_else(|d| panic!("{d}"));
    let old_page = || read(root.join("public/2026-03-01/index.html"));
    assert!(old_page().contains("Study Group"));
    let newer = root.join("content/2026-03-10.md");
    fs::write(
        &newer,
        "---\ntags: [STUDY Group]\n---\n# [2026-03-10] 새 글\n\n본문\n",
    )
    .unwrap();
    engine.note_change(&newer);
    engine.build().unwrap_or_else(|d| panic!("{d}"));
    assert!(
        old_page().contains("STUDY Group"),
        "the untouched entry's page shows the tag's new name"
    );
    assert_eq!(
        files_under(&root.join("public")),
        fresh_build(&root).unwrap()
    );
}

#[test]
fn a_build_output_inside_a_root_journal_is_not_a_change() {
    // A repository of notes (content_dir = ".") served while `haru build` writes public/.
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("til");
    fs::create_dir_all(root.join("public")).unwrap();
    fs::write(root.join("haru.toml"), "content_dir = \".\"\n").unwrap();
    fs::write(root.join("2026-03-02.md"), "# [2026-03-02] 글\n\n본문\n").unwrap();
    let mut engine = Engine::new(&BuildOptions {
        root: root.clone(),
        output: Some(temp.path().join("preview")),
        no_cache: true,
        ..BuildOptions::default()
    });
    engine.build().unwrap_or_else(|d| panic!("{d}"));
    assert!(!engine.note_change(&root.join("public/index.html")));
    assert!(engine.note_change(&root.join("2026-03-02.md")));
}
