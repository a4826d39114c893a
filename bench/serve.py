#!/usr/bin/env python3
"""Save-to-reload benchmark for `haru serve` on a synthetic journal.

Starts the release `haru serve` on a ../shared/bench/gen_corpus.py journal (haru flavour),
listens on its live-reload event stream like an open browser tab, then appends one Korean
bullet to a recent entry at a time (as ../shared/bench/serve_rebuild.py does for Hugo and
Zola) and measures the wall time from closing the file to the reload message. Prints the
median and range of the edits, the server's own rebuild figures, the first build's time and
the server's memory. Files are restored afterwards.

    python3 bench/serve.py [--size 10000] [--edits 20] [--settle 1] [--work /tmp/haru-bench]
"""

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GENERATOR = os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py")


# Services gen_corpus.py never writes about: mentioning one gives the entry a new tag.
SHAPE_SERVICES = ["Amazon Kendra", "AWS Amplify", "Amazon Lex", "AWS Glue DataBrew", "Amazon Polly"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class EventStream:
    """The server's /__haru/events stream, read on a thread; states arrive with a timestamp."""

    def __init__(self, port):
        self.states = []
        self.condition = threading.Condition()
        self.socket = socket.create_connection(("127.0.0.1", port))
        self.socket.sendall(f"GET /__haru/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffered = b""
        while True:
            chunk = self.socket.recv(65536)
            if not chunk:
                return
            now = time.monotonic()
            buffered += chunk
            *lines, buffered = buffered.split(b"\n")
            for line in lines:
                if line.startswith(b"data: "):
                    state = json.loads(line[6:])
                    with self.condition:
                        self.states.append((now, state))
                        self.condition.notify_all()

    def wait(self, since, timeout=120):
        """The first state after index `since` whose generation is new or that has errors."""
        deadline = time.monotonic() + timeout
        with self.condition:
            index = since
            while True:
                while index < len(self.states):
                    moment, state = self.states[index]
                    index += 1
                    if state["errors"] or state["generation"] != self.generation(since):
                        return moment, state, index
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no reload message")
                self.condition.wait(left)

    def generation(self, before):
        return self.states[before - 1][1]["generation"] if before > 0 else None


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--settle", type=float, default=1.0)
    parser.add_argument("--work", default="/tmp/haru-bench")
    parser.add_argument("--binary", help="a haru binary to time instead of this checkout's release build")
    parser.add_argument("--shape", action="store_true",
                        help="each edit mentions a service the entry did not name: its tags change, "
                        "so the site's shape does (tag pages, related entries)")
    arguments = parser.parse_args()
    if not os.path.exists(GENERATOR):
        sys.exit(f"{GENERATOR} is missing: the benchmark needs ../shared/bench")
    haru = arguments.binary
    if haru is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        haru = os.path.join(REPO, "target", "release", "haru")
    site = os.path.join(arguments.work, f"haru-{arguments.size}")
    if not os.path.isdir(site):
        subprocess.run([sys.executable, GENERATOR, "--entries", str(arguments.size), "--flavor", "haru",
                        "--out", site, "--seed", "42"], check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([haru, "serve", "--root", site, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log = []
    ready = threading.Event()

    def read_log():
        for line in server.stderr:
            log.append((time.monotonic(), line.rstrip("\n")))
            # The journal's language: English, or Korean (the default).
            if line.startswith("serving at") or "에서 보여 주는 중" in line:
                ready.set()

    threading.Thread(target=read_log, daemon=True).start()
    started = time.monotonic()
    if not ready.wait(600):
        server.kill()
        sys.exit("haru serve did not start:\n" + "\n".join(line for _, line in log))
    first_build = next((line for _, line in log if line.startswith(("built ", "기록 "))), "")
    startup = time.monotonic() - started
    events = EventStream(port)
    time.sleep(arguments.settle)
    files = sorted(f for f in os.listdir(os.path.join(site, "content")) if f[0].isdigit())
    backups = {}
    walls = []
    own = []
    try:
        for edit in range(arguments.edits):
            path = os.path.join(site, "content", files[-(edit + 1)])
            with open(path, "rb") as original:
                backups[path] = original.read()
            with events.condition:
                since = len(events.states)
            lines_before = len(log)
            if arguments.shape:
                service = SHAPE_SERVICES[edit % len(SHAPE_SERVICES)]
                line = f"\n- 수정 {edit + 1}: {service}도 AWS 콘솔에서 살펴봄.\n"
            else:
                line = f"\n- 수정 {edit + 1}: 복습하면서 한 줄 추가함.\n"
            with open(path, "ab") as entry:
                entry.write(line.encode())
            saved = time.monotonic()
            moment, state, _ = events.wait(since)
            if state["errors"]:
                sys.exit(f"the rebuild failed: {state['errors']}")
            walls.append((moment - saved) * 1000)
            time.sleep(arguments.settle)
            for _, line in log[lines_before:]:
                match = re.search(r"written in (\d+) ms|(\d+) ms 만에 썼습니다", line)
                if match:
                    own.append(int(match.group(1) or match.group(2)))
        memory = rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        for path, data in backups.items():
            with open(path, "wb") as entry:
                entry.write(data)
    kind = "edits that change the tags" if arguments.shape else "edits"
    print(f"haru serve, {arguments.size} entries, {arguments.edits} {kind}")
    print(f"  startup (first build + watch): {startup:.2f} s; {first_build}")
    print(f"  save -> reload message: median {statistics.median(walls):.1f} ms "
          f"(min {min(walls):.1f}, max {max(walls):.1f})")
    if own:
        print(f"  rebuild as the server reports it: median {statistics.median(own)} ms")
    print(f"  server RSS after the edits: {memory:.0f} MiB")


if __name__ == "__main__":
    main()
