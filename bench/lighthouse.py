#!/usr/bin/env python3
"""Lighthouse on a built journal: home and one entry page, mobile and desktop.

Builds the journal (the sample in content/ by default) with a release haru, serves the output
as GitHub Pages would (a plain static server on loopback, under the base URL's path), runs
npm's `lighthouse` with Debian's Chromium and prints each category's score and every audit
that is not passed. With --require, exits 1 unless SEO and Best Practices are 100 on every
page and form factor.

    npm install --prefix bench/.lighthouse lighthouse@12     # once
    python3 bench/lighthouse.py [--root DIR] [--base /til/] [--require]
"""

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CATEGORIES = ["seo", "best-practices", "accessibility", "performance"]
REQUIRED = ["seo", "best-practices"]
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")


def lighthouse_command(given):
    if given:
        return [given]
    local = os.path.join(HERE, ".lighthouse", "node_modules", ".bin", "lighthouse")
    if os.path.exists(local):
        return [local]
    sys.exit("no lighthouse: npm install --prefix bench/.lighthouse lighthouse@12, or pass --lighthouse")


def serve(folder, base):
    """A static server whose root holds `folder` at `base`, as a project site's Pages has it."""
    site_root = tempfile.mkdtemp(prefix="haru-lighthouse-root-")
    mount = os.path.join(site_root, base.strip("/")) if base.strip("/") else None
    if mount:
        os.symlink(folder, mount)
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=site_root if mount else folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def newest_entry(output):
    """The feed's first entry: the newest daily entry."""
    with open(os.path.join(output, "atom.xml"), encoding="utf-8") as feed:
        text = feed.read()
    return text.split("<entry>", 1)[1].split("<id>", 1)[1].split("</id>", 1)[0]


def run(lighthouse, url, preset):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as report:
        path = report.name
    command = lighthouse + [url, "--quiet", "--output=json", f"--output-path={path}",
                            f"--only-categories={','.join(CATEGORIES)}",
                            f"--chrome-flags={CHROME_FLAGS}"]
    if preset == "desktop":
        command.append("--preset=desktop")
    environment = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(command, check=True, env=environment)
    with open(path, encoding="utf-8") as file:
        result = json.load(file)
    os.unlink(path)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=REPO, help="the journal (default: the sample)")
    parser.add_argument("--base", default="/til/", help="the site's path, as on a project site")
    parser.add_argument("--haru", default=os.path.join(REPO, "target", "release", "haru"))
    parser.add_argument("--lighthouse", help="the lighthouse command")
    parser.add_argument("--require", action="store_true",
                        help="exit 1 unless SEO and Best Practices are 100 everywhere")
    args = parser.parse_args()
    lighthouse = lighthouse_command(args.lighthouse)
    if not os.path.exists(args.haru):
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=REPO, check=True)
    output = tempfile.mkdtemp(prefix="haru-lighthouse-")
    base = "/" + args.base.strip("/") + "/" if args.base.strip("/") else "/"
    server = serve(output, base)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    subprocess.run([args.haru, "build", "--root", args.root, "--output", output,
                    "--base-url", origin + base], check=True, stdout=subprocess.DEVNULL)
    pages = {"home": origin + base, "entry": newest_entry(output)}
    failed = False
    print(f"{'page':<8} {'form':<8} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    for name, url in pages.items():
        for preset in ["mobile", "desktop"]:
            result = run(lighthouse, url, preset)
            scores = {c: round(100 * (result["categories"][c]["score"] or 0)) for c in CATEGORIES}
            print(f"{name:<8} {preset:<8} " + " ".join(f"{scores[c]:>15}" for c in CATEGORIES))
            for category in CATEGORIES:
                for ref in result["categories"][category]["auditRefs"]:
                    audit = result["audits"][ref["id"]]
                    if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                        print(f"    {category}: {ref['id']} ({audit['score']}): {audit['title']}")
            failed |= any(scores[c] < 100 for c in REQUIRED)
    print(f"pages: {pages['home']} and {pages['entry']}")
    server.shutdown()
    if args.require and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
