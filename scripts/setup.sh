#!/usr/bin/env bash
# Installs what building and testing sfc needs on a Debian machine: a JDK 17 + Maven (usually present),
# libpcap (real ports over veth), iproute2 (network namespaces for the veth tests and the PTF scenarios),
# Python 3 with venv (the PTF scenarios install ptf and scapy into ptf-scenarios/.venv themselves) and pip (the
# build fetches P4Runtime's published protobuf package with it: p4runtime-proto/generate.sh), and promtool.
set -euo pipefail
need=()
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
ldconfig -p 2>/dev/null | grep -q 'libpcap\.so' || need+=(libpcap0.8)
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing ${need[*]}; run as root or install them: apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Optional: promtool (Debian's prometheus package) checks the controller's metrics exposition in a test, which
# is skipped, saying so, without it.
if ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing prometheus (for promtool)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  else
    echo "setup: promtool not installed (apt-get install prometheus): the metrics exposition test will be skipped"
  fi
fi
echo "setup: ok ($(java -version 2>&1 | head -1), $(mvn -v 2>/dev/null | head -1))"
