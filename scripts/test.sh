#!/usr/bin/env bash
# Runs every test of the project: unit and integration tests of all Maven modules.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -e verify "$@"
echo "tests: all Maven modules passed"
