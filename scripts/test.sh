#!/usr/bin/env bash
# Runs every test of rolesmith: the Rust suites (unit, integration, screen, pseudo-terminal)
# and the export check against the real consumers (cfn-lint, AWS CLI + moto, python-hcl2),
# which installs its Python tools into a virtualenv it creates.
set -euo pipefail
cd "$(dirname "$0")/.."

# The export check runs in the background, beside cargo: first its Python tools install
# (CPU for ~20 s, some network) while cargo builds; then, as soon as cargo has linked the
# binary (the only thing it needs; the test binaries are still compiling), the check itself,
# through the Rust tests. Both leave a core idle part of the time (one crate compiling, the
# last long tests running alone), which the check's Python fills. Its output is printed
# after the Rust tests', whole, and its failure fails the run.
exports=
exports_pid=
if [ -x scripts/check-exports.sh ]; then
  exports=$(mktemp -d "${TMPDIR:-/tmp}/rolesmith-test.XXXXXX")
  touch "$exports/started"
  (
    # A failed install is retried, and reported, by the check itself.
    scripts/check-exports.sh --install-tools >"$exports/tools.log" 2>&1 || true
    # A binary linked by this build, or else (nothing to rebuild) the build finished.
    until [ target/debug/rolesmith -nt "$exports/started" ] || [ -e "$exports/built" ]; do
      sleep 0.5
    done
    ROLESMITH_BIN=$PWD/target/debug/rolesmith exec scripts/check-exports.sh >"$exports/check.log" 2>&1
  ) &
  exports_pid=$!
  trap 'if [ -n "$exports_pid" ]; then kill "$exports_pid" 2>/dev/null || true; wait "$exports_pid" 2>/dev/null || true; fi; rm -rf "$exports"' EXIT
fi

# Every target with tests: the library's unit tests, tests/it and the benches (each run once
# on small inputs). Not `--all-targets`: that also builds and links a test harness for
# src/main.rs, which has no tests (`test = false` in Cargo.toml).
targets=(--tests --benches)
echo "== cargo test (build all targets) =="
cargo test --locked "${targets[@]}" --no-run
if [ -n "$exports" ]; then
  touch "$exports/built"
fi

echo "== cargo test (all targets) =="
cargo test --locked "${targets[@]}"
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
