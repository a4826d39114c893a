//! The `haru` command: parses the command line and calls the library.

use haru::Language;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "haru",
    version,
    about = "하루: a static site generator for Korean TIL study journals"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Deny {
    Warnings,
}

/// Where the journal is and where its site goes: `build` and `serve` take the same.
#[derive(clap::Args)]
struct Journal {
    /// The journal's root folder (where haru.toml is).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The folder with the markdown files (default: content_dir from haru.toml, else content/).
    #[arg(long)]
    content: Option<PathBuf>,
    /// Where to write the site.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Include drafts.
    #[arg(long)]
    drafts: bool,
    /// Make everything afresh: neither reuse nor keep highlighted code and picture copies in
    /// the cache folder (HARU_CACHE_DIR, else the platform's, e.g. ~/.cache/haru).
    #[arg(long)]
    no_cache: bool,
}

impl Journal {
    fn options(self, base_url: Option<String>) -> haru::BuildOptions {
        haru::BuildOptions {
            root: self.root,
            content: self.content,
            output: self.output,
            base_url,
            drafts: self.drafts,
            no_cache: self.no_cache,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from the journal (into ROOT/public unless --output says otherwise).
    Build {
        #[command(flatten)]
        journal: Journal,
        /// The URL the site is published at, e.g. https://user.github.io/til/
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Build, serve and rebuild on every save, reloading the open page (the site is written to a
    /// temporary folder unless --output says otherwise).
    Serve {
        #[command(flatten)]
        journal: Journal,
        /// The port to listen on (0: any free port) [default: 1111, or a free one if it is taken].
        #[arg(long, short)]
        port: Option<u16>,
        /// The address to listen on; loopback unless you say otherwise.
        #[arg(long, short, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Milliseconds a file must stay unchanged before its save counts.
        #[arg(long, default_value_t = 10)]
        debounce: u64,
    },
    /// Start a journal here (or in DIR), or fit haru to the TIL repository already here: in a
    /// folder with notes only haru.toml is written.
    Init {
        /// The journal's folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Have the Pages workflow install haru from this git repository (at this version's
        /// tag) instead of crates.io: for a fork.
        #[arg(long, value_name = "GIT_URL")]
        haru_source: Option<String>,
    },
    /// Start an entry (today's by default) where the journal keeps entries; prints its path.
    New {
        /// `today`, `yesterday` or `2026-01-30`.
        #[arg(default_value = "today")]
        date: String,
        /// Put it in this topic folder.
        #[arg(long)]
        topic: Option<String>,
        /// The journal's root folder (where haru.toml is).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Find what readers would trip over: dates, template leftovers, broken links and anchors,
    /// missing images, markdown GitHub renders unlike haru, and every build problem.
    Check {
        /// Files or folders to report on (default: the whole journal).
        paths: Vec<PathBuf>,
        /// The journal's root folder (where haru.toml is).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `human` (with the source line and a marker) or `json`.
        #[arg(long, default_value = "human")]
        format: Format,
        /// `--deny warnings`: exit 1 on warnings too.
        #[arg(long, value_name = "warnings")]
        deny: Option<Deny>,
        /// Only this rule's findings (repeatable), notes included: `--rule list-indent`.
        #[arg(long = "rule", value_name = "RULE", value_parser = haru::check::rule_named)]
        rules: Vec<haru::check::Rule>,
        /// Leave this rule's findings out (repeatable); `[check] skip = [...]` in haru.toml
        /// does the same for every run.
        #[arg(long, value_name = "RULE", value_parser = haru::check::rule_named)]
        skip: Vec<haru::check::Rule>,
        /// Notes too: what haru already shows as meant but GitHub would not, and style.
        #[arg(long)]
        all: bool,
        /// Also ask the servers of http(s) links whether their pages are there.
        #[arg(long)]
        external: bool,
        /// With --external: seconds one request may take.
        #[arg(long, default_value_t = 10)]
        timeout: u64,
        /// With --external: requests to one host at a time.
        #[arg(long, default_value_t = 2)]
        per_host: usize,
    },
    /// Print each file's parsed entry as JSON: the data templates receive.
    Inspect {
        /// The journal's root folder (where haru.toml is).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build { journal, base_url } => build(journal.options(base_url)),
        Command::Serve {
            journal,
            port,
            interface,
            open,
            debounce,
        } => serve(
            haru::serve::ServeOptions {
                build: journal.options(None),
                interface,
                port: port.unwrap_or(1111),
                any_port_if_busy: port.is_none(),
                debounce: std::time::Duration::from_millis(debounce),
            },
            open,
        ),
        Command::Init { dir, haru_source } => init(&dir, haru_source),
        Command::New { date, topic, root } => new(&haru::new::NewOptions {
            root: &root,
            date: &date,
            topic: topic.as_deref(),
            today: jiff::ZonedDateTime::now().date(),
        }),
        Command::Check {
            paths,
            root,
            format,
            deny,
            rules,
            skip,
            all,
            external,
            timeout,
            per_host,
        } => check(
            &haru::check::CheckOptions {
                root: &root,
                paths: &paths,
                external: external.then_some(haru::check::External {
                    timeout: std::time::Duration::from_secs(timeout),
                    per_host,
                }),
                selection: haru::check::Selection {
                    only: rules,
                    skip,
                    notes: all,
                },
            },
            format,
            deny.is_some(),
        ),
        Command::Inspect { root, files } => inspect(&root, &files),
    }
}

fn build(options: haru::BuildOptions) -> ExitCode {
    let mut engine = haru::engine::Engine::new(&options);
    let result = engine.build();
    // The process ends here: freeing the model of a large journal piece by piece
    // would only add time (0.3 s at 10,000 entries).
    std::mem::forget(engine);
    match result {
        Ok(report) => {
            eprint!("{}", report.warnings);
            let (entries, notes, output) = (report.entries, report.notes, report.output.display());
            let milliseconds = report.elapsed.as_millis();
            eprintln!(
                "{}",
                match report.language {
                    Language::Ko => format!(
                        "기록 {entries}개와 노트 {notes}개를 {output}에 {milliseconds} ms 만에 만들었습니다"
                    ),
                    Language::En => format!(
                        "built {entries} entries and {notes} notes into {output} in {milliseconds} ms"
                    ),
                }
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            let errors = diagnostics.errors().count();
            eprintln!(
                "{}",
                match diagnostics.language() {
                    Language::Ko =>
                        format!("빌드 실패: 오류 {errors}개. 이전 결과물은 그대로 두었습니다"),
                    Language::En => format!(
                        "build failed: {errors} error(s); the previous output was left as it was"
                    ),
                }
            );
            ExitCode::FAILURE
        }
    }
}

fn serve(options: haru::serve::ServeOptions, open: bool) -> ExitCode {
    match haru::serve::Server::start(&options) {
        Ok(server) => {
            let report = server.first_build();
            eprint!("{}", report.warnings);
            let (entries, notes) = (report.entries, report.notes);
            let (milliseconds, url) = (report.elapsed.as_millis(), server.url());
            match report.language {
                Language::Ko => {
                    eprintln!(
                        "기록 {entries}개와 노트 {notes}개를 {milliseconds} ms 만에 만들었습니다"
                    );
                    eprintln!("{url} 에서 보여 주는 중 (멈추려면 Ctrl-C)");
                }
                Language::En => {
                    eprintln!("built {entries} entries and {notes} notes in {milliseconds} ms");
                    eprintln!("serving at {url} (Ctrl-C to stop)");
                }
            }
            if open && let Err(error) = open::that_detached(server.url()) {
                eprintln!("cannot open a browser: {error}");
            }
            server.wait_for_interrupt();
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprint!("{error}");
            match &error {
                haru::serve::ServeError::Io(_) => eprintln!(),
                haru::serve::ServeError::Build(diagnostics) => match diagnostics.language() {
                    Language::Ko => eprintln!(
                        "첫 빌드에 실패했습니다: 위 오류를 고치고 haru serve를 다시 실행하세요"
                    ),
                    Language::En => eprintln!(
                        "the first build failed: fix the errors above and run haru serve again"
                    ),
                },
            }
            ExitCode::FAILURE
        }
    }
}

fn init(dir: &std::path::Path, haru_source: Option<String>) -> ExitCode {
    let options = haru::init::InitOptions {
        dir,
        today: jiff::ZonedDateTime::now().date(),
        install: match haru_source.as_deref() {
            Some(source) => haru::init::HaruInstall::Git(source),
            None => haru::init::HaruInstall::Registry,
        },
    };
    match haru::init::init(&options) {
        Ok(done) => {
            print_initialized(&done);
            ExitCode::SUCCESS
        }
        Err(mut diagnostic) => {
            diagnostic.localize(Language::default());
            eprintln!("{diagnostic}");
            ExitCode::FAILURE
        }
    }
}

/// What `haru init` did, in Korean: the journal it writes is Korean until told otherwise.
fn print_initialized(done: &haru::init::Initialized) {
    use haru::init::{Initialized, Workflow};
    let print_workflow = |workflow: &Workflow| match workflow {
        Workflow::Written(path) => println!("{}을(를) 썼습니다", path.display()),
        Workflow::Kept(path) => println!(
            "{}은(는) 그대로 두었습니다: haru로 게시하려면 지우고 haru init을 다시 실행하세요",
            path.display()
        ),
    };
    let print_base_url = |base_url: &str| {
        println!("  base_url    {base_url}");
        if base_url == haru::init::WITHOUT_REMOTE {
            println!(
                "  GitHub 원격 저장소가 없습니다: Pages 워크플로는 GitHub가 알려 주는 주소로 빌드합니다. \
                 다른 곳의 피드와 공유 링크에도 전체 주소를 쓰려면 haru.toml에 \
                 base_url = \"https://USER.github.io/REPO/\"를 적으세요"
            );
        }
    };
    match done {
        Initialized::New {
            written,
            base_url,
            workflow,
        } => {
            for path in written {
                println!("{}을(를) 썼습니다", path.display());
            }
            print_workflow(workflow);
            print_base_url(base_url);
            println!(
                "새 일지입니다: {}에 쓰고 haru serve를 실행하세요",
                written
                    .last()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            );
        }
        Initialized::Adopted {
            config,
            content_dir,
            title,
            base_url,
            notes,
            dated,
            workflow,
        } => {
            println!("{}을(를) 썼습니다", config.display());
            print_workflow(workflow);
            println!("  title       {title}");
            println!(
                "  content_dir {content_dir} (마크다운 파일 {notes}개, 날짜 있는 것 {dated}개)"
            );
            print_base_url(base_url);
            println!(
                "다른 것은 바꾸지 않았습니다. 다음: haru serve로 살펴보세요. .gitignore에 /public을 더하세요"
            );
        }
        Initialized::WorkflowAdded { workflow } => {
            println!("{}만 썼습니다", workflow.display());
        }
    }
    println!(
        "게시하려면: main에 커밋하고 push한 뒤, GitHub의 Settings → Pages → Source를 GitHub Actions로 고르세요"
    );
}

fn new(options: &haru::new::NewOptions) -> ExitCode {
    match haru::new::new_entry(options) {
        // Only the path on stdout, so `vim $(haru new)` works.
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(diagnostic) => {
            eprintln!("{diagnostic}");
            ExitCode::FAILURE
        }
    }
}

fn check(options: &haru::check::CheckOptions, format: Format, deny_warnings: bool) -> ExitCode {
    use haru::check::Level;
    let report = match haru::check::check(options) {
        Ok(report) => report,
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            return ExitCode::FAILURE;
        }
    };
    let count = |level: Level| report.findings.iter().filter(|f| f.level == level).count();
    match format {
        Format::Json => answer(&format!("{}\n", haru::check::json(&report.findings))),
        Format::Human => {
            use std::io::IsTerminal;
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            answer(&format!(
                "{}{}",
                haru::check::render(&report.findings, report.language, colour),
                haru::check::summary(&report)
            ));
        }
    }
    if count(Level::Error) > 0 || (deny_warnings && count(Level::Warning) > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes a command's answer to standard output. A reader that stops early (`| head`) is not
/// an error: the command ends quietly instead of panicking on the closed pipe.
fn answer(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("cannot write the answer: {error}");
        std::process::exit(1);
    }
}

fn inspect(root: &std::path::Path, files: &[PathBuf]) -> ExitCode {
    match haru::inspect(root, files) {
        Ok(values) => {
            // Always a list, one value a file named, so scripts read one shape.
            let json = serde_json::Value::Array(values);
            answer(&format!(
                "{}\n",
                serde_json::to_string_pretty(&json).expect("JSON")
            ));
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            ExitCode::FAILURE
        }
    }
}
