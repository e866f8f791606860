#!/usr/bin/env bash
# Runs every test of the project: unit and integration tests of all Maven modules (summary line
# 'java: N passed, N failed, N skipped', counted from the Surefire reports, with the reasons for skips), then
# the PTF packet scenarios in a network namespace (ptf-scenarios/run.sh) against the software switch (running the
# v1model program, then the TNA program in its tna model) and, where p4c and simple_switch_grpc are installed,
# against BMv2 too; then each target as a redundant pair (run.sh --pair). The summary of both,
# 'ptf: N passed, N failed', is the last line. Exits non-zero if anything failed.
#   scripts/test.sh [MAVEN ARGS...]      e.g. scripts/test.sh -pl table-compiler   (PTF only when no args)
set -uo pipefail
cd "$(dirname "$0")/.."
# Reports of an earlier run (of a test since removed, say) must not be counted again.
rm -rf ./*/target/surefire-reports
mvn -B -e --fail-at-end verify "$@" 2>&1 | grep -vE '^\[INFO\] (Download|Copying|skip|Building jar|No sources|Using|Changes|Compiling|Recompiling|Nothing)'
java_status=${PIPESTATUS[0]}
python3 - <<'PY'
# Counted per <testcase>: Surefire leaves a class's totals at 0 when JUnit runs it once per target
# (@ParameterizedClass), but lists each run's test cases.
import collections, glob, xml.etree.ElementTree as ET
passed = failed = skipped = 0
reasons = collections.Counter()
for path in glob.glob('*/target/surefire-reports/TEST-*.xml'):
    for case in ET.parse(path).getroot().iter('testcase'):
        if case.find('failure') is not None or case.find('error') is not None:
            failed += 1
        elif case.find('skipped') is not None:
            skipped += 1
            s = case.find('skipped')
            text = (s.get('message') or s.text or '').strip().splitlines()
            reasons[text[0].replace('org.opentest4j.TestAbortedException: ', '') if text else 'no reason given'] += 1
        else:
            passed += 1
for reason, n in sorted(reasons.items()):
    print(f"java: skipped {n}: {reason}")
print(f"java: {passed} passed, {failed} failed, {skipped} skipped")
PY

ptf_status=0
if [ $# -eq 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ptf-scenarios: not run: they need root to create a network namespace (sudo scripts/test.sh)"
    echo "ptf: 0 passed, 0 failed"
  else
    targets=(software tna)
    if command -v p4c >/dev/null && command -v simple_switch_grpc >/dev/null; then
      targets+=(bmv2)
    else
      echo "ptf-scenarios: BMv2 skipped: p4c and simple_switch_grpc not on PATH"
    fi
    passed=0 failed=0
    # Each target alone, then as a redundant pair (the 'pair' scenarios: two switches on shared segments).
    runs=()
    for t in "${targets[@]}"; do runs+=("$t"); done
    for t in "${targets[@]}"; do runs+=("$t --pair"); done
    for run in "${runs[@]}"; do
      read -r t pair <<<"$run"
      echo "ptf-scenarios: target $t${pair:+ (pair)}"
      log=$(mktemp)
      ptf-scenarios/run.sh --target "$t" $pair 2>&1 | tee "$log"
      [ "${PIPESTATUS[0]}" -eq 0 ] || ptf_status=1
      out=$(tail -1 "$log"); rm -f "$log"
      if [[ "$out" =~ ^ptf:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        echo "ptf ($t${pair:+ pair}): ${BASH_REMATCH[1]} passed, ${BASH_REMATCH[2]} failed"
        passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2]))
      else
        echo "ptf ($t${pair:+ pair}): no summary (the run could not start)"; failed=$((failed + 1)); ptf_status=1
      fi
    done
    echo "ptf: $passed passed, $failed failed"
  fi
fi
[ "$java_status" -eq 0 ] && [ "$ptf_status" -eq 0 ]
