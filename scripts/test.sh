#!/usr/bin/env bash
# Runs every test of rolesmith: the Rust suites (unit, integration, screen, pseudo-terminal)
# and the export check against the real consumers (cfn-lint, AWS CLI + moto, python-hcl2),
# which installs its Python tools into a virtualenv it creates.
set -euo pipefail
cd "$(dirname "$0")/.."

# The export check's Python tools install (CPU for ~20 s, some network) while cargo builds.
# Once the build is done, the export check (it needs only the binary) runs beside the Rust
# tests: they leave a core idle part of the time (the last long tests run alone), the
# check's Python fills it. Its output is printed after the Rust tests', whole.
exports=
if [ -x scripts/check-exports.sh ]; then
  exports=$(mktemp -d "${TMPDIR:-/tmp}/rolesmith-test.XXXXXX")
  scripts/check-exports.sh --install-tools >"$exports/tools.log" 2>&1 &
  tools_pid=$!
  exports_pid=
  trap 'kill "$tools_pid" ${exports_pid:+"$exports_pid"} 2>/dev/null || true; rm -rf "$exports"' EXIT
fi

echo "== cargo test (build all targets) =="
cargo test --locked --all-targets --no-run

if [ -n "$exports" ]; then
  # A failed install is retried, and reported, by the check itself.
  wait "$tools_pid" || true
  ROLESMITH_BIN=$PWD/target/debug/rolesmith scripts/check-exports.sh >"$exports/check.log" 2>&1 &
  exports_pid=$!
fi

echo "== cargo test (all targets) =="
cargo test --locked --all-targets
echo "== cargo test (doc tests) =="
cargo test --locked --doc

if [ -n "$exports" ]; then
  echo "== exports checked by cfn-lint, the AWS CLI against moto, and python-hcl2 =="
  status=0
  wait "$exports_pid" || status=$?
  exports_pid=
  cat "$exports/tools.log" >&2
  cat "$exports/check.log"
  exit "$status"
fi
