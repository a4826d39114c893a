//! `haru init` on an empty folder and on copies of the corpus repositories: a journal that
//! builds right after, and in a repository nothing changed but the added `haru.toml`.

use super::*;

use haru::init::{HaruInstall, InitOptions, Initialized, Workflow, init, workflow};

/// A fork the workflow can install haru from instead of crates.io.
const FORK: &str = "https://github.com/someone/haru-fork";

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
        install: HaruInstall::Registry,
    })
    .unwrap_or_else(|d| panic!("{d}"));
    let Initialized::New {
        written,
        base_url,
        workflow: Workflow::Written(workflow_path),
    } = done
    else {
        panic!("an empty folder gets a new journal and its workflow: {done:?}");
    };
    assert_eq!(base_url, "/", "no git remote to take an address from");
    assert_eq!(read(workflow_path), workflow(HaruInstall::Registry));
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
        install: HaruInstall::Registry,
    })
    .unwrap_err();
    assert!(
        again.to_string().contains("a haru journal already"),
        "{again}"
    );
    // Run again without the workflow, init writes the workflow alone.
    fs::remove_file(dir.join(".github/workflows/pages.yml")).unwrap();
    let before = files_under(&dir);
    let added = init(&InitOptions {
        dir: &dir,
        today: today(),
        install: HaruInstall::Registry,
    })
    .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        added,
        Initialized::WorkflowAdded {
            workflow: dir.join(".github/workflows/pages.yml")
        }
    );
    let mut after = files_under(&dir);
    assert!(after.remove(".github/workflows/pages.yml").is_some());
    assert_eq!(after, before);
}

#[test]
fn init_leaves_a_pages_workflow_that_is_there_alone() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    fs::create_dir_all(dir.join("_posts")).unwrap();
    fs::write(
        dir.join("_posts/2026-03-02-vpc.md"),
        "# VPC\n\n서브넷을 나눴다.\n",
    )
    .unwrap();
    fs::create_dir_all(dir.join(".github/workflows")).unwrap();
    let theirs = "name: jekyll\non: push\njobs: {}\n";
    fs::write(dir.join(".github/workflows/pages.yml"), theirs).unwrap();
    let done = init(&InitOptions {
        dir,
        today: today(),
        install: HaruInstall::Registry,
    })
    .unwrap_or_else(|d| panic!("{d}"));
    let Initialized::Adopted { workflow, .. } = done else {
        panic!("{done:?}");
    };
    assert_eq!(
        workflow,
        Workflow::Kept(dir.join(".github/workflows/pages.yml"))
    );
    assert_eq!(read(dir.join(".github/workflows/pages.yml")), theirs);
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
            install: HaruInstall::Registry,
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
        let Workflow::Written(workflow) = workflow else {
            panic!("{name}: {workflow:?}");
        };
        assert_eq!(
            read(workflow),
            haru::init::workflow(HaruInstall::Registry),
            "{name}: the same workflow for every repository, nothing in it to fill in"
        );
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

/// The steps of a workflow's build job, and each step's `uses` or `run` by its start.
struct Steps(Vec<serde_norway::Value>);

impl Steps {
    fn of(yaml: &serde_norway::Value) -> Steps {
        Steps(
            yaml["jobs"]["build"]["steps"]
                .as_sequence()
                .unwrap()
                .clone(),
        )
    }

    fn uses(&self, action: &str) -> &serde_norway::Value {
        self.0
            .iter()
            .find(|step| step["uses"].as_str().is_some_and(|u| u.starts_with(action)))
            .unwrap_or_else(|| panic!("no {action} step"))
    }

    fn named(&self, name: &str) -> &serde_norway::Value {
        self.0
            .iter()
            .find(|step| step["name"].as_str().is_some_and(|n| n.starts_with(name)))
            .unwrap_or_else(|| panic!("no {name} step"))
    }

    fn run(&self, name: &str) -> String {
        self.named(name)["run"].as_str().unwrap().to_string()
    }
}

