//! The release workflow and Cargo.toml's binstall metadata agree: every archive
//! `cargo binstall haru-til` (and the Pages workflow) asks for is one the release uploads.

use super::*;

fn release_workflow() -> serde_norway::Value {
    serde_norway::from_str(&read(repository().join(".github/workflows/release.yml"))).unwrap()
}

fn manifest() -> toml::Value {
    toml::Value::Table(toml::from_str(&read(repository().join("Cargo.toml"))).unwrap())
}

/// The file name binstall asks for: its `pkg-url` for `target`, after the release path.
fn binstall_archive(manifest: &toml::Value, target: &str) -> String {
    let binstall = &manifest["package"]["metadata"]["binstall"];
    let url = binstall
        .get("overrides")
        .and_then(|overrides| overrides.get(target))
        .and_then(|own| own.get("pkg-url"))
        .unwrap_or(&binstall["pkg-url"])
        .as_str()
        .unwrap();
    let version = manifest["package"]["version"].as_str().unwrap();
    let expanded = url
        .replace("{ version }", version)
        .replace("{ target }", target);
    let (path, archive) = expanded.rsplit_once('/').unwrap();
    assert_eq!(
        path,
        format!("{{ repo }}/releases/download/v{version}"),
        "binstall looks in the tag's release"
    );
    archive.to_string()
}

#[test]
fn every_release_archive_is_the_one_binstall_asks_for() {
    let workflow = release_workflow();
    let manifest = manifest();
    assert_eq!(manifest["package"]["name"].as_str(), Some("haru-til"));
    assert_eq!(workflow["on"]["push"]["tags"][0], "v[0-9]+.*");
    let upload = &workflow["jobs"]["upload-assets"];
    assert_eq!(upload["needs"], "create-release");
    let step = upload["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|uses| uses.starts_with("taiki-e/upload-rust-binary-action@v1."))
        })
        .expect("the upload step, pinned");
    let with = &step["with"];
    assert_eq!(with["bin"], "haru");
    assert_eq!(with["tar"], "unix");
    assert_eq!(with["zip"], "windows");
    let targets: Vec<&str> = upload["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|row| row["target"].as_str().unwrap())
        .collect();
    for needed in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&needed), "no {needed} build");
    }
    for target in targets {
        let uploaded = with["archive"].as_str().unwrap().replace("$target", target);
        let extension = if target.contains("windows") {
            "zip"
        } else {
            "tar.gz"
        };
        assert_eq!(
            binstall_archive(&manifest, target),
            format!("{uploaded}.{extension}"),
            "{target}"
        );
    }
    let binstall = &manifest["package"]["metadata"]["binstall"];
    assert_eq!(binstall["bin-dir"], "haru{ binary-ext }".into());
}

#[test]
fn the_release_checks_its_tag_against_the_package_version() {
    let workflow = release_workflow();
    let steps = workflow["jobs"]["create-release"]["steps"]
        .as_sequence()
        .unwrap();
    let check = steps
        .iter()
        .find_map(|step| step["run"].as_str())
        .expect("a version check");
    let version = manifest()["package"]["version"]
        .as_str()
        .unwrap()
        .to_string();
    for (tag, matches) in [(format!("v{version}"), true), ("v9.9.9".to_string(), false)] {
        let status = std::process::Command::new("bash")
            .args(["-e", "-c", check])
            .current_dir(repository())
            .env("GITHUB_REF_NAME", &tag)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert_eq!(status.success(), matches, "{tag}");
    }
}

#[test]
fn install_lines_name_the_published_package() {
    let readme = read(repository().join("README.md"));
    assert!(readme.contains("cargo install --locked haru-til"));
    assert!(readme.contains("cargo binstall haru-til"));
    for stale in [
        "HARU_GIT_URL",
        "--tag v0.1.0 haru`",
        "cargo install --path .",
    ] {
        assert!(!readme.contains(stale), "README still says {stale}");
    }
}
