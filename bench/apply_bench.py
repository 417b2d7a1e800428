#!/usr/bin/env python3
"""Benchmark of `plancc apply` against the local emulator, and of AWS CLI v1 for comparison.

    python3 bench/apply_bench.py [--specs 1000] [--latency-ms 20] [--concurrency 16] [--cli-sample 20]

What it does (all traffic stays on 127.0.0.1):
  1. builds the release binaries (`swift build -c release --static-swift-stdlib
     --scratch-path .build-release`, as README's Install says) unless --no-build;
  2. writes N spec files for the demo catalog's web product (emulator/demo-catalog.yaml),
     each a different provisioned product, without PathId (so apply resolves the launch path);
  3. starts `plancc-emulator` with --latency-ms (added to every call) and no plan-settling
     delay (--plan-delay-ms 0);
  4. runs `plancc apply DIR --concurrency C --poll-interval 0.1` (the shortest interval
     apply allows) and times the whole process: every plan created, polled until settled
     and its resource changes read; checks that the emulator created exactly N plans;
  5. resets the emulator and runs `aws servicecatalog create-provisioned-product-plan
     --endpoint-url ...` once per spec, one process per spec, for a sample of specs, timing
     only the create calls (no settling, no change reading: the comparison favours the CLI);
  6. prints plans per second for both and the ratio.
Targets (issue 4): >= 200 plans/s and >= 100x the AWS CLI's rate.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOG = os.path.join(ROOT, "emulator", "demo-catalog.yaml")
BUILD = ["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", ".build-release"]
ENV = {
    "AWS_ACCESS_KEY_ID": "AKIDEMULATOREXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "emulator/secret/EXAMPLEKEY",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "AWS_EC2_METADATA_DISABLED": "true",
}
INSTANCE_TYPES = ["t3.micro", "t3.small", "t3.medium", "t3.large", "t3.xlarge"]


def spec(i):
    return (
        f"PlanName: bench-{i:04d}\n"
        "PlanType: CLOUDFORMATION\n"
        "ProductId: prod-webapp4xqv2ab\n"
        "ProvisioningArtifactId: pa-webapp7zk3v2\n"
        f"ProvisionedProductName: bench-{i:04d}\n"
        "ProvisioningParameters:\n"
        f"  InstanceType: {INSTANCE_TYPES[i % len(INSTANCE_TYPES)]}\n"
        f"  Port: {1024 + i}\n"
        "Tags:\n"
        "  team: web\n"
        "  environment: staging\n"
    )


def start_emulator(binary, latency_ms):
    proc = subprocess.Popen(
        [binary, "--catalog", CATALOG, "--port", "0", "--latency-ms", str(latency_ms), "--plan-delay-ms", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if "http://" not in line:
        proc.kill()
        sys.exit(f"emulator did not start: {line!r}")
    return proc, line[line.index("http://"):].strip()


def stats(url):
    with urllib.request.urlopen(url + "/_emulator/stats", timeout=10) as r:
        return json.load(r)


def reset(url):
    req = urllib.request.Request(url + "/_emulator/reset", method="POST", data=b"")
    urllib.request.urlopen(req, timeout=10).read()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--specs", type=int, default=1000)
    ap.add_argument("--latency-ms", type=int, default=20)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--poll-interval", default="0.1")
    ap.add_argument("--cli-sample", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3, help="plancc runs (the best and all are reported)")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()

    if not args.no_build:
        subprocess.run(BUILD, cwd=ROOT, check=True)
    bindir = subprocess.run(BUILD + ["--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    plancc = os.path.join(bindir, "plancc")
    emulator_bin = os.path.join(bindir, "plancc-emulator")

    work = tempfile.mkdtemp(prefix="plancc-bench-")
    specs_dir = os.path.join(work, "specs")
    os.makedirs(specs_dir)
    for i in range(args.specs):
        with open(os.path.join(specs_dir, f"bench-{i:04d}.plan.yaml"), "w") as f:
            f.write(spec(i))
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("AWS_"):
            del env[k]
    env.update(ENV)

    emulator, url = start_emulator(emulator_bin, args.latency_ms)
    try:
        rates = []
        for run in range(args.runs):
            reset(url)
            t0 = time.perf_counter()
            out = subprocess.run([plancc, "apply", specs_dir, "--endpoint-url", url, "--concurrency", str(args.concurrency),
                                  "--poll-interval", args.poll_interval, "--format", "json"],
                                 env=env, capture_output=True, text=True)
            elapsed = time.perf_counter() - t0
            results = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
            planned = sum(1 for r in results if r["status"] == "planned")
            s = stats(url)
            if out.returncode != 0 or planned != args.specs or s["plansCreated"] != args.specs:
                print(out.stderr[-3000:], file=sys.stderr)
                sys.exit(f"run {run + 1}: exit {out.returncode}, {planned} planned, {s['plansCreated']} plans created")
            calls = s["requests"]
            rates.append(args.specs / elapsed)
            print(f"plancc run {run + 1}: {args.specs} plans in {elapsed:.2f} s = {args.specs / elapsed:.0f} plans/s "
                  f"({calls} calls, {calls / elapsed:.0f} calls/s; {json.dumps(s['requestsByOperation'])})")

        # AWS CLI v1: one process per create call, on a sample of the specs.
        aws = shutil.which("aws")
        cli_rate = None
        if aws is None:
            print("aws CLI not found: skipping the comparison")
        else:
            reset(url)
            sample = list(range(0, args.specs, max(1, args.specs // args.cli_sample)))[: args.cli_sample]
            compiled = subprocess.run([plancc, "compile", "--emit", "json"] +
                                      [os.path.join(specs_dir, f"bench-{i:04d}.plan.yaml") for i in sample],
                                      env=env, capture_output=True, text=True, check=True).stdout.splitlines()
            t0 = time.perf_counter()
            for body in compiled:
                subprocess.run([aws, "servicecatalog", "create-provisioned-product-plan", "--endpoint-url", url,
                                "--cli-input-json", body, "--output", "json"],
                               env=env, check=True, capture_output=True, text=True)
            elapsed = time.perf_counter() - t0
            cli_rate = len(compiled) / elapsed
            created = stats(url)["plansCreated"]
            print(f"aws CLI v1: {len(compiled)} create calls in {elapsed:.2f} s = {cli_rate:.2f} plans/s "
                  f"(create only, one process per spec; {created} plans created)")
        best = max(rates)
        print()
        print(f"plancc apply: {best:.0f} plans/s (best of {len(rates)}: {', '.join(f'{r:.0f}' for r in rates)}); "
              f"{args.specs} specs, {args.latency_ms} ms latency per call, --concurrency {args.concurrency}, "
              f"--poll-interval {args.poll_interval}")
        if cli_rate:
            print(f"aws CLI v1:   {cli_rate:.2f} plans/s; plancc/CLI = {best / cli_rate:.0f}x")
        print(f"targets: >= 200 plans/s: {'met' if best >= 200 else 'NOT met'}"
              + (f"; >= 100x the CLI: {'met' if cli_rate and best / cli_rate >= 100 else 'NOT met'}" if cli_rate else ""))
    finally:
        emulator.terminate()
        emulator.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
