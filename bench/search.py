#!/usr/bin/env python3
"""Search benchmark: haru's index against Pagefind's on the same built site, in Chromium.

Builds ../shared/bench/gen_corpus.py journals (haru flavour) with the release haru, runs
Pagefind (pip `pagefind-bin`, installed when missing) over the same output, restricted to the
entry pages haru indexes, and serves the folder over loopback with Python's http.server (no
compression: bytes are file bytes). Then, for each query, a fresh headless Chromium (Debian's
`chromium` + `chromium-driver`, new profile, empty cache) opens a blank page of the site and
runs the query the way each search box does:

  haru      window.haruSearch(query, 10): meta file, the chunks of the query's terms, and the
            text files of the results shown (checked and quoted from them)
  Pagefind  pagefind.search(query), then .data() of the first 10 results (what its UI shows)

and records the bytes the server sent for it (search code and index files, Pagefind's worker
and WebAssembly included) and the wall time of that first query (code loading included), then the same query again (index files cached: the time of the search itself).

    python3 bench/search.py [--sizes 1000 10000] [--work /tmp/haru-bench]
"""

import argparse
import http.server
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GENERATOR = os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

QUERIES = ["서버리스", "엔드포인트", "재시도 정책", "cloudf", "SQS", "Simple Queue", "ㅇㅋㅅ", "없는낱말"]

BENCH_PAGE = """<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>bench</title></head>
<body></body></html>
"""


def pagefind_binary():
    import importlib.util
    spec = importlib.util.find_spec("pagefind_bin")
    if spec is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pagefind-bin==1.5.2"], check=True)
        spec = importlib.util.find_spec("pagefind_bin")
    return os.path.join(list(spec.submodule_search_locations)[0], "pagefind")


def corpus(work, size):
    path = os.path.join(work, f"haru-{size}")
    if not os.path.isdir(path):
        subprocess.run([sys.executable, GENERATOR, "--entries", str(size), "--flavor", "haru",
                        "--out", path, "--seed", "42"], check=True, stdout=subprocess.DEVNULL)
    return path


def folder_size(path):
    total, files = 0, 0
    for folder, _, names in os.walk(path):
        for name in names:
            total += os.path.getsize(os.path.join(folder, name))
            files += 1
    return total, files


def timed(command):
    started = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


SENT = []  # (path, bytes) of every file served: what a query fetched, workers included
SENT_LOCK = threading.Lock()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def copyfile(self, source, destination):
        before = source.tell()
        super().copyfile(source, destination)
        with SENT_LOCK:
            SENT.append((self.path, source.tell() - before))


