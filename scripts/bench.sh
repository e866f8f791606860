#!/usr/bin/env bash
# Benchmarks (JMH). Usage: scripts/bench.sh [-m MODULE] [BENCHMARK] [JMH options]
#                         scripts/bench.sh --wire [--rates 10000,50000,0] [--seconds 3]
#   MODULE: software-switch (default: packets/s), table-compiler (compile and diff times) or
#           bmv2-tests (entries/s into the switch over P4Runtime, failover time, packets/s of sfc.p4).
#   BENCHMARK: a class or method name (regex) to run only that, e.g.
#     scripts/bench.sh -m bmv2-tests SfcPipelineBench -wi 2 -i 3
#   --wire: the software switch and BMv2 side by side over veth pairs, the same program and Figure 7 entries
#           pushed to both, delivered packets/s per offered rate (0 = top speed) in one table (needs root; BMv2's
#           column says why it is missing where simple_switch_grpc or p4c is not installed).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--wire" ]; then
  shift
  mvn -B -q -DskipTests install >&2
  cd bmv2-tests
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
  exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.sfc.dataplane.bench.WireBench "$@"
fi
module=software-switch
if [ "${1:-}" = "-m" ]; then module=$2; shift 2; fi
only=""
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then only=$1; shift; fi
mvn -B -q -DskipTests install >&2
cd "$module"
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
case "$module" in
  software-switch) pattern='org.sfc.sw.bench.*' ;;
  table-compiler) pattern='org.sfc.compiler.bench.*' ;;
  bmv2-tests) pattern='org.sfc.dataplane.bench.*' ;;
  *) echo "bench: unknown module $module" >&2; exit 2 ;;
esac
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main "$@" \
  "${pattern%.\*}.*${only:-}"
