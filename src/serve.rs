//! `haru serve`: the built site over HTTP while the journal is being written.
//!
//! The site is built by the same `Engine` as `haru build`, into an output folder of its own
//! (a temporary one unless `--output` says otherwise, so `public/` is never a preview). The
//! server only reads that folder: every file a build changes is renamed into place whole, so a
//! request sees the old page or the new one. Pages are served under the site's base path, as
//! GitHub Pages will; HTML responses get a small script that listens on Server-Sent Events and
//! reloads the page after a rebuild (keeping its scroll position) or shows the build's errors
//! over the page. The files on disk stay byte for byte what `haru build` writes.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::{oneshot, watch};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::engine::BuildReport;
use crate::engine::Engine;
use crate::journal::BuildOptions;
use crate::watch::{Change, Status, Watcher};

/// What `haru serve` is asked to do.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub interface: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Take any free port when `port` is in use (the port was not asked for by name).
    pub any_port_if_busy: bool,
    /// How long a file must be quiet before its save counts.
    pub debounce: Duration,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            build: BuildOptions::default(),
            interface: IpAddr::from([127, 0, 0, 1]),
            port: 1111,
            any_port_if_busy: false,
            debounce: Duration::from_millis(10),
        }
    }
}

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The first build failed: there is no site to serve yet.
    Build(Diagnostics),
    /// The address could not be bound, or the journal not watched.
    Io(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Build(diagnostics) => write!(f, "{diagnostics}"),
            ServeError::Io(message) => write!(f, "error: {message}"),
        }
    }
}

/// Without an output folder, the site is served from a temporary one, removed on stop.
fn temporary_output(build: &mut BuildOptions) -> Result<Option<tempfile::TempDir>, ServeError> {
    if build.output.is_some() {
        return Ok(None);
    }
    let temporary = tempfile::Builder::new()
        .prefix("haru-serve-")
        .tempdir()
        .map_err(|error| ServeError::Io(format!("cannot make a folder: {error}")))?;
    build.output = Some(temporary.path().join("site"));
    Ok(Some(temporary))
}

/// Binds the port asked for, or any free one if it is busy and that is allowed.
fn listen(
    runtime: &tokio::runtime::Runtime,
    options: &ServeOptions,
) -> Result<tokio::net::TcpListener, ServeError> {
    let bind =
        |port: u16| runtime.block_on(tokio::net::TcpListener::bind((options.interface, port)));
    match bind(options.port) {
        Err(error) if error.kind() == std::io::ErrorKind::AddrInUse && options.any_port_if_busy => {
            bind(0)
        }
        other => other,
    }
    .map_err(|error| {
        ServeError::Io(format!(
            "cannot listen on {}:{}: {error}",
            options.interface, options.port
        ))
    })
}

/// What the builder thread needs besides the engine and watcher: the changes to wait for,
/// how long a file must hold still, and where to tell the pages of each rebuild.
struct Rebuilds {
    received: mpsc::Receiver<Change>,
    quiet: Duration,
    status: watch::Sender<Status>,
    /// This run of the server, the first half of every generation.
    run: u128,
}

