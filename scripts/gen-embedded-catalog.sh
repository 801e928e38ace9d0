#!/usr/bin/env bash
# Regenerates assets/catalog/facts.json and assets/catalog/operations.json, the embedded facts
# and API operations for the services of guide §11, with rolesmith's own importer run on AWS's
# service reference files.
#
# usage: scripts/gen-embedded-catalog.sh [REFERENCE_DIR] [DATE]
#   REFERENCE_DIR  default $ROLESMITH_REFERENCE_DIR, else ../shared/reference/aws-service-reference
#   DATE           the snapshot's date, default 2026-08-22 (see that folder's README)
set -euo pipefail
cd "$(dirname "$0")/.."
ref="${1:-${ROLESMITH_REFERENCE_DIR:-../shared/reference/aws-service-reference}}"
date="${2:-2026-08-22}"
services=$(sed -n '/pub const EMBEDDED_SERVICES/,/^\];/p' src/catalog/mod.rs | grep -o '"[a-z0-9-]*"' | tr -d '"' | paste -sd, -)
cargo run --quiet -- catalog import "$ref" --only "$services" --kind embedded --date "$date" \
    --output assets/catalog/facts.json --operations-output assets/catalog/operations.json
