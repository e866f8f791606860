#!/usr/bin/env bash
# Runs every test of the project: unit and integration tests of all Maven modules, then prints one
# summary line 'N passed, N failed, N skipped' counted from the Surefire reports.
set -uo pipefail
cd "$(dirname "$0")/.."
# Reports of an earlier run (of a test since removed, say) must not be counted again.
rm -rf ./*/target/surefire-reports
mvn -B -e verify "$@" 2>&1 | grep -vE '^\[INFO\] (Download|Copying|skip|Building jar|No sources|Using|Changes|Compiling|Recompiling|Nothing)' 
status=${PIPESTATUS[0]}
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
t = f = e = s = 0
for path in glob.glob('*/target/surefire-reports/TEST-*.xml'):
    r = ET.parse(path).getroot()
    t += int(r.get('tests', 0)); f += int(r.get('failures', 0)); e += int(r.get('errors', 0)); s += int(r.get('skipped', 0))
print(f"java: {t - f - e - s} passed, {f + e} failed, {s} skipped")
PY
exit "$status"