/// The builder thread: rebuilds on every change, prints the outcome and publishes it to the
/// open pages (a new generation on success; the errors, over the last good site, on failure).
fn spawn_builder(
    engine: Engine,
    watcher: Watcher,
    rebuilds: Rebuilds,
) -> Result<std::thread::JoinHandle<()>, ServeError> {
    let Rebuilds {
        received,
        quiet,
        status,
        run,
    } = rebuilds;
    std::thread::Builder::new()
        .name("haru-builder".into())
        .spawn(move || {
            let mut count = 0u64;
            crate::watch::run(engine, watcher, received, quiet, |engine, result, took| {
                let base_path = engine.base_path().unwrap_or_else(|| "/".into());
                match result {
                    Ok(report) => {
                        count += 1;
                        eprint!("{}", report.warnings);
                        let (written, milliseconds) = (report.written, took.as_millis());
                        match report.language {
                            crate::Language::Ko => eprintln!(
                                "다시 만들었습니다: 페이지와 파일 {written}개를 {milliseconds} ms 만에 썼습니다"
                            ),
                            crate::Language::En => eprintln!(
                                "rebuilt: {written} page(s) and file(s) written in {milliseconds} ms"
                            ),
                        }
                        status.send_replace(Status {
                            generation: format!("{run:x}-{count}"),
                            base_path,
                            errors: None,
                        });
                    }
                    Err(diagnostics) => {
                        eprint!("{diagnostics}");
                        eprintln!(
                            "rebuild failed: {} error(s); still serving the last good site",
                            diagnostics.errors().count()
                        );
                        let generation = status.borrow().generation.clone();
                        status.send_replace(Status {
                            generation,
                            base_path,
                            errors: Some(diagnostics),
                        });
                    }
                }
            });
            // Dropping `status` ends the event streams, so the HTTP side can stop.
        })
        .map_err(|error| ServeError::Io(format!("cannot start the builder: {error}")))
}

