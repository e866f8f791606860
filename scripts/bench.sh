#!/usr/bin/env bash
# Benchmarks (JMH). Usage: scripts/bench.sh [JMH options], e.g. scripts/bench.sh -wi 2 -i 3
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package test-compile -pl software-switch -am >&2
cd software-switch
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main "$@" \
  'org.sfc.sw.bench.*'
