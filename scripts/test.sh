#!/usr/bin/env bash
# Runs every test of rolesmith: the Rust suites (unit, integration, screen, pseudo-terminal)
# and the export check against the real consumers (cfn-lint, AWS CLI + moto, python-hcl2),
# which installs its Python tools into a virtualenv it creates.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test (all targets) =="
cargo test --locked --all-targets
echo "== cargo test (doc tests) =="
cargo test --locked --doc

if [ -x scripts/check-exports.sh ]; then
  echo "== exports checked by cfn-lint, the AWS CLI against moto, and python-hcl2 =="
  ROLESMITH_BIN=$PWD/target/debug/rolesmith scripts/check-exports.sh
fi