/// Serves the output and the reload events on the runtime until the returned sender fires.
fn serve_http(
    runtime: &tokio::runtime::Runtime,
    listener: tokio::net::TcpListener,
    shared: Shared,
    interface: IpAddr,
) -> oneshot::Sender<()> {
    let guard = Arc::new(HostGuard { interface });
    let router = Router::new()
        .route("/__haru/events", get(events))
        .fallback(file)
        .with_state(shared)
        .layer(axum::middleware::from_fn_with_state(guard, guard_hosts));
    let (shutdown, stopped) = oneshot::channel::<()>();
    runtime.spawn(async move {
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    shutdown
}

/// A running server: the HTTP side on a tokio runtime, the builder on a thread of its own.
pub struct Server {
    address: SocketAddr,
    base_path: String,
    output: PathBuf,
    first: BuildReport,
    changes: mpsc::Sender<Change>,
    shutdown: Option<oneshot::Sender<()>>,
    builder: Option<std::thread::JoinHandle<()>>,
    runtime: Option<tokio::runtime::Runtime>,
    /// Removed when the server stops, if the output is a temporary folder.
    _temporary: Option<tempfile::TempDir>,
}

impl Server {
    /// Builds the site, starts watching and serving, and returns once requests are answered.
    pub fn start(options: &ServeOptions) -> Result<Server, ServeError> {
        let mut build = options.build.clone();
        let temporary = temporary_output(&mut build)?;
        // Listen first: a busy port is told at once, not after the first build.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|error| ServeError::Io(format!("cannot start the server: {error}")))?;
        let listener = listen(&runtime, options)?;

        let mut engine = Engine::new(&build);
        let first = engine.build().map_err(ServeError::Build)?;
        let output = engine
            .output()
            .canonicalize()
            .map_err(|error| ServeError::Io(format!("the output folder: {error}")))?;
        let base_path = engine.base_path().unwrap_or_else(|| "/".into());

        let (changes, received) = mpsc::channel();
        let watching = |error: notify_debouncer_full::notify::Error| {
            ServeError::Io(format!("cannot watch the journal: {error}"))
        };
        let mut watcher = Watcher::new(options.debounce, changes.clone()).map_err(watching)?;
        watcher.follow(&engine).map_err(watching)?;

        // A generation differs between two runs of the server, so an open page reloads after
        // a restart too.
        let run = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |time| time.as_millis());
        let (status, status_receiver) = watch::channel(Status {
            generation: format!("{run:x}-0"),
            base_path: base_path.clone(),
            errors: None,
        });
        let rebuilds = Rebuilds {
            received,
            quiet: options.debounce / 2,
            status,
            run,
        };
        let builder = spawn_builder(engine, watcher, rebuilds)?;

        let address = listener
            .local_addr()
            .map_err(|error| ServeError::Io(error.to_string()))?;
        let shared = Shared {
            output: Arc::new(output),
            status: status_receiver,
        };
        let shutdown = serve_http(&runtime, listener, shared, options.interface);
        Ok(Server {
            address,
            base_path,
            output: build.output.unwrap_or_default(),
            first,
            changes,
            shutdown: Some(shutdown),
            builder: Some(builder),
            runtime: Some(runtime),
            _temporary: temporary,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The site's home page as served, e.g. `http://127.0.0.1:1111/til/`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.address, self.base_path)
    }

    /// Where the served site is written.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// The first build's report.
    pub fn first_build(&self) -> &BuildReport {
        &self.first
    }

    /// Serves until Ctrl-C (or, on Unix, a TERM signal), then stops cleanly so a temporary
    /// output is removed.
    pub fn wait_for_interrupt(self) {
        if let Some(runtime) = &self.runtime {
            runtime.block_on(async {
                #[cfg(unix)]
                {
                    use tokio::signal::unix::{SignalKind, signal};
                    match signal(SignalKind::terminate()) {
                        Ok(mut terminate) => {
                            tokio::select! {
                                _ = tokio::signal::ctrl_c() => {}
                                _ = terminate.recv() => {}
                            }
                        }
                        Err(_) => {
                            let _ = tokio::signal::ctrl_c().await;
                        }
                    }
                }
                #[cfg(not(unix))]
                {
                    let _ = tokio::signal::ctrl_c().await;
                }
            });
        }
        self.stop();
    }

    /// Stops watching and serving, and removes a temporary output.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        let _ = self.changes.send(Change::Stop);
        if let Some(builder) = self.builder.take() {
            let _ = builder.join();
        }
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(2));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Which `Host` and `Origin` a request may name. A page on `evil.example` whose name is made to
/// resolve to 127.0.0.1 (DNS rebinding) must not read the preview or its event stream: only
/// the loopback names and IP addresses (the interface's, or any when serving on all) pass.
struct HostGuard {
    interface: IpAddr,
}

impl HostGuard {
    /// `localhost:1111`, `127.0.0.1:1111`, `[::1]:1111`, the interface's address.
    fn allows(&self, authority: &str) -> bool {
        let host = match authority.strip_prefix('[') {
            Some(rest) => rest.split_once(']').map_or("", |(host, _)| host),
            None => authority
                .rsplit_once(':')
                .map_or(authority, |(host, port)| {
                    if port.bytes().all(|b| b.is_ascii_digit()) {
                        host
                    } else {
                        authority
                    }
                }),
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if host == "localhost" || host.ends_with(".localhost") {
            return true;
        }
        match host.parse::<IpAddr>() {
            Ok(address) => {
                address.is_loopback()
                    || address == self.interface
                    || self.interface.is_unspecified()
            }
            Err(_) => false,
        }
    }
}

/// Refuses requests for another host (421) or from another site's page (403), and marks every
/// response `nosniff` so a journal's file is never run as something it does not say it is.
async fn guard_hosts(
    State(guard): State<Arc<HostGuard>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .or_else(|| {
            request
                .uri()
                .authority()
                .map(|authority| authority.as_str())
        });
    let origin = headers
        .get(header::ORIGIN)
        .map(|value| value.to_str().unwrap_or("null"));
    let mut response = if !host.is_some_and(|host| guard.allows(host)) {
        (
            StatusCode::MISDIRECTED_REQUEST,
            "haru serve answers only to localhost",
        )
            .into_response()
    } else if let Some(origin) = origin
        && !origin
            .strip_prefix("http://")
            .is_some_and(|authority| guard.allows(authority))
    {
        (
            StatusCode::FORBIDDEN,
            "haru serve answers only its own pages",
        )
            .into_response()
    } else {
        next.run(request).await
    };
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[derive(Clone)]
struct Shared {
    /// The output folder, canonical: a file is served only if it resolves inside.
    output: Arc<PathBuf>,
    status: watch::Receiver<Status>,
}

/// The build state as the page script reads it.
fn state_json(status: &Status) -> String {
    let errors: Vec<serde_json::Value> = status
        .errors
        .iter()
        .flat_map(|diagnostics| diagnostics.errors())
        .map(|diagnostic: &Diagnostic| {
            let place = match (&diagnostic.path, diagnostic.line) {
                (Some(path), Some(line)) => format!("{}:{line}", path.display()),
                (Some(path), None) => path.display().to_string(),
                (None, _) => String::new(),
            };
            serde_json::json!({
                "place": place,
                "message": diagnostic.message,
                "hint": diagnostic.hint,
            })
        })
        .collect();
    serde_json::json!({ "generation": status.generation, "errors": errors }).to_string()
}

/// Server-Sent Events: the state now, then after every build. Ends when the server stops.
async fn events(State(shared): State<Shared>) -> impl IntoResponse {
    let mut status = shared.status.clone();
    status.mark_changed();
    let stream = futures_util::stream::unfold(status, |mut status| async move {
        status.changed().await.ok()?;
        let data = state_json(&status.borrow_and_update());
        let event = Event::default()
            .event("state")
            .retry(Duration::from_millis(500))
            .data(data);
        Some((Ok::<Event, Infallible>(event), status))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Where a request path leads, decided from the text alone.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A file or folder relative to the output; `folder` when the path ended in `/`.
    Path {
        relative: PathBuf,
        folder: bool,
    },
    Redirect(String),
    NotFound,
    /// `..`, an encoded slash or backslash, a NUL, invalid UTF-8: never a file.
    Refused,
}

fn target(base_path: &str, path: &str) -> Target {
    if path.len() + 1 == base_path.len() && base_path.starts_with(path) {
        // `/til` → `/til/`
        return Target::Redirect(base_path.to_string());
    }
    let Some(rest) = path.strip_prefix(base_path) else {
        return if path == "/" {
            Target::Redirect(base_path.to_string())
        } else {
            Target::NotFound
        };
    };
    let mut relative = PathBuf::new();
    for raw in rest.split('/') {
        let Ok(segment) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
            return Target::Refused;
        };
        if segment.is_empty() {
            continue;
        }
        if segment == "."
            || segment == ".."
            || segment.contains(['/', '\\', '\0'])
            || (cfg!(windows) && segment.contains(':'))
        {
            return Target::Refused;
        }
        relative.push(segment.as_ref());
    }
    Target::Path {
        relative,
        folder: rest.is_empty() || rest.ends_with('/'),
    }
}

async fn file(State(shared): State<Shared>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let status = shared.status.borrow().clone();
    let path = uri.path();
    let (relative, folder) = match target(&status.base_path, path) {
        Target::Path { relative, folder } => (relative, folder),
        Target::Redirect(to) => return redirect(&to),
        Target::NotFound => return not_found(&shared, &status).await,
        Target::Refused => return (StatusCode::BAD_REQUEST, "bad path").into_response(),
    };
    let mut full = shared.output.join(&relative);
    if full.is_dir() {
        if !folder {
            return redirect(&format!("{path}/"));
        }
        full.push("index.html");
    }
    // The file must be inside the output once links are followed.
    let Some(full) = tokio::fs::canonicalize(&full)
        .await
        .ok()
        .filter(|resolved| resolved.starts_with(shared.output.as_path()))
    else {
        return not_found(&shared, &status).await;
    };
    match tokio::fs::read(&full).await {
        Ok(bytes) => respond(StatusCode::OK, &full, bytes, &status),
        Err(_) => not_found(&shared, &status).await,
    }
}

async fn not_found(shared: &Shared, status: &Status) -> Response {
    let page = shared.output.join("404.html");
    let bytes = tokio::fs::read(&page)
        .await
        .unwrap_or_else(|_| b"<!doctype html><title>404</title><body></body>".to_vec());
    respond(StatusCode::NOT_FOUND, &page, bytes, status)
}

fn redirect(to: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn respond(code: StatusCode, path: &Path, mut bytes: Vec<u8>, status: &Status) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let html = mime.essence_str() == "text/html";
    if html {
        bytes = inject(bytes, &status.generation);
    }
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = code;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The live-reload script, with the generation the page was served from.
const LIVE_SCRIPT: &str = include_str!("serve.js");

fn inject(bytes: Vec<u8>, generation: &str) -> Vec<u8> {
    let script =
        format!("<script>window.__haruGeneration = \"{generation}\";\n{LIVE_SCRIPT}</script>\n");
    let at = bytes
        .windows(7)
        .rposition(|window| window.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(bytes.len());
    let mut injected = Vec::with_capacity(bytes.len() + script.len());
    injected.extend_from_slice(&bytes[..at]);
    injected.extend_from_slice(script.as_bytes());
    injected.extend_from_slice(&bytes[at..]);
    injected
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(relative: &str, folder: bool) -> Target {
        Target::Path {
            relative: PathBuf::from(relative),
            folder,
        }
    }

    #[test]
    fn pages_are_found_under_the_base_path() {
        assert_eq!(target("/", "/"), path("", true));
        assert_eq!(
            target("/", "/2026-03/2026-03-04/"),
            path("2026-03/2026-03-04", true)
        );
        assert_eq!(target("/til/", "/til/atom.xml"), path("atom.xml", false));
        assert_eq!(
            target("/til/", "/til/tags/%EB%B2%84%ED%82%B7/"),
            path("tags/버킷", true)
        );
        assert_eq!(target("/til/", "/"), Target::Redirect("/til/".into()));
        assert_eq!(target("/til/", "/til"), Target::Redirect("/til/".into()));
        assert_eq!(target("/til/", "/other/"), Target::NotFound);
    }

    #[test]
    fn paths_that_climb_out_are_refused() {
        for attack in [
            "/..",
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/a/%2e%2e%2f%2e%2e%2fetc/passwd",
            "/..%2fetc%2fpasswd",
            "/%2fetc%2fpasswd",
            "/..%5c..%5cetc%5cpasswd",
            "/a%00.html",
            "/%ff%fe",
            "/./index.html",
        ] {
            assert_eq!(target("/", attack), Target::Refused, "{attack}");
        }
        // An absolute path in the request is just folders under the output.
        assert_eq!(target("/", "//etc/passwd"), path("etc/passwd", false));
    }

    #[test]
    fn only_loopback_hosts_and_the_interface_pass() {
        let loopback = HostGuard {
            interface: IpAddr::from([127, 0, 0, 1]),
        };
        for host in [
            "localhost:1111",
            "LOCALHOST",
            "127.0.0.1:1111",
            "127.1.2.3",
            "[::1]:1111",
            "app.localhost:80",
            "localhost.",
        ] {
            assert!(loopback.allows(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "192.168.0.5:1111",
            "",
            "[::1",
        ] {
            assert!(!loopback.allows(host), "{host}");
        }
        let lan = HostGuard {
            interface: IpAddr::from([192, 168, 0, 5]),
        };
        assert!(lan.allows("192.168.0.5:1111"));
        assert!(!lan.allows("192.168.0.6:1111"));
        assert!(!lan.allows("evil.example"));
        let all = HostGuard {
            interface: IpAddr::from([0, 0, 0, 0]),
        };
        assert!(all.allows("10.0.0.7:1111"));
        assert!(!all.allows("evil.example"));
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = b"<html><body><p>x</p></BODY></html>".to_vec();
        let injected = String::from_utf8(inject(page, "g1")).unwrap();
        let script = injected.find("<script>").unwrap();
        assert!(script < injected.find("</BODY>").unwrap());
        assert!(injected.contains("window.__haruGeneration = \"g1\""));
        assert!(injected.starts_with("<html><body><p>x</p>"));
    }
}