#[test]
fn the_pages_workflow_has_what_github_needs_and_its_build_step_works_under_a_sub_path() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("til");
    init(&InitOptions {
        dir: &dir,
        today: today(),
        install: HaruInstall::Registry,
    })
    .unwrap_or_else(|d| panic!("{d}"));
    let text = read(dir.join(".github/workflows/pages.yml"));
    for placeholder in ["OWNER", "USER", "REPO", "GIT_URL", "TODO", "<"] {
        assert!(
            !text.contains(placeholder),
            "nothing to fill in: {placeholder}"
        );
    }
    let yaml: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    assert_eq!(yaml["on"]["push"]["branches"][0], "main");
    assert!(
        yaml["on"]["workflow_dispatch"].is_null() && yaml["on"].get("workflow_dispatch").is_some()
    );
    assert_eq!(yaml["permissions"]["pages"], "write");
    assert_eq!(yaml["permissions"]["id-token"], "write");
    assert_eq!(yaml["permissions"]["contents"], "read");
    let steps = Steps::of(&yaml);
    let order: Vec<String> = steps
        .0
        .iter()
        .map(|step| {
            let what = step["uses"].as_str().or(step["name"].as_str()).unwrap();
            what.split('@').next().unwrap().to_string()
        })
        .collect();
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        order,
        [
            "actions/checkout",
            "actions/configure-pages",
            "actions/cache",
            "cargo-bins/cargo-binstall",
            &format!("Install haru {version}"),
            "actions/cache",
            "Build",
            "actions/upload-pages-artifact"
        ]
    );
    // Every action pinned to a release; the binary cached per version and machine.
    for step in &steps.0 {
        if let Some(uses) = step["uses"].as_str() {
            let tag = uses.split_once("@v").map(|(_, tag)| tag).unwrap_or("");
            assert!(tag.starts_with(|c: char| c.is_ascii_digit()), "{uses}");
        }
    }
    let binstall = steps.named("Install cargo-binstall")["uses"]
        .as_str()
        .unwrap();
    assert!(
        binstall.starts_with("cargo-bins/cargo-binstall@v1."),
        "{binstall}"
    );
    let cache = steps.uses("actions/cache@");
    assert_eq!(cache["with"]["path"], "~/.cargo/bin/haru");
    let key = cache["with"]["key"].as_str().unwrap();
    assert!(key.contains(version) && key.contains("runner.os") && key.contains("runner.arch"));
    // The cache folder the last run's build kept (highlighted code, picture copies): the
    // newest restored, a new one saved each run.
    let kept = steps.named("Restore what the last build kept");
    assert_eq!(kept["with"]["path"], "${{ runner.temp }}/haru-cache");
    assert_eq!(
        steps.named("Build")["env"]["HARU_CACHE_DIR"],
        kept["with"]["path"],
        "the build uses the folder restored"
    );
    assert_eq!(kept["with"]["key"], "haru-cache-${{ github.sha }}");
    assert_eq!(kept["with"]["restore-keys"], "haru-cache-");
    let cache_miss = "steps.cache.outputs.cache-hit != 'true'";
    assert_eq!(steps.named("Install cargo-binstall")["if"], cache_miss);
    assert_eq!(steps.named("Install haru")["if"], cache_miss);
    assert_eq!(
        steps.run("Install haru"),
        format!(
            "cargo binstall --no-confirm --disable-strategies compile haru-til@{version} || \
             cargo install --locked haru-til@{version}"
        )
    );
    assert_eq!(
        steps.uses("actions/upload-pages-artifact@")["with"]["path"],
        "public"
    );
    let deploy = &yaml["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    assert_eq!(
        deploy["environment"]["url"],
        "${{ steps.deployment.outputs.page_url }}"
    );
    assert_eq!(deploy["steps"][0]["id"], "deployment");
    assert!(
        deploy["steps"][0]["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/deploy-pages@v")
    );

    // The build step, run in a shell over the sample journal as configure-pages would have
    // it for a project site: every link resolves under /til/.
    let journal = temp.path().join("sample");
    incremental::copy_tree(&repository().join("content"), &journal.join("content"));
    fs::copy(repository().join("haru.toml"), journal.join("haru.toml")).unwrap();
    let command = steps.run("Build").replace(
        "${{ steps.pages.outputs.base_url }}",
        "https://user.github.io/til",
    );
    let haru = PathBuf::from(env!("CARGO_BIN_EXE_haru"));
    let path = format!(
        "{}:{}",
        haru.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // As the workflow's step sets it, so that nothing is left in this machine's cache folder.
    let cache = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(&command)
        .current_dir(&journal)
        .env("PATH", path)
        .env("HARU_CACHE_DIR", cache.path())
        .status()
        .unwrap();
    assert!(status.success(), "{command}");
    let output = journal.join("public");
    assert!(read(output.join("index.html")).contains("href=\"/til/"));
    let broken = broken_links(&output, "/til/");
    assert!(broken.is_empty(), "broken links under /til/: {broken:?}");
    assert!(
        read(output.join("sitemap.xml")).contains("<loc>https://user.github.io/til/</loc>"),
        "the address GitHub reports makes the sitemap's"
    );
}

#[test]
fn a_fork_s_pages_workflow_installs_haru_from_its_tag() {
    let yaml: serde_norway::Value =
        serde_norway::from_str(&workflow(HaruInstall::Git(FORK))).unwrap();
    let steps = Steps::of(&yaml);
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        steps.run("Install haru"),
        format!("cargo install --locked --git {FORK} --tag v{version} haru-til")
    );
    assert!(
        steps
            .0
            .iter()
            .all(|step| step["name"] != "Install cargo-binstall")
    );
    assert_eq!(
        steps.run("Build"),
        Steps::of(&serde_norway::from_str(&workflow(HaruInstall::Registry)).unwrap()).run("Build")
    );
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

#[test]
fn init_without_a_github_remote_says_how_to_set_base_url() {
    let temp = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_haru"))
        .args(["init", "til"])
        .current_dir(temp.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let said = String::from_utf8(output.stdout).unwrap();
    assert!(
        said.contains("til/.github/workflows/pages.yml을(를) 썼습니다"),
        "{said}"
    );
    assert!(
        said.contains("haru.toml에 base_url = \"https://USER.github.io/REPO/\"를 적으세요"),
        "a journal without a remote is told how to get whole addresses: {said}"
    );
    assert!(
        said.contains("Settings → Pages → Source를 GitHub Actions로"),
        "{said}"
    );
    let config = read(temp.path().join("til/haru.toml"));
    assert!(config.contains("base_url = \"/\""));

    // With a GitHub remote, the address is taken from it and nothing needs saying.
    let remote = temp.path().join("remote");
    fs::create_dir_all(remote.join(".git")).unwrap();
    fs::write(
        remote.join(".git/config"),
        "[remote \"origin\"]\n\turl = git@github.com:Kim/til.git\n",
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_haru"))
        .args(["init", "remote"])
        .current_dir(temp.path())
        .output()
        .unwrap();
    let said = String::from_utf8(output.stdout).unwrap();
    assert!(
        said.contains("base_url    https://kim.github.io/til/"),
        "{said}"
    );
    assert!(!said.contains("USER.github.io"), "{said}");
    assert!(read(remote.join("haru.toml")).contains("base_url = \"https://kim.github.io/til/\""));
}
