//! The GitHub Pages workflow `haru init` writes: the one file between a pushed journal and a
//! published site, so it must work as written, with nothing to fill in.
//!
//! It installs the haru it was written by (pinned, so a new release never changes a
//! journal's site unasked): a release binary through cargo-binstall in seconds, else a
//! compile from crates.io (about 6.5 minutes on GitHub's 2-core runners), cached by version
//! either way. Then it builds with the address GitHub Pages reports (with the cache folder of
//! the last run restored, so unchanged code is not highlighted again), uploads and deploys.

/// Where the workflow is written, relative to the journal.
pub const WORKFLOW_PATH: &str = ".github/workflows/pages.yml";

/// The crates.io package haru is published as (`haru` there is another project).
pub const PACKAGE: &str = "haru-til";

/// Where the Pages workflow gets haru from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HaruInstall<'a> {
    /// This version from crates.io: a release binary through cargo-binstall, else compiled.
    Registry,
    /// This version's tag (`v0.1.0`) of a git repository: a fork, or a mirror.
    Git(&'a str),
}

/// The workflow's text for this haru's version.
pub fn workflow(install: HaruInstall) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let install_steps = match install {
        HaruInstall::Registry => format!(
            r#"      - name: Install cargo-binstall
        if: steps.cache.outputs.cache-hit != 'true'
        uses: cargo-bins/cargo-binstall@v1.19.1
      - name: Install haru {version}
        if: steps.cache.outputs.cache-hit != 'true'
        # A release binary when one matches the runner, else compiled from crates.io.
        run: cargo binstall --no-confirm --disable-strategies compile {PACKAGE}@{version} || cargo install --locked {PACKAGE}@{version}
"#
        ),
        HaruInstall::Git(source) => format!(
            r#"      - name: Install haru {version}
        if: steps.cache.outputs.cache-hit != 'true'
        run: cargo install --locked --git {source} --tag v{version} {PACKAGE}
"#
        ),
    };
    format!(
        r#"# Publishes the journal to GitHub Pages on every push to main (written by `haru init`).
# On GitHub: Settings → Pages → Build and deployment → Source: GitHub Actions.
name: Publish to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: pages
        uses: actions/configure-pages@v5
      - id: cache
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/haru
          key: haru-{version}-${{{{ runner.os }}}}-${{{{ runner.arch }}}}
{install_steps}      - name: Restore what the last build kept
        # Highlighted code and picture copies (HARU_CACHE_DIR): a build reuses what has not
        # changed. A new entry each run, the newest restored.
        uses: actions/cache@v4
        with:
          path: ${{{{ runner.temp }}}}/haru-cache
          key: haru-cache-${{{{ github.sha }}}}
          restore-keys: haru-cache-
      - name: Build
        env:
          HARU_CACHE_DIR: ${{{{ runner.temp }}}}/haru-cache
        run: haru build --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - uses: actions/upload-pages-artifact@v4
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#
    )
}
