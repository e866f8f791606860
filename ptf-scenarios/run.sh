#!/usr/bin/env bash
# Runs the PTF scenarios against a P4Runtime target inside a network namespace made for the run:
#   veth pairs swN <-> ptfN (N = 1..PORTS): the switch owns swN, the tests play every outside party on ptfN;
#   the target (our software switch through libpcap, or BMv2's simple_switch_grpc) on 127.0.0.1:9559 of the
#   namespace; the controller daemon (`sfc controller run`) on 127.0.0.1:9600 of the namespace;
#   PTF with the port map N@ptfN. Every test applies its scenario's catalog with `sfc catalog apply`.
# Everything is torn down on exit, failure or interrupt. Prints 'ptf: N passed, N failed' last; exits non-zero
# if any scenario failed or the run could not start.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
here="$root/ptf-scenarios"

usage() {
  cat <<'USAGE'
Usage: ptf-scenarios/run.sh [--target software|tna|bmv2] [--pair] [--ports N] [--keep-logs DIR] [TEST...]

Runs the packet scenarios of ptf-scenarios/scenarios/ against a switch in a fresh network namespace.

  --target software   sfc's software switch running p4src/v1model/sfc.p4 (default)
  --target tna        sfc's software switch running p4src/tna/sfc.p4 in its tna (Tofino) model, CPU port 192
  --target bmv2       BMv2's simple_switch_grpc with the p4c-compiled program (needs p4c and
                      simple_switch_grpc on PATH)
  --pair              a redundant pair (seed Fig. 15): two switches of the target's kind (P4Runtime on 9559 and
                      9560), each PTF port bridged to the same port of both, the controller driving them as
                      active and standby; runs the scenarios of the 'pair' group (default) with the first
                      switch's pid as the test parameter active_pid
  --ports N           veth pairs to create (default 16; every scenario's ports must be below N+1)
  --keep-logs DIR     copy the switch, controller and PTF logs to DIR
  TEST                PTF test specs (e.g. figure_07 or figure_07.RequestPath); default: all

Needs root (network namespaces). Python packages (ptf, scapy, ...) go into ptf-scenarios/.venv.
Example:  sudo ptf-scenarios/run.sh figure_15b
USAGE
}

target=software
pair=""
ports=16
keep=""
tests=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="${2:?--target needs software or bmv2}"; shift 2 ;;
    --ports) ports="${2:?--ports needs a number}"; shift 2 ;;
    --pair) pair=1; shift ;;
    --keep-logs) keep="${2:?--keep-logs needs a directory}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) tests+=("$1"); shift ;;
  esac
done
case "$target" in software|tna|bmv2) ;; *) echo "run.sh: --target must be software, tna or bmv2, not '$target'" >&2; exit 2 ;; esac

say() { echo "ptf-scenarios: $*" >&2; }
fail_start() { say "$*"; echo "ptf: 0 passed, 1 failed"; exit 1; }

[ "$(id -u)" -eq 0 ] || fail_start "needs root to create a network namespace (run with sudo)"
command -v ip >/dev/null || fail_start "needs iproute2 (scripts/setup.sh installs it)"
if [ "$target" = bmv2 ]; then
  for tool in p4c simple_switch_grpc; do
    command -v "$tool" >/dev/null || fail_start "--target bmv2 needs $tool on PATH"
  done
fi

# ---------------------------------------------------------------- Python venv (ptf, scapy, pyyaml)
venv="$here/.venv"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$stamp"; then
  say "creating the Python venv in $venv"
  python3 -m venv "$venv" || fail_start "python3 -m venv failed (Debian: apt-get install python3-venv)"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" \
    || fail_start "pip could not install $here/requirements.txt"
  cp "$here/requirements.txt" "$stamp"
fi

