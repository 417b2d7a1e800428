#!/usr/bin/env python3
"""plancc's offline benchmark. Everything is measured in one run on the same files, and
reported as ratios to baselines measured in the same run (these machines are shared and
noisy; absolute times mean little).

  lint       plancc lint (release build) on 10,000 generated specs
  floor      a minimal C program running only libyaml's parser over the same files
  python     PyYAML's libyaml loader + botocore's parameter validation (what a team would script),
             in three of the rounds
  single     plancc lint on one spec, as a whole process (pre-commit's case)
  json/http  plancc compile --emit json vs --emit http on the same 10,000 specs

Usage: bench/run.py [--specs N] [--repeat R]
"""
import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, repeat, env=None, expect=(0,)):
    """Median and best wall time of `repeat` runs; CPU time (user + sys) of each run is
    added to CPU[cmd label] for the CPU lines of the report."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        err = p.stderr.read()
        _, status, usage = os.wait4(p.pid, 0)
        times.append(time.perf_counter() - start)
        p.returncode = os.waitstatus_to_exitcode(status)
        LAST_CPU[0] = usage.ru_utime + usage.ru_stime
        if p.returncode not in expect:
            sys.exit(f"{cmd[0]} failed ({p.returncode}): {err.decode()[-2000:]}")
    return statistics.median(times), min(times)


LAST_CPU = [0.0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--specs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    specs = OUT / f"specs-{args.specs}"
    if not specs.exists():
        sh([sys.executable, ROOT / "bench/generate_specs.py", specs, str(args.specs)])
    sizes = [p.stat().st_size for p in specs.rglob("*.yaml")]
    print(f"{len(sizes)} specs, mean {statistics.mean(sizes):.0f} bytes")

    # The build users install (README, "Install"): release, Swift runtime linked statically.
    build = ["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", ".build-release"]
    sh(build + ["--product", "plancc"], cwd=ROOT, stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(build + ["--show-bin-path"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
    plancc = os.path.join(bin_dir, "plancc")
    floor = OUT / "yaml_floor"
    cflags = subprocess.run(["pkg-config", "--cflags", "--libs", "yaml-0.1"], capture_output=True, text=True).stdout.split()
    sh(["cc", "-O2", "-o", floor, ROOT / "bench/yaml_floor.c", *cflags])

    env = dict(os.environ, NO_COLOR="1", AWS_ACCESS_KEY_ID="AKIDBENCHEXAMPLE", AWS_SECRET_ACCESS_KEY="bench/secret",
               AWS_REGION="us-east-1")
    results = {}
    # Interleave the contenders so drifting machine load hits all of them alike.
    rounds = {k: [] for k in ("lint", "floor", "python", "json", "http")}
    cpu = {k: [] for k in rounds}

    def run(name, cmd, **kw):
        rounds[name].append(timed(cmd, 1, **kw)[0])
        cpu[name].append(LAST_CPU[0])

    # The Python baseline takes seconds, so it runs in three of the rounds (first, middle,
    # last) rather than in every one: its median still sees the machine's drift.
    python_rounds = {0, args.repeat // 2, args.repeat - 1}
    for r in range(args.repeat):
        run("floor", [floor, specs])
        run("lint", [plancc, "lint", specs], env=env)
        run("json", [plancc, "compile", "--emit", "json", specs], env=env)
        run("http", [plancc, "compile", "--emit", "http", "--signing-time", "2026-01-01T00:00:00Z", specs], env=env, expect=(0, 2))
        if r in python_rounds:
            run("python", [sys.executable, ROOT / "bench/python_baseline.py", specs])
    best = {}
    for k, v in rounds.items():
        results[k] = statistics.median(v)
        best[k] = min(v)

    one = next(specs.rglob("*.yaml"))
    single = [timed([plancc, "lint", one], 1, env)[0] for _ in range(30)]
    results["single"] = statistics.median(single)

    # Noise on a shared machine only ever adds time, so the best of R runs is the steadier
    # estimate; both are printed.
    print(f"floor  (C, libyaml events only, 1 thread): {results['floor']*1000:8.1f} ms   (best {best['floor']*1000:.1f} ms)")
    print(f"lint   (plancc lint, {os.cpu_count()} cores):           {results['lint']*1000:8.1f} ms   (best {best['lint']*1000:.1f} ms)"
          f"   {results['lint']/results['floor']:.2f}x floor by medians, {best['lint']/best['floor']:.2f}x by bests (target <= 1.3x)")
    print(f"python (PyYAML C loader + botocore):       {results['python']*1000:8.1f} ms   plancc is {results['python']/results['lint']:.1f}x faster by medians (target >= 10x)")
    print(f"single (one spec, whole process, median of 30): {results['single']*1000:6.1f} ms   (target < 15 ms)")
    print(f"json   (compile --emit json):              {results['json']*1000:8.1f} ms")
    print(f"http   (compile --emit http):              {results['http']*1000:8.1f} ms   {results['http']/results['json']:.2f}x json by medians, {best['http']/best['json']:.2f}x by bests (target <= 1.2x)")
    # Noise-resistant views: each round's ratio (the two ran back to back), and CPU time,
    # which does not depend on how busy the other core was.
    paired = statistics.median(l / f for l, f in zip(rounds["lint"], rounds["floor"]))
    print(f"lint/floor, median of the {args.repeat} back-to-back pairs: {paired:.2f}x")
    cpu_lint, cpu_floor = statistics.median(cpu["lint"]), statistics.median(cpu["floor"])
    print(f"CPU time (user + sys), medians: floor {cpu_floor*1000:.0f} ms, lint {cpu_lint*1000:.0f} ms "
          f"({cpu_lint/cpu_floor:.2f}x, spread over {os.cpu_count()} cores), "
          f"json {statistics.median(cpu['json'])*1000:.0f} ms, http {statistics.median(cpu['http'])*1000:.0f} ms "
          f"({statistics.median(cpu['http'])/statistics.median(cpu['json']):.2f}x json)")


if __name__ == "__main__":
    main()
