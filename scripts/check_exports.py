#!/usr/bin/env python3
"""Checks rolesmith's exports with the tools people feed them to.

For every role file given, the expected result is `rolesmith render --format json` (the
role's properties) plus what the file creates around the role (customer managed policies,
instance profile, OIDC providers, taken from the JSON template's other resources). Each
consumer's result is brought into one "state" shape and compared with it:

  * cloudformation: cfn-lint reports no error on the YAML and the JSON template; both
    decode (with cfn-lint's own loader) to the expected state; both deploy as a stack on
    the moto server, and what the AWS CLI reads back is the expected state (less what
    moto's CloudFormation does not implement, named in a note);
  * cli: the script passes `sh -n`, runs against the moto server, and the AWS CLI reads
    back the expected state; run a second time it exits 0, reports nothing changed and
    leaves the same state;
  * terraform: python-hcl2 parses the file and it evaluates to the expected state; then,
    when terraform and a provider mirror are there, all files together as modules of one
    configuration: `terraform fmt -check`, `init -plugin-dir` (offline), `apply` against
    moto (which validates the configuration first, as `terraform validate` does), the AWS CLI reads back each role's expected state, and `plan`
    shows no change.
  * sarif (once, not per role file): the SARIF reports of `lint` (every bad example in
    tests/policies/bad, suppressions, standard input) and of `diff` validate against the
    published SARIF 2.1.0 schema with python-jsonschema, formats included; a report
    missing a required property is rejected (the check can fail).

Customer managed policies a role attaches but does not create are created in moto first
(they would exist in a real account). Run through scripts/check-exports.sh, which makes the
venv and starts moto. Prints only failures and notes, then `N passed, M failed`.
"""

import argparse
import ast
import contextlib
import io
import json
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path


# What moto's CloudFormation does not implement (checked by hand against moto 5.2.5):
# a role's ManagedPolicyArns are not attached, and AWS::IAM::OIDCProvider is not created.
MOTO_CFN_GAPS = ("ManagedPolicyArns", "OIDCProviders")


class CheckFailed(Exception):
    """One check's failure, with the message to print."""


