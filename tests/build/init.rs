//! `haru init` on an empty folder and on copies of the corpus repositories: a journal that
//! builds right after, and in a repository nothing changed but the added `haru.toml`.

use super::*;

use haru::init::{InitOptions, Initialized, init};

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 12, 1)
}

#[test]
fn init_in_an_empty_folder_starts_a_journal_that_builds() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("나의-til");
    let done = init(&InitOptions {
        dir: &dir,
        today: today(),
    })
    .unwrap_or_else(|d| panic!("{d}"));
    let Initialized::New { written } = done else {
        panic!("an empty folder gets a new journal: {done:?}");
    };
    let names: Vec<String> = written
        .iter()
        .map(|path| path.strip_prefix(&dir).unwrap().display().to_string())
        .collect();
    assert_eq!(names, ["haru.toml", ".gitignore", "content/2026-12-01.md"]);
    assert_eq!(read(dir.join(".gitignore")), "/public\n");
    assert!(read(dir.join("content/2026-12-01.md")).starts_with("# [2026-12-01]"));
    let report = build_root(&dir).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(report.entries, 1);
    assert!(read(dir.join("public/index.html")).contains("나의-til 학습 일지"));

    let again = init(&InitOptions {
        dir: &dir,
        today: today(),
    })
    .unwrap_err();
    assert!(
        again.to_string().contains("a haru journal already"),
        "{again}"
    );
}

#[test]
fn init_in_a_corpus_repository_adds_only_haru_toml_and_builds() {
    let Some(corpus) = shared_corpus() else {
        return;
    };
    for repository in fs::read_dir(&corpus).unwrap().filter_map(Result::ok) {
        let name = repository.file_name().to_string_lossy().to_string();
        if !repository.path().is_dir() || name == "seed" {
            continue;
        }
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join(&name);
        incremental::copy_tree(&repository.path(), &dir);
        // The repository's GitHub remote, as a clone has it.
        let (owner, repo) = name.split_once("__").unwrap();
        fs::create_dir_all(dir.join(".git")).unwrap();
        fs::write(
            dir.join(".git/config"),
            format!("[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://github.com/{owner}/{repo}.git\n"),
        )
        .unwrap();
        let before = files_under(&dir);
        let done = init(&InitOptions {
            dir: &dir,
            today: today(),
        })
        .unwrap_or_else(|d| panic!("{name}: {d}"));
        let Initialized::Adopted {
            base_url, notes, ..
        } = &done
        else {
            panic!("{name} has notes: {done:?}");
        };
        assert!(*notes > 0);
        assert_eq!(
            base_url,
            &format!("https://{}.github.io/{repo}/", owner.to_lowercase())
        );
        let mut after = files_under(&dir);
        assert!(
            after.remove("haru.toml").is_some(),
            "{name}: haru.toml written"
        );
        assert!(after == before, "{name}: init changed other files");
        let report = build_root(&dir).unwrap_or_else(|d| panic!("{name}: {d}"));
        assert!(
            report.entries + report.notes >= *notes - 1,
            "{name}: {} entries and {} notes of {notes} files",
            report.entries,
            report.notes
        );
    }
}
