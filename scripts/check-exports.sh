#!/usr/bin/env bash
# Checks rolesmith's exports with real tools against a local moto server (IAM and
# CloudFormation): cfn-lint and a stack deploy for both template forms, the CLI script run
# twice, python-hcl2 and (when installed) terraform init/apply/plan offline. See
# scripts/check_exports.py for what is compared.
#
# Usage: scripts/check-exports.sh [ROLE_FILE...]
#        scripts/check-exports.sh --install-tools   (only step 1; scripts/test.sh runs it
#                                                    while cargo builds)
#   Without arguments it checks every role file in examples/ and tests/fixtures/roles/.
#   The tools are installed into a venv (target/venv-exports, or $ROLESMITH_EXPORTS_VENV)
#   from scripts/check-exports-requirements.txt. Ends with "N passed, M failed"; exits
#   non-zero on any failure.
#   The CLI scripts' `aws` calls fork from one process that loaded the AWS CLI (see
#   check_exports.py); ROLESMITH_EXPORTS_AWS_FORK=0 makes each call start the CLI afresh.
#   Terraform is `terraform` on PATH (or $TERRAFORM); its AWS provider comes from a local
#   mirror ($ROLESMITH_TF_PLUGIN_DIR, else a tf-plugins folder at most two levels below /),
#   so init needs no network. Without either, the Terraform run is skipped with a note.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
venv=${ROLESMITH_EXPORTS_VENV:-$repo/target/venv-exports}
requirements=$repo/scripts/check-exports-requirements.txt
python=${PYTHON:-python3}

# 1. Tools, installed once per requirements file.
stamp=$venv/.requirements
if ! [ -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$stamp"; then
    echo "check-exports: installing cfn-lint, awscli, moto and python-hcl2 into $venv" >&2
    mkdir -p "$(dirname "$venv")"
    # The system's pip (22.3 or later) installs into a venv made without one: making a
    # venv with pip in it costs seconds of CPU. Byte-code is compiled as modules are first
    # imported, not all at install (most of botocore's and moto's never are).
    if "$python" -m pip --version 2>/dev/null |
        awk '{split($2, v, "."); exit !(v[1] > 22 || (v[1] == 22 && v[2] >= 3))}'; then
        "$python" -m venv --without-pip "$venv"
        pip=("$python" -m pip --python "$venv/bin/python")
    else
        "$python" -m venv "$venv"
        pip=("$venv/bin/python" -m pip)
    fi
    if ! "${pip[@]}" install --quiet --no-compile -r "$requirements" >"$venv/install.log" 2>&1; then
        cat "$venv/install.log" >&2
        echo "check-exports: installing the tools failed" >&2
        exit 2
    fi
    cp "$requirements" "$stamp"
fi
if [ "${1:-}" = --install-tools ]; then
    exit 0
fi

# 2. The binary: $ROLESMITH_BIN when given (scripts/test.sh passes the one `cargo test` just
#    built: a `cargo build` after it would compile and link it again, dev-dependencies unify
#    features differently), else built here.
if [ -n "${ROLESMITH_BIN:-}" ]; then
    bin=$ROLESMITH_BIN
else
    cargo build --quiet --bin rolesmith
    bin=$repo/target/debug/rolesmith
fi

# 3. The role files.
if [ "$#" -gt 0 ]; then
    roles=("$@")
else
    shopt -s nullglob
    roles=(examples/*.toml examples/*.json tests/fixtures/roles/*.toml tests/fixtures/roles/*.json)
    shopt -u nullglob
fi
if [ "${#roles[@]}" -eq 0 ]; then
    echo "check-exports: no role files found" >&2
    exit 2
fi

# 4. Two moto IAM servers on free local ports (the checks run as two processes at once, one
#    server each, so they never see each other's roles), stopped however this script ends.
work=$(mktemp -d "${TMPDIR:-/tmp}/rolesmith-exports.XXXXXX")
moto_pids=()
check_pids=()
cleanup() {
    for pid in "${check_pids[@]}" "${moto_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_moto NAME: starts a server, sets $endpoint (empty when it did not start).
start_moto() {
    local log=$work/moto-$1.log pid port
    endpoint=
    for _attempt in 1 2 3; do
        port=$(free_port)
        # moto's server, loading only the AWS managed policies the role files use (see
        # serve_moto in check_exports.py: a reset then costs milliseconds, not seconds).
        "$venv/bin/python" "$repo/scripts/check_exports.py" --serve-moto --port "$port" \
            --bin "$bin" "${roles[@]}" >"$log" 2>&1 &
        pid=$!
        for _ in $(seq 1 200); do
            if "$venv/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1).close()' \
                "http://127.0.0.1:$port/moto-api/" 2>/dev/null; then
                moto_pids+=("$pid")
                endpoint=http://127.0.0.1:$port
                return 0
            fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    cat "$log" >&2
    echo "check-exports: moto_server did not start" >&2
    exit 2
}

# 5. Terraform and its provider mirror, if there are.
terraform=${TERRAFORM:-$(command -v terraform || true)}
plugin_dir=${ROLESMITH_TF_PLUGIN_DIR:-}
if [ -z "$plugin_dir" ] && [ -n "$terraform" ]; then
    plugin_dir=$(find / -maxdepth 2 -type d -name tf-plugins 2>/dev/null | head -n 1 || true)
fi

# 6. The checks, as two processes at once (about equal halves of the time on two cores):
#    Terraform (its provider's start-ups are most of it) and the SARIF schema check in one,
#    CloudFormation and the CLI script in the other.
started=$(date +%s)
start_moto a
endpoint_a=$endpoint
start_moto b
endpoint_b=$endpoint
run_checks() { # NAME ENDPOINT KINDS (run with &: the process is the pid cleanup stops)
    exec "$venv/bin/python" "$repo/scripts/check_exports.py" \
        --bin "$bin" --endpoint "$2" --aws-bin-dir "$venv/bin" --checks "$3" \
        --terraform "$terraform" --tf-plugin-dir "$plugin_dir" "${roles[@]}" >"$work/$1.out" 2>&1
}
run_checks a "$endpoint_a" terraform,sarif &
pid_a=$!
run_checks b "$endpoint_b" cloudformation,cli &
pid_b=$!
check_pids=("$pid_a" "$pid_b")
status=0
wait "$pid_a" || status=1
wait "$pid_b" || status=1
passed=0
failed=0
for part in a b; do
    grep -v '^[0-9]* passed, [0-9]* failed$' "$work/$part.out" || true
    if line=$(grep '^[0-9]* passed, [0-9]* failed$' "$work/$part.out"); then
        passed=$((passed + ${line%% *}))
        rest=${line#*, }
        failed=$((failed + ${rest%% *}))
    else
        echo "check-exports: the $part checks ended without a count" >&2
        status=1
    fi
done
echo "check-exports: took $(($(date +%s) - started)) s" >&2
echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then status=1; fi
exit "$status"