def run(cmd, *, env=None, stdin=None, cwd=None):
    """Runs cmd; returns stdout, raising CheckFailed with its output when it fails."""
    proc = subprocess.run(
        cmd, env=env, input=stdin, capture_output=True, text=True, check=False, cwd=cwd
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


def plain(value):
    """cfn-lint's decoded nodes (str/dict subclasses with positions) as plain JSON values;
    anything YAML read as another type (a date, say) shows up as `<type value>`."""
    return json.loads(json.dumps(value, default=lambda o: f"<{type(o).__name__} {o}>"))


# --- The state every consumer is compared in ------------------------------------------


def policy_arn_parts(arn):
    """(account, path, name) of arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME."""
    head, _, rest = arn.partition(":policy")
    name = rest.rsplit("/", 1)[-1]
    return head.split(":")[4], rest[: len(rest) - len(name)], name


class Role:
    """A role file and what its exports should create."""

    def __init__(self, binary, role_file):
        self.file = role_file
        self.properties = json.loads(render(binary, role_file, "json"))
        self.template = json.loads(render(binary, role_file, "cloudformation-json"))
        self.name = self.properties["RoleName"]
        self.expected = self.expected_state()
        created = set(self.expected["CreatedPolicies"])
        wanted = list(self.properties.get("ManagedPolicyArns", []))
        if "PermissionsBoundary" in self.properties:
            wanted.append(self.properties["PermissionsBoundary"])
        # Customer managed policies the role uses but does not create.
        self.prerequisites = sorted(
            {a for a in wanted if policy_arn_parts(a)[0] != "aws" and a not in created}
        )

    def created_arn(self, name, path):
        """The ARN render's JSON gives a policy the file creates."""
        suffix = f":policy{path}{name}"
        candidates = list(self.properties.get("ManagedPolicyArns", []))
        candidates.append(self.properties.get("PermissionsBoundary", ""))
        for arn in candidates:
            if arn.endswith(suffix):
                return arn
        raise CheckFailed(f"render's JSON names no ARN for created policy {name}")

    def expected_state(self):
        p = self.properties
        state = role_state(
            name=p["RoleName"],
            path=p.get("Path", "/"),
            description=p.get("Description"),
            duration=p.get("MaxSessionDuration", 3600),
            trust=p["AssumeRolePolicyDocument"],
            boundary=p.get("PermissionsBoundary"),
            tags=p.get("Tags", []),
            inline={x["PolicyName"]: x["PolicyDocument"] for x in p.get("Policies", [])},
            attached=p.get("ManagedPolicyArns", []),
        )
        for resource in self.template["Resources"].values():
            props = resource.get("Properties", {})
            kind = resource["Type"]
            if kind == "AWS::IAM::ManagedPolicy":
                path = props.get("Path", "/")
                arn = self.created_arn(props["ManagedPolicyName"], path)
                state["CreatedPolicies"][arn] = {
                    "Path": path,
                    "Description": props.get("Description", ""),
                    "Document": props["PolicyDocument"],
                }
            elif kind == "AWS::IAM::InstanceProfile":
                state["InstanceProfiles"][props["InstanceProfileName"]] = {
                    "Path": props.get("Path", "/"),
                    "Roles": [self.name],
                }
            elif kind == "AWS::IAM::OIDCProvider":
                state["OIDCProviders"][props["Url"]] = sorted(props["ClientIdList"])
        return state


def role_state(*, name, path, description, duration, trust, boundary, tags, inline, attached):
    return {
        "RoleName": name,
        "Path": path,
        "Description": description,
        "MaxSessionDuration": duration,
        "AssumeRolePolicyDocument": trust,
        "PermissionsBoundary": boundary,
        "Tags": sorted(tags, key=lambda t: t["Key"]),
        "Policies": inline,
        "ManagedPolicyArns": sorted(attached),
        "CreatedPolicies": {},
        "InstanceProfiles": {},
        "OIDCProviders": {},
    }


def compare_states(label, expected, actual, skip=()):
    for key in expected:
        if key not in skip:
            diff(f"{label}: {key}", expected[key], actual.get(key))


# --- The AWS CLI against moto -----------------------------------------------------------


class Moto:
    def __init__(self, endpoint, bin_dir):
        self.endpoint = endpoint
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
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
        self.env = env
        # Reads go through the AWS CLI's own driver in this process: the same CLI, without
        # a Python start-up per call (most of a call's time).
        os.environ.update({k: v for k, v in env.items() if k.startswith("AWS_")})
        from awscli.clidriver import create_clidriver

        self.driver = create_clidriver()

    def reset(self):
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=30).close()

    def aws(self, *args):
        """`aws ARGS --output json`, parsed; CheckFailed with the CLI's message on failure."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = self.driver.main([*args, "--output", "json"])
        if code != 0:
            raise CheckFailed(f"`aws {' '.join(args)}` exited {code}:\n{err.getvalue()}".rstrip())
        return json.loads(out.getvalue() or "null")

    def create_prerequisites(self, roles):
        """The customer managed policies the roles attach but do not create."""
        for arn in sorted({a for r in roles for a in r.prerequisites}):
            _, path, name = policy_arn_parts(arn)
            document = {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}],
            }
            self.aws(
                "iam", "create-policy", "--policy-name", name, "--path", path,
                "--policy-document", json.dumps(document),
            )

    def read_state(self, role, *, isolated):
        """What IAM holds for role, in the state shape. With isolated (nothing else was
        deployed since the reset), every customer managed policy, instance profile and OIDC
        provider in the account counts, so extra ones show up as differences."""
        got = self.aws("iam", "get-role", "--role-name", role.name)["Role"]
        try:
            inline, attached, policies, profiles = self.read_by_details(role, isolated)
        except CheckFailed:
            # moto cannot serialise roles its CloudFormation made: ask one call at a time.
            inline, attached, policies, profiles = self.read_one_by_one(role, isolated)
        state = role_state(
            name=got.get("RoleName"),
            path=got.get("Path"),
            # moto's CloudFormation stores an absent description as "".
            description=got.get("Description") or None,
            duration=got.get("MaxSessionDuration"),
            trust=document(got.get("AssumeRolePolicyDocument")),
            boundary=(got.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
            tags=got.get("Tags", []),
            inline=inline,
            attached=attached,
        )
        for arn, (path, description, doc) in policies.items():
            if arn in role.prerequisites or not (isolated or arn in role.expected["CreatedPolicies"]):
                continue
            state["CreatedPolicies"][arn] = {
                "Path": path,
                "Description": description or "",
                "Document": document(doc),
            }
        for ip in profiles:
            state["InstanceProfiles"][ip["InstanceProfileName"]] = {
                "Path": ip["Path"],
                "Roles": sorted(r["RoleName"] for r in ip.get("Roles", [])),
            }
        providers = self.aws("iam", "list-open-id-connect-providers")["OpenIDConnectProviderList"]
        for entry in providers:
            arn = entry["Arn"]
            url = "https://" + arn.split(":oidc-provider/", 1)[1]
            if not (isolated or url in role.expected["OIDCProviders"]):
                continue
            got = self.aws(
                "iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", arn
            )
            state["OIDCProviders"][url] = sorted(got.get("ClientIDList", []))
        return state

    def read_by_details(self, role, isolated):
        """Inline policies, attachments, local policies and instance profiles in one call."""
        details = self.aws(
            "iam", "get-account-authorization-details", "--filter", "Role", "LocalManagedPolicy"
        )
        detail = next(
            (d for d in details["RoleDetailList"] if d["RoleName"] == role.name), None
        )
        if detail is None:
            raise CheckFailed(f"get-account-authorization-details has no role {role.name}")
        inline = {
            x["PolicyName"]: document(x["PolicyDocument"]) for x in detail.get("RolePolicyList", [])
        }
        attached = [x["PolicyArn"] for x in detail.get("AttachedManagedPolicies", [])]
        policies = {}
        for p in details.get("Policies", []):
            default = next(v for v in p["PolicyVersionList"] if v["IsDefaultVersion"])
            policies[p["Arn"]] = (p.get("Path"), p.get("Description"), default["Document"])
        if isolated:
            profiles = self.aws("iam", "list-instance-profiles")["InstanceProfiles"]
        else:
            profiles = detail.get("InstanceProfileList", [])
        return inline, attached, policies, profiles

    def read_one_by_one(self, role, isolated):
        name = role.name
        inline = {}
        for policy in self.aws("iam", "list-role-policies", "--role-name", name)["PolicyNames"]:
            got = self.aws("iam", "get-role-policy", "--role-name", name, "--policy-name", policy)
            inline[policy] = document(got["PolicyDocument"])
        attached = [
            p["PolicyArn"]
            for p in self.aws("iam", "list-attached-role-policies", "--role-name", name)[
                "AttachedPolicies"
            ]
        ]
        policies = {}
        for p in self.aws("iam", "list-policies", "--scope", "Local")["Policies"]:
            if not isolated and p["Arn"] not in role.expected["CreatedPolicies"]:
                continue
            version = self.aws(
                "iam", "get-policy-version", "--policy-arn", p["Arn"],
                "--version-id", p["DefaultVersionId"],
            )["PolicyVersion"]
            got = self.aws("iam", "get-policy", "--policy-arn", p["Arn"])["Policy"]
            policies[p["Arn"]] = (p.get("Path"), got.get("Description"), version["Document"])
        if isolated:
            profiles = self.aws("iam", "list-instance-profiles")["InstanceProfiles"]
        else:
            profiles = self.aws(
                "iam", "list-instance-profiles-for-role", "--role-name", name
            )["InstanceProfiles"]
        return inline, attached, policies, profiles


def document(value):
    """A policy document as the CLI returns it: already decoded, or URL-encoded JSON text.
    (moto's CloudFormation stores inline policies as Python's text of a dict; that is read
    too, so its stacks can be compared.)"""
    if isinstance(value, str):
        text = urllib.parse.unquote(value)
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            if text.startswith("{'"):
                return ast.literal_eval(text)
            raise
    return value


# --- CloudFormation -------------------------------------------------------------------


def check_cloudformation(binary, role, workdir):
    from cfnlint.decode import decode_str

    formats = {"cloudformation": ".yaml", "cloudformation-json": ".json"}
    texts, format_of_path = {}, {}
    for fmt, suffix in formats.items():
        texts[fmt] = render(binary, role.file, fmt)
        path = workdir / f"template{suffix}"
        path.write_text(texts[fmt], encoding="utf-8")
        format_of_path[str(path)] = fmt

    # cfn-lint's own runner, in this process: the same rules as its command line, without a
    # Python start-up and rule loading per role (1.5 s each; both templates take ~0.3 s here).
    from cfnlint.api import ConfigMixIn, Runner

    try:
        findings = list(Runner(ConfigMixIn(["--template", *format_of_path])).run())
    except Exception as e:  # cfn-lint itself failing is a failed check, with its reason
        raise CheckFailed(f"cfn-lint failed to run: {type(e).__name__}: {e}") from None
    described = [
        f"{format_of_path.get(str(f.filename), f.filename)}: {f.rule.severity} {f.rule.id} "
        f"line {f.linenumber}: {f.message}"
        for f in findings
    ]
    errors = [f for f in findings if f.rule.severity == "error"]
    if errors:
        raise CheckFailed("cfn-lint reports errors:\n  " + "\n  ".join(described))
    for line in described:
        print(f"note: {role.file}: cfn-lint on {line}")

    for fmt, text in texts.items():
        template, problems = decode_str(text)
        if problems or template is None:
            raise CheckFailed(f"the {fmt} export does not decode: {problems}")
        compare_states(fmt, role.expected, state_of_template(role, plain(template)))
    return {fmt: workdir / f"template{suffix}" for fmt, suffix in formats.items()}


def state_of_template(role, template):
    """The state a template describes, its Refs resolved to what they name."""
    resources = template.get("Resources", {})
    roles = [(i, r) for i, r in resources.items() if r.get("Type") == "AWS::IAM::Role"]
    if len(roles) != 1:
        raise CheckFailed("the template should hold exactly one AWS::IAM::Role")
    ((role_id, resource),) = roles
    arn_of = {}
    for logical_id, r in resources.items():
        if r.get("Type") == "AWS::IAM::ManagedPolicy":
            props = r["Properties"]
            arn_of[logical_id] = role.created_arn(props["ManagedPolicyName"], props.get("Path", "/"))

    def resolve(value):
        if isinstance(value, dict) and set(value) == {"Ref"}:
            if value["Ref"] not in arn_of:
                raise CheckFailed(f"Ref to {value['Ref']}, which is no managed policy")
            return arn_of[value["Ref"]]
        return value

    p = resource["Properties"]
    state = role_state(
        name=p["RoleName"],
        path=p.get("Path", "/"),
        description=p.get("Description"),
        duration=p.get("MaxSessionDuration", 3600),
        trust=p["AssumeRolePolicyDocument"],
        boundary=resolve(p["PermissionsBoundary"]) if "PermissionsBoundary" in p else None,
        tags=p.get("Tags", []),
        inline={x["PolicyName"]: x["PolicyDocument"] for x in p.get("Policies", [])},
        attached=[resolve(a) for a in p.get("ManagedPolicyArns", [])],
    )
    for logical_id, r in resources.items():
        props = r.get("Properties", {})
        if r.get("Type") == "AWS::IAM::ManagedPolicy":
            state["CreatedPolicies"][arn_of[logical_id]] = {
                "Path": props.get("Path", "/"),
                "Description": props.get("Description", ""),
                "Document": props["PolicyDocument"],
            }
        elif r.get("Type") == "AWS::IAM::InstanceProfile":
            if props.get("Roles") != [{"Ref": role_id}]:
                raise CheckFailed(f"instance profile roles are {props.get('Roles')}")
            state["InstanceProfiles"][props["InstanceProfileName"]] = {
                "Path": props.get("Path", "/"),
                "Roles": [role.name],
            }
        elif r.get("Type") == "AWS::IAM::OIDCProvider":
            state["OIDCProviders"][props["Url"]] = sorted(props["ClientIdList"])
            if "ThumbprintList" in props:
                raise CheckFailed("the OIDC provider has a thumbprint list")
    outputs = template.get("Outputs", {})
    diff("RoleArn output", {"Fn::GetAtt": [role_id, "Arn"]}, outputs.get("RoleArn", {}).get("Value"))
    return state


def check_cloudformation_deploy(moto, role, template_path, fmt, serial):
    """Creates the stack on moto and reads the result back with the AWS CLI."""
    moto.reset()
    moto.create_prerequisites([role])
    stack = f"rolesmith-check-{serial}"
    moto.aws(
        "cloudformation", "create-stack", "--stack-name", stack,
        "--template-body", f"file://{template_path}",
    )
    status = None
    for _ in range(100):
        status = moto.aws(
            "cloudformation", "describe-stacks", "--stack-name", stack,
            "--query", "Stacks[0].StackStatus",
        )
        if not status.endswith("_IN_PROGRESS"):
            break
        time.sleep(0.2)
    if status != "CREATE_COMPLETE":
        events = moto.aws("cloudformation", "describe-stack-events", "--stack-name", stack)
        raise CheckFailed(f"stack {stack} ended in {status}: {json.dumps(events)[:2000]}")
    state = moto.read_state(role, isolated=True)
    gaps = [g for g in MOTO_CFN_GAPS if role.expected[g]]
    compare_states(f"{fmt} stack on moto", role.expected, state, skip=gaps)
    return gaps


# --- The CLI script ---------------------------------------------------------------------


def check_cli(binary, role, workdir, moto, script_env):
    moto.reset()
    moto.create_prerequisites([role])
    script = workdir / "create-role.sh"
    script.write_text(render(binary, role.file, "cli"), encoding="utf-8")
    run(["sh", "-n", str(script)])
    first = run(["sh", str(script)], env=script_env)
    if "nothing changed" in first:
        raise CheckFailed(f"the first run changed nothing:\n{first}")
    state = moto.read_state(role, isolated=True)
    compare_states("after the first run", role.expected, state)
    second = run(["sh", str(script)], env=script_env)
    if second.strip() != f"role {role.name} is up to date: nothing changed":
        raise CheckFailed(f"the second run should change nothing, it said:\n{second}")
    compare_states("after the second run", state, moto.read_state(role, isolated=True))


# --- The CLI script's `aws` -----------------------------------------------------------
#
# A script calls `aws` 10-40 times, and each start-up of the AWS CLI (Python, its imports,
# its command table and the IAM model) costs ~0.4 s of CPU before the one request it makes.
# So the scripts find, first on their PATH, a small `aws` that hands its arguments,
# environment, working folder and standard streams to a server that loaded the CLI once
# and forks per call; the forked CLI runs them exactly as `aws` would (same driver, same
# parsing, same output and exit code) and dies. When the server is not there or the call's
# AWS_* variables are not the ones it loaded with, the small `aws` runs the real one.

AWS_SHIM = """#!%(python)s -IS
# The AWS CLI, forked from a server that loaded it once (see check_exports.py).
import json, os, socket, struct, sys

