#!/usr/bin/env python3
"""Compares `rolesmith catalog dump` with AWS's service reference files (acceptance check).

1. The embedded catalog: every service of guide §11 (the EMBEDDED_SERVICES list in
   src/catalog/mod.rs) against ../shared/reference/aws-service-reference.
2. After `catalog import` of the whole folder (XDG_DATA_HOME pointed at a temp dir):
   `catalog status` counts every service, and the dump agrees with every file.

Compared per action: name, access level (README rule), resource-type list (with each one's
condition keys), action condition keys; per resource type: ARN formats and condition keys;
per service condition key: types. Prints each difference and a summary; exits 1 on any.

usage: scripts/compare-catalog.py [--binary PATH] [--reference DIR] [--embedded-only]
Not part of the test suite: it needs ../shared/reference, which a clean clone lacks.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def access_level(action):
    props = (action.get("Annotations") or {}).get("Properties") or {}
    if props.get("IsPermissionManagement"):
        return "Permissions management"
    if props.get("IsTaggingOnly"):
        return "Tagging"
    if props.get("IsWrite"):
        return "Write"
    if props.get("IsList"):
        return "List"
    return "Read"


def expected_service(ref):
    actions = {}
    for a in ref.get("Actions", []):
        actions[a["Name"]] = {
            "access": access_level(a),
            "resources": [(r["Name"], r.get("ConditionKeys", [])) for r in a.get("Resources", [])],
            "conditions": a.get("ActionConditionKeys", []),
        }
    resources = {r["Name"]: (r.get("ARNFormats", []), r.get("ConditionKeys", [])) for r in ref.get("Resources", [])}
    conditions = {c["Name"]: c.get("Types", []) for c in ref.get("ConditionKeys", [])}
    return actions, resources, conditions


def dumped_service(svc):
    actions = {}
    for name, a in svc["actions"].items():
        actions[name] = {
            "access": a["access"],
            "resources": [(r["type"], r.get("conditions", [])) for r in a["resources"]],
            "conditions": a["conditions"],
        }
    resources = {}
    for name, r in svc["resources"].items():
        if r["arn_formats"] and r["arn"] != r["arn_formats"][0]:
            resources[name] = (["arn != arn_formats[0]"], [])
        else:
            resources[name] = (r["arn_formats"], r.get("conditions", []))
    conditions = {k: c.get("types") or ([c["type"]] if c.get("type") else []) for k, c in svc["conditions"].items()}
    return actions, resources, conditions


def compare(prefix, ref, svc, diffs):
    (ea, er, ec), (da, dr, dc) = expected_service(ref), dumped_service(svc)
    for name in sorted(set(ea) | set(da)):
        if name not in da:
            diffs.append(f"{prefix}:{name}: missing from the dump")
            continue
        if name not in ea:
            diffs.append(f"{prefix}:{name}: in the dump, not in the reference")
            continue
        for field in ("access", "resources", "conditions"):
            if ea[name][field] != da[name][field]:
                diffs.append(f"{prefix}:{name}: {field}: reference {ea[name][field]!r}, dump {da[name][field]!r}")
    for name in sorted(set(er) | set(dr)):
        if er.get(name) != dr.get(name):
            diffs.append(f"{prefix} resource {name}: reference {er.get(name)!r}, dump {dr.get(name)!r}")
    for name in sorted(set(ec) | set(dc)):
        if ec.get(name) != dc.get(name):
            diffs.append(f"{prefix} condition {name}: reference {ec.get(name)!r}, dump {dc.get(name)!r}")
    return len(ea)


def run(binary, args, env):
    r = subprocess.run([binary, *args], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"rolesmith {' '.join(args)} failed ({r.returncode}): {r.stderr}")
    return r


def load_ref(ref_dir, prefix):
    with open(os.path.join(ref_dir, prefix + ".json")) as f:
        return json.load(f)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--binary", default=os.path.join(ROOT, "target/debug/rolesmith"))
    p.add_argument("--reference", default=os.environ.get("ROLESMITH_REFERENCE_DIR", os.path.join(ROOT, "../shared/reference/aws-service-reference")))
    p.add_argument("--embedded-only", action="store_true")
    o = p.parse_args()
    if not os.path.isdir(o.reference):
        print("no ../shared/reference here: nothing to compare")
        return 0
    if o.binary == p.get_default("binary"):
        subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT, check=True)
    with open(os.path.join(ROOT, "src/catalog/mod.rs")) as f:
        block = re.search(r"EMBEDDED_SERVICES: \[&str; \d+\] = \[(.*?)\];", f.read(), re.S).group(1)
    embedded = re.findall(r'"([a-z0-9-]+)"', block)
    failed = False

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_DATA_HOME=os.path.join(tmp, "data"),
                   XDG_STATE_HOME=os.path.join(tmp, "state"), XDG_CONFIG_HOME=os.path.join(tmp, "config"))
        dump = json.loads(run(o.binary, ["catalog", "dump"], env).stdout)
        diffs, actions = [], 0
        for prefix in embedded:
            if prefix not in dump["services"]:
                diffs.append(f"{prefix}: service missing from the embedded dump")
                continue
            actions += compare(prefix, load_ref(o.reference, prefix), dump["services"][prefix], diffs)
        extra = sorted(set(dump["services"]) - set(embedded))
        print(f"embedded ({dump['source']}): {len(embedded)} services, {actions} actions compared, "
              f"{len(diffs)} differences" + (f"; unexpected services {extra}" if extra else ""))
        for d in diffs[:50]:
            print("  " + d)
        failed |= bool(diffs) or bool(extra)
        if o.embedded_only:
            return 1 if failed else 0

        r = run(o.binary, ["catalog", "import", o.reference], env)
        print("import: " + r.stderr.strip().replace("\n", "\n        "))
        status = run(o.binary, ["catalog", "status"], env).stdout
        print("status: " + status.strip().replace("\n", "\n        "))
        dump = json.loads(run(o.binary, ["catalog", "dump"], env).stdout)
        files = sorted(f[:-5] for f in os.listdir(o.reference) if f.endswith(".json"))
        diffs, actions, skipped = [], 0, []
        for prefix in files:
            ref = load_ref(o.reference, prefix)
            old_layout = ref.get("Actions") and all("Annotations" not in a for a in ref["Actions"])
            if old_layout:
                skipped.append(prefix)
                if prefix in dump["services"]:
                    diffs.append(f"{prefix}: old layout (no access levels) but in the dump")
                continue
            if prefix not in dump["services"]:
                diffs.append(f"{prefix}: service missing from the imported dump")
                continue
            actions += compare(prefix, ref, dump["services"][prefix], diffs)
        counted = int(re.search(r"services:\s+(\d+)", status).group(1))
        expected = len(files) - len(skipped)
        if counted != expected:
            diffs.append(f"status counts {counted} services, expected {expected}")
        for prefix in skipped:
            if prefix not in status:
                diffs.append(f"status does not mention skipped {prefix}")
        print(f"imported: {len(files)} files, {expected} services ({len(skipped)} old-layout skipped: "
              f"{', '.join(skipped)}), {actions} actions compared, {len(diffs)} differences")
        for d in diffs[:50]:
            print("  " + d)
        failed |= bool(diffs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