def serve(folder):
    handler = lambda *a, **k: Quiet(*a, directory=folder, **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Chromium:
    """A fresh headless Chromium over WebDriver: new profile, nothing cached."""

    def __init__(self, port):
        self.port = port
        self.profile = tempfile.mkdtemp()
        options = {"binary": CHROMIUM, "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            f"--user-data-dir={self.profile}"]}
        answer = self.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options}}})
        self.session = answer["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data,
                                         method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            value = json.loads(response.read())["value"]
        if isinstance(value, dict) and "error" in value:
            raise RuntimeError(value)
        return value

    def goto(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def run_async(self, script):
        return self.call("POST", f"/session/{self.session}/execute/async", {"script": script, "args": []})

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


HARU_QUERY = """
const [query, done] = [%s, arguments[arguments.length - 1]];
let started = performance.now();
new Promise((resolve, reject) => {
  const script = document.createElement('script');
  script.src = '/static/search.js'; script.dataset.base = '/';
  script.onload = resolve; script.onerror = reject; document.head.append(script);
}).then(() => window.haruSearch(query, 10)).then(first => {
  const cold = performance.now() - started;
  started = performance.now();
  return window.haruSearch(query, 10).then(() => {
    done({results: first.total, cold, warm: performance.now() - started,
          top: first.slice(0, 3).map(r => r.title + ' | ' + (r.heading || ''))});
  });
}).catch(error => done({error: String(error)}));
"""

PAGEFIND_QUERY = """
const [query, done] = [%s, arguments[arguments.length - 1]];
(async () => {
  let started = performance.now();
  const pagefind = await import('/pagefind/pagefind.js');
  await pagefind.init();
  let found = await pagefind.search(query);
  let shown = await Promise.all(found.results.slice(0, 10).map(r => r.data()));
  const cold = performance.now() - started;
  started = performance.now();
  found = await pagefind.search(query);
  await Promise.all(found.results.slice(0, 10).map(r => r.data()));
  done({results: found.results.length, cold, warm: performance.now() - started,
        top: shown.slice(0, 3).map(d => d.meta.title)});
})().catch(error => done({error: String(error)}));
"""


def measure(driver_port, site_url, script, query, prefixes):
    """Runs one query in a fresh browser; `bytes` is what the server sent under `prefixes`."""
    browser = Chromium(driver_port)
    try:
        browser.goto(f"{site_url}/__bench.html")
        browser.call("POST", f"/session/{browser.session}/timeouts", {"script": 120000})
        with SENT_LOCK:
            SENT.clear()
        result = browser.run_async(script % json.dumps(query))
        with SENT_LOCK:
            result["bytes"] = sum(size for path, size in SENT if path.startswith(prefixes))
            result["files"] = sum(1 for path, _ in SENT if path.startswith(prefixes))
        return result
    finally:
        browser.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "haru-bench"))
    parser.add_argument("--queries", nargs="+", default=QUERIES)
    args = parser.parse_args()
    if not os.path.exists(GENERATOR):
        sys.exit(f"needs ../shared/bench/gen_corpus.py ({GENERATOR})")
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(tool):
            sys.exit(f"needs {tool} (apt-get install chromium chromium-driver)")
    os.makedirs(args.work, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    haru = os.path.join(REPO, "target", "release", "haru")
    pagefind = pagefind_binary()

    port = free_port()
    driver = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for size in args.sizes:
            journal = corpus(args.work, size)
            site = os.path.join(args.work, f"search-site-{size}")
            shutil.rmtree(site, ignore_errors=True)
            haru_time = timed([haru, "build", "--root", journal, "--output", site])
            # The entry pages, the pages haru's index holds.
            pagefind_time = timed([pagefind, "--site", site, "--glob", "[0-9][0-9][0-9][0-9]-*/index.html"])
            with open(os.path.join(site, "__bench.html"), "w", encoding="utf-8") as page:
                page.write(BENCH_PAGE)
            haru_bytes, haru_files = folder_size(os.path.join(site, "search"))
            pagefind_bytes, pagefind_files = folder_size(os.path.join(site, "pagefind"))
            print(f"\n{size} entries")
            print(f"  haru build (whole site, index included): {haru_time:.2f} s; "
                  f"index {haru_bytes / 1e6:.1f} MB in {haru_files} files")
            print(f"  Pagefind (index only, entry pages): {pagefind_time:.2f} s; "
                  f"index {pagefind_bytes / 1e6:.1f} MB in {pagefind_files} files")
            server = serve(site)
            url = f"http://127.0.0.1:{server.server_address[1]}"
            rows = []
            try:
                for query in args.queries:
                    haru_result = measure(port, url, HARU_QUERY, query, ("/search/", "/static/search.js"))
                    pagefind_result = measure(port, url, PAGEFIND_QUERY, query, ("/pagefind/",))
                    rows.append((query, haru_result, pagefind_result))
            finally:
                server.shutdown()
            print(f"  {'query':<14} {'haru: results  KB fetched  first ms  again ms':<46} "
                  f"{'Pagefind: results  KB fetched  first ms  again ms'}")
            for query, mine, theirs in rows:
                def cells(result):
                    if "error" in result:
                        return f"error {result['error'][:40]}"
                    return (f"{result['results']:>8} {result['bytes'] / 1000:>11.0f} "
                            f"{result['cold']:>9.0f} {result['warm']:>9.1f}")
                print(f"  {query:<14} {cells(mine):<46} {cells(theirs)}")
            for label, index in (("haru", 1), ("Pagefind", 2)):
                good = [row[index] for row in rows if "error" not in row[index]]
                if good:
                    print(f"  {label}: median first query {statistics.median(r['cold'] for r in good):.0f} ms, "
                          f"{statistics.median(r['bytes'] for r in good) / 1000:.0f} KB fetched "
                          f"(max {max(r['bytes'] for r in good) / 1000:.0f} KB); "
                          f"median again {statistics.median(r['warm'] for r in good):.1f} ms")
            for query, mine, theirs in rows:
                print(f"  top results for {query}: haru {mine.get('top')} / Pagefind {theirs.get('top')}")
    finally:
        driver.kill()


if __name__ == "__main__":
    main()