real = %(real)r
try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(%(sock)r)
    data = json.dumps({"argv": sys.argv[1:], "cwd": os.getcwd(), "env": dict(os.environ)})
    data = data.encode("utf-8", "surrogateescape")
    socket.send_fds(s, [struct.pack("!Q", len(data))], [0, 1, 2])
    s.sendall(data)
    reply = s.recv(1)
except OSError:
    reply = b"E"
if reply == b"E":
    os.execv(real, [real, *sys.argv[1:]])
if not reply:
    sys.stderr.write("aws (forked): the CLI ended without an exit code\\n")
    sys.exit(255)
sys.exit(reply[0])
"""


def aws_variables(env):
    return {k: v for k, v in env.items() if k.startswith("AWS_")}


def serve_aws(argv):
    """`check_exports.py --serve-aws SOCKET REAL_AWS`: the server behind AWS_SHIM. Prints
    `ready` once it listens; runs until its standard input closes (its parent ended)."""
    sock_path, real = argv
    sys.argv = [real]  # the CLI names itself after it ("aws: error: ...")
    loaded_with = aws_variables(os.environ)  # before awscli adds AWS_DATA_PATH
    from awscli.clidriver import create_clidriver

    driver = create_clidriver()
    # The IAM model and the endpoint rules, loaded once by making a client (no request).
    # Not a call through the driver: some arguments change the driver's cached argument
    # tables (--generate-cli-skeleton, --cli-input-json make every argument optional), and
    # each forked call must start from a driver no call has touched.
    driver.session.create_client("iam")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock_path)
    listener.listen(64)
    print("ready", flush=True)
    sys.stderr.flush()
    children = set()
    while True:
        # Reaped here, not ignored: their CPU time then counts in the check's.
        for pid in list(children):
            if os.waitpid(pid, os.WNOHANG)[0]:
                children.discard(pid)
        ready, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in ready:
            for pid in children:
                os.waitpid(pid, 0)
            return 0
        conn, _ = listener.accept()
        pid = os.fork()
        if pid == 0:
            code = 255
            try:
                listener.close()
                code = forked_call(driver, conn, loaded_with)
            finally:
                os._exit(code)
        children.add(pid)
        conn.close()


def forked_call(driver, conn, loaded_with):
    """One `aws` call in a forked server: the caller's streams, folder, environment and
    arguments, then its exit code sent back."""
    header, fds, _, _ = socket.recv_fds(conn, 8, 3)
    (length,) = struct.unpack("!Q", header)
    data = b""
    while len(data) < length:
        chunk = conn.recv(length - len(data))
        if not chunk:
            return 255
        data += chunk
    request = json.loads(data.decode("utf-8", "surrogateescape"))
    if len(fds) != 3 or aws_variables(request["env"]) != loaded_with:
        conn.sendall(b"E")  # the caller runs the real CLI
        return 0
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = [sys.argv[0], *request["argv"]]
    try:
        code = driver.main(request["argv"])
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    conn.sendall(bytes([code & 0xFF]))
    return 0


class AwsForkServer:
    """Starts serve_aws in env and gives the environment a script runs in to use it."""

    def __init__(self, env, bin_dir, workdir):
        self.proc = None
        self.env = env
        real = shutil.which("aws", path=bin_dir)
        if (real is None or not hasattr(socket, "send_fds")  # Python 3.9+
                or os.environ.get("ROLESMITH_EXPORTS_AWS_FORK") == "0"):
            return
        shim_dir = workdir / "aws-shim"
        shim_dir.mkdir()
        sock = workdir / "aws.sock"
        shim = shim_dir / "aws"
        shim.write_text(
            AWS_SHIM % {"python": sys.executable, "real": real, "sock": str(sock)},
            encoding="utf-8",
        )
        shim.chmod(0o755)
        proc = subprocess.Popen(
            [sys.executable, __file__, "--serve-aws", str(sock), real],
            env=env, stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True,
        )
        if proc.stdout.readline().strip() != "ready":
            proc.kill()
            proc.wait()
            print("note: the forking AWS CLI server did not start; the scripts run `aws`")
            return
        self.proc = proc
        self.env = dict(env, PATH=f"{shim_dir}{os.pathsep}{env['PATH']}")

    def close(self):
        if self.proc is not None:
            self.proc.stdin.close()  # the server's signal to end
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc.stdout.close()
            self.proc = None


# --- Terraform --------------------------------------------------------------------------


def parse_terraform(text):
    """The resources of a Terraform file as {kind: {name: {attribute: value}}}."""
    import hcl2

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
    return resources


def check_terraform(binary, role, workdir):
    text = render(binary, role.file, "terraform")
    (workdir / "main.tf").write_text(text, encoding="utf-8")
    compare_states("terraform", role.expected, state_of_terraform(role, parse_terraform(text)))
    return text


def state_of_terraform(role, resources):
    """The state a Terraform file describes, its references resolved."""
    roles = resources.get("aws_iam_role", {})
    if len(roles) != 1:
        raise CheckFailed(f"expected one aws_iam_role, found {len(roles)}")
    ((role_id, r),) = roles.items()
    role_ref = ("ref", f"aws_iam_role.{role_id}.name")
    arn_of = {}
    for name, p in resources.get("aws_iam_policy", {}).items():
        arn_of[f"aws_iam_policy.{name}.arn"] = role.created_arn(p["name"], p.get("path", "/"))

    def resolve(value):
        if isinstance(value, tuple) and value[0] == "ref":
            if value[1] not in arn_of:
                raise CheckFailed(f"reference to {value[1]}, which is no aws_iam_policy")
            return arn_of[value[1]]
        return value

    def unwrap(value, what):
        if not (isinstance(value, tuple) and value[0] == "jsonencode"):
            raise CheckFailed(f"{what} is not jsonencode(...)")
        return value[1]

    known = {"name", "description", "path", "max_session_duration", "permissions_boundary",
             "assume_role_policy", "tags", "depends_on"}
    if set(r) - known:
        raise CheckFailed(f"aws_iam_role has unexpected attributes {sorted(set(r) - known)}")
    providers = resources.get("aws_iam_openid_connect_provider", {})
    want_depends = [("ref", f"aws_iam_openid_connect_provider.{n}") for n in providers]
    diff("aws_iam_role depends_on", want_depends, r.get("depends_on", []))
    inline = {}
    for p in resources.get("aws_iam_role_policy", {}).values():
        diff("aws_iam_role_policy role", role_ref, p.get("role"))
        inline[p["name"]] = unwrap(p["policy"], "aws_iam_role_policy policy")
    attached = []
    for a in resources.get("aws_iam_role_policy_attachment", {}).values():
        diff("attachment role", role_ref, a.get("role"))
        attached.append(resolve(a["policy_arn"]))
    state = role_state(
        name=r["name"],
        path=r.get("path", "/"),
        description=r.get("description"),
        duration=r.get("max_session_duration", 3600),
        trust=unwrap(r["assume_role_policy"], "assume_role_policy"),
        boundary=resolve(r["permissions_boundary"]) if "permissions_boundary" in r else None,
        tags=[{"Key": k, "Value": v} for k, v in r.get("tags", {}).items()],
        inline=inline,
        attached=attached,
    )
    for name, p in resources.get("aws_iam_policy", {}).items():
        state["CreatedPolicies"][arn_of[f"aws_iam_policy.{name}.arn"]] = {
            "Path": p.get("path", "/"),
            "Description": p.get("description", ""),
            "Document": unwrap(p["policy"], "aws_iam_policy policy"),
        }
    for p in resources.get("aws_iam_instance_profile", {}).values():
        diff("instance profile role", role_ref, p.get("role"))
        state["InstanceProfiles"][p["name"]] = {"Path": p.get("path", "/"), "Roles": [role.name]}
    for p in providers.values():
        if "thumbprint_list" in p:
            raise CheckFailed("the OIDC provider has a thumbprint list")
        state["OIDCProviders"][p["url"]] = sorted(p["client_id_list"])
    return state


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


PROVIDER_TF = """\
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