# ---------------------------------------------------------------- namespace, processes, teardown
ns="sfc-ptf-$$"
work="$(mktemp -d /tmp/sfc-ptf.XXXXXX)"
pids=()
stop_processes() {  # the controller first: with the tests gone, nobody answers its heartbeats
  local pid
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  pids=()
}
cleanup() {
  trap - EXIT INT TERM
  stop_processes
  ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
  ip netns del "$ns" 2>/dev/null   # takes its veth pairs with it
  if [ -n "$keep" ]; then mkdir -p "$keep" && cp -r "$work"/*.log "$work"/xunit "$keep"/ 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM
in_ns() { ip netns exec "$ns" "$@"; }   # (background jobs call ip directly: $! must be the process itself)

ip netns add "$ns" || fail_start "cannot create network namespace $ns"
in_ns ip link set lo up
# No IPv6 in the namespace: the kernel's router/neighbour solicitations would be stray packets on the ports.
in_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
iface_args=()
ptf_ifaces=()
standby_iface_args=()
for p in $(seq 1 "$ports"); do
  if [ -n "$pair" ]; then
    # Port p of both switches and PTF's port p on one bridge: a shared segment (the seed's hub).
    in_ns ip link add "br$p" type bridge || fail_start "cannot create bridge br$p"
    for end in sw sb ptf; do
      in_ns ip link add "$end$p" type veth peer name "x$end$p" || fail_start "cannot create veth pair $end$p"
      in_ns ip link set "x$end$p" master "br$p"
      in_ns ip link set "x$end$p" up
      in_ns ip link set "$end$p" up
    done
    in_ns ip link set "br$p" up
    standby_iface_args+=(-i "$p@sb$p")
  else
    in_ns ip link add "sw$p" type veth peer name "ptf$p" || fail_start "cannot create veth pair sw$p/ptf$p"
    in_ns ip link set "sw$p" up
    in_ns ip link set "ptf$p" up
  fi
  iface_args+=(-i "$p@sw$p")
  ptf_ifaces+=(-i "$p@ptf$p")
done
say "namespace $ns with $ports veth pairs; logs in $work"

# Build once, outside the timed waits below.
"$root/sfc" switch check -p "$root/p4src/v1model/sfc.p4" >/dev/null || fail_start "the sfc build failed"

wait_for() {  # wait_for WHAT SECONDS COMMAND...
  local what="$1" secs="$2"; shift 2
  for _ in $(seq $((secs * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  fail_start "$what did not come up within ${secs}s (see the logs: --keep-logs DIR)"
}

controller_args=()
if [ "$target" = software ] || [ "$target" = tna ]; then
  program="$root/p4src/v1model/sfc.p4" cpu_port=255
  if [ "$target" = tna ]; then program="$root/p4src/tna/sfc.p4" cpu_port=192; fi
  ip netns exec "$ns" "$root/sfc" switch run -p "$program" "${iface_args[@]}" --cpu-port "$cpu_port" \
    --grpc-address 127.0.0.1:9559 >"$work/switch.log" 2>&1 &
  pids+=($!)
  if [ -n "$pair" ]; then
    ip netns exec "$ns" "$root/sfc" switch run -p "$program" "${standby_iface_args[@]}" --cpu-port "$cpu_port" \
      --grpc-address 127.0.0.1:9560 >"$work/standby.log" 2>&1 &
    pids+=($!)
  fi
  controller_args=(--program "$program")
else
  say "compiling p4src/v1model/sfc.p4 with p4c"
  mkdir -p "$work/bmv2"
  p4c --target bmv2 --arch v1model -o "$work/bmv2" --p4runtime-files "$work/bmv2/sfc.p4info.txtpb" \
    "$root/p4src/v1model/sfc.p4" >"$work/p4c.log" 2>&1 || { cat "$work/p4c.log" >&2; fail_start "p4c failed"; }
  ip netns exec "$ns" simple_switch_grpc --device-id 1 "${iface_args[@]}" --no-p4 \
    -- --grpc-server-addr 127.0.0.1:9559 --cpu-port 255 >"$work/switch.log" 2>&1 &
  pids+=($!)
  if [ -n "$pair" ]; then
    ip netns exec "$ns" simple_switch_grpc --device-id 1 "${standby_iface_args[@]}" --no-p4 --thrift-port 9091 \
      -- --grpc-server-addr 127.0.0.1:9560 --cpu-port 255 >"$work/standby.log" 2>&1 &
    pids+=($!)
  fi
  controller_args=(--p4info "$work/bmv2/sfc.p4info.txtpb" --device-config "$work/bmv2/sfc.json")
fi
wait_for "the $target switch" 60 in_ns bash -c 'exec 3<>/dev/tcp/127.0.0.1/9559'
active_pid="${pids[0]}"
[ -z "$pair" ] || disown "$active_pid"   # a pair scenario kills it: no "Killed" job report for that
if [ -n "$pair" ]; then
  wait_for "the standby $target switch" 60 in_ns bash -c 'exec 3<>/dev/tcp/127.0.0.1/9560'
  controller_args+=(--standby 127.0.0.1:9560)
  [ ${#tests[@]} -gt 0 ] || tests=(pair)
fi

# Millisecond timestamps in the controller's log (heartbeat timing is what one reads it for).
printf '%s\n' 'handlers=java.util.logging.ConsoleHandler' \
  'java.util.logging.SimpleFormatter.format=%1$tT.%1$tL %4$s %5$s%6$s%n' >"$work/logging.properties"
JAVA_TOOL_OPTIONS="-Djava.util.logging.config.file=$work/logging.properties" \
  ip netns exec "$ns" "$root/sfc" controller run --target 127.0.0.1:9559 --listen 127.0.0.1:9600 --db "$work/sfc.db" \
  --token-file "$work/token" --user ptf "${controller_args[@]}" >"$work/controller.log" 2>&1 &
pids+=($!)
wait_for "the controller" 60 in_ns "$venv/bin/python" "$here/lib/sfc_api.py" "$work/token" connected

# ---------------------------------------------------------------- PTF
say "running PTF against the $target switch${pair:+ pair}"
params="root='$root';controller='http://127.0.0.1:9600';token_file='$work/token';work='$work';target='$target'"
params+=";active_pid='$active_pid';pair='${pair:-0}'"
ip netns exec "$ns" "$venv/bin/ptf" --test-dir "$here/scenarios" --pypath "$here/lib" "${ptf_ifaces[@]}" \
  --test-params "$params" --xunit --xunit-dir "$work/xunit" --log-file "$work/ptf.log" \
  --default-negative-timeout 0.3 --qlen 1000 "${tests[@]}" &
pids+=($!)
wait $!   # (not in the foreground: a signal to this script must reach the traps while the tests run)
status=$?
stop_processes

counts="$("$venv/bin/python" - "$work/xunit" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
t = f = s = 0
for path in glob.glob(sys.argv[1] + '/*.xml'):
    for r in ET.parse(path).getroot().iter('testsuite'):
        t += int(r.get('tests', 0)); s += int(r.get('skipped', 0))
        f += int(r.get('failures', 0)) + int(r.get('errors', 0))
print(t - f - s, f, s)
PY
)"
read -r passed failed skipped <<<"${counts:-0 1 0}"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # PTF itself failed (import error, ...)
[ "$skipped" -gt 0 ] && say "$skipped skipped"
echo "ptf: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
