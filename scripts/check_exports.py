#!/usr/bin/env python3
"""Checks rolesmith's exports with the tools people feed them to.

For every role file given, against `rolesmith render --format json` (the expected role):
  * cloudformation: cfn-lint reports no error on the YAML and the JSON template, and both
    templates decode (with cfn-lint's own loader) to exactly the expected properties;
  * cli: the script runs against a moto IAM server, and the role read back with
    `aws iam get-role`, `get-role-policy` and `list-attached-role-policies` matches;
  * terraform: python-hcl2 parses the file, and the values in it (names, path, the
    documents inside jsonencode(...)) evaluate to the expected ones.

Run through scripts/check-exports.sh, which makes the venv and starts moto. Prints only
failures, then `N passed, M failed` (one check per role file and format).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path


# cfn-lint installed beside this interpreter (the venv's bin folder).
CFN_LINT = str(Path(sys.executable).parent / "cfn-lint")


class CheckFailed(Exception):
    """One check's failure, with the message to print."""


def run(cmd, *, env=None, stdin=None):
    """Runs cmd; returns stdout, raising CheckFailed with its stderr when it fails."""
    proc = subprocess.run(
        cmd, env=env, input=stdin, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise CheckFailed(
            f"`{' '.join(map(str, cmd))}` exited {proc.returncode}:\n"
            f"{proc.stdout}{proc.stderr}".rstrip()
        )
    return proc.stdout


def render(binary, role_file, fmt):
    return run([binary, "render", str(role_file), "--format", fmt])


def diff(label, expected, actual):
    """Raises CheckFailed naming label when the two values differ."""
    if expected != actual:
        raise CheckFailed(
            f"{label} differs\n  expected: {json.dumps(expected, sort_keys=True)}\n"
            f"  actual:   {json.dumps(actual, sort_keys=True)}"
        )


# --- CloudFormation -------------------------------------------------------------------


def check_cloudformation(binary, role_file, expected, workdir):
    from cfnlint.decode import decode_str

    formats = {"cloudformation": ".yaml", "cloudformation-json": ".json"}
    texts, format_of_path = {}, {}
    for fmt, suffix in formats.items():
        texts[fmt] = render(binary, role_file, fmt)
        path = workdir / f"template{suffix}"
        path.write_text(texts[fmt], encoding="utf-8")
        format_of_path[str(path)] = fmt

    # One cfn-lint run for both templates: its start-up is most of its time.
    lint = subprocess.run(
        [CFN_LINT, "--format", "json", "--", *format_of_path],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        findings = json.loads(lint.stdout or "[]")
    except json.JSONDecodeError:
        raise CheckFailed(f"cfn-lint failed to run:\n{lint.stdout}{lint.stderr}") from None
    described = [
        f"{format_of_path.get(f['Filename'], f['Filename'])}: {f['Level']} {f['Rule']['Id']} "
        f"line {f['Location']['Start']['LineNumber']}: {f['Message']}"
        for f in findings
    ]
    # cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational.
    errors = [f for f in findings if f.get("Level") == "Error"]
    if errors or lint.returncode & ~(4 | 8):
        raise CheckFailed(
            f"cfn-lint reports errors (exit {lint.returncode}):\n  "
            + ("\n  ".join(described) or lint.stderr)
        )
    for line in described:
        print(f"note: {role_file}: cfn-lint on {line}")

    for fmt, text in texts.items():
        template, problems = decode_str(text)
        if problems or template is None:
            raise CheckFailed(f"the {fmt} export does not decode: {problems}")
        resources = template.get("Resources", {})
        roles = [r for r in resources.values() if r.get("Type") == "AWS::IAM::Role"]
        if len(resources) != 1 or len(roles) != 1:
            raise CheckFailed(f"the {fmt} export should hold exactly one AWS::IAM::Role")
        diff(f"{fmt} role properties", expected, plain(roles[0]["Properties"]))
        (logical_id,) = resources
        value = template.get("Outputs", {}).get("RoleArn", {}).get("Value")
        diff(f"{fmt} output", {"Fn::GetAtt": [logical_id, "Arn"]}, plain(value))


def plain(value):
    """cfn-lint's decoded nodes (str/dict subclasses with positions) as plain JSON values;
    anything YAML read as another type (a date, say) shows up as `<type value>`."""
    return json.loads(json.dumps(value, default=lambda o: f"<{type(o).__name__} {o}>"))


# --- AWS CLI against moto --------------------------------------------------------------


def aws_env(endpoint, bin_dir):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_")
    }
    env.update(
        {
            "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_PAGER": "",
        }
    )
    return env


def document(value):
    """A policy document as the CLI returns it: already decoded, or URL-encoded JSON text."""
    if isinstance(value, str):
        return json.loads(urllib.parse.unquote(value))
    return value


def check_cli(binary, role_file, expected, workdir, endpoint, bin_dir):
    reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    urllib.request.urlopen(reset, timeout=30).close()
    script = workdir / "create-role.sh"
    script.write_text(render(binary, role_file, "cli"), encoding="utf-8")
    env = aws_env(endpoint, bin_dir)
    run(["sh", "-n", str(script)])
    run(["sh", str(script)], env=env)

    def aws(*args):
        return json.loads(run(["aws", "iam", *args, "--output", "json"], env=env))

    name = expected["RoleName"]
    role = aws("get-role", "--role-name", name)["Role"]
    diff("RoleName", name, role.get("RoleName"))
    diff("Path", expected.get("Path", "/"), role.get("Path"))
    diff("Description", expected.get("Description"), role.get("Description"))
    diff(
        "MaxSessionDuration",
        expected.get("MaxSessionDuration", 3600),
        role.get("MaxSessionDuration"),
    )
    diff(
        "AssumeRolePolicyDocument",
        expected["AssumeRolePolicyDocument"],
        document(role.get("AssumeRolePolicyDocument")),
    )

    want = {p["PolicyName"]: p["PolicyDocument"] for p in expected.get("Policies", [])}
    names = aws("list-role-policies", "--role-name", name)["PolicyNames"]
    diff("inline policy names", sorted(want), sorted(names))
    for policy in names:
        got = aws("get-role-policy", "--role-name", name, "--policy-name", policy)
        diff(f"inline policy {policy}", want[policy], document(got["PolicyDocument"]))

    attached = aws("list-attached-role-policies", "--role-name", name)
    arns = [p["PolicyArn"] for p in attached["AttachedPolicies"]]
    diff("attached managed policies", sorted(expected.get("ManagedPolicyArns", [])), sorted(arns))


# --- Terraform --------------------------------------------------------------------------


def check_terraform(binary, role_file, expected, workdir):
    import hcl2

    text = render(binary, role_file, "terraform")
    (workdir / "main.tf").write_text(text, encoding="utf-8")
    try:
        tree = hcl2.parses_to_tree(text)
    except Exception as e:  # the parser raises several lark error types
        raise CheckFailed(f"python-hcl2 cannot parse the terraform export: {e}") from None

    resources = {}
    for block in find(tree, "block"):
        labels = [c for c in block.children if tree_is(c, "identifier", "string")]
        if len(labels) != 3 or evaluate(labels[0]) != "resource":
            raise CheckFailed("the terraform export has a block other than `resource`")
        kind, name = evaluate(labels[1]), evaluate(labels[2])
        attrs = {}
        for attr in children(block, "body")[0].children:
            if tree_is(attr, "attribute"):
                key = evaluate(attr.children[0])
                attrs[key] = evaluate(attr.children[-1])
        resources.setdefault(kind, {})[name] = attrs

    roles = resources.get("aws_iam_role", {})
    if len(roles) != 1:
        raise CheckFailed(f"expected one aws_iam_role, found {len(roles)}")
    ((role_id, role),) = roles.items()
    want_role = {"name": expected["RoleName"]}
    for key, tf_key in (
        ("Description", "description"),
        ("Path", "path"),
        ("MaxSessionDuration", "max_session_duration"),
    ):
        if key in expected:
            want_role[tf_key] = expected[key]
    want_role["assume_role_policy"] = ("jsonencode", expected["AssumeRolePolicyDocument"])
    diff("aws_iam_role", want_role, role)

    role_ref = ("ref", f"aws_iam_role.{role_id}.name")
    policies = resources.get("aws_iam_role_policy", {}).values()
    got = {p.get("name"): p for p in policies}
    want = {p["PolicyName"]: p["PolicyDocument"] for p in expected.get("Policies", [])}
    diff("aws_iam_role_policy names", sorted(want), sorted(got))
    for name, doc in want.items():
        diff(
            f"aws_iam_role_policy {name}",
            {"name": name, "role": role_ref, "policy": ("jsonencode", doc)},
            got[name],
        )

    attachments = resources.get("aws_iam_role_policy_attachment", {}).values()
    diff(
        "aws_iam_role_policy_attachment",
        sorted(expected.get("ManagedPolicyArns", [])),
        sorted(a.get("policy_arn") for a in attachments),
    )
    for a in attachments:
        diff("attachment role", role_ref, a.get("role"))


def tree_is(node, *names):
    return hasattr(node, "data") and node.data in names


def children(node, name):
    return [c for c in node.children if tree_is(c, name)]


def find(node, name):
    """Every subtree called name, outermost first, not descending into matches."""
    if tree_is(node, name):
        return [node]
    found = []
    for c in getattr(node, "children", []):
        found.extend(find(c, name))
    return found


def evaluate(node):
    """The value of an HCL expression tree, for the few shapes the export uses:
    literals, strings without interpolation, tuples, objects, `jsonencode(...)` (as
    ("jsonencode", value)) and references (as ("ref", "a.b.c"))."""
    kind = node.data
    kids = [c for c in node.children if hasattr(c, "data") and c.data != "new_line_or_comment"]
    if kind in ("expr_term", "object_elem_key") and len(kids) == 1:
        return evaluate(kids[0])
    if kind == "identifier":
        return str(node.children[0])
    if kind == "string":
        parts = []
        for c in node.children:
            if tree_is(c, "string_part"):
                if any(hasattr(x, "data") for x in c.children):
                    raise CheckFailed("a string holds an interpolation")
                parts.append("".join(str(x) for x in c.children))
            elif hasattr(c, "data"):
                raise CheckFailed(f"a string holds {c.data}, not only text")
        return unescape("".join(parts))
    if kind == "int_lit":
        return int(str(node.children[0]))
    if kind == "float_lit":
        return float(str(node.children[0]))
    if kind == "literal_value":
        return {"true": True, "false": False, "null": None}[str(node.children[0])]
    if kind == "tuple":
        return [evaluate(c) for c in kids]
    if kind == "object":
        out = {}
        for elem in kids:
            key_node, value_node = [c for c in elem.children if hasattr(c, "data")]
            key = evaluate(key_node)
            if not isinstance(key, str) or key in out:
                raise CheckFailed(f"object key {key!r} is not a unique string")
            out[key] = evaluate(value_node)
        return out
    if kind == "function_call":
        name = evaluate(kids[0])
        args = kids[1:]
        if name != "jsonencode" or len(args) != 1:
            raise CheckFailed(f"unexpected function call {name}")
        (arg,) = [c for c in args[0].children if hasattr(c, "data")]
        return ("jsonencode", evaluate(arg))
    if kind == "get_attr_expr_term":
        base = evaluate(kids[0])
        base = base[1] if isinstance(base, tuple) else base
        (attr,) = [c for c in kids[1].children if hasattr(c, "data")]
        return ("ref", f"{base}.{evaluate(attr)}")
    raise CheckFailed(f"unexpected HCL expression {kind}")


def unescape(raw):
    """HCL quoted-string escapes: backslash sequences, `$${` and `%%{`."""
    out, i = [], 0
    while i < len(raw):
        c = raw[i]
        if c == "\\":
            nxt = raw[i + 1]
            simple = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
            if nxt in simple:
                out.append(simple[nxt])
                i += 2
            elif nxt == "u":
                out.append(chr(int(raw[i + 2 : i + 6], 16)))
                i += 6
            elif nxt == "U":
                out.append(chr(int(raw[i + 2 : i + 10], 16)))
                i += 10
            else:
                raise CheckFailed(f"unknown escape \\{nxt}")
        elif raw.startswith(("$${", "%%{"), i):
            out.append(c + "{")
            i += 3
        elif raw.startswith(("${", "%{"), i):
            raise CheckFailed("a string holds an unescaped template sequence")
        else:
            out.append(c)
            i += 1
    return "".join(out)


# --- Driver -----------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="the rolesmith binary")
    parser.add_argument("--endpoint", required=True, help="moto server URL")
    parser.add_argument("--aws-bin-dir", required=True, help="folder holding `aws`")
    parser.add_argument("role_files", nargs="+", type=Path)
    args = parser.parse_args()

    passed = failed = 0
    for role_file in args.role_files:
        try:
            expected = json.loads(render(args.bin, role_file, "json"))
        except (CheckFailed, json.JSONDecodeError) as e:
            print(f"FAIL {role_file} [render]: {e}")
            failed += 1
            continue
        checks = (
            ("cloudformation", lambda d: check_cloudformation(args.bin, role_file, expected, d)),
            (
                "cli",
                lambda d: check_cli(
                    args.bin, role_file, expected, d, args.endpoint, args.aws_bin_dir
                ),
            ),
            ("terraform", lambda d: check_terraform(args.bin, role_file, expected, d)),
        )
        for label, check in checks:
            with tempfile.TemporaryDirectory(prefix="rolesmith-exports-") as tmp:
                try:
                    check(Path(tmp))
                    passed += 1
                except CheckFailed as e:
                    print(f"FAIL {role_file} [{label}]: {e}")
                    failed += 1
                except Exception as e:  # a crash in a check is a failure, not an abort
                    print(f"FAIL {role_file} [{label}]: {type(e).__name__}: {e}")
                    failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