# Every call goes to the local moto server, with fake credentials.
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    iam = "%(endpoint)s"
    sts = "%(endpoint)s"
  }
}
"""


def check_terraform_apply(roles, moto, terraform, plugin_dir, workdir, report):
    """All roles' Terraform files as modules of one configuration, applied once: the
    provider's start-up is most of the time, so one init/apply/plan for all. No separate
    `validate`: apply runs the same validation of the whole configuration before it plans
    (and fails on what validate reports), and each command loads the provider's schema
    (~7 CPU-s)."""
    env = dict(os.environ)
    cli_config = workdir / "terraformrc"
    cli_config.write_text("", encoding="utf-8")
    env.update(
        {
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
        }
    )
    env.pop("TF_PLUGIN_CACHE_DIR", None)
    root = workdir / "terraform"
    root.mkdir()
    modules = []
    for i, (role, text) in enumerate(roles):
        module = f"role_{i}_{re.sub(r'[^a-z0-9]', '_', role.file.stem.lower())}"
        (root / module).mkdir()
        (root / module / "main.tf").write_text(text, encoding="utf-8")
        modules.append(f'module "{module}" {{\n  source = "./{module}"\n}}\n')
    (root / "main.tf").write_text(
        PROVIDER_TF % {"endpoint": moto.endpoint} + "\n" + "\n".join(modules), encoding="utf-8"
    )
    tf = lambda *args: run([terraform, *args, "-no-color"], env=env, cwd=root)  # noqa: E731

    def whole(label, step):
        try:
            step()
            report(label, None)
            return True
        except CheckFailed as e:
            report(label, e)
            return False

    whole("terraform fmt -check", lambda: tf("fmt", "-check", "-diff", "-recursive"))
    if not whole(
        "terraform init (offline)",
        lambda: tf("init", f"-plugin-dir={plugin_dir}", "-backend=false", "-input=false"),
    ):
        return
    moto.reset()
    moto.create_prerequisites([r for r, _ in roles])
    if not whole("terraform validate + apply on moto", lambda: tf("apply", "-auto-approve", "-input=false")):
        return
    for role, _ in roles:
        try:
            compare_states("applied by terraform", role.expected, moto.read_state(role, isolated=False))
            report(f"{role.file} [terraform apply]", None)
        except CheckFailed as e:
            report(f"{role.file} [terraform apply]", e)

    def plan():
        proc = subprocess.run(
            [terraform, "plan", "-detailed-exitcode", "-input=false", "-no-color"],
            env=env, cwd=root, capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0:
            raise CheckFailed(f"plan after apply is not empty (exit {proc.returncode}):\n"
                              f"{proc.stdout[-4000:]}{proc.stderr}")

    whole("terraform plan shows no drift", plan)


# --- SARIF reports against their schema ---------------------------------------------


REPO = Path(__file__).resolve().parent.parent
SARIF_SCHEMA = REPO / "tests/fixtures/sarif-schema-2.1.0.json"


def sarif_validator():
    """The validator the schema names (draft-07), checking formats (`uri` needs
    rfc3986-validator, `date-time` rfc3339-validator: both in the requirements)."""
    import jsonschema  # noqa: PLC0415 (only this check needs it: cfn-lint brings it)
    import rfc3986_validator  # noqa: F401, PLC0415 (without it `uri` is not checked)

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif_report(cmd, *, codes, stdin=None, cwd=None):
    """Runs cmd, which prints a SARIF report and exits with one of codes."""
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=False, cwd=cwd)
    if proc.returncode not in codes:
        raise CheckFailed(f"`{' '.join(map(str, cmd))}` exited {proc.returncode}:\n"
                          f"{proc.stdout[-2000:]}{proc.stderr}".rstrip())
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        raise CheckFailed(f"`{' '.join(map(str, cmd))}` did not print JSON: {e}") from e


def schema_errors(validator, report):
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))
    if errors:
        raise CheckFailed("\n".join(
            f"at /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10]))
    if not report["runs"][0]["results"]:
        raise CheckFailed("the report has no results: nothing was checked")


def check_sarif(binary, workdir, report):
    """SARIF is read by code-scanning services that reject a report the schema rejects."""
    def whole(label, step):
        try:
            step()
            report(f"sarif [{label}]", None)
        except CheckFailed as e:
            report(f"sarif [{label}]", e)
        except Exception as e:  # a crash in a check is a failure, not an abort
            report(f"sarif [{label}]", f"{type(e).__name__}: {e}")

    validator = None

    def load():
        nonlocal validator
        validator = sarif_validator()

    whole("the SARIF 2.1.0 schema loads", load)
    if validator is None:
        return
    bad = sorted(p for p in (REPO / "tests/policies/bad").iterdir()
                 if p.suffix in (".json", ".toml") and not p.name.endswith(".expected.json"))
    every_code = [binary, "lint", "--format", "sarif", *map(str, bad)]
    whole("lint: every bad example", lambda: schema_errors(
        validator, sarif_report(every_code, codes=(1, 2))))

    suppressed = [binary, "lint", "--format", "sarif",
                  "--ignore", "permissions-management=needed for ACLs",
                  *(str(REPO / "tests/policies/bad" / name) for name in
                    ("resource-mismatch.json", "json-syntax.json", "missing-logs-permissions.toml")),
                  str(REPO / "examples/lambda-s3-writer.toml")]

    def with_suppressions():
        sarif = sarif_report(suppressed, codes=(2,))
        schema_errors(validator, sarif)
        if not any(r.get("suppressions") for r in sarif["runs"][0]["results"]):
            raise CheckFailed("no result carries the --ignore suppression")
        # The check can fail: a result without its required message is rejected.
        broken = json.loads(json.dumps(sarif))
        del broken["runs"][0]["results"][0]["message"]
        if validator.is_valid(broken):
            raise CheckFailed("a result without a message passed the schema")

    whole("lint: suppressions, and a broken report rejected", with_suppressions)
    trust = (REPO / "tests/policies/bad/trust-has-resource.json").read_text(encoding="utf-8")
    whole("lint: standard input", lambda: schema_errors(validator, sarif_report(
        [binary, "lint", "--format", "sarif", "-"], codes=(1,), stdin=trust)))

    head = 'name = "app"\naccount = "111122223333"\n[trust]\nservices = ["lambda.amazonaws.com"]\n'
    for name, action in (("old.toml", "s3:GetObject"), ("new.toml", "s3:Get*")):
        (workdir / name).write_text(
            f'{head}[[policy]]\nname = "p"\n[[policy.statement]]\nactions = ["{action}"]\n'
            'resources = ["arn:aws:s3:::bucket/*"]\n', encoding="utf-8")
    whole("diff: a widened wildcard", lambda: schema_errors(validator, sarif_report(
        [binary, "diff", "old.toml", "new.toml", "--format", "sarif"], codes=(1,),
        cwd=workdir)))


# --- The moto server ------------------------------------------------------------------


def aws_managed_arns(value, found):
    """Every AWS managed policy ARN (arn:PARTITION:iam::aws:policy/...) inside value."""
    if isinstance(value, str):
        if value.startswith("arn:") and ":iam::aws:policy/" in value:
            found.add(value)
    elif isinstance(value, dict):
        for v in value.values():
            aws_managed_arns(v, found)
    elif isinstance(value, list):
        for v in value:
            aws_managed_arns(v, found)
    return found


def serve_moto(argv):
    """`check_exports.py --serve-moto --port P --bin BIN ROLE_FILE...`: moto's server,
    knowing only the AWS managed policies the role files use.

    With all ~1,600 of them, each reset costs moto ~2 s of CPU: it rebuilds them for each of
    six partitions, drops those, and builds them again on the next call; the checks reset
    37 times. A policy the files name but AWS does not have is still missing (attaching it
    fails, as before), and no check lists AWS managed policies, so the verdicts are the
    same."""
    parser = argparse.ArgumentParser(prog="check_exports.py --serve-moto")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", required=True)
    parser.add_argument("--bin", required=True, help="the rolesmith binary")
    parser.add_argument("role_files", nargs="*")
    args = parser.parse_args(argv)
    wanted = set()
    for role_file in args.role_files:
        try:
            aws_managed_arns(json.loads(render(args.bin, role_file, "json")), wanted)
        except (CheckFailed, json.JSONDecodeError, OSError):
            pass  # the check itself reports the file
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    import moto.iam.models as iam_models
    import moto.server

    if isinstance(getattr(iam_models, "aws_managed_policies_data", None), str):
        names = {arn.split(":policy", 1)[1] for arn in wanted}
        every = json.loads(iam_models.aws_managed_policies_data)
        iam_models.aws_managed_policies_data = json.dumps(
            {k: v for k, v in every.items() if f"{v.get('Path', '/')}{k}" in names}
        )
    else:  # another moto: keep all of them (slower resets, same verdicts)
        print("note: this moto has no aws_managed_policies_data; every AWS managed policy "
              "is loaded", file=sys.stderr)
    moto.server.main(["-H", args.host, "-p", str(args.port)])
    return 0


# --- Driver -----------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="the rolesmith binary")
    parser.add_argument("--endpoint", required=True, help="moto server URL")
    parser.add_argument("--aws-bin-dir", required=True, help="folder holding `aws`")
    parser.add_argument("--terraform", default="", help="terraform binary ('' to skip)")
    parser.add_argument("--tf-plugin-dir", default="", help="provider mirror for init")
    parser.add_argument("--checks", default="cloudformation,cli,terraform",
                        help="comma-separated kinds to run (check-exports.sh runs two sets at once)")
    parser.add_argument("role_files", nargs="+", type=Path)
    args = parser.parse_args()
    kinds = set(args.checks.split(","))
    unknown = kinds - {"cloudformation", "cli", "terraform", "sarif"}
    if unknown:
        parser.error(f"unknown check kinds: {', '.join(sorted(unknown))}")
    # Stopped (check-exports.sh ending early): unwind, so subprocess.run stops terraform
    # or a script, and the aws server ends.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    moto = Moto(args.endpoint, args.aws_bin_dir)

    counts = {"passed": 0, "failed": 0}
    timings = {}

    def report(label, error):
        if error is None:
            counts["passed"] += 1
        else:
            print(f"FAIL {label}: {error}")
            counts["failed"] += 1

    def timed(name, fn):
        start = time.monotonic()
        try:
            return fn()
        finally:
            timings[name] = timings.get(name, 0.0) + time.monotonic() - start

    shim_dir = Path(tempfile.mkdtemp(prefix="rolesmith-aws-"))
    aws_server = AwsForkServer(moto.env, args.aws_bin_dir, shim_dir) if "cli" in kinds else None
    try:
        return run_all(args, kinds, moto, aws_server, report, timed, counts, timings)
    finally:
        if aws_server is not None:
            aws_server.close()
        shutil.rmtree(shim_dir, ignore_errors=True)


def run_all(args, kinds, moto, aws_server, report, timed, counts, timings):
    """Every check of every role file, then the notes, the times and the count."""
    gap_notes = set()
    terraform_roles = []
    for serial, role_file in enumerate(args.role_files):
        try:
            role = Role(args.bin, role_file)
        except (CheckFailed, json.JSONDecodeError) as e:
            report(f"{role_file} [render]", e)
            continue

        def cloudformation(d, role=role, serial=serial):
            templates = timed("cfn-lint + decode", lambda: check_cloudformation(args.bin, role, d))
            for fmt, path in templates.items():
                gaps = timed("cloudformation on moto",
                             lambda: check_cloudformation_deploy(moto, role, path, fmt, serial))
                gap_notes.update(gaps)

        def terraform(d, role=role):
            text = timed("terraform (python-hcl2)", lambda: check_terraform(args.bin, role, d))
            terraform_roles.append((role, text))

        checks = (
            ("cloudformation", cloudformation),
            ("cli", lambda d, role=role: timed(
                "cli script twice", lambda: check_cli(args.bin, role, d, moto, aws_server.env))),
            ("terraform", terraform),
        )
        for label, check in checks:
            if label not in kinds:
                continue
            with tempfile.TemporaryDirectory(prefix="rolesmith-exports-") as tmp:
                try:
                    check(Path(tmp))
                    report(f"{role_file} [{label}]", None)
                except CheckFailed as e:
                    report(f"{role_file} [{label}]", e)
                except Exception as e:  # a crash in a check is a failure, not an abort
                    report(f"{role_file} [{label}]", f"{type(e).__name__}: {e}")
    for gap in sorted(gap_notes):
        print(f"note: moto's CloudFormation does not implement {gap} (not compared on its stacks;"
              " the CLI script and Terraform checks compare them)")

    if "sarif" in kinds:
        with tempfile.TemporaryDirectory(prefix="rolesmith-sarif-") as tmp:
            timed("sarif schema", lambda: check_sarif(args.bin, Path(tmp), report))

    if "terraform" not in kinds:
        pass
    elif not args.terraform or not shutil.which(args.terraform):
        print("note: terraform is not installed: skipped init/apply/plan "
              "(python-hcl2 still checked every file)")
    elif not args.tf_plugin_dir or not Path(args.tf_plugin_dir).is_dir():
        print("note: no Terraform provider mirror (tf-plugins) found: skipped "
              "init/apply/plan (set ROLESMITH_TF_PLUGIN_DIR)")
    elif terraform_roles:
        with tempfile.TemporaryDirectory(prefix="rolesmith-terraform-") as tmp:
            timed("terraform init/apply/plan", lambda: check_terraform_apply(
                terraform_roles, moto, args.terraform, args.tf_plugin_dir, Path(tmp), report))

    print("time: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))
    print(f"{counts['passed']} passed, {counts['failed']} failed")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve-moto"]:
        sys.exit(serve_moto(sys.argv[2:]))
    if sys.argv[1:2] == ["--serve-aws"]:
        sys.exit(serve_aws(sys.argv[2:]))
    sys.exit(main())
