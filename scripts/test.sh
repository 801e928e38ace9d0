#!/usr/bin/env bash
# Runs every test of rolesmith: the Rust suites (unit, integration, screen, pseudo-terminal)
# and the export check against the real consumers (cfn-lint, AWS CLI + moto, python-hcl2),
# which installs its Python tools into a virtualenv it creates.
set -euo pipefail
cd "$(dirname "$0")/.."

# The export check's Python tools install (CPU for ~20 s, some network) while cargo builds.
tools_pid=
if [ -x scripts/check-exports.sh ]; then
  tools_log=$(mktemp "${TMPDIR:-/tmp}/rolesmith-tools.XXXXXX")
  scripts/check-exports.sh --install-tools >"$tools_log" 2>&1 &
  tools_pid=$!
  trap 'kill "$tools_pid" 2>/dev/null || true; rm -f "$tools_log"' EXIT
fi

echo "== cargo test (all targets) =="
cargo test --locked --all-targets
echo "== cargo test (doc tests) =="
cargo test --locked --doc

if [ -x scripts/check-exports.sh ]; then
  echo "== exports checked by cfn-lint, the AWS CLI against moto, and python-hcl2 =="
  # A failed install is retried, and reported, by the check itself.
  wait "$tools_pid" || true
  cat "$tools_log" >&2
  ROLESMITH_BIN=$PWD/target/debug/rolesmith scripts/check-exports.sh
fi
