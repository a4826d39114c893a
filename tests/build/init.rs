//! `haru init` on an empty folder and on copies of the corpus repositories: a journal that
//! builds right after, and in a repository nothing changed but the added `haru.toml`.

use super::*;

use haru::init::{InitOptions, Initialized, init};

/// Where the workflow installs haru from, in these tests.
const SOURCE: &str = "https://github.com/OWNER/haru";

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
        haru_source: None,
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
    assert_eq!(
        report.entries, 0,
        "a scaffold nobody has written in yet is not an entry"
    );
    assert!(read(dir.join("public/index.html")).contains("나의-til 학습 일지"));
    fs::write(
        dir.join("content/2026-12-01.md"),
        read(dir.join("content/2026-12-01.md")).replace(
            "## 📝 배운 내용 (Today I Learned)\n",
            "## 📝 배운 내용 (Today I Learned)\n\nVPC를 만들었다.\n",
        ),
    )
    .unwrap();
    assert_eq!(
        build_root(&dir).unwrap_or_else(|d| panic!("{d}")).entries,
        1,
        "written in, it is"
    );

    let again = init(&InitOptions {
        dir: &dir,
        today: today(),
        haru_source: None,
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
            haru_source: Some(SOURCE),
        })
        .unwrap_or_else(|d| panic!("{name}: {d}"));
        let Initialized::Adopted {
            base_url,
            notes,
            dated,
            workflow,
            ..
        } = &done
        else {
            panic!("{name} has notes: {done:?}");
        };
        assert!(*notes > 0);
        assert_eq!(
            base_url,
            &format!("https://{}.github.io/{repo}/", owner.to_lowercase())
        );
        assert!(workflow.is_some());
        let mut after = files_under(&dir);
        assert!(
            after.remove("haru.toml").is_some(),
            "{name}: haru.toml written"
        );
        assert!(
            after.remove(".github/workflows/pages.yml").is_some(),
            "{name}: the workflow written"
        );
        let changed: Vec<&String> = after
            .keys()
            .chain(before.keys())
            .filter(|path| after.get(*path) != before.get(*path))
            .collect();
        assert!(changed.is_empty(), "{name}: init changed {changed:?}");
        let report = build_root(&dir).unwrap_or_else(|d| panic!("{name}: {d}"));
        assert_eq!(
            report.entries, *dated,
            "{name}: haru init's count of dated entries is what the build finds"
        );
        // Every file is published but a root GUIDE and an untouched copy of the template.
        assert!(
            report.entries + report.notes >= *notes - 2,
            "{name}: {} entries and {} notes of {notes} files",
            report.entries,
            report.notes
        );
    }
}

#[test]
fn the_pages_workflow_has_what_github_needs_and_its_build_step_works_under_a_sub_path() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("til");
    init(&InitOptions {
        dir: &dir,
        today: today(),
        haru_source: Some(SOURCE),
    })
    .unwrap_or_else(|d| panic!("{d}"));
    let text = read(dir.join(".github/workflows/pages.yml"));
    let yaml: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    assert_eq!(yaml["on"]["push"]["branches"][0], "main");
    assert_eq!(yaml["permissions"]["pages"], "write");
    assert_eq!(yaml["permissions"]["id-token"], "write");
    let steps = yaml["jobs"]["build"]["steps"].as_sequence().unwrap();
    let uses = |name: &str| {
        steps
            .iter()
            .find(|step| step["uses"].as_str().is_some_and(|u| u.starts_with(name)))
            .unwrap_or_else(|| panic!("no {name} step"))
    };
    uses("actions/checkout@");
    uses("actions/configure-pages@");
    assert_eq!(uses("actions/cache@")["with"]["path"], "~/.cargo/bin/haru");
    assert_eq!(
        uses("actions/upload-pages-artifact@")["with"]["path"],
        "public"
    );
    let run = |name: &str| {
        steps
            .iter()
            .find(|step| step["name"].as_str().is_some_and(|n| n.starts_with(name)))
            .and_then(|step| step["run"].as_str())
            .unwrap_or_else(|| panic!("no {name} step"))
            .to_string()
    };
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        run("Install haru"),
        format!("cargo install --locked --git {SOURCE} --tag v{version} haru")
    );
    let deploy = &yaml["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    assert!(
        deploy["steps"][0]["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/deploy-pages@")
    );

    // The build step, run in a shell over the sample journal as configure-pages would have
    // it for a project site: every link resolves under /til/.
    let journal = temp.path().join("sample");
    incremental::copy_tree(&repository().join("content"), &journal.join("content"));
    fs::copy(repository().join("haru.toml"), journal.join("haru.toml")).unwrap();
    let command = run("Build").replace(
        "${{ steps.pages.outputs.base_url }}",
        "https://user.github.io/til",
    );
    let haru = PathBuf::from(env!("CARGO_BIN_EXE_haru"));
    let path = format!(
        "{}:{}",
        haru.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(&command)
        .current_dir(&journal)
        .env("PATH", path)
        .status()
        .unwrap();
    assert!(status.success(), "{command}");
    let output = journal.join("public");
    assert!(read(output.join("index.html")).contains("href=\"/til/"));
    let broken = broken_links(&output, "/til/");
    assert!(broken.is_empty(), "broken links under /til/: {broken:?}");
}

#[test]
fn a_cname_in_haru_toml_is_written_to_the_site() {
    let temp = journal(&[("2026-03-02.md", "# [2026-03-02] 글\n")]);
    fs::write(
        temp.path().join("haru.toml"),
        "cname = \"til.example.com\"\n",
    )
    .unwrap();
    build_root(temp.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(read(temp.path().join("public/CNAME")), "til.example.com\n");
}
