#!/usr/bin/env python3
"""Check the curated catalog assets against AWS's service reference, by hand.

Usage: scripts/check-curated.py [REFERENCE_DIR]
(default: $ROLESMITH_REFERENCE_DIR, else ../shared/reference/aws-service-reference beside the
repository)

Checks that every curated action, preset action, preset resource type, preset condition key
and placeholder hint exists in the reference, and that each preset's resource types are ones
its actions take. Prints one line per problem; exits 1 if there is any. The Rust tests check
the same against the embedded catalog once it exists; this script needs no build.
"""
import json
import os
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets" / "catalog" / "curated"
REF = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    "ROLESMITH_REFERENCE_DIR", ROOT.parent / "shared" / "reference" / "aws-service-reference"))

problems = []
cache = {}


def service(prefix):
    if prefix not in cache:
        path = REF / f"{prefix}.json"
        if not path.exists():
            cache[prefix] = None
        else:
            data = json.loads(path.read_text())
            cache[prefix] = {
                "actions": {a["Name"]: a for a in data.get("Actions", [])},
                "resources": {r["Name"]: r for r in data.get("Resources", [])},
                "conditions": {c["Name"] for c in data.get("ConditionKeys", [])},
            }
    return cache[prefix]


services = tomllib.loads((ASSETS / "services.toml").read_text())
for prefix, cur in services.items():
    svc = service(prefix)
    if svc is None:
        problems.append(f"services.toml: `{prefix}` is not a service in the reference")
        continue
    for action in cur.get("actions", {}):
        if action not in svc["actions"]:
            problems.append(f"services.toml: `{prefix}:{action}` is not in the reference")

presets = tomllib.loads((ASSETS / "presets.toml").read_text())["preset"]
for p in presets:
    svc = service(p["service"])
    pid = p["id"]
    if svc is None:
        problems.append(f"preset {pid}: service `{p['service']}` not in the reference")
        continue
    taken = set()
    for action in p["actions"]:
        a = svc["actions"].get(action)
        if a is None:
            problems.append(f"preset {pid}: `{p['service']}:{action}` not in the reference")
            continue
        types = {r["Name"] for r in a.get("Resources", [])}
        taken |= types
        # A preset without resource types is granted on "*" on purpose.
        if types and p.get("resource_types") and not types & set(p["resource_types"]):
            problems.append(f"preset {pid}: `{action}` takes {sorted(types)}, none in the preset")
    for rt in p.get("resource_types", []):
        if rt not in svc["resources"]:
            problems.append(f"preset {pid}: resource type `{rt}` not in `{p['service']}`")
        elif rt not in taken:
            problems.append(f"preset {pid}: no action of the preset takes `{rt}`")
    for c in p.get("conditions", []):
        key = c["key"]
        if not key.startswith("aws:") and key not in svc["conditions"]:
            problems.append(f"preset {pid}: condition key `{key}` not in `{p['service']}`")

placeholders = tomllib.loads((ASSETS / "placeholders.toml").read_text())
seen = set()
for path in REF.glob("*.json"):
    for r in json.loads(path.read_text()).get("Resources", []):
        for fmt in r.get("ARNFormats", []):
            seen.update(re.findall(r"\$\{(\w+)\}", fmt))
for name in placeholders:
    if name not in seen:
        problems.append(f"placeholders.toml: `{name}` appears in no ARN format")

principals = tomllib.loads((ASSETS / "principals.toml").read_text())["principal"]
for p in principals:
    if service(p["service"]) is None:
        problems.append(f"principals.toml: `{p['principal']}`: service `{p['service']}` not in the reference")

for line in problems:
    print(line)
print(f"{len(problems)} problem(s); checked {len(services)} services, {len(presets)} presets, "
      f"{len(placeholders)} placeholders, {len(principals)} principals against {REF}")
sys.exit(1 if problems else 0)
